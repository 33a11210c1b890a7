// A class on the kubernetes driver, simulated: where Kubernetes places each learner's lab pod, who waits for
// capacity ("Waiting for capacity" in the driver's progress), who gives up after the driver's capacity wait,
// and how the waiters are placed as earlier learners finish. Pure and seeded: the same inputs give the same
// figures. The scheduler is modelled as Kubernetes' default one for pods of one priority: a FIFO queue, a pod
// fits a node when its requests fit the node's unrequested allocatable, and of the nodes that fit the least
// allocated one wins (LeastAllocated scoring). Booting is CPU-bound: a node boots `bootSlots` environments at
// full speed, more at once share the time (what makes a kind control plane slow when many start together).

export interface PoolNode {
  cpu: number
  memoryGi: number
}

export interface ClassScenario {
  learners: number
  /** Learners press "start" spread evenly over this many seconds. */
  arrivalSeconds: number
  nodes: PoolNode[]
  request: { cpu: number; memoryGi: number }
  /** Seconds from placed to ready with nothing else booting on the node. */
  bootSeconds: number
  bootSlots: number
  /** A session lasts between these (uniform), then the environment is deleted. */
  sessionMinutes: [number, number]
  /** The driver's capacity wait (CKALAB_K8S_CAPACITY_WAIT). */
  capacityWaitSeconds: number
  seed?: number
}

export interface ClassFigures {
  placedAtOnce: number
  waitedForCapacity: number
  gaveUpAfterWait: number
  readyP50Seconds: number
  readyP95Seconds: number
  readyMaxSeconds: number
  longestWaitSeconds: number
  peakEnvironments: number
  peakCpuRequestedPct: number
  /** Seconds after the first start until the last waiter was placed (capacity freed up). */
  lastPlacedAtSeconds: number
}

interface Learner {
  arrives: number
  session: number
  placedAt?: number
  node?: number
  readyAt?: number
  leavesAt?: number
  gaveUp?: boolean
}

