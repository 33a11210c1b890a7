import { parse } from 'yaml'
import type { ClusterPlugin, SimCluster } from '../cluster'
import { type EtcdProcess, etcdRuntime, joinedMemberId } from './server'

// Until the kubelet runs static pods, this plugin starts each control plane's
// etcd from /etc/kubernetes/manifests/etcd.yaml when the cluster is created.
// A cluster with the kubelet (the k8s runtime plugin) leaves it out: the
// kubelet calls startEtcd itself. Joined control planes get their member added to the
// running cluster first, as `kubeadm join` does (member IDs with a timestamp).

export const STATIC_BOOT_PLUGIN = 'etcd-static-boot'

interface PodLike {
  spec?: {
    containers?: Array<{ command?: string[]; volumeMounts?: Array<{ name?: string; mountPath?: string }> }>
    volumes?: Array<{ name?: string; hostPath?: { path?: string } }>
  }
}

/** The etcd command line of a manifest with --data-dir mapped to the node path behind its mount. */
export function etcdArgsFromManifest(text: string): string[] | undefined {
  let pod: PodLike
  try {
    pod = parse(text) as PodLike
  } catch {
    return undefined
  }
  const c = pod?.spec?.containers?.[0]
  if (!c?.command) return undefined
  const args = [...c.command]
  const i = args.findIndex((a) => a.startsWith('--data-dir'))
  if (i >= 0) {
    const dir = (args[i] as string).split('=')[1] ?? ''
    const mount = (c.volumeMounts ?? [])
      .filter(
        (m) => m.mountPath && (dir === m.mountPath || dir.startsWith(`${m.mountPath.replace(/\/$/, '')}/`)),
      )
      .sort((a, b) => (b.mountPath?.length ?? 0) - (a.mountPath?.length ?? 0))[0]
    const vol = pod.spec?.volumes?.find((v) => v.name === mount?.name)
    if (mount?.mountPath && vol?.hostPath?.path)
      args[i] = `--data-dir=${vol.hostPath.path}${dir.slice(mount.mountPath.length)}`
  }
  return args
}

/** Make room in a running cluster for a member that is about to join (kubeadm's member add). */
export function addJoiningMember(
  cluster: SimCluster,
  name: string,
  peerURL: string,
  unixSeconds: number,
): void {
  const rt = etcdRuntime(cluster)
  for (const g of rt.groups) {
    if (g.members.some((m) => m.peerURLs.includes(peerURL))) return
    const id = joinedMemberId(peerURL, '', unixSeconds).toString(16)
    g.members.push({ id, name: '', peerURLs: [peerURL], clientURLs: [] })
    void name
    g.index++
    rt.recompute()
    return
  }
}

export async function bootStaticEtcd(cluster: SimCluster): Promise<EtcdProcess[]> {
  const started: EtcdProcess[] = []
  const rt = etcdRuntime(cluster)
  let k = 0
  for (const node of cluster.controlPlanes) {
    const text = await node.readText('/etc/kubernetes/manifests/etcd.yaml')
    if (!text) continue
    const args = etcdArgsFromManifest(text)
    if (!args) continue
    const existing = args.includes('--initial-cluster-state=existing')
    const dataDir = args.find((a) => a.startsWith('--data-dir='))?.slice(11) ?? '/var/lib/etcd'
    const hasWal = await node.fs.exists(`${dataDir}/member/wal`)
    if (existing && !hasWal) {
      const peer = args.find((a) => a.startsWith('--initial-advertise-peer-urls='))?.split('=')[1]
      if (peer) addJoiningMember(cluster, node.name, peer, Math.floor(cluster.clock.now() / 1000) + 40 * ++k)
    }
    const p = rt.start(node, args, node.fs)
    await p.ready
    started.push(p)
  }
  return started
}

/** For clusters composed without the kubelet: etcd starts from its manifest at creation. */
export const etcdStaticBootPlugin: ClusterPlugin = {
  name: STATIC_BOOT_PLUGIN,
  async attach(cluster) {
    await bootStaticEtcd(cluster)
  },
}
