// The proxy side of the host protocol: the seam's Environment, Node and
// TerminalStream, backed by an environment host behind a channel (a worker).
// It also guards the server from the environment: a command Ctrl-C cannot end
// within `interruptMs`, a command past its CPU budget, or a host that dies
// (out of memory) gets the host thrown away and a new one restored from the
// environment's last saved state; the learner is told in the terminal.
// Transport-agnostic: channels come from a `spawn` function.

import {
  type ClusterSpec,
  type Environment,
  type EnvironmentPersistence,
  type ExecOptions,
  type ExecResult,
  type Node,
  NodeGoneError,
  type TerminalSize,
  type TerminalStream,
} from '../seam'
import type { EnvInfo, FromHost, HostCommand, HostRequest, Port, WireError } from './messages'

/** A running host and how to end it. */
export interface HostChannel extends Port {
  terminate(): void
  /** The host ended on its own (crash, out of memory); `why` is for people. */
  onExit(listener: (why: string) => void): void
}

export type SpawnHost = () => Promise<HostChannel>

export interface GuardOptions {
  /** After Ctrl-C, how long a command may take to stop before its host is replaced. */
  interruptMs: number
  /** Longest a terminal command or an exec may keep its host busy. */
  cpuBudgetMs: number
  /** Keys sent to a terminal and not yet taken by the host, beyond which input is dropped. */
  maxQueuedInput: number
}

export const DEFAULT_GUARD: GuardOptions = {
  // Ctrl-C stops a command inside its host, within tens of milliseconds: every
  // command yields to the host's event loop. This guard is only the fallback
  // for a host stuck in a command that never yields. A restore loses the work
  // since the last save, and on a loaded machine a healthy host can take
  // seconds to be scheduled, so the guard waits that long before it acts.
  interruptMs: 5000,
  cpuBudgetMs: 30_000,
  maxQueuedInput: 256 * 1024,
}

type Req = HostRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never

function fromWire(e: WireError): Error {
  return e.nodeGone !== undefined ? new NodeGoneError(e.nodeGone, e.message) : new Error(e.message)
}

/** One channel's request/reply bookkeeping. */
class Connection {
  private seq = 0
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>()
  closed: string | undefined

  onEvent: (m: FromHost) => void = () => {}

  constructor(readonly channel: HostChannel) {
    channel.onMessage((raw) => {
      const m = raw as FromHost
      if (m.type !== 'reply') return this.onEvent(m)
      const p = this.pending.get(m.id)
      if (!p) return
      this.pending.delete(m.id)
      if (m.ok) p.resolve(m.value)
      else p.reject(fromWire(m.error))
    })
  }

  request<T>(req: Req, transfer?: ArrayBuffer[]): Promise<T> {
    if (this.closed) return Promise.reject(new Error(this.closed))
    const id = ++this.seq
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject })
      this.channel.post({ ...req, id } as HostRequest, transfer)
    })
  }

  send(cmd: HostCommand, transfer?: ArrayBuffer[]): void {
    if (!this.closed) this.channel.post(cmd, transfer)
  }

  get busyRequests(): number {
    return this.pending.size
  }

  close(why: string): void {
    if (this.closed) return
    this.closed = why
    this.channel.terminate()
    for (const p of this.pending.values()) p.reject(new Error(why))
    this.pending.clear()
  }
}

export interface RemoteEnvironmentOptions {
  spawn: SpawnHost
  guard?: Partial<GuardOptions>
  /** Told about every replacement of the host, for the server log. */
  onRecover?: (why: string) => void
}

export class RemoteEnvironment implements Environment {
  readonly id: string
  readonly driver: string
  readonly spec: ClusterSpec
  readonly nodes: RemoteNode[]
  readonly persistence: EnvironmentPersistence | undefined
  readonly guard: GuardOptions
  private conn: Connection
  private readonly terms = new Map<number, RemoteTerminal>()
  private termSeq = 0
  private lastState: Uint8Array | undefined
  private lastStateAt = 0
  private recovering: Promise<void> | undefined
  private disposed = false
  private readonly changeListeners = new Set<() => void>()
  readonly fileListeners = new Map<string, Set<(path: string) => void>>()
  /** How many times the host was replaced; for tests and the log. */
  recoveries = 0

