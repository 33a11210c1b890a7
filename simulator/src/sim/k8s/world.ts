import type { SimCluster } from '../cluster'
import type { SimNode } from '../node'
import { IdSource } from './ids'
import { Journal } from './journal'
import { NodeRuntime, type ProcessFactory } from './runtime'

// The Kubernetes side of one simulated cluster: per node the container
// runtime, the journal and the system services; cluster-wide the id source
// and a change bus the controllers and kubelets listen on (the simulator's
// stand-in for the apiserver's watches).

export const K8S_EXTENSION = 'k8s'

export type UnitName = 'kubelet' | 'containerd'

export interface UnitState {
  active: boolean
  pid: number
  since: number
  /** Main PID's start for ps; the unit's restart count. */
  restarts: number
}

export class NodeAgent {
  readonly runtime: NodeRuntime
  readonly journal: Journal
  readonly units: Record<UnitName, UnitState>
  /** Installed by the kubelet module. */
  kubelet: { start(): void; stop(): void; restart(): void; readonly active: boolean } | undefined

  constructor(
    readonly node: SimNode,
    bootAt: number,
    processes: ReadonlyMap<string, ProcessFactory> = new Map(),
  ) {
    this.runtime = new NodeRuntime(node, processes)
    this.journal = new Journal(node.name)
    const containerdPid = 400 + (node.ip.charCodeAt(node.ip.length - 1) % 50)
    this.units = {
      containerd: { active: true, pid: containerdPid, since: bootAt - 60_000, restarts: 0 },
      kubelet: { active: true, pid: containerdPid + 312, since: bootAt, restarts: 0 },
    }
  }
}

type Topic = 'objects' | 'runtime'

export class K8sWorld {
  readonly agents = new Map<string, NodeAgent>()
  readonly ids: IdSource
  /** The programs containers run (the k8s runtime plugin fills it before any container starts). */
  readonly processes = new Map<string, ProcessFactory>()
  private listeners = new Map<Topic, Set<() => void>>()
  /**
   * While the cluster is being created, start-up delays (container starts,
   * apiserver retries) run at once so a new cluster is ready when create()
   * returns; afterwards they take their time on the clock.
   */
  booting = false
  private pending = new Set<Promise<unknown>>()
  private compressed = 0

  constructor(readonly cluster: SimCluster) {
    this.ids = new IdSource(`${cluster.seed}/k8s/${cluster.clock.now()}`)
  }

  agent(node: SimNode): NodeAgent {
    let a = this.agents.get(node.name)
    if (!a) {
      a = new NodeAgent(node, this.cluster.clock.now(), this.processes)
      this.agents.set(node.name, a)
    }
    return a
  }

  /** Run `fn` after a start-up delay (immediately while booting). Returns a canceller. */
  soon(ms: number, fn: () => void | Promise<void>): () => void {
    if (this.booting && this.compressed++ < 2000) {
      let cancelled = false
      this.track(Promise.resolve().then(() => (cancelled ? undefined : fn())))
      return () => {
        cancelled = true
      }
    }
    return this.cluster.clock.schedule(ms, () => {
      this.track(Promise.resolve().then(fn))
    })
  }

  /** Remember async work, so boot (and tests) can wait until everything started has finished. */
  track<T>(p: Promise<T>): Promise<T> {
    const guarded = p.catch(() => undefined)
    this.pending.add(guarded)
    void guarded.then(() => this.pending.delete(guarded))
    return p
  }

  /** Wait until no tracked work is left. */
  async idle(): Promise<void> {
    for (let i = 0; i < 10_000 && this.pending.size > 0; i++) await Promise.all([...this.pending])
  }

  on(topic: Topic, l: () => void): () => void {
    let set = this.listeners.get(topic)
    if (!set) {
      set = new Set()
      this.listeners.set(topic, set)
    }
    set.add(l)
    return () => set?.delete(l)
  }

  emit(topic: Topic): void {
    for (const l of this.listeners.get(topic) ?? []) {
      try {
        l()
      } catch {
        // One listener's bug must not stop the others.
      }
    }
  }
}

export function k8sWorld(cluster: SimCluster): K8sWorld {
  let w = cluster.extension<K8sWorld>(K8S_EXTENSION)
  if (!w) {
    w = new K8sWorld(cluster)
    cluster.extensions.set(K8S_EXTENSION, w)
  }
  return w
}

export function agentOf(node: SimNode): NodeAgent {
  return k8sWorld(node.cluster).agent(node)
}

export function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z')
}
