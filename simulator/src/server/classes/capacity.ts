// How many learner clusters this machine can run on the kind driver, shown
// to the instructor before a class starts. Each learner gets a real kind
// cluster (one container per node), so the room is bounded by Docker's
// memory and CPUs and by the driver's own limit (CKALAB_KIND_MAX_CLUSTERS).
// `estimateCapacity` is pure; `gatherKindFacts` asks Docker (the edge).

import type Docker from 'dockerode'
import type { ClusterSpec } from '../../seam'

const GIB = 1024 ** 3
const MIB = 1024 ** 2

/**
 * A control-plane node's memory when none runs to measure: the kind driver's
 * planning figure (drivers/kind/probe.ts, MEMORY_PER_CONTROL_PLANE). An idle
 * kind v1.3x node measures 0.8-0.9 GiB (docker stats); the rest is room for
 * the learner's commands and the checks.
 */
export const PLANNED_NODE_BYTES = 2 * GIB
/** Measured nodes get this headroom: a learner's etcdctl snapshot or kubectl apply needs more than idle. */
export const MEASURED_HEADROOM = 1.5
/**
 * CPU per node: an idle kind control plane uses about a tenth of a core
 * (docker stats on a 2-core machine: 0.10-0.11); commands, checks and the
 * controllers' resyncs add to it, so a node is planned at a quarter.
 */
export const NODE_CPUS = 0.25
/** Kept for the host itself, ckalab and Docker. */
export const RESERVED_BYTES = 2 * GIB

export interface KindFacts {
  /** Docker's memory and CPUs (docker info MemTotal, NCPU). */
  memTotalBytes: number
  cpus: number
  /** Memory in use by each kind node running now (docker stats), to measure instead of guess. */
  nodeBytes: number[]
  /** ckalab's kind clusters on the engine now (warm ones included). */
  inUse: number
  /** The driver's own limit on clusters at once (CKALAB_KIND_MAX_CLUSTERS). */
  maxClusters: number
}

export interface KindCapacity {
  driver: 'kind'
  /** Learner clusters this machine can run in all, and how many more fit beside those running. */
  clusters: number
  free: number
  inUse: number
  limitedBy: 'memory' | 'cpus' | 'CKALAB_KIND_MAX_CLUSTERS'
  memTotalBytes: number
  cpus: number
  maxClusters: number
  perCluster: { nodes: number; memoryBytes: number; cpus: number }
  /** Where the per-cluster estimate comes from, in a sentence. */
  source: string
  /** The sentence the instructor reads. */
  summary: string
}

const gib = (b: number) => `${(b / GIB).toFixed(1)} GiB`

export function estimateCapacity(
  facts: KindFacts,
  spec: Pick<ClusterSpec, 'controlPlanes' | 'workers'>,
): KindCapacity {
  const nodes = Math.max(1, (spec.controlPlanes || 1) + (spec.workers ?? 0))
  const measured = facts.nodeBytes.filter((b) => b > 0)
  const perNode = measured.length
    ? (measured.reduce((a, b) => a + b, 0) / measured.length) * MEASURED_HEADROOM
    : PLANNED_NODE_BYTES
  const source = measured.length
    ? `measured: the ${measured.length} kind node${measured.length === 1 ? '' : 's'} running now use ${Math.round(perNode / MEASURED_HEADROOM / MIB)} MiB on average (docker stats), planned at ×${MEASURED_HEADROOM} for the learners' commands; ${NODE_CPUS} CPU per node`
    : `planned: no kind node runs now to measure, so ${gib(PLANNED_NODE_BYTES)} and ${NODE_CPUS} CPU per node (the kind driver's planning figure; an idle node measures about 0.85 GiB)`
  const perCluster = { nodes, memoryBytes: Math.round(perNode * nodes), cpus: NODE_CPUS * nodes }
  const byMemory = Math.max(0, Math.floor((facts.memTotalBytes - RESERVED_BYTES) / perCluster.memoryBytes))
  const byCpu = Math.max(0, Math.floor(facts.cpus / perCluster.cpus + 1e-9))
  const bounds = [
    ['memory', byMemory],
    ['cpus', byCpu],
    ['CKALAB_KIND_MAX_CLUSTERS', facts.maxClusters],
  ] as const
  const [limitedBy, clusters] = bounds.reduce((a, b) => (b[1] < a[1] ? b : a))
  const free = Math.max(0, clusters - facts.inUse)
  const why =
    limitedBy === 'CKALAB_KIND_MAX_CLUSTERS'
      ? `the server's limit CKALAB_KIND_MAX_CLUSTERS=${facts.maxClusters}, while Docker's ${gib(facts.memTotalBytes)} and ${facts.cpus} CPUs would hold ${Math.min(byMemory, byCpu)}`
      : limitedBy === 'memory'
        ? `Docker's ${gib(facts.memTotalBytes)} of memory (${gib(RESERVED_BYTES)} kept for the host) at ${gib(perCluster.memoryBytes)} a cluster`
        : `Docker's ${facts.cpus} CPUs at ${perCluster.cpus} a cluster`
  const summary = `This machine can run about ${clusters} learner cluster${clusters === 1 ? '' : 's'} of ${nodes} node${nodes === 1 ? '' : 's'}, limited by ${why}. In use now: ${facts.inUse}, so ${free} more.`
  return {
    driver: 'kind',
    clusters,
    free,
    inUse: facts.inUse,
    limitedBy,
    memTotalBytes: facts.memTotalBytes,
    cpus: facts.cpus,
    maxClusters: facts.maxClusters,
    perCluster,
    source,
    summary,
  }
}

