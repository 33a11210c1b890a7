import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { KindDriver } from '../../simulator/src/drivers/kind'
import type { Environment, Progress } from '../../simulator/src/seam'
import {
  containersOf,
  createOnce,
  ensureDocker,
  ensureNodeImage,
  FAKE_KIND,
  IN_CI,
  NODE_IMAGE,
} from './harness'

// Three real control planes with a stacked three-member etcd, made through
// the driver and the kind stand-in. Set CKALAB_KIND_SKIP_HA=1 to leave it out
// of a quick local run (it adds a few minutes).

const docker = ensureDocker()
if (!docker.ok && IN_CI) throw new Error(`kind suite: ${docker.why}`)
const run = docker.ok && process.env.CKALAB_KIND_SKIP_HA !== '1' ? describe : describe.skip

run('kind driver: three control planes', () => {
  const d = new KindDriver({
    kindPath: FAKE_KIND,
    nodeImages: { '1.20': NODE_IMAGE },
    clusterPrefix: 'ckalab-ha',
  })
  let env: Environment
  const progress: Progress[] = []
  let seconds = 0

  beforeAll(async () => {
    ensureNodeImage()
    const t = Date.now()
    env = await createOnce(() => {
      progress.length = 0
      return d.create({ controlPlanes: 3, kubernetes: '1.20' }, (p) => progress.push(p))
    })
    seconds = (Date.now() - t) / 1000
  }, 900_000)

  afterAll(async () => {
    if (!env) return
    await env.dispose()
    expect(containersOf(d.clusterName(env.id))).toEqual([])
    console.log(`kind HA timings: ${JSON.stringify({ createSeconds: seconds })}`)
  }, 180_000)

  it('has three control-plane nodes in kind order and reported the joins', () => {
    const name = d.clusterName(env.id)
    expect(env.nodes.map((n) => n.name)).toEqual([
      `${name}-control-plane`,
      `${name}-control-plane2`,
      `${name}-control-plane3`,
    ])
    expect(progress.map((p) => p.step)).toContain('Joining more control-plane nodes')
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
})
