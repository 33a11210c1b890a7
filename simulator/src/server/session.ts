// One interactive terminal on one node of one attempt, shared by every
// browser tab that attaches to it. A headless xterm mirrors the screen so a
// reconnect (or a restart, via the saved screen) replays what was there
// instead of starting over. Output is batched per event-loop turn, and the
// source is paused while any client has too many unacknowledged bytes.

import * as serializeNs from '@xterm/addon-serialize'
import * as headlessNs from '@xterm/headless'
import type { Node, TerminalSize, TerminalStream } from '../seam'
import { chunkOutput, encodeExit } from './protocol'

// Both packages are CommonJS for Node, whose ESM loader puts them under
// `default`; a browser bundle (the static build) gets their ES modules' names.
const { Terminal } = ((headlessNs as { default?: unknown }).default ??
  headlessNs) as typeof import('@xterm/headless')
const { SerializeAddon } = ((serializeNs as { default?: unknown }).default ??
  serializeNs) as typeof import('@xterm/addon-serialize')

/**
 * Runs `fn` after the current event-loop turn: setImmediate in Node; in a
 * browser (the static build) a message-channel task, which has no timer clamp.
 */
const nextTurn: (fn: () => void) => void =
  typeof setImmediate === 'function' ? (fn) => void setImmediate(fn) : messageChannelTurn()

function messageChannelTurn(): (fn: () => void) => void {
  const queue: (() => void)[] = []
  const channel = new MessageChannel()
  channel.port1.onmessage = () => queue.shift()?.()
  return (fn) => {
    queue.push(fn)
    channel.port2.postMessage(0)
  }
}

type HeadlessTerminal = InstanceType<typeof Terminal>
type Serializer = InstanceType<typeof SerializeAddon>

export interface FlowLimits {
  /** Pause the source when a client has this many bytes unacknowledged. */
  high: number
  /** Resume once every client is below this. */
  low: number
  /** A client this far behind is disconnected; it can reconnect and get the screen replayed. */
  hard: number
  /** Output is flushed at once when the batch grows past this. */
  batch: number
}

export const DEFAULT_FLOW: FlowLimits = {
  high: 256 * 1024,
  low: 32 * 1024,
  hard: 8 * 1024 * 1024,
  batch: 32 * 1024,
}

/** A connected browser (or test) as the session sees it. */
export interface SessionClient {
  send(frame: Uint8Array): void
  /** Ends the connection with a reason the peer can show. */
  close(code: number, reason: string): void
}

interface ClientState {
  client: SessionClient
  unacked: number
  /**
   * joining: output so far will be in the snapshot, so none is sent;
   * syncing: the snapshot is being taken, later output waits in `pending`;
   * live: output is sent as it comes.
   */
  phase: 'joining' | 'syncing' | 'live'
  pending: Uint8Array[]
}

export interface SavedScreen {
  cols: number
  rows: number
  data: string
}

export interface SessionOptions {
  node: Node
  size: TerminalSize
  saved?: SavedScreen
  flow?: Partial<FlowLimits>
  scrollback?: number
  /** Input the shell has not taken yet beyond which more is refused. */
  maxQueuedInput?: number
  /** The screen changed, so the owner can schedule a save. */
  onOutput?: () => void
  /** Enter was pressed: a command may now change the environment. */
  onCommand?: () => void
  /** The shell ended (`exit`, or the node under it went away). */
  onExit?: (code: number) => void
  onError?: (err: unknown) => void
}

const REPLAY_SCROLLBACK = 1000
/** As a pty's input queue, but larger: a pasted manifest fits; a flood does not. */
export const DEFAULT_MAX_QUEUED_INPUT = 256 * 1024

