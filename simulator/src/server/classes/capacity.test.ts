import { describe, expect, it } from 'vitest'
import {
  capacityWarning,
  estimateCapacity,
  gatherKindFacts,
  type KindFacts,
  PLANNED_NODE_BYTES,
} from './capacity'

const GIB = 1024 ** 3
const one = { controlPlanes: 1 }
const facts = (f: Partial<KindFacts> = {}): KindFacts => ({
  memTotalBytes: 24 * GIB,
  cpus: 8,
  nodeBytes: [],
  inUse: 0,
  maxClusters: 100,
  ...f,
})

describe('kind capacity', () => {
  it('plans 2 GiB a node when no node runs to measure, and says so', () => {
    const cap = estimateCapacity(facts(), one)
    expect(cap.perCluster).toEqual({ nodes: 1, memoryBytes: PLANNED_NODE_BYTES, cpus: 0.25 })
    // (24 - 2 reserved) / 2 = 11 by memory; 8 / 0.25 = 32 by CPU
    expect(cap).toMatchObject({ clusters: 11, free: 11, limitedBy: 'memory' })
    expect(cap.source).toMatch(/^planned: no kind node runs now/)
    expect(cap.summary).toMatch(
      /about 11 learner clusters of 1 node, limited by Docker's 24\.0 GiB of memory/,
    )
  })

  it('measures the nodes running, with headroom, and counts every node of a cluster', () => {
    const cap = estimateCapacity(facts({ nodeBytes: [0.8 * GIB, 1.0 * GIB], inUse: 2 }), {
      controlPlanes: 3,
    })
    // 0.9 GiB average × 1.5 × 3 nodes = 4.05 GiB a cluster → 22 / 4.05 = 5
    expect(cap.perCluster.nodes).toBe(3)
    expect(cap.perCluster.memoryBytes / GIB).toBeCloseTo(4.05, 2)
    expect(cap).toMatchObject({ clusters: 5, inUse: 2, free: 3 })
    expect(cap.source).toMatch(
      /^measured: the 2 kind nodes running now use 922 MiB on average \(docker stats\)/,
    )
  })

  it('is bounded by the CPUs and by CKALAB_KIND_MAX_CLUSTERS, naming the bound', () => {
    expect(estimateCapacity(facts({ cpus: 2, memTotalBytes: 64 * GIB }), one)).toMatchObject({
      clusters: 8,
      limitedBy: 'cpus',
    })
    const capped = estimateCapacity(facts({ maxClusters: 3 }), one)
    expect(capped).toMatchObject({ clusters: 3, limitedBy: 'CKALAB_KIND_MAX_CLUSTERS' })
    expect(capped.summary).toContain('CKALAB_KIND_MAX_CLUSTERS=3')
    expect(capacityWarning(capped, 3)).toBeUndefined()
    expect(capacityWarning(capped, 20)).toMatch(
      /A class of 20 is larger than the 3 learner clusters .* raise CKALAB_KIND_MAX_CLUSTERS/,
    )
    expect(estimateCapacity(facts({ memTotalBytes: GIB }), one)).toMatchObject({ clusters: 0, free: 0 })
  })

  it("reads Docker's info, the kind nodes' memory and ckalab's clusters", async () => {
    const containers = [
      { Id: 'a', State: 'running', Labels: { 'io.x-k8s.kind.cluster': 'ckalab-1' } },
      { Id: 'b', State: 'running', Labels: { 'io.x-k8s.kind.cluster': 'ckalab-2' } },
      { Id: 'c', State: 'running', Labels: { 'io.x-k8s.kind.cluster': 'someone-else' } },
    ]
    const docker = {
      info: async () => ({ MemTotal: 16 * GIB, NCPU: 4 }),
      listContainers: async () => containers,
      getContainer: (id: string) => ({
        stats: async () => ({
          memory_stats: { usage: (id === 'c' ? 1.2 : 1) * GIB, stats: { inactive_file: 0.1 * GIB } },
        }),
      }),
    }
    const f = await gatherKindFacts(docker as never, { prefix: 'ckalab-', maxClusters: 3 })
    expect(f).toMatchObject({ memTotalBytes: 16 * GIB, cpus: 4, inUse: 2, maxClusters: 3 })
    expect(f.nodeBytes.map((b) => Math.round((b / GIB) * 10) / 10)).toEqual([0.9, 0.9, 1.1])
  })
})
