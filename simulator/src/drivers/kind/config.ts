import { stringify } from 'yaml'
import type { ClusterSpec } from '../../seam'

// kind's cluster config (kind.x-k8s.io/v1alpha4) for a ckalab ClusterSpec.
// Only documented fields are written, so any kind release since v0.11 reads it.

export type MountPropagation = 'None' | 'HostToContainer' | 'Bidirectional'

export interface ExtraMount {
  hostPath: string
  containerPath: string
  readOnly?: boolean
  selinuxRelabel?: boolean
  propagation?: MountPropagation
}

export interface KindNodeConfig {
  role: 'control-plane' | 'worker'
  image?: string
  extraMounts?: ExtraMount[]
}

export interface KindClusterConfig {
  kind: 'Cluster'
  apiVersion: 'kind.x-k8s.io/v1alpha4'
  name?: string
  nodes: KindNodeConfig[]
  networking?: {
    apiServerAddress?: string
    apiServerPort?: number
    podSubnet?: string
    serviceSubnet?: string
  }
}

export interface KindConfigOptions {
  /** kind cluster name (`ckalab-<id>`). */
  name: string
  /** Node image for every node (the profile's, possibly prepared). */
  image: string
  /** Mounted into every control-plane node, e.g. a host folder for snapshots. */
  controlPlaneMounts?: ExtraMount[]
}

export const MAX_CONTROL_PLANES = 3
export const MAX_WORKERS = 3

/** Rejects specs ckalab does not build (kind itself would accept two control planes; the labs do not). */
export function specProblem(spec: ClusterSpec): string | undefined {
  if (spec.controlPlanes !== 1 && spec.controlPlanes !== MAX_CONTROL_PLANES) {
    return `a cluster has 1 or ${MAX_CONTROL_PLANES} control planes, not ${spec.controlPlanes}`
  }
  const workers = spec.workers ?? 0
  if (!Number.isInteger(workers) || workers < 0 || workers > MAX_WORKERS) {
    return `a cluster has 0 to ${MAX_WORKERS} workers, not ${spec.workers}`
  }
  return undefined
}

export function kindConfig(spec: ClusterSpec, opts: KindConfigOptions): KindClusterConfig {
  const problem = specProblem(spec)
  if (problem) throw new Error(problem)
  const nodes: KindNodeConfig[] = []
  for (let i = 0; i < spec.controlPlanes; i++) {
    const node: KindNodeConfig = { role: 'control-plane', image: opts.image }
    if (opts.controlPlaneMounts?.length) node.extraMounts = opts.controlPlaneMounts.map((m) => ({ ...m }))
    nodes.push(node)
  }
  for (let i = 0; i < (spec.workers ?? 0); i++) nodes.push({ role: 'worker', image: opts.image })
  return {
    kind: 'Cluster',
    apiVersion: 'kind.x-k8s.io/v1alpha4',
    name: opts.name,
    // The API server stays on loopback: labs reach it from inside the nodes only.
    networking: { apiServerAddress: '127.0.0.1' },
    nodes,
  }
}

export function kindConfigYaml(config: KindClusterConfig): string {
  return stringify(config)
}
