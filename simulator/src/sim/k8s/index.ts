// Registers the k8s part of the simulator: the kubelet, the container
// runtime, the control plane processes and their commands.
//
//   kubelet.ts      static pods from /etc/kubernetes/manifests, API pods, mirror pods, node status
//   runtime.ts      containerd's view: sandboxes, containers, images, pids, logs
//   container-fs.ts what a container sees: its rootfs with hostPath bind mounts
//   apiserver.ts    kube-apiserver on :6443, objects in etcd under /registry (codec.ts)
//   client.ts       apiClientFor(node, server): what kubectl and the controllers dial
//   controllers.ts  controller-manager (deployments, replica sets, daemon sets, GC, endpoints, nodes) and scheduler
//   exec.ts         execInContainer for crictl exec and kubectl exec
//   inspect.ts      runningEtcd(node): the live etcd container's data dir and mounts, for graders
//   commands/       crictl, systemctl, journalctl, ps, ssh, scp, hostname, ip
//   kubectl/        kubectl (built on client.ts and exec.ts)
import { VirtualClock } from '../clock'
import type { ClusterPlugin, SimCluster } from '../cluster'
import type { SimCommand } from '../commands/types'
import { addJoiningMember } from '../etcd/static-boot'
import type { SimNode } from '../node'
import { installAddons } from './addons'
import { crictl } from './commands/crictl'
import { netCommands } from './commands/net'
import { systemCommands } from './commands/system'
import { kubectlCommands } from './kubectl/index'
import { Kubelet } from './kubelet'
import { controlPlaneProcesses } from './processes'
import type { ProcessFactory } from './runtime'
import { agentOf, k8sWorld } from './world'

/** kubectl, crictl, systemctl, journalctl, ps, ssh, scp, hostname, ip … */
export const k8sCommands: SimCommand[] = [...kubectlCommands, crictl, ...systemCommands, ...netCommands]

/** Kubelets per cluster node, for commands and tests. */
export function kubeletOf(cluster: SimCluster, nodeName: string): Kubelet | undefined {
  return kubelets.get(cluster)?.get(nodeName)
}

const kubelets = new WeakMap<SimCluster, Map<string, Kubelet>>()

/**
 * On a virtual clock, let the control plane's async work (controller passes,
 * kubelet syncs) finish between small steps of time, so "sleep 5" in a
 * replay sees what five seconds on a real cluster would have done.
 */
function stepVirtualClock(cluster: SimCluster): void {
  const clock = cluster.clock
  if (!(clock instanceof VirtualClock)) return
  const world = k8sWorld(cluster)
  const remove = clock.addSettler(() => world.idle(), ADVANCE_STEP_MS)
  cluster.nodes[0]?.own(remove)
}

const ADVANCE_STEP_MS = 250

async function attach(cluster: SimCluster, processes: Record<string, ProcessFactory>): Promise<void> {
  const world = k8sWorld(cluster)
  for (const [binary, factory] of Object.entries(processes)) world.processes.set(binary, factory)
  stepVirtualClock(cluster)
  const fresh = !cluster.extensions.has('restore')
  world.booting = true
  const map = new Map<string, Kubelet>()
  let joined = 0
  kubelets.set(cluster, map)
  try {
    for (const node of cluster.nodes) {
      const kubelet = new Kubelet(node)
      map.set(node.name, kubelet)
      const agent = agentOf(node)
      agent.kubelet = kubelet
      node.own(() => kubelet.stop())
      node.own(() => agent.runtime.stopAll())
      if (fresh) await prepareJoin(node, ++joined)
      bootJournal(node)
      kubelet.start()
      // Members join in order, as kubeadm joins control planes one after the other.
      await world.idle()
    }
    for (let round = 0; round < 3; round++) {
      for (const k of map.values()) void world.track(k.housekeeping())
      await world.idle()
    }
    if (fresh) {
      await installAddons(cluster).catch(() => undefined)
      await world.idle()
      for (let round = 0; round < 3; round++) {
        for (const k of map.values()) void world.track(k.housekeeping())
        await world.idle()
      }
    }
  } finally {
    world.booting = false
  }
}

/** kubeadm join on a further control plane: its etcd member is added to the cluster before it starts. */
async function prepareJoin(node: SimNode, order: number): Promise<void> {
  if (node.role !== 'control-plane') return
  const text = await node.readText('/etc/kubernetes/manifests/etcd.yaml')
  if (!text?.includes('--initial-cluster-state=existing')) return
  const peer = /--initial-advertise-peer-urls=(\S+)/.exec(text)?.[1]
  if (peer)
    addJoiningMember(node.cluster, node.name, peer, Math.floor(node.cluster.clock.now() / 1000) + 40 * order)
}

/** The first journal lines of a booted node: containerd and kubelet started by systemd. */
function bootJournal(node: SimNode): void {
  const agent = agentOf(node)
  const j = agent.journal
  const c = agent.units.containerd
  const at = node.cluster.clock.now()
  const modern = node.cluster.profile.id !== '1.20'
  j.add({
    at: c.since,
    unit: 'containerd',
    ident: 'systemd',
    pid: 1,
    text: modern
      ? 'Starting containerd.service - containerd container runtime...'
      : 'Starting containerd container runtime...',
  })
  j.add({
    at: c.since,
    unit: 'containerd',
    ident: 'containerd',
    pid: c.pid,
    text: `time="${new Date(c.since).toISOString()}" level=info msg="starting containerd" revision= version=v${node.cluster.profile.containerdVersion}`,
  })
  j.add({
    at: c.since,
    unit: 'containerd',
    ident: 'containerd',
    pid: c.pid,
    text: `time="${new Date(c.since).toISOString()}" level=info msg="containerd successfully booted in 0.041532s"`,
  })
  j.add({
    at: c.since,
    unit: 'containerd',
    ident: 'systemd',
    pid: 1,
    text: modern
      ? 'Started containerd.service - containerd container runtime.'
      : 'Started containerd container runtime.',
  })
  j.add({
    at,
    unit: 'kubelet',
    ident: 'systemd',
    pid: 1,
    text: modern
      ? 'Started kubelet.service - kubelet: The Kubernetes Node Agent.'
      : 'Started kubelet: The Kubernetes Node Agent.',
  })
}

/**
 * The kubelet, containerd and the control plane on every node: the kubelet starts etcd and the
 * control plane from their manifests (so a cluster with this plugin leaves out the etcd static boot).
 */
export function k8sRuntimePlugin(processes = controlPlaneProcesses()): ClusterPlugin {
  return { name: 'k8s-runtime', attach: (cluster) => attach(cluster, processes) }
}

export { type ApiClient, ApiError, type KubeObject } from './api'
export { apiClientFor } from './client'
export { type ContainerExecResult, execInContainer } from './exec'
export { type EtcdContainerView, runningEtcd } from './inspect'
