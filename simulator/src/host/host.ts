// The environment host: owns one environment (made by any seam Driver, the
// simulator in practice) and answers the proxy's messages. It uses nothing
// but the seam and standard JavaScript, so the same host runs in a Node
// worker thread (worker-entry.ts) and in a browser Web Worker.

import { type Driver, type Environment, isNodeGone, type Node, type TerminalStream } from '../seam'
import type { EnvInfo, FromHost, Port, ToHost, WireError } from './messages'

/** How often a terminal with a running command is looked at (busy → idle after Ctrl-C). */
const BUSY_POLL_MS = 5

interface HostTerminal {
  stream: TerminalStream
  busy: boolean
  /** The input backlog last reported to the proxy. */
  backlog: number
  offs: (() => void)[]
}

/** A terminal that can say whether a command (not an editor) is running; the simulator's shell can. */
function busyOf(stream: TerminalStream): boolean {
  return (stream as { busy?: unknown }).busy === true
}

function toWire(err: unknown): WireError {
  const message = err instanceof Error ? err.message : String(err)
  return isNodeGone(err) ? { message, nodeGone: err.node } : { message }
}

export class EnvironmentHost {
  private env: Environment | undefined
  private readonly terms = new Map<number, HostTerminal>()
  private poll: ReturnType<typeof setInterval> | undefined
  private offs: (() => void)[] = []

  constructor(
    private readonly driver: Driver,
    private readonly port: Port,
  ) {
    port.onMessage((m) => void this.handle(m as ToHost))
    this.send({ type: 'hello' })
  }

  private send(message: FromHost, transfer?: ArrayBuffer[]): void {
    this.port.post(message, transfer)
  }

  private node(name: string): Node {
    const node = this.env?.nodes.find((n) => n.name === name)
    if (!node) throw new Error(`this environment has no node named "${name}"`)
    return node
  }

  private async handle(m: ToHost): Promise<void> {
    if (!('id' in m)) return this.command(m)
    try {
      const value = await this.request(m)
      const transfer = value instanceof Uint8Array ? [value.buffer as ArrayBuffer] : undefined
      this.send({ type: 'reply', id: m.id, ok: true, value }, transfer)
    } catch (err) {
      this.send({ type: 'reply', id: m.id, ok: false, error: toWire(err) })
    }
  }

  private async request(m: Extract<ToHost, { id: number }>): Promise<unknown> {
    switch (m.type) {
      case 'create':
        return this.adopt(await this.driver.create(m.spec))
      case 'restore': {
        if (!this.driver.restore)
          throw new Error(`the ${this.driver.name} driver cannot restore environments`)
        return this.adopt(await this.driver.restore(m.bytes))
      }
      case 'exec':
        return this.node(m.node).exec(m.cmd, m.opts)
      case 'readFile':
        return this.node(m.node).readFile(m.path)
      case 'settle':
        return this.env?.settle(m.ms)
      case 'serialize': {
        if (!this.env?.persistence) throw new Error('this environment cannot be saved')
        // A copy the host does not keep, so it can be transferred.
        return (await this.env.persistence.serialize()).slice()
      }
      case 'open':
        return this.open(m.term, this.node(m.node), m.size)
      case 'ping':
        return true
      case 'settled':
        return this.settled(m.term, m.waitMs)
      case 'dispose': {
        for (const t of this.terms.keys()) this.closeTerm(t)
        for (const off of this.offs.splice(0)) off()
        const env = this.env
        this.env = undefined
        await env?.dispose()
        return undefined
      }
    }
  }

  private adopt(env: Environment): EnvInfo {
    this.env = env
    if (env.persistence) this.offs.push(env.persistence.onChange(() => this.send({ type: 'changed' })))
    for (const node of env.nodes) {
      if (node.onFileChange)
        this.offs.push(node.onFileChange((path) => this.send({ type: 'file', node: node.name, path })))
    }
    return {
      id: env.id,
      driver: env.driver,
      spec: env.spec,
      nodes: env.nodes.map((n) => ({ name: n.name, role: n.role })),
      persistent: env.persistence !== undefined,
    }
  }

  private async open(term: number, node: Node, size: { cols: number; rows: number }): Promise<void> {
    const stream = await node.openTerminal(size)
    const t: HostTerminal = { stream, busy: false, backlog: 0, offs: [] }
    this.terms.set(term, t)
    t.offs.push(
      stream.onData((data) => {
        const copy = data.slice()
        this.send({ type: 'data', term, data: copy }, [copy.buffer as ArrayBuffer])
      }),
      stream.onExit((code) => this.send({ type: 'exit', term, code })),
    )
  }

  private async settled(term: number, waitMs: number): Promise<boolean> {
    const t = this.terms.get(term)
    const until = Date.now() + waitMs
    while (t && busyOf(t.stream)) {
      if (Date.now() >= until) return false
      await new Promise((r) => setTimeout(r, BUSY_POLL_MS))
    }
    return true
  }

  private command(m: Exclude<ToHost, { id: number }>): void {
    const t = this.terms.get(m.term)
    if (!t) return
    switch (m.type) {
      case 'input':
        t.stream.write(m.data)
        t.backlog = t.stream.inputBacklog?.() ?? 0
        this.send({ type: 'taken', term: m.term, bytes: m.data.length, backlog: t.backlog })
        // Enter may have started a command, Ctrl-C may have ended one: look now and keep looking.
        this.watchBusy()
        return
      case 'resize':
        t.stream.resize(m.size)
        return
      case 'pause':
        t.stream.pause?.()
        return
      case 'resume':
        t.stream.resume?.()
        // Commands that waited for the reader run now and take their queued input.
        this.watchBusy()
        return
      case 'close':
        this.closeTerm(m.term)
        return
    }
  }

  private closeTerm(term: number): void {
    const t = this.terms.get(term)
    if (!t) return
    this.terms.delete(term)
    for (const off of t.offs) off()
    t.stream.dispose()
  }

  /** Reports busy ↔ idle changes; polls only while something may change. */
  private watchBusy(): void {
    const check = (): boolean => {
      let anyBusy = false
      for (const [term, t] of this.terms) {
        const busy = busyOf(t.stream)
        anyBusy ||= busy
        if (busy !== t.busy) {
          t.busy = busy
          this.send({ type: 'busy', term, busy })
        }
        const backlog = t.stream.inputBacklog?.() ?? 0
        if (backlog !== t.backlog) {
          t.backlog = backlog
          this.send({ type: 'backlog', term, backlog })
        }
        // Queued input still to take: keep looking until it is taken.
        anyBusy ||= backlog > 0
      }
      return anyBusy
    }
    // The shell reacts to a key on a later turn; look a few times even when nothing is busy yet.
    let quietChecks = 4
    if (this.poll) return
    this.poll = setInterval(() => {
      if (check()) quietChecks = 4
      else if (--quietChecks <= 0) {
        clearInterval(this.poll)
        this.poll = undefined
      }
    }, BUSY_POLL_MS)
  }
}
