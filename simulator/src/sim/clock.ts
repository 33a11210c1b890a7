// Every part of the simulator reads time from a Clock, never from Date.now().
// A VirtualClock makes tests deterministic and lets a replay fast-forward
// ("sleep 30" returns at once, a kubelet delay of 4 s costs nothing).

export interface Clock {
  /** Milliseconds since the Unix epoch, as the simulated node sees it. */
  now(): number
  /** Resolves after `ms` of clock time; rejects with an AbortError when aborted. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>
  /** Runs `fn` after `ms` of clock time. Returns a canceller. */
  schedule(ms: number, fn: () => void): () => void
  /** Lets `ms` of time pass: instant on a virtual clock, a real wait otherwise. */
  advance(ms: number): Promise<void>
  /**
   * Makes `now()` read `ms` earlier until the returned function is called,
   * while timers keep their own course. A cluster boots inside this window so
   * what it stamps (object ages, file times, journal lines) is as old as the
   * cluster is meant to be when the lab opens.
   */
  rewind(ms: number): () => void
  readonly virtual: boolean
}

interface Timer {
  at: number
  seq: number
  fn: () => void
}

function abortError(): Error {
  const err = new Error('interrupted')
  err.name = 'AbortError'
  return err
}

/**
 * Time that only moves when someone calls `advance` (or sleeps). Timers fire in
 * order of due time, then of scheduling, and may schedule further timers that
 * fire within the same advance when they are due.
 */
export class VirtualClock implements Clock {
  readonly virtual = true
  private current: number
  private timers: Timer[] = []
  private seq = 0
  private settlers: Array<() => Promise<void>> = []
  /** Largest jump of time between two waits for the settlers. */
  private stepMs = Number.POSITIVE_INFINITY
  private past = 0

  constructor(start = Date.UTC(2026, 0, 15, 9, 0, 0)) {
    this.current = start
  }

  now(): number {
    return this.current - this.past
  }

  rewind(ms: number): () => void {
    this.past += ms
    let done = false
    return () => {
      if (done) return
      done = true
      this.past -= ms
    }
  }

  schedule(ms: number, fn: () => void): () => void {
    const timer: Timer = { at: this.current + Math.max(0, ms), seq: this.seq++, fn }
    this.timers.push(timer)
    return () => {
      const i = this.timers.indexOf(timer)
      if (i >= 0) this.timers.splice(i, 1)
    }
  }

  /**
   * Registers async work that must finish before time moves on (a kubelet
   * sync, a controller pass), and the step in which time may move between
   * two waits for it. Without this a replay's `sleep 5` would jump over
   * work that five real seconds would have seen done.
   */
  addSettler(settle: () => Promise<void>, stepMs: number): () => void {
    this.settlers.push(settle)
    this.stepMs = Math.min(this.stepMs, stepMs)
    return () => {
      const i = this.settlers.indexOf(settle)
      if (i >= 0) this.settlers.splice(i, 1)
    }
  }

  private async settle(): Promise<void> {
    for (const s of [...this.settlers]) await s()
  }

  async advance(ms: number): Promise<void> {
    if (this.settlers.length === 0) return this.advanceBy(ms)
    let left = Math.max(0, ms)
    await this.settle()
    while (left > 0) {
      const step = Math.min(this.stepMs, left)
      await this.advanceBy(step)
      await this.settle()
      left -= step
    }
  }

  private async advanceBy(ms: number): Promise<void> {
    const target = this.current + Math.max(0, ms)
    for (;;) {
      let next: Timer | undefined
      for (const t of this.timers) {
        if (t.at <= target && (!next || t.at < next.at || (t.at === next.at && t.seq < next.seq))) next = t
      }
      if (!next) break
      this.timers.splice(this.timers.indexOf(next), 1)
      this.current = Math.max(this.current, next.at)
      next.fn()
      // Let promise chains started by the timer run before the next one fires.
      await Promise.resolve()
      await Promise.resolve()
    }
    this.current = target
  }

  async sleep(ms: number, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) throw abortError()
    await this.advance(ms)
    if (signal?.aborted) throw abortError()
  }

  /** Number of pending timers (for tests and diagnostics). */
  pending(): number {
    return this.timers.length
  }
}

/** Wall-clock time, for people at a live terminal. */
export class RealClock implements Clock {
  readonly virtual = false
  private offset: number
  private past = 0

  constructor(start?: number) {
    this.offset = start === undefined ? 0 : start - Date.now()
  }

  now(): number {
    return Date.now() + this.offset - this.past
  }

  rewind(ms: number): () => void {
    this.past += ms
    let done = false
    return () => {
      if (done) return
      done = true
      this.past -= ms
    }
  }

  schedule(ms: number, fn: () => void): () => void {
    const handle = setTimeout(fn, Math.max(0, ms))
    return () => clearTimeout(handle)
  }

  advance(ms: number): Promise<void> {
    return this.sleep(ms)
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(abortError())
      const handle = setTimeout(
        () => {
          signal?.removeEventListener('abort', onAbort)
          resolve()
        },
        Math.max(0, ms),
      )
      const onAbort = () => {
        clearTimeout(handle)
        reject(abortError())
      }
      signal?.addEventListener('abort', onAbort, { once: true })
    })
  }
}
