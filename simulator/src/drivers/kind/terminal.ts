import type { Duplex } from 'node:stream'
import type Docker from 'dockerode'
import type { TerminalSize, TerminalStream } from '../../seam'
import { Utf8ChunkAligner } from './utf8'

// A TTY exec in a node as the seam's TerminalStream. With a TTY Docker sends
// raw bytes (no stdout/stderr framing), so the hijacked socket is the terminal.

export interface TerminalHooks {
  exitCode(): Promise<number>
  /** Ends the shell and everything it started (the socket closing alone may not). */
  kill(): Promise<void>
}

const RESIZE_TRIES = 10
/** Output kept for the first listener (a prompt, a motd); beyond that it is dropped. */
const EARLY_LIMIT = 64 * 1024

export class DockerTerminal implements TerminalStream {
  private readonly dataListeners = new Set<(data: Uint8Array) => void>()
  private readonly exitListeners = new Set<(code: number) => void>()
  private readonly aligner = new Utf8ChunkAligner()
  private exited: number | undefined
  private disposed = false
  private lastSize: TerminalSize | undefined
  private early: Uint8Array[] = []
  private earlyBytes = 0

  constructor(
    private readonly stream: Duplex,
    private readonly exec: Docker.Exec,
    private readonly hooks: TerminalHooks,
  ) {
    stream.on('data', (chunk: Buffer) => this.emit(this.aligner.push(chunk)))
    const finish = () => {
      if (this.exited !== undefined) return
      this.exited = -1
      this.emit(this.aligner.flush())
      void this.hooks
        .exitCode()
        .catch(() => -1)
        .then((code) => {
          this.exited = code
          for (const l of [...this.exitListeners]) l(code)
        })
    }
    stream.on('end', finish)
    stream.on('close', finish)
    stream.on('error', finish)
  }

  write(data: Uint8Array | string): void {
    if (this.disposed || this.stream.destroyed || this.stream.writableEnded) return
    this.stream.write(typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data))
  }

  onData(listener: (data: Uint8Array) => void): () => void {
    this.dataListeners.add(listener)
    if (this.early.length) {
      // the first prompt can arrive before anyone listens: hand it to the first listener
      const early = this.early
      this.early = []
      for (const b of early) listener(b)
    }
    return () => this.dataListeners.delete(listener)
  }

  onExit(listener: (code: number) => void): () => void {
    if (this.exited !== undefined && this.exited !== -1) {
      const code = this.exited
      queueMicrotask(() => listener(code))
      return () => {}
    }
    this.exitListeners.add(listener)
    return () => this.exitListeners.delete(listener)
  }

  resize(size: TerminalSize): void {
    void this.resizeNow(size).catch(() => undefined)
  }

  /** Resizes the TTY; right after start the process may not exist yet, so retry briefly. */
  async resizeNow(size: TerminalSize): Promise<void> {
    const cols = clamp(size.cols, 1, 1000)
    const rows = clamp(size.rows, 1, 1000)
    this.lastSize = { cols, rows }
    for (let i = 0; i < RESIZE_TRIES; i++) {
      if (this.disposed) return
      try {
        await this.exec.resize({ h: rows, w: cols })
        return
      } catch (e) {
        if (i === RESIZE_TRIES - 1) throw e
        await new Promise((r) => setTimeout(r, 25 * (i + 1)))
      }
    }
  }

  get size(): TerminalSize | undefined {
    return this.lastSize
  }

  pause(): void {
    this.stream.pause()
  }

  resume(): void {
    this.stream.resume()
  }

  dispose(): void {
    if (this.disposed) return
    this.disposed = true
    this.dataListeners.clear()
    this.exitListeners.clear()
    this.stream.destroy()
    if (this.exited === undefined) void this.hooks.kill()
  }

  private emit(bytes: Uint8Array): void {
    if (bytes.length === 0) return
    if (this.dataListeners.size === 0) {
      if (this.earlyBytes < EARLY_LIMIT) {
        this.early.push(bytes)
        this.earlyBytes += bytes.length
      }
      return
    }
    for (const l of [...this.dataListeners]) l(bytes)
  }
}

function clamp(n: number, lo: number, hi: number): number {
  return Number.isFinite(n) ? Math.min(hi, Math.max(lo, Math.round(n))) : lo
}