function rng(seed: number): () => number {
  let s = seed >>> 0
  return () => {
    s = (s + 0x6d2b79f5) >>> 0
    let t = s
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

function pct(values: number[], p: number): number {
  if (values.length === 0) return 0
  const s = [...values].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!
}

/** Steps the class one second at a time (a class is hours long; this is milliseconds of work). */
export function simulateClass(sc: ClassScenario): ClassFigures {
  const rand = rng(sc.seed ?? 1)
  const [lo, hi] = sc.sessionMinutes
  const learners: Learner[] = Array.from({ length: sc.learners }, (_, i) => ({
    arrives: Math.round((i * sc.arrivalSeconds) / Math.max(1, sc.learners - 1)),
    session: Math.round((lo + rand() * (hi - lo)) * 60),
  }))
  const usedCpu = sc.nodes.map(() => 0)
  const usedMem = sc.nodes.map(() => 0)
  const booting: Array<Array<{ learner: Learner; left: number }>> = sc.nodes.map(() => [])
  const queue: Learner[] = []
  let peak = 0
  let peakCpu = 0
  let live = 0
  let lastPlaced = 0
  const totalCpu = sc.nodes.reduce((a, n) => a + n.cpu, 0)
  const end = sc.arrivalSeconds + sc.capacityWaitSeconds + hi * 60 * 3 + 3600
  for (let t = 0; t <= end; t++) {
    // sessions that end free their room
    for (const l of learners) {
      if (l.leavesAt === t && l.node !== undefined) {
        usedCpu[l.node]! -= sc.request.cpu
        usedMem[l.node]! -= sc.request.memoryGi
        live--
      }
    }
    for (const l of learners) if (l.arrives === t) queue.push(l)
    // the driver gives up on a start that waited too long (and deletes its pod)
    for (let i = queue.length - 1; i >= 0; i--) {
      const l = queue[i]!
      if (t - l.arrives >= sc.capacityWaitSeconds) {
        l.gaveUp = true
        queue.splice(i, 1)
      }
    }
    // the scheduler: FIFO, least allocated node that fits
    while (queue.length > 0) {
      const l = queue[0]!
      let best = -1
      let bestFree = -1
      sc.nodes.forEach((n, i) => {
        const freeCpu = n.cpu - usedCpu[i]!
        const freeMem = n.memoryGi - usedMem[i]!
        if (freeCpu + 1e-9 < sc.request.cpu || freeMem + 1e-9 < sc.request.memoryGi) return
        const score = freeCpu / n.cpu + freeMem / n.memoryGi
        if (score > bestFree) {
          bestFree = score
          best = i
        }
      })
      if (best < 0) break
      queue.shift()
      l.placedAt = t
      l.node = best
      lastPlaced = t
      usedCpu[best]! += sc.request.cpu
      usedMem[best]! += sc.request.memoryGi
      live++
      booting[best]!.push({ learner: l, left: sc.bootSeconds })
    }
    // booting shares each node's boot slots
    booting.forEach((list, i) => {
      if (list.length === 0) return
      const speed = Math.min(1, sc.bootSlots / list.length)
      for (const b of list) b.left -= speed
      booting[i] = list.filter((b) => {
        if (b.left > 0) return true
        b.learner.readyAt = t + 1
        b.learner.leavesAt = t + 1 + b.learner.session
        return false
      })
    })
    peak = Math.max(peak, live)
    peakCpu = Math.max(
      peakCpu,
      usedCpu.reduce((a, b) => a + b, 0),
    )
    if (
      queue.length === 0 &&
      learners.every((l) => l.gaveUp || l.leavesAt !== undefined) &&
      t > sc.arrivalSeconds
    ) {
      if (learners.every((l) => l.gaveUp || (l.leavesAt ?? 0) <= t)) break
    }
  }
  const ready = learners.filter((l) => l.readyAt !== undefined).map((l) => l.readyAt! - l.arrives)
  const waited = learners.filter((l) => l.gaveUp || (l.placedAt ?? 0) > l.arrives)
  return {
    placedAtOnce: learners.filter((l) => l.placedAt === l.arrives).length,
    waitedForCapacity: waited.length,
    gaveUpAfterWait: learners.filter((l) => l.gaveUp).length,
    readyP50Seconds: pct(ready, 50),
    readyP95Seconds: pct(ready, 95),
    readyMaxSeconds: Math.max(0, ...ready),
    longestWaitSeconds: Math.max(
      0,
      ...learners.map((l) => (l.gaveUp ? sc.capacityWaitSeconds : (l.placedAt ?? l.arrives) - l.arrives)),
    ),
    peakEnvironments: peak,
    peakCpuRequestedPct: Math.round((peakCpu / totalCpu) * 100),
    lastPlacedAtSeconds: lastPlaced,
  }
}

const pool = (count: number, cpu: number, memoryGi: number): PoolNode[] =>
  Array.from({ length: count }, () => ({ cpu, memoryGi }))

/** The class of 100 in docs/scale.md: real kind control planes in privileged pods on 8-CPU, 32 GiB nodes. */
export const CLASS_OF_100: Record<string, ClassScenario> = {
  // room for everyone: 13 nodes × 8 CPU ≥ 100 × 1 CPU requested
  kindFits: {
    learners: 100,
    arrivalSeconds: 120,
    nodes: pool(13, 8, 32),
    request: { cpu: 1, memoryGi: 1.5 },
    bootSeconds: 75,
    bootSlots: 2,
    sessionMinutes: [40, 60],
    capacityWaitSeconds: 600,
  },
  // half the room: 6 nodes hold 48; the rest wait, and those still waiting after 10 min give up
  kindHalfRoom: {
    learners: 100,
    arrivalSeconds: 120,
    nodes: pool(6, 8, 32),
    request: { cpu: 1, memoryGi: 1.5 },
    bootSeconds: 75,
    bootSlots: 2,
    sessionMinutes: [40, 60],
    capacityWaitSeconds: 600,
  },
  // the same half room, but the class works in two shifts of 20-minute sessions and waits up to 30 min
  kindHalfRoomShortSessions: {
    learners: 100,
    arrivalSeconds: 120,
    nodes: pool(6, 8, 32),
    request: { cpu: 1, memoryGi: 1.5 },
    bootSeconds: 75,
    bootSlots: 2,
    sessionMinutes: [15, 20],
    capacityWaitSeconds: 1800,
  },
  // the stand-in lab node (etcd only): 100 × 100m fits on 2 nodes
  standIn: {
    learners: 100,
    arrivalSeconds: 120,
    nodes: pool(2, 8, 32),
    request: { cpu: 0.1, memoryGi: 0.125 },
    bootSeconds: 7,
    bootSlots: 4,
    sessionMinutes: [40, 60],
    capacityWaitSeconds: 600,
  },
}

/** `npm run bench`: the figures of each class-of-100 scenario. */
export async function benchPlacement(): Promise<Record<string, number>> {
  const out: Record<string, number> = {}
  for (const [name, sc] of Object.entries(CLASS_OF_100)) {
    const f = simulateClass(sc)
    out[`${name}.placedAtOnce`] = f.placedAtOnce
    out[`${name}.gaveUpAfterWait`] = f.gaveUpAfterWait
    out[`${name}.readyP50Seconds`] = f.readyP50Seconds
    out[`${name}.readyP95Seconds`] = f.readyP95Seconds
    out[`${name}.longestWaitSeconds`] = f.longestWaitSeconds
    out[`${name}.peakEnvironments`] = f.peakEnvironments
    out[`${name}.lastPlacedAtSeconds`] = f.lastPlacedAtSeconds
  }
  return out
}
