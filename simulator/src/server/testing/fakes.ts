// A tiny driver and lab catalogue for the server's own tests and benchmarks:
// a line-editing shell over an in-memory file map, serializable like the real
// simulator, and one lab whose check passes when /root/done exists.

import type {
  ClusterSpec,
  Driver,
  Environment,
  EnvironmentPersistence,
  ExecResult,
  Node,
  Progress,
  TerminalSize,
  TerminalStream,
} from '../../seam'
import type { CheckProgress, Facts, LabCatalog, LabDetail, Report } from '../ports'

const enc = new TextEncoder()
const dec = new TextDecoder()

class FakeShell implements TerminalStream {
  private dataListeners = new Set<(d: Uint8Array) => void>()
  private exitListeners = new Set<(c: number) => void>()
  private line = ''
  private paused = false
  private held: Uint8Array[] = []
  private flood: ReturnType<typeof setInterval> | undefined
  disposed = false
  size: TerminalSize

  constructor(
    private readonly node: FakeNode,
    size: TerminalSize,
  ) {
    this.size = size
    queueMicrotask(() => this.prompt())
  }

  private emit(text: string): void {
    if (this.disposed) return
    const bytes = enc.encode(text)
    // Like a pty, output waits for a reader instead of being lost.
    if (this.paused || this.dataListeners.size === 0) this.held.push(bytes)
    else for (const l of this.dataListeners) l(bytes)
  }

  private prompt(): void {
    this.emit(`root@${this.node.name}:~# `)
  }

  write(data: Uint8Array | string): void {
    const text = typeof data === 'string' ? data : dec.decode(data)
    for (const ch of text) {
      if (ch === '\r') {
        this.emit('\r\n')
        const cmd = this.line
        this.line = ''
        this.run(cmd)
      } else if (ch === '\x7f') {
        if (this.line.length > 0) {
          this.line = this.line.slice(0, -1)
          this.emit('\b \b')
        }
      } else if (ch === '\x03') {
        if (this.flood) clearInterval(this.flood)
        this.flood = undefined
        this.line = ''
        this.emit('^C\r\n')
        this.prompt()
      } else if (ch >= ' ') {
        this.line += ch
        this.emit(ch)
      }
    }
  }

  private run(cmd: string): void {
    const out = this.node.runLine(cmd.trim())
    if (out === 'exit') {
      for (const l of this.exitListeners) l(0)
      return
    }
    if (out === 'flood') {
      // Emits output as fast as the pause/resume protocol lets it.
      this.flood = setInterval(() => this.emit(`${'y\r\n'.repeat(2000)}`), 1)
      return
    }
    if (out) this.emit(out.replace(/\n/g, '\r\n'))
    this.prompt()
  }

  onData(listener: (data: Uint8Array) => void): () => void {
    this.dataListeners.add(listener)
    if (!this.paused) queueMicrotask(() => this.resume())
    return () => this.dataListeners.delete(listener)
  }

  onExit(listener: (code: number) => void): () => void {
    this.exitListeners.add(listener)
    return () => this.exitListeners.delete(listener)
  }

  resize(size: TerminalSize): void {
    this.size = size
  }

  pause(): void {
    this.paused = true
  }

  /** How many times the reader asked for more output. */
  resumes = 0

  resume(): void {
    this.resumes++
    this.paused = false
    const held = this.held.splice(0)
    for (const b of held) for (const l of this.dataListeners) l(b)
  }

  get isPaused(): boolean {
    return this.paused
  }

  dispose(): void {
    this.disposed = true
    if (this.flood) clearInterval(this.flood)
    this.dataListeners.clear()
    this.exitListeners.clear()
  }
}

export class FakeNode implements Node {
  readonly role = 'control-plane' as const
  files = new Map<string, string>()
  shells: FakeShell[] = []

  constructor(
    readonly name: string,
    private readonly changed: () => void,
  ) {}

