// One terminal's WebSocket, independent of React: asks for a ticket, says
// hello, forwards keys and resizes, acknowledges output once xterm has
// written it, and reconnects with backoff when the connection drops. The
// server replays the screen on every (re)connect, so the view is reset first.
// Keys typed while the connection is down are kept (up to a limit) and sent
// once it is back; what cannot be kept is refused out loud, never dropped.

import {
  decodeFrame,
  ErrorCode,
  encodeAck,
  encodeHello,
  encodeInput,
  encodeResize,
} from '../../../simulator/src/server/protocol'
import { backoffMs, type ConnectionEvent, isRetryableStatus } from './state'

export interface TicketError {
  status: number
  message: string
}

export interface ConnectionOptions {
  /** ws:// or wss:// URL of /api/terminal. */
  url: string
  getTicket(): Promise<string>
  size(): { cols: number; rows: number }
  /** Write output; call `done` once it is on screen (drives flow control). */
  write(data: Uint8Array, done: () => void): void
  /** The server is about to replay the whole screen. */
  reset(): void
  onEvent(event: ConnectionEvent): void
  /** The server's hello: the terminal's size there (a mirror takes on the learner's size). */
  onHello?(cols: number, rows: number): void
  /** Injected in tests; the browser's WebSocket otherwise. */
  WebSocketImpl?: typeof WebSocket
}

/** Typed input kept while reconnecting; a paste larger than this is refused rather than half-sent. */
export const MAX_QUEUED_BYTES = 64 * 1024

const INPUT_CHUNK_BYTES = 16 * 1024

export class TerminalConnection {
  private ws: WebSocket | undefined
  private disposed = false
  private failures = 0
  private timer: ReturnType<typeof setTimeout> | undefined
  private open = false
  private pendingAck = 0
  private ackScheduled = false
  private fatal = false
  private queue: Uint8Array[] = []
  private queuedBytes = 0

  constructor(private readonly o: ConnectionOptions) {}

  start(): void {
    void this.connect()
  }

  send(data: string | Uint8Array): void {
    const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data
    if (this.open && this.ws?.readyState === 1) {
      this.sendInput(this.ws, bytes)
      return
    }
    if (this.disposed || this.fatal) {
      this.o.onEvent({ type: 'refused', bytes: bytes.length, reason: 'the terminal is closed' })
      return
    }
    if (this.queuedBytes + bytes.length > MAX_QUEUED_BYTES) {
      this.o.onEvent({
        type: 'refused',
        bytes: bytes.length,
        reason: `more than ${MAX_QUEUED_BYTES / 1024} KiB typed while disconnected; type it again once connected`,
      })
      return
    }
    this.queue.push(bytes)
    this.queuedBytes += bytes.length
    this.o.onEvent({ type: 'queued', bytes: this.queuedBytes })
  }

  /** Bytes waiting for the connection to come back. */
  get pendingInput(): number {
    return this.queuedBytes
  }

  /** A big paste goes in several frames, each well under the server's frame limit. */
  private sendInput(ws: WebSocket, bytes: Uint8Array): void {
    for (let at = 0; at < bytes.length; at += INPUT_CHUNK_BYTES)
      ws.send(encodeInput(bytes.subarray(at, at + INPUT_CHUNK_BYTES)))
  }

  private flushQueue(): void {
    const ws = this.ws
    if (ws?.readyState !== 1) return
    for (const bytes of this.queue) this.sendInput(ws, bytes)
    this.queue = []
    this.queuedBytes = 0
  }

  resize(cols: number, rows: number): void {
    if (this.open && this.ws?.readyState === 1) this.ws.send(encodeResize(cols, rows))
  }

  /** Reconnect now (e.g. after the lab was reset), skipping the backoff. */
  reconnect(): void {
    if (this.disposed) return
    this.fatal = false
    if (this.timer) clearTimeout(this.timer)
    this.failures = 0
    this.ws?.close()
    void this.connect()
  }

  dispose(): void {
    this.disposed = true
    if (this.timer) clearTimeout(this.timer)
    this.ws?.close()
    this.ws = undefined
  }

  private retry(reason: string): void {
    if (this.disposed) return
    this.open = false
    this.failures++
    this.o.onEvent({ type: 'dropped', reason })
    if (this.timer) clearTimeout(this.timer)
    this.timer = setTimeout(() => void this.connect(), backoffMs(this.failures))
  }

  private async connect(): Promise<void> {
    if (this.disposed) return
    this.o.onEvent({ type: 'connect' })
    let ticket: string
    try {
      ticket = await this.o.getTicket()
    } catch (err) {
      const e = err as Partial<TicketError>
      const message = e.message ?? String(err)
      if (e.status !== undefined && !isRetryableStatus(e.status)) {
        this.fatal = true
        if (this.queuedBytes > 0)
          this.o.onEvent({ type: 'refused', bytes: this.queuedBytes, reason: message })
        this.queue = []
        this.queuedBytes = 0
        this.o.onEvent({ type: 'fatal', reason: message })
        return
      }
      return this.retry(message)
    }
    if (this.disposed) return
    const Impl = this.o.WebSocketImpl ?? WebSocket
    const ws = new Impl(this.o.url)
    ws.binaryType = 'arraybuffer'
    this.ws = ws
    ws.onopen = () => {
      const { cols, rows } = this.o.size()
      ws.send(encodeHello(cols, rows, ticket))
    }
    ws.onmessage = (ev: MessageEvent) => {
      if (this.ws !== ws) return
      const decoded = decodeFrame(ev.data)
      if (!decoded.ok) return
      const f = decoded.frame
      switch (f.op) {
        case 'hello':
          this.open = true
          this.failures = 0
          this.o.onHello?.(f.cols, f.rows)
          this.o.reset()
          this.o.onEvent({ type: 'opened' })
          // The size may have changed while connecting.
          this.resize(this.o.size().cols, this.o.size().rows)
          this.flushQueue()
          return
        case 'output':
          this.o.write(f.data, () => this.ack(f.data.length))
          return
        case 'exit':
          this.o.onEvent({ type: 'exited', code: f.code })
          return
        case 'error':
          if (f.code === ErrorCode.inputRefused) {
            // Not fatal: said in this terminal only (not part of the shared screen), so the learner knows.
            this.o.write(new TextEncoder().encode(`\r\n\x1b[1;33mckalab: ${f.message}\x1b[0m\r\n`), () => {})
            return
          }
          this.lastError = f.message
          return
      }
    }
    ws.onclose = (ev: CloseEvent) => {
      if (this.ws !== ws) return
      this.ws = undefined
      this.open = false
      if (this.disposed) return
      const reason = this.lastError ?? (ev.reason || 'the connection to the server dropped')
      this.lastError = undefined
      this.retry(reason)
    }
    ws.onerror = () => {
      /* onclose follows and handles it */
    }
  }

  private lastError: string | undefined

  private ack(bytes: number): void {
    this.pendingAck += bytes
    if (this.ackScheduled) return
    this.ackScheduled = true
    // One ack per burst of writes is enough for the server's flow control.
    setTimeout(() => {
      this.ackScheduled = false
      const n = this.pendingAck
      this.pendingAck = 0
      if (n > 0 && this.ws?.readyState === 1) this.ws.send(encodeAck(n))
    }, 0)
  }
}

export function terminalUrl(location: { protocol: string; host: string }): string {
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/api/terminal`
}
