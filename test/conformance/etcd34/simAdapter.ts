// The simulator's side of the conformance suite: one fresh simulated
// Kubernetes 1.20 cluster (etcd 3.4), the script run line by line on its
// control-plane node. Everything the suite knows about the simulator's API
// is in this file.

import type { RawOutput } from './normalize'
import type { ScriptVars } from './script'

/** The script's variables on the simulated node: kubeadm's real paths and ports. */
export const SIM_VARS: ScriptVars = {
  PKI: '/etc/kubernetes/pki',
  EP: 'https://127.0.0.1:2379',
  EP_HTTP: 'http://127.0.0.1:2379',
  EP_BARE: '127.0.0.1:2379',
  // The simulator's first control plane; runOnSimulator uses the node's actual address.
  NODE_EP: 'https://172.30.1.2:2379',
  // Nothing listens there on a kubeadm node (etcd has 2379, 2380 and 2381).
  DEAD_EP: 'https://127.0.0.1:2399',
  WORK: '/root/conformance',
}

/** Simulated time allowed after creation so the kubelet has started etcd. */
const SETTLE_MS = 60_000
/** Wall-clock budget per line; a line that hangs shows as exit 124. */
const LINE_TIMEOUT_MS = 10_000
/** Wall-clock budget for the whole script, so a hanging simulator cannot stall the suite. */
const SCRIPT_BUDGET_MS = 90_000

type SimModule = typeof import('../../../simulator/src/sim/index')

async function loadSimulator(): Promise<SimModule> {
  try {
    return await import('../../../simulator/src/sim/index')
  } catch (err) {
    throw new Error(
      'the simulator could not be loaded from simulator/src/sim/index ' +
        `(${err instanceof Error ? err.message : String(err)}); ` +
        'the etcd 3.4 conformance suite needs createSimCluster and standardParts from that module',
    )
  }
}

/**
 * Runs `lines` in order on a new simulated control-plane node, each with
 * `vars` in its environment and $WORK (created empty first) as its working
 * directory. Resolves to one result per line.
 */
export async function runOnSimulator(
  lines: string[],
  vars: ScriptVars = SIM_VARS,
  opts: { kubernetes?: '1.20' | '1.31' } = {},
): Promise<RawOutput[]> {
  const sim = await loadSimulator()
  if (typeof sim.createSimCluster !== 'function') {
    throw new Error(
      'simulator/src/sim/index does not export createSimCluster; the conformance adapter needs it',
    )
  }
  const cluster = await sim.createSimCluster(
    { controlPlanes: 1, kubernetes: opts.kubernetes ?? '1.20' },
    { ...sim.standardParts(), clock: new sim.VirtualClock() },
  )
  try {
    const node = cluster.nodes[0]
    if (!node) throw new Error('the simulated cluster has no node')
    await cluster.settle(SETTLE_MS)
    const ip = (node as { ip?: unknown }).ip
    const env = { ...vars, ...(typeof ip === 'string' && ip ? { NODE_EP: `https://${ip}:2379` } : {}) }
    const prep = await node.exec(`rm -rf "${vars.WORK}" && mkdir -p "${vars.WORK}"`, {
      env,
      timeoutMs: LINE_TIMEOUT_MS,
    })
    if (prep.exitCode !== 0) {
      throw new Error(
        `could not create ${vars.WORK} on the simulated node: exit ${prep.exitCode}: ${prep.stderr}`,
      )
    }
    const results: RawOutput[] = []
    const deadline = Date.now() + SCRIPT_BUDGET_MS
    for (const line of lines) {
      if (Date.now() > deadline) {
        results.push({
          stdout: '',
          stderr: '[ckalab: not run, the simulator used up the script budget]',
          exitCode: -1,
        })
        continue
      }
      try {
        const r = await node.exec(line, { cwd: vars.WORK, env, timeoutMs: LINE_TIMEOUT_MS })
        results.push({
          stdout: r.stdout,
          stderr: r.stderr + (r.timedOut ? '\n[ckalab: stopped after the time budget]\n' : ''),
          exitCode: r.exitCode,
        })
      } catch (err) {
        // One line that crashes the simulator must not hide how the other lines compare.
        const msg = err instanceof Error ? (err.stack ?? err.message) : String(err)
        results.push({ stdout: '', stderr: `[ckalab: node.exec threw: ${msg}]`, exitCode: -1 })
      }
    }
    return results
  } finally {
    await cluster.dispose()
  }
}
