// Environments made before anyone asks: a class keeps one ready for each seat
// still free, so joining takes a prepared environment instead of a cluster's
// creation. The pool sits in front of the driver; an attempt that finds a
// warm environment of its spec takes it, any other is created as usual.
// Filling runs a few creations at a time (the driver does the work off the
// server's thread, in workers, but the machine's cores are shared with the
// learners already typing), and the pool says how far it is, so the
// instructor sees when the room can be let in.

import type { ClusterSpec, Driver, Environment } from '../../seam'
import type { Logger } from '../log'

interface Entry {
  /** Created, or being created; settles undefined when the creation failed or was given back. */
  promise: Promise<Environment | undefined>
  state: 'queued' | 'making' | 'ready' | 'failed'
  /** A queued entry not yet started: taking it skips the queue. */
  cancel?: () => void
}

interface Slot {
  target: number
  /** Environments queued, being made or ready, oldest first. */
  entries: Entry[]
}

export interface WarmStatus {
  /** Ready to hand out now. */
  ready: number
  /** Asked for (ready, being made and queued). */
  wanted: number
  /** Creations that failed since the pool last asked for this spec (a broken driver shows here). */
  failed: number
}

const keyOf = (spec: ClusterSpec) => JSON.stringify(spec)

export interface WarmPoolOptions {
  /** Most environments kept warm per spec, whatever the seat caps. */
  maxPerSpec?: number
  /** Creations running at once while filling. */
  fillConcurrency?: number
}

export class WarmPool {
  private readonly slots = new Map<string, Slot>()
  private readonly failures = new Map<string, number>()
  private readonly queue: (() => void)[] = []
  private readonly listeners = new Set<() => void>()
  private running = 0
  private closed = false
  private readonly maxPerSpec: number
  private readonly fillConcurrency: number
  readonly driver: Driver

  constructor(
    private readonly inner: Driver,
    private readonly log: Logger,
    options: WarmPoolOptions | number = {},
  ) {
    const o = typeof options === 'number' ? { maxPerSpec: options } : options
    this.maxPerSpec = o.maxPerSpec ?? 500
    this.fillConcurrency = Math.max(1, o.fillConcurrency ?? 2)
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
    const slot = this.slots.get(key) ?? { target: 0, entries: [] }
    this.slots.set(key, slot)
    const target = Math.max(0, Math.min(this.maxPerSpec, Math.floor(count)))
    if (target > slot.target) this.failures.delete(key)
    slot.target = target
    while (slot.entries.length < slot.target) slot.entries.push(this.make(spec, key))
    // A class that needs fewer now gives the extra back: the ones not started first, then the newest.
    const extra = slot.entries.length - slot.target
    if (extra > 0) {
      const order = [...slot.entries].sort((a, b) => rank(a) - rank(b))
      for (const e of order.slice(0, extra)) {
        slot.entries.splice(slot.entries.indexOf(e), 1)
        this.giveBack(e)
      }
    }
  }

  /** Tells `fn` whenever an environment became ready or failed; returns the unsubscribe. */
  subscribe(fn: () => void): () => void {
    this.listeners.add(fn)
    return () => this.listeners.delete(fn)
  }

  private changed(): void {
    for (const fn of this.listeners) {
      try {
        fn()
      } catch (err) {
        this.log.warn('a warm pool listener failed', { err: String(err) })
      }
    }
  }

  /** How many environments are warm or being warmed for `spec`. */
  size(spec: ClusterSpec): number {
    return this.slots.get(keyOf(spec))?.entries.length ?? 0
  }

  status(spec: ClusterSpec): WarmStatus {
    const key = keyOf(spec)
    const entries = this.slots.get(key)?.entries ?? []
    return {
      ready: entries.filter((e) => e.state === 'ready').length,
      wanted: entries.length,
      failed: this.failures.get(key) ?? 0,
    }
  }

  private make(spec: ClusterSpec, key: string): Entry {
    const entry: Entry = { promise: Promise.resolve(undefined), state: 'queued' }
    entry.promise = new Promise<void>((start, skip) => {
      const go = () => start()
      entry.cancel = () => {
        const at = this.queue.indexOf(go)
        if (at >= 0) this.queue.splice(at, 1)
        skip(new Error('given back'))
      }
      this.queue.push(go)
      this.pump()
    }).then(
      async () => {
        entry.cancel = undefined
        entry.state = 'making'
        try {
          const env = await this.inner.create(spec)
          entry.state = 'ready'
          this.changed()
          return env
        } catch (err) {
          entry.state = 'failed'
          // Out of the pool: the next resize (a join, a new class) tries again, and the board shows the failures.
          const slot = this.slots.get(key)
          const at = slot?.entries.indexOf(entry) ?? -1
          if (slot && at >= 0) slot.entries.splice(at, 1)
          this.failures.set(key, (this.failures.get(key) ?? 0) + 1)
          this.log.warn('a warm lab environment could not be made', { err: String(err) })
          this.changed()
          return undefined
        } finally {
          this.running--
          this.pump()
        }
      },
      () => undefined,
    )
    return entry
  }

  private pump(): void {
    while (!this.closed && this.running < this.fillConcurrency && this.queue.length > 0) {
      this.running++
      this.queue.shift()!()
    }
  }

  private giveBack(e: Entry): void {
    if (e.cancel) e.cancel()
    else void e.promise.then((env) => env?.dispose().catch(() => {}))
  }

  private async take(spec: ClusterSpec): Promise<Environment | undefined> {
    const slot = this.slots.get(keyOf(spec))
    if (!slot || slot.entries.length === 0) return undefined
    // A ready one; else the one furthest along. One that has not started is no
    // quicker than creating now, so it is dropped and the caller creates directly.
    const entry = [...slot.entries].sort((a, b) => rank(b) - rank(a))[0]
    slot.entries.splice(slot.entries.indexOf(entry), 1)
    // One seat fewer to warm for; the class sizes the pool again after the join.
    slot.target = Math.max(0, slot.target - 1)
    if (entry.state === 'queued') {
      this.giveBack(entry)
      return undefined
    }
    return entry.promise
  }

  async close(): Promise<void> {
    this.closed = true
    const all = [...this.slots.values()].flatMap((s) => s.entries.splice(0))
    for (const e of all) e.cancel?.()
    await Promise.all(all.map((e) => e.promise.then((env) => env?.dispose().catch(() => {}))))
  }
}

/** How far along an entry is: ready, then being made, then queued (failed ones count as nothing). */
function rank(e: Entry): number {
  return e.state === 'ready' ? 3 : e.state === 'making' ? 2 : e.state === 'queued' ? 1 : 0
}