  private constructor(
    private readonly o: RemoteEnvironmentOptions,
    conn: Connection,
    info: EnvInfo,
  ) {
    this.guard = { ...DEFAULT_GUARD, ...o.guard }
    this.conn = this.connect(conn)
    this.id = info.id
    this.driver = info.driver
    this.spec = info.spec
    this.nodes = info.nodes.map((n) => new RemoteNode(this, n.name, n.role))
    this.persistence = info.persistent
      ? {
          serialize: () => this.serialize(),
          onChange: (listener) => {
            this.changeListeners.add(listener)
            return () => this.changeListeners.delete(listener)
          },
        }
      : undefined
    this.heartbeat = setInterval(() => this.checkAlive(), HEARTBEAT_MS)
    ;(this.heartbeat as { unref?: () => void }).unref?.()
  }

  private heartbeat: ReturnType<typeof setInterval>
  private pingSince = 0

  /**
   * A command that never yields (a busy loop) keeps the host from answering
   * anything, busy reports included; an unanswered ping past the CPU budget
   * is what catches it.
   */
  private checkAlive(): void {
    if (this.recovering || this.disposed) return
    if (this.pingSince) {
      if (Date.now() - this.pingSince > this.guard.cpuBudgetMs)
        void this.recover(
          `a command kept the lab busy for more than ${Math.round(this.guard.cpuBudgetMs / 1000)} s without a break`,
        )
      return
    }
    const conn = this.conn
    this.pingSince = Date.now()
    conn.request({ type: 'ping' }).then(
      () => {
        if (this.conn === conn) this.pingSince = 0
      },
      () => {},
    )
  }

  /** Starts a host and has it create (spec) or restore (bytes) an environment. */
  static async open(
    o: RemoteEnvironmentOptions,
    from: { spec: ClusterSpec } | { bytes: Uint8Array },
  ): Promise<RemoteEnvironment> {
    const conn = new Connection(await o.spawn())
    try {
      const info =
        'spec' in from
          ? await conn.request<EnvInfo>({ type: 'create', spec: from.spec })
          : await conn.request<EnvInfo>({ type: 'restore', bytes: from.bytes })
      const env = new RemoteEnvironment(o, conn, info)
      if ('bytes' in from) {
        env.lastState = from.bytes
        env.lastStateAt = Date.now()
      }
      return env
    } catch (err) {
      conn.close('the environment could not be created')
      throw err
    }
  }

  private connect(conn: Connection): Connection {
    conn.onEvent = (m) => this.onEvent(m)
    conn.channel.onExit((why) => {
      if (this.conn === conn && !conn.closed && !this.disposed) void this.recover(why)
    })
    return conn
  }

  private onEvent(m: FromHost): void {
    switch (m.type) {
      case 'data':
        this.terms.get(m.term)?.fromHost(m.data)
        return
      case 'exit':
        this.terms.get(m.term)?.exited(m.code)
        return
      case 'busy':
        this.terms.get(m.term)?.setBusy(m.busy)
        return
      case 'taken':
        this.terms.get(m.term)?.taken(m.bytes, m.backlog)
        return
      case 'backlog':
        this.terms.get(m.term)?.taken(0, m.backlog)
        return
      case 'changed':
        for (const l of this.changeListeners) l()
        return
      case 'file':
        for (const l of this.fileListeners.get(m.node) ?? []) l(m.path)
        return
    }
  }

  /** Waits for a replacement under way, then gives the live connection. */
  async live(): Promise<Connection> {
    if (this.disposed) throw new Error('this environment was removed')
    while (this.recovering) await this.recovering
    return this.conn
  }