  runLine(cmd: string): string {
    if (cmd === '') return ''
    if (cmd === 'exit') return 'exit'
    if (cmd === 'yes') return 'flood'
    let m = /^echo (.*?) > (\S+)$/.exec(cmd)
    if (m) {
      this.files.set(m[2], `${m[1]}\n`)
      this.changed()
      return ''
    }
    m = /^echo ?(.*)$/.exec(cmd)
    if (m) return `${m[1]}\n`
    m = /^touch (\S+)$/.exec(cmd)
    if (m) {
      if (!this.files.has(m[1])) this.files.set(m[1], '')
      this.changed()
      return ''
    }
    m = /^cat (\S+)$/.exec(cmd)
    if (m) {
      const f = this.files.get(m[1])
      return f ?? `cat: ${m[1]}: No such file or directory\n`
    }
    if (cmd === 'ls') return [...this.files.keys()].sort().join('\n') + (this.files.size ? '\n' : '')
    return `${cmd.split(' ')[0]}: command not found\n`
  }

  async exec(cmd: string): Promise<ExecResult> {
    const out = this.runLine(cmd)
    return { stdout: out, stderr: '', exitCode: out.endsWith('command not found\n') ? 127 : 0 }
  }

  async openTerminal(size: TerminalSize): Promise<TerminalStream> {
    const shell = new FakeShell(this, size)
    this.shells.push(shell)
    return shell
  }

  async readFile(path: string): Promise<Uint8Array | undefined> {
    const f = this.files.get(path)
    return f === undefined ? undefined : enc.encode(f)
  }
}

export class FakeEnvironment implements Environment {
  readonly driver = 'fake'
  readonly nodes: FakeNode[]
  disposed = false
  private listeners = new Set<() => void>()

  constructor(
    readonly id: string,
    readonly spec: ClusterSpec,
    files?: Record<string, Record<string, string>>,
  ) {
    const count = Math.max(1, spec.controlPlanes)
    this.nodes = Array.from(
      { length: count },
      (_, i) => new FakeNode(i === 0 ? 'controlplane' : `controlplane${i + 1}`, () => this.changed()),
    )
    for (const n of this.nodes) for (const [p, c] of Object.entries(files?.[n.name] ?? {})) n.files.set(p, c)
  }

  private changed(): void {
    for (const l of this.listeners) l()
  }

  async settle(): Promise<void> {}

  async dispose(): Promise<void> {
    this.disposed = true
    for (const n of this.nodes) for (const s of n.shells) s.dispose()
  }

  async serialize(): Promise<Uint8Array> {
    const files: Record<string, Record<string, string>> = {}
    for (const n of this.nodes) files[n.name] = Object.fromEntries(n.files)
    return enc.encode(JSON.stringify({ id: this.id, spec: this.spec, files }))
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  readonly persistence: EnvironmentPersistence = {
    serialize: () => this.serialize(),
    onChange: (listener) => this.onChange(listener),
  }
}

export interface FakeDriverOptions {
  /** Milliseconds creation takes (progress is reported in steps). */
  createMs?: number
  /** Make the next creation fail with this message. */
  failWith?: string
}

export class FakeDriver implements Driver {
  readonly name = 'fake'
  created: FakeEnvironment[] = []
  private seq = 0

  constructor(public options: FakeDriverOptions = {}) {}

  async probe() {
    return { ok: true }
  }

  async create(
    spec: ClusterSpec,
    onProgress?: (p: Progress) => void,
    signal?: AbortSignal,
  ): Promise<Environment> {
    const steps = ['Preparing nodes', 'Starting control-plane', 'Starting etcd', 'Waiting for the API server']
    const ms = this.options.createMs ?? 0
    for (let i = 0; i < steps.length; i++) {
      onProgress?.({ fraction: i / steps.length, step: steps[i] })
      if (ms > 0) await new Promise((r) => setTimeout(r, ms / steps.length))
      if (signal?.aborted) throw new Error('creation was cancelled')
    }
    if (this.options.failWith) {
      const msg = this.options.failWith
      this.options.failWith = undefined
      throw new Error(msg)
    }
    onProgress?.({ fraction: 1, step: 'Ready' })
    const env = new FakeEnvironment(`fake-${++this.seq}`, spec)
    this.created.push(env)
    return env
  }

