import { describe, expect, it } from 'vitest'
import { apiClientFor } from '../../simulator/src/sim/k8s/client'
import type { SimNode } from '../../simulator/src/sim/node'
import { cluster, deployments, ETCD_CERTS, pass, sh } from './helpers'

const INITIAL =
  'controlplane=https://172.30.1.2:2380,controlplane2=https://172.30.1.3:2380,controlplane3=https://172.30.1.4:2380'

async function deploy(node: SimNode, name: string): Promise<void> {
  await apiClientFor(node).create('deployments', {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default' },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'c', image: 'nginx' }] },
      },
    },
  })
}

async function haPrepared() {
  const c = await cluster({ controlPlanes: 3 })
  const [a] = c.nodes as SimNode[]
  await deploy(a as SimNode, 'before')
  await pass(c, 3000)
  const save = await sh(a as SimNode, `etcdctl ${ETCD_CERTS} snapshot save /opt/snap.db`)
  expect(save.exitCode).toBe(0)
  await deploy(a as SimNode, 'after')
  await pass(c, 3000)
  for (const n of ['controlplane2', 'controlplane3'])
    expect((await sh(a as SimNode, `scp /opt/snap.db ${n}:/opt/snap.db`)).exitCode).toBe(0)
  return { c, nodes: c.nodes as SimNode[] }
}

describe('three stacked members', () => {
  it('form one cluster; every node has its own kubelet, ssh and hostname work', async () => {
    const c = await cluster({ controlPlanes: 3 })
    const a = c.nodes[0] as SimNode
    const list = await sh(a, `etcdctl ${ETCD_CERTS} member list`)
    expect(list.stdout.trim().split('\n')).toHaveLength(3)
    const names = (await apiClientFor(a).list('pods', { namespace: 'kube-system' })).map(
      (p) => p.metadata.name,
    )
    for (const n of ['controlplane', 'controlplane2', 'controlplane3']) expect(names).toContain(`etcd-${n}`)
    expect((await sh(a, 'ssh controlplane3 hostname -I')).stdout).toBe('172.30.1.4 \n')
    expect((await sh(a, 'ssh nowhere true')).stderr).toContain('Could not resolve hostname nowhere')
    expect((await sh(c.nodes[1] as SimNode, 'ip -4 addr show eth0')).stdout).toContain('inet 172.30.1.3/24')
  })

  it('a consistent restore on all three brings the snapshot-era state back', async () => {
    const { c, nodes } = await haPrepared()
    for (const n of nodes)
      await sh(
        n,
        'mv /etc/kubernetes/manifests/kube-apiserver.yaml /etc/kubernetes/manifests/etcd.yaml /root/',
      )
    await pass(c, 3000)
    for (const n of nodes) {
      const r = await sh(
        n,
        `etcdutl snapshot restore /opt/snap.db --data-dir /var/lib/etcd-from-backup --name ${n.name} --initial-cluster ${INITIAL} --initial-advertise-peer-urls https://${n.ip}:2380`,
      )
      expect(r.exitCode).toBe(0)
      await sh(
        n,
        "sed -i 's#path: /var/lib/etcd$#path: /var/lib/etcd-from-backup#' /root/etcd.yaml && mv /root/etcd.yaml /etc/kubernetes/manifests/",
      )
    }
    await pass(c, 3000)
    for (const n of nodes) await sh(n, 'mv /root/kube-apiserver.yaml /etc/kubernetes/manifests/')
    await pass(c, 8000)
    for (const n of nodes) expect(await deployments(n)).toEqual(['before'])
    const list = await sh(nodes[0] as SimNode, `etcdctl ${ETCD_CERTS} member list`)
    expect(list.stdout.trim().split('\n')).toHaveLength(3)
  })

  it('a restore on one member only gives a cluster ID mismatch', async () => {
    const { c, nodes } = await haPrepared()
    const a = nodes[0] as SimNode
    await sh(
      a,
      `etcdutl snapshot restore /opt/snap.db --data-dir /var/lib/etcd-from-backup --name controlplane --initial-cluster ${INITIAL} --initial-advertise-peer-urls https://172.30.1.2:2380`,
    )
    await sh(
      a,
      "sed -i 's#path: /var/lib/etcd$#path: /var/lib/etcd-from-backup#' /etc/kubernetes/manifests/etcd.yaml",
    )
    await pass(c, 10_000)
    const logs = await sh(a, 'crictl logs $(crictl ps --name etcd -q) 2>&1 | grep -c "cluster ID mismatch"')
    expect(Number(logs.stdout.trim())).toBeGreaterThan(0)
    // The two untouched members keep quorum and the post-snapshot state; the restored one has no quorum.
    expect(await deployments(nodes[1] as SimNode, 'default', 'https://172.30.1.3:6443')).toEqual([
      'after',
      'before',
    ])
    await expect(deployments(a, 'default', 'https://172.30.1.2:6443')).rejects.toThrow(/Timeout/)
  })
})
