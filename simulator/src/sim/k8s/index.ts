// Registers the k8s part of the simulator: the kubelet, the container
// runtime, the control plane processes and their commands.
import { registerClusterPlugin, type SimCluster, unregisterClusterPlugin } from '../cluster'
import { installAddons } from './addons'
import { Kubelet } from './kubelet'
import { registerProcesses } from './processes'
import { agentOf, k8sWorld } from './world'

registerProcesses()

/** Kubelets per cluster node, for commands and tests. */
export function kubeletOf(cluster: SimCluster, nodeName: string): Kubelet | undefined {
  return kubelets.get(cluster)?.get(nodeName)
}

const kubelets = new WeakMap<SimCluster, Map<string, Kubelet>>()

async function attach(cluster: SimCluster): Promise<void> {
  const world = k8sWorld(cluster)
  const fresh = !cluster.extensions.has('restore')
  world.booting = true
  const map = new Map<string, Kubelet>()
  kubelets.set(cluster, map)
  try {
    for (const node of cluster.nodes) {
      const kubelet = new Kubelet(node)
      map.set(node.name, kubelet)
      const agent = agentOf(node)
      agent.kubelet = kubelet
      node.own(() => kubelet.stop())
      node.own(() => agent.runtime.stopAll())
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

// The kubelet starts etcd from its manifest; the etcd module's own boot is not needed.
unregisterClusterPlugin('etcd-static-boot')
registerClusterPlugin({ name: 'k8s-runtime', attach })

export { type ApiClient, ApiError, type KubeObject } from './api'
export { apiClientFor } from './client'
