import { describe, expect, it } from 'vitest'
import type { ProfileId } from '../../simulator/src/seam'
import { apiClientFor } from '../../simulator/src/sim/k8s/client'
import { runningEtcd } from '../../simulator/src/sim/k8s/inspect'
import type { SimNode } from '../../simulator/src/sim/node'
import { cluster, deployments, ETCD_CERTS, pass, sh } from './helpers'

// The restore variants of the reference (§4.2): each ends with the
// snapshot-era deployment present and the later one gone; the "not valid"
// ones end with the realistic wrong result.

async function deploy(node: SimNode, name: string): Promise<void> {
  await apiClientFor(node).create('deployments', {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default', labels: { app: name } },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'nginx', image: 'nginx:1.27' }] },
      },
    },
  })
}

async function prepared(profile: ProfileId = '1.34') {
  const c = await cluster({ kubernetes: profile })
  const node = c.nodes[0] as SimNode
  await deploy(node, 'before')
  await pass(c, 3000)
  const save = await sh(node, `ETCDCTL_API=3 etcdctl ${ETCD_CERTS} snapshot save /opt/snap.db`)
  expect(save.stdout).toContain('Snapshot saved at /opt/snap.db')
  await deploy(node, 'after')
  await pass(c, 3000)
  expect(await deployments(node)).toEqual(['after', 'before'])
  return { c, node }
}

const restoreTool = (profile: ProfileId) => (profile === '1.34' ? 'etcdutl' : 'ETCDCTL_API=3 etcdctl')

describe('etcd restore variants', () => {
  it('A: restore to a new dir, change only the etcd-data hostPath; the mirror pod stays the snapshot-era one', async () => {
    const { c, node } = await prepared()
    const r = await sh(node, 'etcdutl snapshot restore /opt/snap.db --data-dir /var/lib/etcd-from-backup')
    expect(r.exitCode).toBe(0)
    await sh(
      node,
      "sed -i 's#path: /var/lib/etcd$#path: /var/lib/etcd-from-backup#' /etc/kubernetes/manifests/etcd.yaml",
    )
    await pass(c, 3000)
    expect(await deployments(node)).toEqual(['before'])
    expect(runningEtcd(node)?.hostDataDir).toBe('/var/lib/etcd-from-backup')
    await pass(c, 20_000)
    const mirror = await apiClientFor(node).get('pods', 'etcd-controlplane', 'kube-system')
    const vol = mirror.spec.volumes.find((v: { name: string }) => v.name === 'etcd-data')
    expect(vol.hostPath.path).toBe('/var/lib/etcd')
    const j = await sh(node, 'journalctl -u kubelet --no-pager | grep "Failed creating a mirror pod"')
    expect(j.stdout).toContain('already exists')
    // A kubelet restart replaces the stale mirror pod.
    await sh(node, 'systemctl restart kubelet')
    await pass(c, 15_000)
    const fresh = await apiClientFor(node).get('pods', 'etcd-controlplane', 'kube-system')
    expect(fresh.spec.volumes.find((v: { name: string }) => v.name === 'etcd-data').hostPath.path).toBe(
      '/var/lib/etcd-from-backup',
    )
  })

  for (const profile of ['1.20', '1.31', '1.34'] as ProfileId[]) {
    it(`B (${profile}): --data-dir, mountPath and hostPath renamed together`, async () => {
      const { c, node } = await prepared(profile)
      const r = await sh(
        node,
        `${restoreTool(profile)} snapshot restore /opt/snap.db --data-dir /var/lib/etcd-from-backup`,
      )
      expect(r.exitCode).toBe(0)
      await sh(
        node,
        "sed -i 's#/var/lib/etcd$#/var/lib/etcd-from-backup#' /etc/kubernetes/manifests/etcd.yaml",
      )
      await pass(c, 5000)
      expect(await deployments(node)).toEqual(['before'])
    })
  }

  it('C: in place, with etcd stopped by moving its manifest out', async () => {
    const { c, node } = await prepared('1.31')
    await sh(node, 'mv /etc/kubernetes/manifests/etcd.yaml /root/')
    await pass(c, 3000)
    await sh(node, 'mv /var/lib/etcd /var/lib/etcd.bak')
    const r = await sh(node, 'ETCDCTL_API=3 etcdctl snapshot restore /opt/snap.db --data-dir /var/lib/etcd')
    expect(r.exitCode).toBe(0)
    await sh(node, 'mv /root/etcd.yaml /etc/kubernetes/manifests/')
    await pass(c, 8000)
    expect(await deployments(node)).toEqual(['before'])
  })

  it('D: a subdirectory of the mounted hostPath', async () => {
    const { c, node } = await prepared()
    await sh(node, 'etcdutl snapshot restore /opt/snap.db --data-dir /var/lib/etcd/restored')
    await sh(
      node,
      "sed -i 's#--data-dir=/var/lib/etcd$#--data-dir=/var/lib/etcd/restored#' /etc/kubernetes/manifests/etcd.yaml",
    )
    await pass(c, 5000)
    expect(await deployments(node)).toEqual(['before'])
  })

  it('E/F: with --name/--initial-cluster and --bump-revision --mark-compacted', async () => {
    const { c, node } = await prepared()
    const r = await sh(
      node,
      'etcdutl snapshot restore /opt/snap.db --data-dir /var/lib/etcd-new --name controlplane --initial-cluster controlplane=https://172.30.1.2:2380 --initial-advertise-peer-urls https://172.30.1.2:2380 --bump-revision 1000000000 --mark-compacted',
    )
    expect(r.exitCode).toBe(0)
    await sh(
      node,
      "sed -i 's#path: /var/lib/etcd$#path: /var/lib/etcd-new#' /etc/kubernetes/manifests/etcd.yaml",
    )
    await pass(c, 5000)
    expect(await deployments(node)).toEqual(['before'])
  })

  it('not valid: only --data-dir changed gives a new, empty etcd', async () => {
    const { c, node } = await prepared()
    await sh(node, 'etcdutl snapshot restore /opt/snap.db --data-dir /var/lib/etcd-from-backup')
    await sh(
      node,
      "sed -i 's#--data-dir=/var/lib/etcd$#--data-dir=/var/lib/etcd-from-backup#' /etc/kubernetes/manifests/etcd.yaml",
    )
    await pass(c, 5000)
    expect(await deployments(node)).toEqual([])
    expect(runningEtcd(node)?.hostDataDir).toBeUndefined()
    await pass(c, 30_000)
    const ns = (await apiClientFor(node).list('namespaces')).map((n) => n.metadata.name)
    expect(ns).toContain('default')
  })

  it('not valid: hostPath to a directory that does not exist gives a new, empty etcd', async () => {
    const { c, node } = await prepared()
    await sh(
      node,
      "sed -i 's#path: /var/lib/etcd$#path: /var/lib/etcd-typo#' /etc/kubernetes/manifests/etcd.yaml",
    )
    await pass(c, 5000)
    expect(await deployments(node)).toEqual([])
    expect(await node.fs.exists('/var/lib/etcd-typo/member/snap/db')).toBe(true)
  })

  it('not valid: restore without --data-dir lands in ./default.etcd and changes nothing', async () => {
    const { c, node } = await prepared()
    await sh(node, 'cd /root && etcdutl snapshot restore /opt/snap.db')
    expect(await node.fs.exists('/root/default.etcd/member')).toBe(true)
    await pass(c, 5000)
    expect(await deployments(node)).toEqual(['after', 'before'])
  })
})
