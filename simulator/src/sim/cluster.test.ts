import { describe, expect, it } from 'vitest'
import { SimDriver } from '../drivers/sim'
import { VirtualClock } from './clock'
import { createSimCluster, planNodes } from './cluster'

describe('simulated cluster', () => {
  it('names nodes like a lab expects: controlplane alone, kind-style when named', () => {
    expect(planNodes({ controlPlanes: 1, kubernetes: '1.34' }).map((n) => n.name)).toEqual(['controlplane'])
    expect(
      planNodes({ controlPlanes: 3, workers: 1, kubernetes: '1.34', name: 'lab' }).map((n) => n.name),
    ).toEqual(['lab-control-plane', 'lab-control-plane2', 'lab-control-plane3', 'lab-worker'])
  })

  it('seeds a kubeadm control plane filesystem', async () => {
    const cluster = await createSimCluster(
      { controlPlanes: 1, kubernetes: '1.34' },
      { clock: new VirtualClock() },
    )
    const node = cluster.nodes[0]
    const r = await node.exec('ls /etc/kubernetes/manifests; cat /etc/hostname; ls /etc/kubernetes/pki/etcd')
    expect(r.stdout).toContain(
      'etcd.yaml\nkube-apiserver.yaml\nkube-controller-manager.yaml\nkube-scheduler.yaml',
    )
    expect(r.stdout).toContain('controlplane\n')
    expect(r.stdout).toContain('healthcheck-client.crt')
    const etcd = await node.readText('/etc/kubernetes/manifests/etcd.yaml')
    expect(etcd).toContain('- --feature-gates=InitialCorruptCheck=true')
    expect(etcd).toContain('image: registry.k8s.io/etcd:3.6.4-0')
  })

  it('answers an unknown command like bash', async () => {
    const cluster = await createSimCluster(
      { controlPlanes: 1, kubernetes: '1.20' },
      { clock: new VirtualClock() },
    )
    const r = await cluster.nodes[0].exec('foo')
    expect(r.stderr).toBe('bash: foo: command not found\n')
    expect(r.exitCode).toBe(127)
  })

  it('serializes and restores files exactly', async () => {
    const driver = new SimDriver({ clock: 'virtual' })
    const env = await driver.create({ controlPlanes: 1, kubernetes: '1.31' })
    await env.nodes[0].exec('mkdir -p /opt/backup && echo hello > /opt/backup/note.txt')
    const bytes = await SimDriver.serialize(env)
    const back = await driver.restore(bytes)
    const r = await back.nodes[0].exec('cat /opt/backup/note.txt')
    expect(r.stdout).toBe('hello\n')
    expect(back.id).toBe(env.id)
  })

  it('refuses a write past the node quota with ENOSPC', async () => {
    const cluster = await createSimCluster(
      { controlPlanes: 1, kubernetes: '1.34' },
      { clock: new VirtualClock() },
    )
    const node = cluster.nodes[0]
    const big = 'x'.repeat(8 * 1024 * 1024)
    let last = { exitCode: 0, stderr: '' }
    for (let i = 0; i < 12 && last.exitCode === 0; i++) {
      last = await node.exec(`cat > /tmp/f${i}`, { stdin: big })
    }
    expect(last.exitCode).not.toBe(0)
    expect(last.stderr).toMatch(/No space left on device/)
  })
})
