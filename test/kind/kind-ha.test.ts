import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { KindDriver } from '../../simulator/src/drivers/kind'
import { loadLabs } from '../../simulator/src/grader/loader'
import { tryLab } from '../../simulator/src/grader/try'
import type { Environment, Progress } from '../../simulator/src/seam'
import {
  containersOf,
  createOnce,
  ensureDocker,
  ensureRealKind,
  IN_CI,
  keepKindOutput,
  ROOT,
  sharedCluster,
} from './harness'

// Three real control planes with a stacked three-member etcd behind kind's
// own load balancer, made through the driver and the real kind CLI: ssh
// between the nodes, the API through the load balancer, then the lab
// etcd-ha-restore with its 1.20 reference solution on that same cluster.
// Set CKALAB_KIND_SKIP_HA=1 to leave it out of a quick local run (it adds a few minutes).

const docker = ensureDocker()
if (!docker.ok && IN_CI) throw new Error(`kind suite: ${docker.why}`)
const run = docker.ok && process.env.CKALAB_KIND_SKIP_HA !== '1' ? describe : describe.skip

const LAB = 'etcd-ha-restore'

run('kind driver: three control planes', () => {
  let d: KindDriver
  let env: Environment
  const progress: Progress[] = []
  const timings: Record<string, number> = {}

  beforeAll(async () => {
    const kind = ensureRealKind()
    d = new KindDriver({
      kindPath: kind.path,
      nodeImages: { '1.20': kind.nodeImage },
      clusterPrefix: 'ckalab-ha',
      onKindOutput: keepKindOutput,
    })
    const t = Date.now()
    env = await createOnce(() => {
      progress.length = 0
      return d.create({ controlPlanes: 3, kubernetes: '1.20' }, (p) => progress.push(p))
    })
    timings.createSeconds = (Date.now() - t) / 1000
  }, 900_000)

  afterAll(async () => {
    if (!env) return
    await env.dispose()
    expect(containersOf(d.clusterName(env.id))).toEqual([])
    console.log(`kind HA timings: ${JSON.stringify(timings)}`)
  }, 180_000)

  it('has three control-plane nodes in kind order and reported the joins and the ssh set-up', () => {
    const name = d.clusterName(env.id)
    expect(env.nodes.map((n) => n.name)).toEqual([
      `${name}-control-plane`,
      `${name}-control-plane2`,
      `${name}-control-plane3`,
    ])
    const steps = progress.map((p) => p.step)
    expect(steps).toContain('Joining more control-plane nodes')
    expect(steps).toContain('Setting up ssh between nodes')
    expect(steps.filter((s) => s.startsWith('No ssh between nodes'))).toEqual([])
  })

  it("kind's load balancer fronts the three API servers; the nodes reach the API through it", async () => {
    const name = d.clusterName(env.id)
    const lb = spawnSync(
      'docker',
      [
        'ps',
        '--filter',
        `label=io.x-k8s.kind.cluster=${name}`,
        '--filter',
        'label=io.x-k8s.kind.role=external-load-balancer',
        '--format',
        '{{.Names}}\t{{.Image}}',
      ],
      { encoding: 'utf8' },
    ).stdout.trim()
    expect(lb).toBe(`${name}-external-load-balancer\tkindest/haproxy:v20230606-42a2262b`)
    // not a node: the driver does not hand it out
    expect(env.nodes.map((n) => n.name)).not.toContain(`${name}-external-load-balancer`)
    const cfg = spawnSync(
      'docker',
      ['exec', `${name}-external-load-balancer`, 'cat', '/usr/local/etc/haproxy/haproxy.cfg'],
      {
        encoding: 'utf8',
      },
    ).stdout
    for (const n of env.nodes) expect(cfg).toContain(`server ${n.name} `)
    const conf = await env.nodes[0]!.exec('grep server: /etc/kubernetes/admin.conf')
    expect(conf.stdout.trim()).toBe(`server: https://${name}-external-load-balancer:6443`)
    const r = await env.nodes[1]!.exec('kubectl get nodes -o name', { timeoutMs: 30_000 })
    expect(r.stdout.trim().split('\n')).toHaveLength(3)
  })

  it('every node has etcdctl and sees the three-member stacked etcd', async () => {
    for (const node of env.nodes) {
      const r = await node.exec(
        'ETCDCTL_API=3 etcdctl --endpoints=https://127.0.0.1:2379 --cacert=/etc/kubernetes/pki/etcd/ca.crt ' +
          '--cert=/etc/kubernetes/pki/etcd/server.crt --key=/etc/kubernetes/pki/etcd/server.key member list',
        { timeoutMs: 30_000 },
      )
      expect(r.exitCode, r.stderr).toBe(0)
      const members = r.stdout.trim().split('\n')
      expect(members).toHaveLength(3)
      for (const n of env.nodes) expect(r.stdout).toContain(`started, ${n.name},`)
    }
  })

  it('ssh and scp reach every node from the first, by name and by address, without prompts or warnings', async () => {
    const [first, ...others] = env.nodes
    for (const other of others) {
      const byName = await first!.exec(`ssh ${other.name} hostname`, { timeoutMs: 30_000 })
      expect(byName.exitCode, byName.stderr).toBe(0)
      expect(byName.stdout.trim()).toBe(other.name)
      // no "Warning: Permanently added ... to the list of known hosts"
      expect(byName.stderr).toBe('')

      const ip = (await other.exec('hostname -i', { timeoutMs: 30_000 })).stdout.trim().split(/\s+/)[0]
      const byIp = await first!.exec(`ssh ${ip} 'hostname; kubectl get nodes -o name | wc -l'`, {
        timeoutMs: 30_000,
      })
      expect(byIp.exitCode, byIp.stderr).toBe(0)
      // sessions get KUBECONFIG, as the node's own terminal has it
      expect(byIp.stdout.trim().split('\n')).toEqual([other.name, '3'])

      const scp = await first!.exec(
        `echo from-first > /tmp/ssh-probe && scp /tmp/ssh-probe ${other.name}:/tmp/ssh-probe && ssh ${other.name} cat /tmp/ssh-probe`,
        { timeoutMs: 30_000 },
      )
      expect(scp.exitCode, scp.stderr).toBe(0)
      expect(scp.stdout.trim()).toBe('from-first')
    }
    // and back: every node has the same key and config
    const back = await others[1]!.exec(`ssh ${first!.name} hostname`, { timeoutMs: 30_000 })
    expect(back.stdout.trim()).toBe(first!.name)
  })

  it(`lab ${LAB}: the 1.20 reference solution passes every check on the three real members`, async () => {
    const { labs } = await loadLabs()
    const lab = labs.find((l) => l.id === LAB)
    if (!lab) throw new Error(`lab ${LAB} did not load`)
    const t = Date.now()
    const r = await tryLab({
      lab,
      driver: sharedCluster(env),
      kubernetes: '1.20',
      script: readFileSync(join(ROOT, 'labs', LAB, 'solution-1.20.sh'), 'utf8'),
      lineTimeoutMs: 180_000,
    })
    timings.labSeconds = (Date.now() - t) / 1000
    const explain = [
      ...r.report.checks.map((c) => `${c.id}: ${c.verdict}: ${c.evidence.actual}`),
      r.stuckAt ? `stuck at line ${r.stuckAt.index + 1}: ${r.stuckAt.line}` : '',
      '--- transcript (end) ---',
      r.transcript.slice(-3000),
    ].join('\n')
    expect(r.stuckAt, explain).toBeUndefined()
    expect(Object.fromEntries(r.report.checks.map((c) => [c.id, c.verdict])), explain).toEqual(
      Object.fromEntries(lab.module.checks.map((c) => [c.id, 'pass'])),
    )
    expect(r.report.score.points).toBe(r.report.score.max)
  }, 900_000)
})
