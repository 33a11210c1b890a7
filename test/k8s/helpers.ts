import type { ClusterSpec } from '../../simulator/src/seam'
import { VirtualClock } from '../../simulator/src/sim/clock'
import { createSimCluster, type SimCluster } from '../../simulator/src/sim/cluster'
import { apiClientFor } from '../../simulator/src/sim/k8s/client'
import { agentOf, k8sWorld } from '../../simulator/src/sim/k8s/world'
import type { SimNode } from '../../simulator/src/sim/node'
import { standardParts } from '../../simulator/src/sim/standard'

export async function cluster(spec: Partial<ClusterSpec> = {}): Promise<SimCluster> {
  return createSimCluster(
    { controlPlanes: 1, kubernetes: '1.34', ...spec },
    { ...standardParts(), clock: new VirtualClock() },
  )
}

/** Let simulated time pass and the work it started finish. */
export async function pass(c: SimCluster, ms: number): Promise<void> {
  const step = 500
  for (let t = 0; t < ms; t += step) {
    await c.clock.advance(Math.min(step, ms - t))
    await k8sWorld(c).idle()
  }
}

export async function sh(node: SimNode, cmd: string) {
  const r = await node.exec(cmd)
  await k8sWorld(node.cluster).idle()
  return r
}

export function running(node: SimNode, name: string) {
  return agentOf(node)
    .runtime.running()
    .filter((c) => c.name === name)
}

export async function deployments(node: SimNode, ns = 'default', server?: string): Promise<string[]> {
  return (await apiClientFor(node, server).list('deployments', { namespace: ns }))
    .map((d) => d.metadata.name)
    .sort()
}

export const ETCD_CERTS =
  '--endpoints=https://127.0.0.1:2379 --cacert=/etc/kubernetes/pki/etcd/ca.crt --cert=/etc/kubernetes/pki/etcd/server.crt --key=/etc/kubernetes/pki/etcd/server.key'
