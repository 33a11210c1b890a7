import { PassThrough, Writable } from 'node:stream'
import type { KubeConfig, V1Status } from '@kubernetes/client-node'
import { Exec } from '@kubernetes/client-node'
import type WebSocket from 'isomorphic-ws'
import type { TerminalSize, TerminalStream } from '../../seam'
import { Utf8ChunkAligner } from '../kind/utf8'
import { exitCodeOf } from './exec'

// A TTY exec in a lab pod as the seam's TerminalStream. Keystrokes go to the
// exec's stdin channel, sizes to its resize channel (the client library sends
// one whenever the "stdout" stream it is given emits `resize`), and output
// arrives on stdout (a TTY merges stderr into it).

const EARLY_LIMIT = 64 * 1024
const MAX_SIZE = 1000

/** The stream the client library writes output to; it reads `rows`/`columns` and listens for `resize`. */
class TtyOutput extends Writable {
  rows: number
  columns: number
  constructor(
    size: TerminalSize,
    private readonly onChunk: (b: Buffer) => void,
  ) {
    super()
    this.rows = size.rows
    this.columns = size.cols
  }
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.onChunk(Buffer.from(chunk))
    done()
  }
  setSize(size: TerminalSize): void {
    this.rows = size.rows
    this.columns = size.cols
    this.emit('resize')
  }
}

export interface KubeTerminalHooks {
  /** Ends the shell and what it started (closing the exec does not always). */
  kill(): Promise<void>
}

export class KubeTerminal implements TerminalStream {
  private readonly dataListeners = new Set<(data: Uint8Array) => void>()
  private readonly exitListeners = new Set<(code: number) => void>()
  private readonly aligner = new Utf8ChunkAligner()
  private readonly input = new PassThrough()
  private readonly output: TtyOutput
  private ws: WebSocket | undefined
  private exited: number | undefined
  private disposed = false
  private early: Uint8Array[] = []
  private earlyBytes = 0
  private status: V1Status | undefined

  private constructor(
    size: TerminalSize,
    private readonly hooks: KubeTerminalHooks,
  ) {
    this.output = new TtyOutput(clampSize(size), (b) => this.emit(this.aligner.push(b)))
  }

  static async open(
    kc: KubeConfig,
    where: { namespace: string; pod: string; container: string },
    argv: string[],
    size: TerminalSize,
    hooks: KubeTerminalHooks,
  ): Promise<KubeTerminal> {
    const t = new KubeTerminal(size, hooks)
    const ws = await new Exec(kc).exec(
      where.namespace,
      where.pod,
      where.container,
      argv,
      t.output,
      null,
      t.input,
      true,
      (s) => {
        t.status = s
      },
    )
    t.ws = ws
    ws.on('close', () => t.finish())
    ws.on('error', () => t.finish())
    return t
  }

  write(data: Uint8Array | string): void {
    if (this.disposed || this.exited !== undefined) return
    this.input.write(typeof data === 'string' ? Buffer.from(data, 'utf8') : Buffer.from(data))
  }

  onData(listener: (data: Uint8Array) => void): () => void {
    this.dataListeners.add(listener)
    if (this.early.length) {
      const early = this.early
      this.early = []
      for (const b of early) listener(b)
    }
    return () => this.dataListeners.delete(listener)
  }

  onExit(listener: (code: number) => void): () => void {
    if (this.exited !== undefined) {
      const code = this.exited
      queueMicrotask(() => listener(code))
      return () => {}
    }
    this.exitListeners.add(listener)
    return () => this.exitListeners.delete(listener)
  }

  resize(size: TerminalSize): void {
    if (this.disposed || this.exited !== undefined) return
    this.output.setSize(clampSize(size))
  }

  get size(): TerminalSize {
    return { cols: this.output.columns, rows: this.output.rows }
  }

  pause(): void {
    this.ws?.pause?.()
  }

  resume(): void {
    this.ws?.resume?.()
  }

  dispose(): void {
    if (this.disposed) return
    this.disposed = true
    this.dataListeners.clear()
    this.exitListeners.clear()
    this.ws?.close()
    if (this.exited === undefined) void this.hooks.kill().catch(() => undefined)
  }

  private finish(): void {
    if (this.exited !== undefined) return
    this.emit(this.aligner.flush())
    const { code } = exitCodeOf(this.status)
    this.exited = code
    for (const l of [...this.exitListeners]) l(code)
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

function clampSize(size: TerminalSize): TerminalSize {
  const c = (n: number) => (Number.isFinite(n) ? Math.min(MAX_SIZE, Math.max(1, Math.round(n))) : 1)
  return { cols: c(size.cols), rows: c(size.rows) }
}