/** What a class of `seats` learners is told against the capacity; undefined when it fits. */
export function capacityWarning(cap: KindCapacity, seats: number): string | undefined {
  if (seats <= cap.free) return undefined
  const raise =
    cap.limitedBy === 'CKALAB_KIND_MAX_CLUSTERS'
      ? `raise CKALAB_KIND_MAX_CLUSTERS (the machine would hold more)`
      : 'use a bigger machine or the simulator'
  return `A class of ${seats} is larger than the ${cap.free} learner cluster${cap.free === 1 ? '' : 's'} this machine has room for: learners past that get an error when they join. Lower the seat cap, ${raise}.`
}

/** Docker's view of the machine: info, the kind nodes running (with their memory use), ckalab's clusters. */
export async function gatherKindFacts(
  docker: Pick<Docker, 'info' | 'listContainers' | 'getContainer'>,
  opts: { prefix: string; maxClusters: number },
): Promise<KindFacts> {
  const info = await docker.info()
  const list = await docker.listContainers({ filters: { label: ['io.x-k8s.kind.cluster'] } })
  const clusters = new Set(
    list.map((c) => c.Labels['io.x-k8s.kind.cluster'] ?? '').filter((name) => name.startsWith(opts.prefix)),
  )
  // A few samples are enough for an average and keep the page quick (each stats call takes a second).
  const sample = list.filter((c) => c.State === 'running').slice(0, 4)
  const nodeBytes = await Promise.all(
    sample.map(async (c) => {
      try {
        const s = (await docker.getContainer(c.Id).stats({ stream: false })) as {
          memory_stats?: { usage?: number; stats?: { inactive_file?: number; total_inactive_file?: number } }
        }
        const m = s.memory_stats
        // As docker stats shows it: usage less the page cache that can be dropped.
        return Math.max(0, (m?.usage ?? 0) - (m?.stats?.inactive_file ?? m?.stats?.total_inactive_file ?? 0))
      } catch {
        return 0
      }
    }),
  )
  return {
    memTotalBytes: Number(info.MemTotal) || 0,
    cpus: Number(info.NCPU) || 1,
    nodeBytes,
    inUse: clusters.size,
    maxClusters: opts.maxClusters,
  }
}

/** The capacity probe for a server on the kind driver, configured as the driver is (prefix, limit). */
export function kindCapacityProbe(
  env: NodeJS.ProcessEnv = process.env,
): (spec: ClusterSpec) => Promise<KindCapacity> {
  let docker: Docker | undefined
  return async (spec) => {
    const { default: Dockerode } = await import('dockerode')
    const { kindOptionsFromEnv } = await import('../../drivers/kind/from-env')
    docker ??= new Dockerode()
    const o = kindOptionsFromEnv(env)
    const facts = await gatherKindFacts(docker, {
      prefix: o.clusterPrefix ?? 'ckalab-',
      maxClusters: o.maxClusters ?? 3,
    })
    return estimateCapacity(facts, spec)
  }
}
