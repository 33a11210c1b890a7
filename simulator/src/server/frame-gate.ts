// Per-terminal limits on what a client sends, so no client can make the
// server queue work without bound: input frames that arrive together are
// coalesced into one write (at most one per `inputIntervalMs`), input beyond
// the cap is refused with a message rather than queued, and resizes are
// coalesced to the latest size at most every `resizeIntervalMs`.

import type { TerminalSize } from '../seam'

export interface GateLimits {
  /** Least time between two writes to the terminal; frames in between are joined. */
  inputIntervalMs: number
  /** Input received and not yet taken by the shell, beyond which frames are refused. */
  maxQueuedInput: number
  /** Least time between two resizes reaching the terminal; only the latest size is kept. */
  resizeIntervalMs: number
}

export const DEFAULT_GATE: GateLimits = {
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

export class FrameGate {
  private readonly limits: GateLimits
  private pending: Uint8Array[] = []
  private pendingBytes = 0
  private inputTimer: ReturnType<typeof setTimeout> | undefined
  private lastInputAt = Number.NEGATIVE_INFINITY
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
    this.pending.push(data.slice())
    this.pendingBytes += data.length
    this.scheduleInput()
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
    if (this.inputTimer) clearTimeout(this.inputTimer)
    this.inputTimer = undefined
    if (this.pendingBytes === 0) return
    const data = this.pending.length === 1 ? this.pending[0]! : join(this.pending, this.pendingBytes)
    this.pending = []
    this.pendingBytes = 0
    this.lastInputAt = this.now()
    this.counts.inputWrites++
    if (!this.sink.input(data)) {
      this.counts.refusedBytes += data.length
      this.onRefused(data.length, this.sink.backlog())
    }
  }

  /** The client went away: what it sent still reaches the terminal; nothing more is taken. */
  close(): void {
    this.flushInput()
    this.closed = true
    if (this.resizeTimer) clearTimeout(this.resizeTimer)
    this.pending = []
    this.pendingBytes = 0
  }

  private scheduleInput(): void {
    if (this.inputTimer) return
    // Frames of one burst (read in one turn) are joined; a lone keystroke goes at once.
    const wait = Math.max(0, this.lastInputAt + this.limits.inputIntervalMs - this.now())
    this.inputTimer = setTimeout(() => this.flushInput(), wait)
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