  /** Requests that keep the host busy are bounded by the CPU budget. */
  async request<T>(req: Req, budgetMs = this.guard.cpuBudgetMs): Promise<T> {
    const conn = await this.live()
    let timer: ReturnType<typeof setTimeout> | undefined
    const watchdog = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const why = `a command ran past its CPU budget of ${Math.round(budgetMs / 1000)} s`
        void this.recover(why)
        reject(new Error(`${why}; the environment was restored from its last saved state`))
      }, budgetMs)
    })
    try {
      return await Promise.race([conn.request<T>(req), watchdog])
    } finally {
      clearTimeout(timer)
    }
  }

  private async serialize(): Promise<Uint8Array> {
    const bytes = await this.request<Uint8Array>({ type: 'serialize' })
    this.lastState = bytes
    this.lastStateAt = Date.now()
    return bytes
  }

  async settle(ms: number): Promise<void> {
    await this.request({ type: 'settle', ms })
  }

  async dispose(): Promise<void> {
    if (this.disposed) return
    for (const t of this.terms.values()) t.dispose()
    const conn = await this.live().catch(() => undefined)
    this.disposed = true
    clearInterval(this.heartbeat)
    if (!conn) return
    // A host busy with a runaway command may never answer; it is ended either way.
    await Promise.race([conn.request({ type: 'dispose' }), new Promise((r) => setTimeout(r, 200))]).catch(
      () => {},
    )
    conn.close('the environment was removed')
  }

  async openTerminal(node: string, size: TerminalSize): Promise<RemoteTerminal> {
    const term = ++this.termSeq
    const t = new RemoteTerminal(this, term, node, size)
    this.terms.set(term, t)
    try {
      await this.request({ type: 'open', term, node, size })
    } catch (err) {
      this.terms.delete(term)
      throw err
    }
    return t
  }

  /** @internal */
  sendToTerm(cmd: HostCommand, transfer?: ArrayBuffer[]): boolean {
    if (this.recovering || this.conn.closed) return false
    this.conn.send(cmd, transfer)
    return true
  }

  /** @internal */
  forget(term: number): void {
    this.terms.delete(term)
  }

  /**
   * Throws the host away and starts a new one from the last saved state, then
   * reopens every terminal there. Work after that save is lost, and each
   * terminal says so.
   */
  recover(why: string): Promise<void> {
    if (this.disposed) return Promise.resolve()
    this.recovering ??= (async () => {
      this.recoveries++
      this.o.onRecover?.(why)
      this.pingSince = 0
      const old = this.conn
      old.close(`the environment was restarted: ${why}`)
      for (const t of this.terms.values()) t.lost()
      const conn = this.connect(new Connection(await this.o.spawn()))
      if (this.lastState) await conn.request({ type: 'restore', bytes: this.lastState.slice() })
      else await conn.request({ type: 'create', spec: this.spec })
      this.conn = conn
      const when = this.lastState ? new Date(this.lastStateAt).toISOString().slice(11, 19) : undefined
      const notice = when
        ? `ckalab: ${why}, so this lab's nodes were restarted from their state saved at ${when} UTC; work after that is lost.`
        : `ckalab: ${why}, so this lab's nodes were restarted from scratch.`
      for (const t of this.terms.values()) await t.reopen(conn, notice)
    })().finally(() => {
      this.recovering = undefined
    })
    return this.recovering
  }
}

export class RemoteNode implements Node {
  constructor(
    private readonly env: RemoteEnvironment,
    readonly name: string,
    readonly role: 'control-plane' | 'worker',
  ) {}

  exec(cmd: string, opts?: ExecOptions): Promise<ExecResult> {
    // A command's own timeout answers first (exit 124); the budget is the backstop.
    const budget = Math.max(this.env.guard.cpuBudgetMs, (opts?.timeoutMs ?? 0) + 1000)
    return this.env.request<ExecResult>({ type: 'exec', node: this.name, cmd, opts }, budget)
  }

  openTerminal(size: TerminalSize): Promise<TerminalStream> {
    return this.env.openTerminal(this.name, size)
  }

  readFile(path: string): Promise<Uint8Array | undefined> {
    return this.env.request<Uint8Array | undefined>({ type: 'readFile', node: this.name, path })
  }

  onFileChange(listener: (path: string) => void): () => void {
    let set = this.env.fileListeners.get(this.name)
    if (!set) {
      set = new Set()
      this.env.fileListeners.set(this.name, set)
    }
    set.add(listener)
    return () => set.delete(listener)
  }
}

const enc = new TextEncoder()
const HEARTBEAT_MS = 1000
const MAX_HELD_OUTPUT = 1024 * 1024

export class RemoteTerminal implements TerminalStream {
  private readonly dataListeners = new Set<(data: Uint8Array) => void>()
  private readonly exitListeners = new Set<(code: number) => void>()
  private busy = false
  private interruptTimer: ReturnType<typeof setTimeout> | undefined
  private budgetTimer: ReturnType<typeof setTimeout> | undefined
  private paused = false
  private disposed = false
  private exitCode: number | undefined
  private held: Uint8Array[] = []
  private heldBytes = 0
  /** Input posted to the host and not yet confirmed taken (a busy host reads none). */
  private inFlight = 0
  /** What the program behind the terminal had not taken at the host's last report. */
  private hostBacklog = 0

  constructor(
    private readonly env: RemoteEnvironment,
    private readonly term: number,
    private readonly node: string,
    private size: TerminalSize,
  ) {}

  write(data: Uint8Array | string): void {
    if (this.disposed) return
    const bytes = typeof data === 'string' ? enc.encode(data) : data.slice()
    const ctrlC = bytes.includes(3)
    // Callers check inputBacklog() first; this is the backstop, and Ctrl-C always goes through.
    if (!ctrlC && this.inputBacklog() + bytes.length > this.env.guard.maxQueuedInput) return
    const n = bytes.length
    if (this.env.sendToTerm({ type: 'input', term: this.term, data: bytes }, [bytes.buffer as ArrayBuffer]))
      this.inFlight += n
    if (ctrlC && !this.interruptTimer) this.watchInterrupt()
  }

