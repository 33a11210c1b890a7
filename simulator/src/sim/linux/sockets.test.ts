import { describe, expect, it } from 'vitest'
import { VirtualClock } from '../clock'
import { createSimCluster } from '../cluster'
import { k8sWorld } from '../k8s/world'
import type { SimNode } from '../node'
import { standardParts } from '../standard'

async function pass(node: SimNode, ms: number): Promise<void> {
  for (let t = 0; t < ms; t += 500) {
    await node.cluster.clock.advance(500)
    await k8sWorld(node.cluster).idle()
  }
}

describe('ss, netstat, pgrep and pkill follow what runs on the node', () => {
  it('etcd ports leave ss and netstat when its static pod stops, and come back with it', async () => {
    const c = await createSimCluster(
      { controlPlanes: 1, kubernetes: '1.34' },
      { ...standardParts(), clock: new VirtualClock() },
    )
    const node = c.nodes[0] as SimNode
    const ss = async () => (await node.exec('ss -tlnp')).stdout
    expect(await ss()).toMatch(/127\.0\.0\.1:2379 .*users:\(\("etcd",pid=\d+,fd=\d+\)\)/)
    expect(await ss()).toContain('*:6443')
    expect((await node.exec('netstat -tlnp')).stdout).toMatch(
      /tcp +0 +0 172\.30\.1\.2:2380 +0\.0\.0\.0:\* +LISTEN +\d+\/etcd/,
    )
    await node.exec('mv /etc/kubernetes/manifests/etcd.yaml /root/')
    await pass(node, 30_000)
    expect(await ss()).not.toContain(':2379')
    expect((await node.exec('curl -sS http://127.0.0.1:2381/health')).stderr).toMatch(
      /^curl: \(7\) Failed to connect/,
    )
    expect((await node.exec('nc -zv 127.0.0.1 2379')).exitCode).toBe(1)
    await node.exec('mv /root/etcd.yaml /etc/kubernetes/manifests/')
    await pass(node, 30_000)
    expect(await ss()).toContain('127.0.0.1:2379')
  })

  it('pkill stops the matching container, which the kubelet starts again', async () => {
    const c = await createSimCluster(
      { controlPlanes: 1, kubernetes: '1.31' },
      { ...standardParts(), clock: new VirtualClock() },
    )
    const node = c.nodes[0] as SimNode
    const before = (await node.exec('pgrep -x kube-scheduler')).stdout.trim()
    expect(before).toMatch(/^\d+$/)
    expect((await node.exec('pkill -x kube-scheduler')).exitCode).toBe(0)
    expect((await node.exec('pgrep -x kube-scheduler')).exitCode).toBe(1)
    await pass(node, 30_000)
    const after = (await node.exec('pgrep -x kube-scheduler')).stdout.trim()
    expect(after).toMatch(/^\d+$/)
    expect(after).not.toBe(before)
    expect((await node.exec('pkill nosuchprocess')).exitCode).toBe(1)
  })

  it('ps lists the other commands of its pipeline when the shell names them', async () => {
    const c = await createSimCluster(
      { controlPlanes: 1, kubernetes: '1.34' },
      { ...standardParts(), clock: new VirtualClock() },
    )
    const node = c.nodes[0] as SimNode
    const ps = c.commands.get('ps')
    if (!ps) throw new Error('no ps')
    const r = await ps.run({
      node,
      args: ['aux'],
      cwd: '/root',
      env: {},
      stdin: '',
      fs: node.fs,
      pipeline: ['ps aux', 'grep etcd'],
      exec: (l) => node.exec(l),
    })
    expect(r.stdout).toMatch(/\nroot +\d+ .* pts\/0 +S\+ .* grep etcd\n/)
    expect(r.stdout).toMatch(/ ps aux\n/)
  })
})
