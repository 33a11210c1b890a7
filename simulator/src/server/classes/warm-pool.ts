// Environments made before anyone asks: a class keeps a few ready for the
// learners still to come, so joining takes a moment instead of a cluster's
// creation. The pool sits in front of the driver; an attempt that finds a
// warm environment of its spec takes it, any other is created as usual.

import type { ClusterSpec, Driver, Environment } from '../../seam'
import type { Logger } from '../log'

interface Slot {
  target: number
  /** Environments being made or ready, oldest first. */
  envs: Promise<Environment | undefined>[]
}

const keyOf = (spec: ClusterSpec) => JSON.stringify(spec)

export class WarmPool {
  private readonly slots = new Map<string, Slot>()
  private closed = false
  readonly driver: Driver

  constructor(
    private readonly inner: Driver,
    private readonly log: Logger,
    /** Most environments kept warm per spec, whatever the seat cap. */
    private readonly maxPerSpec = 4,
  ) {
    // Everything but create and close goes to the real driver (its optional capabilities too), called on it.
    const create: Driver['create'] = (spec, onProgress, signal) =>
      this.take(spec).then((env) => env ?? inner.create(spec, onProgress, signal))
    const close = async () => {
      await this.close()
      await inner.close?.()
    }
    this.driver = new Proxy(inner, {
      get(target, prop) {
        if (prop === 'create') return create
        if (prop === 'close') return close
        const value = Reflect.get(target, prop, target)
        return typeof value === 'function' ? value.bind(target) : value
      },
    })
  }

  /** Keep `count` (at most the per-spec maximum) environments of `spec` warm. */
  want(spec: ClusterSpec, count: number): void {
    if (this.closed) return
    const key = keyOf(spec)
    const slot = this.slots.get(key) ?? { target: 0, envs: [] }
    this.slots.set(key, slot)
    slot.target = Math.max(0, Math.min(this.maxPerSpec, Math.floor(count)))
    while (slot.envs.length < slot.target) slot.envs.push(this.make(spec))
    // A class that needs fewer now gives the extra back.
    for (const extra of slot.envs.splice(slot.target))
      void extra.then((env) => env?.dispose().catch(() => {}))
  }

  /** How many environments are warm or being warmed for `spec`. */
  size(spec: ClusterSpec): number {
    return this.slots.get(keyOf(spec))?.envs.length ?? 0
  }

  private make(spec: ClusterSpec): Promise<Environment | undefined> {
    return this.inner.create(spec).catch((err) => {
      this.log.warn('a warm lab environment could not be made', { err: String(err) })
      return undefined
    })
  }

  private async take(spec: ClusterSpec): Promise<Environment | undefined> {
    const slot = this.slots.get(keyOf(spec))
    const next = slot?.envs.shift()
    if (!slot || !next) return undefined
    // One seat fewer to warm for; the class sizes the pool again after the join.
    slot.target = Math.max(0, slot.target - 1)
    return next
  }

  async close(): Promise<void> {
    this.closed = true
    const all = [...this.slots.values()].flatMap((s) => s.envs.splice(0))
    await Promise.all(all.map((p) => p.then((env) => env?.dispose().catch(() => {}))))
  }
}
