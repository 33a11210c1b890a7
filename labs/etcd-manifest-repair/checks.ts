import {
  crashLooping,
  deploymentState,
  effectiveDataDir,
  etcdHasKey,
  etcdHealthy,
  normalizePath,
} from '../../simulator/src/grader/kit/etcd'
import { waitForApiserver } from '../../simulator/src/grader/kit/restore'
import type { Check } from '../../simulator/src/grader/types'

// Checks for etcd-manifest-repair: etcd runs, on the node's existing data
// (not a new empty cluster), and the apiserver serves that data again.

const DATA = '/var/lib/etcd'
const ORIGIN_KEY = '/ckalab/cluster-origin'
const DEPLOYMENTS = ['inventory', 'checkout']
const WAIT_MS = 90_000

const etcdHealthyCheck: Check = {
  id: 'etcd-healthy',
  title: 'etcd runs and is healthy',
  points: 30,
  budgetMs: 60_000,
  async run(ctx) {
    const cp = ctx.node('cp1')
    const expected = 'an etcd container running and answering `endpoint health` over TLS'
    const ok = await ctx.waitFor(
      async () => {
        if (await etcdHealthy(ctx, cp)) return true
        // Nothing starts etcd without a manifest that parses, and an etcd that keeps exiting on the
        // current manifest will not get better by waiting: decide at once then.
        const m = await ctx.manifest(cp, 'etcd')
        if (!m || m.error) return false
        return (await crashLooping(ctx, cp, 'etcd', m.path)) ? false : undefined
      },
      WAIT_MS,
      { what: 'waiting for etcd to answer `endpoint health`' },
    )
    if (ok) return { verdict: 'pass', expected, actual: 'etcd is healthy' }
    const m = await ctx.manifest(cp, 'etcd')
    return {
      verdict: 'fail',
      expected,
      actual: m?.error
        ? `etcd is down; ${m.path} is not valid YAML (${m.error})`
        : 'etcd does not answer on https://127.0.0.1:2379',
      hint: '`crictl ps -a --name etcd`, then `crictl logs <id>` of the last etcd container, tells you what it cannot open.',
    }
  },
}

const dataKept: Check = {
  id: 'original-data-kept',
  title: `etcd serves the existing data from ${DATA}`,
  points: 40,
  async run(ctx) {
    const cp = ctx.node('cp1')
    const expected = `etcd's --data-dir mounted from the node directory ${DATA}, holding the cluster's existing keys (deployments ${DEPLOYMENTS.join(', ')})`
    const r = await effectiveDataDir(ctx, cp)
    if ('error' in r) return { verdict: 'fail', expected, actual: r.error, hint: 'Fix the YAML first.' }
    if (!r.running)
      return {
        verdict: 'fail',
        expected,
        actual: `etcd is not running (the manifest maps --data-dir ${r.dataDir} to ${r.hostPath ?? 'no node directory'})`,
        hint: 'Get etcd running first; `crictl logs` of its last container says why it stops.',
      }
    if (!r.hostPath)
      return {
        verdict: 'fail',
        expected,
        actual: `etcd runs with --data-dir=${r.dataDir}, but ${r.problem}`,
        hint: `The etcd-data volume is mounted at ${DATA}; --data-dir must be that path (or below it).`,
      }
    if (normalizePath(r.hostPath) !== DATA)
      return {
        verdict: 'fail',
        expected,
        actual: `etcd's data is the node directory ${r.hostPath}`,
        hint: `The cluster's data is in ${DATA} on the node; the hostPath must stay ${DATA}.`,
      }
    const keys = [ORIGIN_KEY, ...DEPLOYMENTS.map((d) => `/registry/deployments/default/${d}`)]
    const found: string[] = []
    for (const k of keys) {
      const has = await etcdHasKey(ctx, cp, k)
      if (has === undefined)
        return {
          verdict: 'unknown',
          expected,
          actual: 'etcd runs on the right directory but did not answer',
          hint: 'Grade again once etcd is healthy.',
        }
      if (has) found.push(k)
    }
    if (found.length < keys.length)
      return {
        verdict: 'fail',
        expected,
        actual: `etcd runs on ${DATA} but lacks ${keys.filter((k) => !found.includes(k)).join(', ')}`,
        hint: 'The existing data is gone: it must not be deleted or replaced.',
      }
    return { verdict: 'pass', expected, actual: `etcd serves ${DATA} with all the expected keys` }
  },
}

const apiserverServing: Check = {
  id: 'apiserver-serving',
  title: 'The apiserver is back and serves the existing deployments',
  points: 30,
  budgetMs: 60_000,
  async run(ctx) {
    const cp = ctx.node('cp1')
    const expected = `/readyz ok and deployments ${DEPLOYMENTS.join(', ')} listed through the apiserver`
    const ready = await waitForApiserver(ctx, WAIT_MS)
    if (!ready)
      return {
        verdict: 'fail',
        expected,
        actual: 'the apiserver is not ready',
        hint: 'The apiserver needs a healthy etcd; once etcd runs it recovers (restarting the kubelet skips its back-off).',
      }
    const states = []
    for (const d of DEPLOYMENTS) states.push(`${d} ${await deploymentState(ctx, cp, d)}`)
    const actual = `apiserver ready; ${states.join(', ')}`
    if (states.every((s) => s.endsWith('present'))) return { verdict: 'pass', expected, actual }
    return {
      verdict: 'fail',
      expected,
      actual,
      hint: 'The apiserver answers, but from a different (empty) etcd data directory.',
    }
  },
}

export const checks: Check[] = [etcdHealthyCheck, dataKept, apiserverServing]
