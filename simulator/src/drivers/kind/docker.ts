import type Docker from 'dockerode'

// Finding and removing kind's node containers. kind labels every node it
// creates; ckalab only ever touches containers it found through that label.

export const CLUSTER_LABEL = 'io.x-k8s.kind.cluster'
export const ROLE_LABEL = 'io.x-k8s.kind.role'

export interface NodeContainer {
  id: string
  name: string
  role: 'control-plane' | 'worker' | 'external-load-balancer' | string
  cluster: string
  image: string
  state: string
  /** Unix seconds. */
  created: number
}

export function toNodeContainer(info: Docker.ContainerInfo): NodeContainer {
  return {
    id: info.Id,
    name: (info.Names[0] ?? info.Id).replace(/^\//, ''),
    role: info.Labels[ROLE_LABEL] ?? 'unknown',
    cluster: info.Labels[CLUSTER_LABEL] ?? '',
    image: info.Image,
    state: info.State,
    created: info.Created,
  }
}

const ROLE_ORDER: Record<string, number> = { 'control-plane': 0, worker: 1 }

/** Control planes first, then workers, each by name with kind's numeric suffix (plane2 < plane10). */
export function orderNodes<T extends { name: string; role: string }>(nodes: T[]): T[] {
  const collator = new Intl.Collator('en', { numeric: true })
  return [...nodes].sort(
    (a, b) => (ROLE_ORDER[a.role] ?? 2) - (ROLE_ORDER[b.role] ?? 2) || collator.compare(a.name, b.name),
  )
}

export async function listClusterContainers(docker: Docker, cluster: string): Promise<NodeContainer[]> {
  const list = await docker.listContainers({ all: true, filters: { label: [`${CLUSTER_LABEL}=${cluster}`] } })
  return orderNodes(list.map(toNodeContainer).filter((c) => c.cluster === cluster))
}

/** Every kind cluster whose name starts with `prefix`, with its containers. */
export async function listClustersByPrefix(
  docker: Docker,
  prefix: string,
): Promise<Map<string, NodeContainer[]>> {
  const list = await docker.listContainers({ all: true, filters: { label: [CLUSTER_LABEL] } })
  const out = new Map<string, NodeContainer[]>()
  for (const c of list.map(toNodeContainer)) {
    if (!c.cluster.startsWith(prefix)) continue
    out.set(c.cluster, [...(out.get(c.cluster) ?? []), c])
  }
  return out
}

/** Force-removes every container of the cluster, with its anonymous volumes (kind's /var). */
export async function removeClusterContainers(docker: Docker, cluster: string): Promise<string[]> {
  const nodes = await listClusterContainers(docker, cluster)
  await Promise.all(
    nodes.map((n) =>
      docker
        .getContainer(n.id)
        .remove({ force: true, v: true })
        .catch((err: { statusCode?: number }) => {
          if (err.statusCode !== 404 && err.statusCode !== 409) throw err // gone, or already being removed
        }),
    ),
  )
  return nodes.map((n) => n.name)
}

/** The Docker network kind puts every node on (it makes it on first use and never removes it). */
export const KIND_NETWORK = 'kind'

export async function networkExists(docker: Docker, name: string): Promise<boolean> {
  try {
    await docker.getNetwork(name).inspect()
    return true
  } catch {
    return false
  }
}

/**
 * Removes the network when no container is attached to it: after a failed creation that made it, so
 * nothing is left behind. A network in use (another cluster, another tool) is kept.
 */
export async function removeNetworkIfUnused(docker: Docker, name: string): Promise<boolean> {
  try {
    const net = docker.getNetwork(name)
    const info = (await net.inspect()) as { Containers?: Record<string, unknown> }
    if (Object.keys(info.Containers ?? {}).length > 0) return false
    await net.remove()
    return true
  } catch {
    return false // gone already, or just got a container: either way not ours to remove
  }
}
