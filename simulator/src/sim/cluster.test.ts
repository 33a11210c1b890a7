import { describe, expect, it } from 'vitest'
import { SimDriver } from '../drivers/sim'
import { VirtualClock } from './clock'
import { createSimCluster, planNodes } from './cluster'
import { NODE_DISK_QUOTA_BYTES } from './node'
import { standardParts } from './standard'

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
      { ...standardParts(), clock: new VirtualClock() },
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
      { ...standardParts(), clock: new VirtualClock() },
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

  it('serializes again after changes without serving stale files', async () => {
    const cluster = await createSimCluster(
      { controlPlanes: 1, kubernetes: '1.34' },
      { ...standardParts(), clock: new VirtualClock() },
    )
    const node = cluster.nodes[0]
    await node.exec('mkdir -p /opt/d && echo one > /opt/d/f && echo keep > /opt/k')
    await cluster.serialize()
    await node.exec('echo two > /opt/d/f && mv /opt/k /opt/k2 && rm -r /opt/d')
    const again = await cluster.serialize()
    const files = again.nodes[0].files
    expect(files['/opt/d/f']).toBeUndefined()
    expect(files['/opt/k']).toBeUndefined()
    expect(atob(files['/opt/k2'].data ?? '')).toBe('keep\n')
    await node.exec('echo three > /opt/k2')
    expect(atob((await cluster.serialize()).nodes[0].files['/opt/k2'].data ?? '')).toBe('three\n')
  })

  it('refuses a write past the node quota with ENOSPC and keeps working', async () => {
    const cluster = await createSimCluster(
      { controlPlanes: 1, kubernetes: '1.34' },
      { ...standardParts(), clock: new VirtualClock() },
    )
    const node = cluster.nodes[0]
    // Fill the disk directly (fast), then let the shell hit the limit. Bytes kept, not the sizes a disk would show.
    let used = 0
    for (const path of node.fs.getAllPaths()) {
      const st = await node.fs.inner.lstat(path).catch(() => undefined)
      if (st?.isFile) used += st.size
    }
    node.fs.inner.writeFileSync('/var/filler', new Uint8Array(NODE_DISK_QUOTA_BYTES - used - 64 * 1024))
    const r = await node.exec(
      "for i in 1 2 3 4 5 6 7 8; do printf '%020000d' 0 > /tmp/more$i || exit 1; done",
    )
    expect(r.exitCode).not.toBe(0)
    expect(r.stderr).toMatch(/No space left on device/)
    const after = await node.exec('rm /var/filler && echo ok > /tmp/small && cat /tmp/small')
    expect(after.stdout).toBe('ok\n')
  })
})