  async restore(bytes: Uint8Array): Promise<Environment> {
    const state = JSON.parse(dec.decode(bytes)) as {
      id: string
      spec: ClusterSpec
      files: Record<string, Record<string, string>>
    }
    const env = new FakeEnvironment(state.id, state.spec, state.files)
    this.created.push(env)
    return env
  }
}

export const FAKE_LAB: LabDetail = {
  id: 'fake-lab',
  title: 'Leave a marker file',
  difficulty: 'easy',
  minutes: 5,
  tags: ['etcd', 'backup'],
  drivers: ['fake', 'sim'],
  summary: 'Create /root/done on the control-plane node.',
  taskMarkdown:
    '# Leave a marker\n\nCreate the file `/root/done` on **controlplane**:\n\n```bash\ntouch /root/done\n```\n',
  cluster: { controlPlanes: 1, kubernetes: '1.34' },
  hints: ['The touch command creates an empty file.', 'Run `touch /root/done`.'],
  examMinutes: 10,
}

export class FakeCatalog implements LabCatalog {
  ticks = 0
  constructor(private readonly labs: LabDetail[] = [FAKE_LAB]) {}

  async list() {
    return {
      labs: this.labs.map(({ taskMarkdown: _t, cluster: _c, hints: _h, examMinutes: _e, ...s }) => s),
      errors: [{ lab: 'broken-lab', message: 'lab.yaml: missing field "title"' }],
    }
  }

  async get(id: string) {
    return this.labs.find((l) => l.id === id)
  }

  async setup(_labId: string, env: Environment, facts: Facts): Promise<void> {
    await env.nodes[0].exec('echo ready > /root/setup-done')
    facts.setupAt = 'done'
  }

  async onTick(_labId: string, env: Environment, facts: Facts): Promise<boolean> {
    this.ticks++
    if (facts.sawDone) return false
    if (await env.nodes[0].readFile('/root/done')) {
      facts.sawDone = true
      return true
    }
    return false
  }

  async grade(
    labId: string,
    env: Environment,
    _facts: Facts,
    onProgress?: (p: CheckProgress) => void,
  ): Promise<Report> {
    const start = Date.now()
    const check = { index: 0, total: 1, id: 'marker-exists', title: '/root/done exists on controlplane' }
    onProgress?.({ ...check, phase: 'pending' })
    onProgress?.({ ...check, phase: 'running' })
    // With /root/slow present the check waits for /root/done (up to the seconds the file holds),
    // as real checks wait for a pod, so the page's live progress can be seen.
    const slow = await env.nodes[0].readFile('/root/slow')
    const withinMs = slow ? Math.min(30, Number(dec.decode(slow).trim()) || 3) * 1000 : 0
    for (let waited = 0; waited < withinMs; waited += 250) {
      if (await env.nodes[0].readFile('/root/done')) break
      onProgress?.({
        ...check,
        phase: 'running',
        waiting: { what: 'waiting for /root/done to appear', waitedMs: waited, withinMs },
      })
      await new Promise((r) => setTimeout(r, 250))
    }
    const done = await env.nodes[0].readFile('/root/done')
    const pass = done !== undefined
    onProgress?.({ ...check, phase: 'done', verdict: pass ? 'pass' : 'fail' })
    return {
      schema: 'ckalab.report/v1',
      lab: labId,
      driver: env.driver,
      profile: { kubernetes: env.spec.kubernetes, etcd: 'fake' },
      startedAt: new Date(start).toISOString(),
      finishedAt: new Date().toISOString(),
      score: { points: pass ? 10 : 0, max: 10 },
      verdict: pass ? 'pass' : 'fail',
      checks: [
        {
          id: 'marker-exists',
          title: '/root/done exists on controlplane',
          points: 10,
          verdict: pass ? 'pass' : 'fail',
          evidence: {
            expected: '/root/done exists',
            actual: pass ? 'found /root/done' : 'cat /root/done: No such file or directory',
            commands: [],
          },
          hint: 'Create it with touch.',
          durationMs: Date.now() - start,
        },
      ],
    }
  }

  async solution(): Promise<string> {
    return '```bash\ntouch /root/done\n```\n'
  }

  junit(report: Report): string {
    const cases = report.checks
      .map(
        (c) =>
          `<testcase name="${c.id}">${c.verdict === 'fail' ? `<failure message="${c.evidence}"/>` : ''}</testcase>`,
      )
      .join('')
    return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuite name="${report.lab}">${cases}</testsuite>\n`
  }
}