export class TerminalSession {
  readonly node: Node
  private readonly headless: HeadlessTerminal
  private readonly serializer: Serializer
  private readonly flow: FlowLimits
  private readonly clients = new Map<SessionClient, ClientState>()
  private stream: TerminalStream | undefined
  private opening: Promise<void> | undefined
  private streamDisposers: (() => void)[] = []
  private batch: Uint8Array[] = []
  private batchBytes = 0
  private flushScheduled = false
  private paused = false
  private exited = false
  private disposed = false
  private size: TerminalSize
  private pendingInput: Uint8Array[] = []
  private pendingInputBytes = 0
  private readonly maxQueuedInput: number

  constructor(private readonly opts: SessionOptions) {
    this.node = opts.node
    this.size = opts.saved ? { cols: opts.saved.cols, rows: opts.saved.rows } : opts.size
    this.flow = { ...DEFAULT_FLOW, ...opts.flow }
    this.maxQueuedInput = opts.maxQueuedInput ?? DEFAULT_MAX_QUEUED_INPUT
    this.headless = new Terminal({
      cols: this.size.cols,
      rows: this.size.rows,
      scrollback: opts.scrollback ?? REPLAY_SCROLLBACK,
      allowProposedApi: true,
    })
    this.serializer = new SerializeAddon()
    this.headless.loadAddon(this.serializer)
    if (opts.saved?.data) {
      // The shell behind the old screen is gone; start the new prompt on a fresh line.
      this.headless.write(opts.saved.data)
      this.headless.write('\r\n')
    }
  }

  get clientCount(): number {
    return this.clients.size
  }

  get isPaused(): boolean {
    return this.paused
  }

  get currentSize(): TerminalSize {
    return { ...this.size }
  }

  /**
   * Opens the shell if needed, then replays the screen to the new client. An
   * observer (an instructor's mirror) keeps the terminal at the learner's size.
   */
  async attach(client: SessionClient, size: TerminalSize, opts: { observe?: boolean } = {}): Promise<void> {
    if (this.disposed) throw new Error('this terminal was closed')
    const state: ClientState = { client, unacked: 0, phase: 'joining', pending: [] }
    this.clients.set(client, state)
    try {
      if (!opts.observe) this.resize(size)
      await this.ensureStream()
    } catch (err) {
      this.clients.delete(client)
      throw err
    }
    // Everything written to the headless terminal before this empty write is
    // in the snapshot; everything after is queued in `pending`. The batch is
    // flushed first so no chunk is both in the snapshot and in `pending`.
    this.flush()
    state.phase = 'syncing'
    await new Promise<void>((resolve) => {
      this.headless.write('', () => {
        if (this.clients.get(client) !== state) return resolve()
        const screen = this.serializer.serialize({ scrollback: REPLAY_SCROLLBACK })
        this.sendTo(state, new TextEncoder().encode(screen))
        state.phase = 'live'
        for (const chunk of state.pending.splice(0)) this.sendTo(state, chunk)
        resolve()
      })
    })
    if (this.exited) client.send(encodeExit(0))
  }

  detach(client: SessionClient): void {
    this.clients.delete(client)
    this.updateFlow()
  }

  /**
   * Hands keys to the shell. False when they are refused: the shell has not
   * taken `maxQueuedInput` bytes yet (the caller tells the client; nothing
   * is dropped silently).
   */
  input(data: Uint8Array): boolean {
    if (this.exited) {
      // A key after `exit` starts a fresh login shell, as a terminal tab would.
      this.exited = false
      this.headless.write('\r\n')
      void this.ensureStream().catch((err) => this.opts.onError?.(err))
      return true
    }
    if (!data.includes(3) && this.backlog() + data.length > this.maxQueuedInput) return false
    if (data.includes(13)) this.opts.onCommand?.()
    if (this.stream) this.stream.write(data)
    // Keys typed while the shell is still opening are kept, as a pty would.
    else {
      this.pendingInput.push(data.slice())
      this.pendingInputBytes += data.length
    }
    return true
  }

  /** Input given to this terminal that its shell has not taken yet. */
  backlog(): number {
    return this.pendingInputBytes + (this.stream?.inputBacklog?.() ?? 0)
  }

