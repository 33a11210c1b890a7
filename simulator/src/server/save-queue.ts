// Saving a simulated environment means serializing all of it, which costs
// tens of milliseconds of the one thread that also echoes every keystroke.
// One queue for the whole server runs one save at a time, leaves the event
// loop idle for a multiple of each save's duration before the next, saves
// changes a person just caused first, and lets background churn (leases,
// heartbeats) wait.

export interface SaveQueueOptions {
  run(id: string): Promise<void>
  onError(id: string, err: unknown): void
  /** Background-only changes wait this long before their save. */
  backgroundDelayMs?: number
  /** After a save of d ms, the queue rests d × gapFactor ms. */
  gapFactor?: number
  now?: () => number
}

interface Dirty {
  since: number
  urgent: boolean
}

export class SaveQueue {
  private readonly dirty = new Map<string, Dirty>()
  private running: { id: string; done: Promise<void> } | undefined
  private timer: ReturnType<typeof setTimeout> | undefined
  private restUntil = 0
  private closed = false
  private readonly now: () => number

  constructor(private readonly o: SaveQueueOptions) {
    this.now = o.now ?? Date.now
  }

  get pending(): number {
    return this.dirty.size
  }

  /** Something changed; `urgent` when a person's action caused it. */
  mark(id: string, urgent: boolean): void {
    if (this.closed) return
    const d = this.dirty.get(id)
    if (d) d.urgent ||= urgent
    else this.dirty.set(id, { since: this.now(), urgent })
    this.pump()
  }

  /** Saves `id` now if it has unsaved changes, and waits for it. */
  async flush(id: string): Promise<void> {
    if (this.running?.id === id) await this.running.done
    if (!this.dirty.has(id)) return
    this.dirty.delete(id)
    await this.runOne(id)
  }

  /** `id` has changes no save has started on yet. */
  isDirty(id: string): boolean {
    return this.dirty.has(id)
  }

  /** Waits for a save of `id` under way, if any (without starting one). */
  async settled(id: string): Promise<void> {
    if (this.running?.id === id) await this.running.done
  }

  forget(id: string): void {
    this.dirty.delete(id)
  }

  async close(): Promise<void> {
    this.closed = true
    if (this.timer) clearTimeout(this.timer)
    await this.running?.done
  }

  private pick(): { id?: string; wait?: number } {
    const now = this.now()
    let best: [string, Dirty] | undefined
    let nextDue = Number.POSITIVE_INFINITY
    for (const entry of this.dirty) {
      const [, d] = entry
      if (d.urgent) {
        if (!best?.[1].urgent || d.since < best[1].since) best = entry
        continue
      }
      const due = d.since + (this.o.backgroundDelayMs ?? 30_000)
      if (due <= now) {
        if (!best || (!best[1].urgent && d.since < best[1].since)) best = entry
      } else nextDue = Math.min(nextDue, due)
    }
    if (best) return { id: best[0] }
    return Number.isFinite(nextDue) ? { wait: nextDue - now } : {}
  }

  private pump(): void {
    if (this.running || this.closed) return
    if (this.timer) {
      clearTimeout(this.timer)
      this.timer = undefined
    }
    const rest = this.restUntil - this.now()
    const { id, wait } = this.pick()
    const delay = id !== undefined ? Math.max(0, rest) : wait
    if (delay === undefined) return
    if (delay > 0 || id === undefined) {
      this.timer = setTimeout(
        () => {
          this.timer = undefined
          this.pump()
        },
        Math.max(delay, 1),
      )
      this.timer.unref?.()
      return
    }
    this.dirty.delete(id)
    void this.runOne(id).then(() => this.pump())
  }

  private async runOne(id: string): Promise<void> {
    if (this.running) await this.running.done
    const started = this.now()
    const done = this.o.run(id).catch((err) => this.o.onError(id, err))
    this.running = { id, done }
    await done
    this.running = undefined
    this.restUntil = this.now() + (this.now() - started) * (this.o.gapFactor ?? 2)
  }
}
