// Per-terminal limits on what a client sends, so no client can make the
// server queue work without bound: a keystroke goes to the terminal at once,
// frames that arrive together (in one event-loop turn) are joined into one
// write, writes beyond a burst are limited to one per `inputIntervalMs`,
// input beyond the cap is refused with a message rather than queued, and
// resizes are coalesced to the latest size at most every `resizeIntervalMs`.
//
// The first frame of a burst is never held back: a timer per keystroke costs
// an event-loop turn of latency, which on a busy server is what a person
// feels as lag.

import type { TerminalSize } from '../seam'

export interface GateLimits {
  /** Writes a terminal may take one after another before the interval applies. */
  inputBurst: number
  /** Once the burst is spent, least time between two writes; frames in between are joined. */
  inputIntervalMs: number
  /** Input received and not yet taken by the shell, beyond which frames are refused. */
  maxQueuedInput: number
  /** Least time between two resizes reaching the terminal; only the latest size is kept. */
  resizeIntervalMs: number
}

export const DEFAULT_GATE: GateLimits = {
  inputBurst: 8,
  inputIntervalMs: 5,
  maxQueuedInput: 256 * 1024,
  resizeIntervalMs: 100,
}

export interface GateSink {
  /** Hands input on; false when the terminal refuses it (its own queue is full). */
  input(data: Uint8Array): boolean
  resize(size: TerminalSize): void
  /** Bytes the terminal holds and has not handed to its program yet. */
  backlog(): number
}

/** After the current turn's I/O (Node), or as soon as a timer may run elsewhere. */
const afterTurn: (fn: () => void) => () => void =
  typeof setImmediate === 'function'
    ? (fn) => {
        const h = setImmediate(fn)
        return () => clearImmediate(h)
      }
    : (fn) => {
        const h = setTimeout(fn, 0)
        return () => clearTimeout(h)
      }

export class FrameGate {
  private readonly limits: GateLimits
  private pending: Uint8Array[] = []
  private pendingBytes = 0
  /** Set while frames are being joined: cancels the wake-up that writes them. */
  private joining: (() => void) | undefined
  private tokens: number
  private refilledAt: number
  private nextSize: TerminalSize | undefined
  private resizeTimer: ReturnType<typeof setTimeout> | undefined
  private lastResizeAt = Number.NEGATIVE_INFINITY
  private closed = false
  /** Frames joined into a write or refused; for tests and the bench. */
  readonly counts = { inputFrames: 0, inputWrites: 0, refusedBytes: 0, resizeFrames: 0, resizes: 0 }

  constructor(
    private readonly sink: GateSink,
    /** Told about refused input, so the client can show it. */
    private readonly onRefused: (bytes: number, queued: number) => void,
    limits: Partial<GateLimits> = {},
    private readonly now: () => number = Date.now,
  ) {
    this.limits = { ...DEFAULT_GATE, ...limits }
    this.tokens = this.limits.inputBurst
    this.refilledAt = this.now()
  }

  input(data: Uint8Array): void {
    if (this.closed || data.length === 0) return
    this.counts.inputFrames++
    const queued = this.pendingBytes + this.sink.backlog()
    // Ctrl-C is how a learner stops what floods the queue; it always gets through.
    if (queued + data.length > this.limits.maxQueuedInput && !data.includes(3)) {
      this.counts.refusedBytes += data.length
      this.onRefused(data.length, queued)
      return
    }
    if (!this.joining && this.takeToken()) {
      // A lone keystroke (or the first frame of a burst) goes now; the rest of this turn's frames are joined.
      this.write(data)
      this.joinUntilNextTurn()
      return
    }
    this.pending.push(data.slice())
    this.pendingBytes += data.length
    this.joinUntilNextTurn()
  }

  resize(size: TerminalSize): void {
    if (this.closed) return
    this.counts.resizeFrames++
    this.nextSize = { cols: size.cols, rows: size.rows }
    if (this.resizeTimer) return
    const wait = Math.max(0, this.lastResizeAt + this.limits.resizeIntervalMs - this.now())
    if (wait === 0) {
      this.applyResize()
      return
    }
    this.resizeTimer = setTimeout(() => this.applyResize(), wait)
  }

  /** Delivers what is pending now (before a size change, so order is kept). */
  flushInput(): void {
    this.joining?.()
    this.joining = undefined
    if (this.pendingBytes === 0) return
    const data = this.pending.length === 1 ? this.pending[0]! : join(this.pending, this.pendingBytes)
    this.pending = []
    this.pendingBytes = 0
    this.spendToken()
    this.write(data)
  }

  /** The client went away: what it sent still reaches the terminal; nothing more is taken. */
  close(): void {
    this.flushInput()
    this.closed = true
    if (this.resizeTimer) clearTimeout(this.resizeTimer)
    this.pending = []
    this.pendingBytes = 0
  }

  private write(data: Uint8Array): void {
    this.counts.inputWrites++
    if (!this.sink.input(data)) {
      this.counts.refusedBytes += data.length
      this.onRefused(data.length, this.sink.backlog())
    }
  }

  /** Frames until the next turn are joined; then they go as one write, when a token allows. */
  private joinUntilNextTurn(): void {
    if (this.joining) return
    this.joining = afterTurn(() => {
      this.joining = undefined
      if (this.pendingBytes === 0 || this.closed) return
      const wait = this.untilToken()
      if (wait <= 0) {
        this.flushInput()
        // Frames arriving in the next turn are joined behind this write too.
        this.joinUntilNextTurn()
        return
      }
      const timer = setTimeout(() => {
        this.joining = undefined
        this.flushInput()
      }, wait)
      this.joining = () => clearTimeout(timer)
    })
  }

  private refill(): void {
    const now = this.now()
    const earned = (now - this.refilledAt) / this.limits.inputIntervalMs
    this.tokens = Math.min(this.limits.inputBurst, this.tokens + Math.max(0, earned))
    this.refilledAt = now
  }

  /** Takes a write's token if there is one. */
  private takeToken(): boolean {
    this.refill()
    if (this.tokens < 1) return false
    this.tokens -= 1
    return true
  }

  /** A write that cannot wait (before a resize, at close) spends a token anyway, down to none. */
  private spendToken(): void {
    this.refill()
    this.tokens = Math.max(0, this.tokens - 1)
  }

  private untilToken(): number {
    this.refill()
    return this.tokens >= 1 ? 0 : Math.ceil((1 - this.tokens) * this.limits.inputIntervalMs)
  }

  private applyResize(): void {
    this.resizeTimer = undefined
    const size = this.nextSize
    this.nextSize = undefined
    if (!size || this.closed) return
    this.flushInput()
    this.lastResizeAt = this.now()
    this.counts.resizes++
    this.sink.resize(size)
  }
}

function join(chunks: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total)
  let at = 0
  for (const c of chunks) {
    out.set(c, at)
    at += c.length
  }
  return out
}