  resize(size: TerminalSize): void {
    if (size.cols === this.size.cols && size.rows === this.size.rows) return
    this.size = { cols: size.cols, rows: size.rows }
    this.headless.resize(size.cols, size.rows)
    this.stream?.resize(this.size)
  }

  ack(client: SessionClient, bytes: number): void {
    const state = this.clients.get(client)
    if (!state) return
    state.unacked = Math.max(0, state.unacked - bytes)
    this.updateFlow()
  }

  /** The current screen, ready to be saved and fed back through `saved`. */
  snapshot(): Promise<SavedScreen> {
    return new Promise((resolve) => {
      this.headless.write('', () =>
        resolve({
          cols: this.size.cols,
          rows: this.size.rows,
          data: this.serializer.serialize({ scrollback: 200 }),
        }),
      )
    })
  }

  dispose(reason = 'the terminal was closed'): void {
    if (this.disposed) return
    this.disposed = true
    this.closeStream()
    for (const { client } of this.clients.values()) client.close(1001, reason)
    this.clients.clear()
    this.headless.dispose()
  }

  private ensureStream(): Promise<void> {
    if (this.stream) return Promise.resolve()
    if (!this.opening) {
      this.opening = this.node
        .openTerminal(this.size)
        .then((stream) => {
          if (this.disposed) {
            stream.dispose()
            return
          }
          this.stream = stream
          this.exited = false
          this.streamDisposers.push(
            stream.onData((data) => this.onOutput(data)),
            stream.onExit((code) => this.onExit(code)),
          )
          if (this.paused) stream.pause?.()
          for (const keys of this.pendingInput.splice(0)) stream.write(keys)
          this.pendingInputBytes = 0
        })
        .finally(() => {
          this.opening = undefined
        })
    }
    return this.opening
  }

  private closeStream(): void {
    for (const d of this.streamDisposers.splice(0)) d()
    const s = this.stream
    this.stream = undefined
    try {
      s?.dispose()
    } catch (err) {
      this.opts.onError?.(err)
    }
  }

  private onOutput(data: Uint8Array): void {
    if (this.disposed || data.length === 0) return
    // The source may reuse its buffer; keep our own copy.
    const copy = data.slice()
    this.headless.write(copy)
    this.batch.push(copy)
    this.batchBytes += copy.length
    if (this.batchBytes >= this.flow.batch) this.flush()
    else if (!this.flushScheduled) {
      this.flushScheduled = true
      nextTurn(() => this.flush())
    }
    this.opts.onOutput?.()
  }

  private onExit(code: number): void {
    this.flush()
    this.closeStream()
    this.exited = true
    for (const { client } of this.clients.values()) client.send(encodeExit(code))
    this.opts.onOutput?.()
    this.opts.onExit?.(code)
  }

  private flush(): void {
    this.flushScheduled = false
    if (this.batch.length === 0) return
    const data = this.batch.length === 1 ? this.batch[0] : concat(this.batch, this.batchBytes)
    this.batch = []
    this.batchBytes = 0
    for (const state of this.clients.values()) {
      if (state.phase === 'live') this.sendTo(state, data)
      else if (state.phase === 'syncing') state.pending.push(data)
    }
    this.updateFlow()
  }

  private sendTo(state: ClientState, data: Uint8Array): void {
    for (const frame of chunkOutput(data)) state.client.send(frame)
    state.unacked += data.length
    if (state.unacked > this.flow.hard) {
      this.clients.delete(state.client)
      state.client.close(1013, 'the browser fell too far behind; reconnect to see the current screen')
    }
  }

  private updateFlow(): void {
    let worst = 0
    for (const s of this.clients.values()) worst = Math.max(worst, s.unacked)
    if (!this.paused && worst > this.flow.high) {
      this.paused = true
      this.stream?.pause?.()
    } else if (this.paused && worst < this.flow.low) {
      this.paused = false
      this.stream?.resume?.()
    }
  }
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total)
  let at = 0
  for (const c of chunks) {
    out.set(c, at)
    at += c.length
  }
  return out
}