  /**
   * After Ctrl-C the host must say "no command runs" within interruptMs. A
   * host whose event loop is stuck in a command cannot answer at all, so no
   * answer counts as "still running".
   */
  private watchInterrupt(): void {
    const ms = this.env.guard.interruptMs
    const why = `the command did not stop within ${ms} ms of Ctrl-C`
    let answered = false
    this.interruptTimer = setTimeout(() => {
      this.interruptTimer = undefined
      if (!answered) void this.env.recover(why)
    }, ms)
    this.env.request<boolean>({ type: 'settled', term: this.term, waitMs: Math.max(1, ms - 15) }).then(
      (idle) => {
        answered = true
        if (this.interruptTimer) clearTimeout(this.interruptTimer)
        this.interruptTimer = undefined
        if (!idle) void this.env.recover(why)
      },
      () => {},
    )
  }

  inputBacklog(): number {
    return this.inFlight + this.hostBacklog
  }

  /** @internal */
  taken(bytes: number, backlog: number): void {
    this.inFlight = Math.max(0, this.inFlight - bytes)
    this.hostBacklog = backlog
  }

  onData(listener: (data: Uint8Array) => void): () => void {
    this.dataListeners.add(listener)
    for (const chunk of this.held.splice(0)) listener(chunk)
    this.heldBytes = 0
    return () => this.dataListeners.delete(listener)
  }

  onExit(listener: (code: number) => void): () => void {
    if (this.exitCode !== undefined) {
      const code = this.exitCode
      queueMicrotask(() => listener(code))
      return () => {}
    }
    this.exitListeners.add(listener)
    return () => this.exitListeners.delete(listener)
  }

  resize(size: TerminalSize): void {
    this.size = { cols: size.cols, rows: size.rows }
    this.env.sendToTerm({ type: 'resize', term: this.term, size: this.size })
  }

  pause(): void {
    this.paused = true
    this.env.sendToTerm({ type: 'pause', term: this.term })
  }

  resume(): void {
    this.paused = false
    this.env.sendToTerm({ type: 'resume', term: this.term })
  }

  dispose(): void {
    if (this.disposed) return
    this.disposed = true
    this.clearTimers()
    this.env.sendToTerm({ type: 'close', term: this.term })
    this.env.forget(this.term)
    this.dataListeners.clear()
    this.exitListeners.clear()
  }

  /** @internal */
  fromHost(data: Uint8Array): void {
    if (this.dataListeners.size === 0) {
      // Output before anyone listens (the login banner and first prompt) is kept, up to a bound.
      if (this.heldBytes + data.length <= MAX_HELD_OUTPUT) {
        this.held.push(data)
        this.heldBytes += data.length
      }
      return
    }
    for (const l of [...this.dataListeners]) l(data)
  }

  /** @internal */
  exited(code: number): void {
    this.exitCode = code
    this.clearTimers()
    for (const l of [...this.exitListeners]) l(code)
  }

  /** @internal */
  setBusy(busy: boolean): void {
    this.busy = busy
    if (!busy) {
      this.clearTimers()
      return
    }
    this.budgetTimer ??= setTimeout(() => {
      this.budgetTimer = undefined
      if (this.busy)
        void this.env.recover(
          `the command ran past its CPU budget of ${Math.round(this.env.guard.cpuBudgetMs / 1000)} s`,
        )
    }, this.env.guard.cpuBudgetMs)
  }

  /** @internal The host went away; the command with it. */
  lost(): void {
    this.busy = false
    // The old host's queue went with it.
    this.inFlight = 0
    this.hostBacklog = 0
    this.clearTimers()
  }

  /** @internal A new shell on the new host, after the notice. */
  async reopen(conn: Connection, notice: string): Promise<void> {
    if (this.disposed || this.exitCode !== undefined) return
    this.fromHost(enc.encode(`^C\r\n\x1b[1;33m${notice}\x1b[0m\r\n`))
    await conn.request({ type: 'open', term: this.term, node: this.node, size: this.size })
    if (this.paused) conn.send({ type: 'pause', term: this.term })
  }

  private clearTimers(): void {
    if (this.interruptTimer) clearTimeout(this.interruptTimer)
    if (this.budgetTimer) clearTimeout(this.budgetTimer)
    this.interruptTimer = undefined
    this.budgetTimer = undefined
  }
}
