import { parse as parseYaml } from 'yaml'
import type { Environment, ExecResult, Node } from '../seam'
import { ScriptTyper } from './typer'
import type {
  CheckContext,
  CommandRecord,
  KubectlResult,
  ManifestView,
  NodeRef,
  WaitOptions,
  WaitState,
} from './types'

// The context a check runs in: the environment's nodes behind a time budget,
// with every command recorded as evidence.

export const MANIFEST_DIR = '/etc/kubernetes/manifests'
export const ADMIN_KUBECONFIG = '/etc/kubernetes/admin.conf'
/** kubeadm's client certificate for health checks: independent of what the learner edits. */
export const ETCD_CLIENT_FLAGS =
  '--cacert=/etc/kubernetes/pki/etcd/ca.crt --cert=/etc/kubernetes/pki/etcd/healthcheck-client.crt --key=/etc/kubernetes/pki/etcd/healthcheck-client.key'
const MAX_OUTPUT = 4000

export class BudgetExceeded extends Error {
  constructor() {
    super('the check ran out of time')
    this.name = 'BudgetExceeded'
  }
}

function clip(text: string): string {
  return text.length > MAX_OUTPUT
    ? `${text.slice(0, MAX_OUTPUT)}\n… (${text.length - MAX_OUTPUT} more characters)`
    : text
}

/** Resolve a NodeRef (cp1, cp2 …) or a node name. */
export function pickNode(nodes: Node[], ref: NodeRef | string): Node {
  const cps = nodes.filter((n) => n.role === 'control-plane')
  const m = /^cp(\d)$/.exec(ref)
  const found = m ? cps[Number(m[1]) - 1] : nodes.find((n) => n.name === ref)
  if (!found)
    throw new Error(`this environment has no node "${ref}" (nodes: ${nodes.map((n) => n.name).join(', ')})`)
  return found
}

export function pickNodes(nodes: Node[], ref: NodeRef): Node[] {
  if (ref === 'all') return nodes
  if (ref === 'control-planes') return nodes.filter((n) => n.role === 'control-plane')
  return [pickNode(nodes, ref)]
}

const UNAVAILABLE =
  /connection to the server .* was refused|Unable to connect to the server|Error from server \((Timeout|ServiceUnavailable|InternalError|TooManyRequests)\)|the server is currently unable|etcdserver: |TLS handshake timeout|i\/o timeout|context deadline exceeded|no route to host|the server was unable to return a response/i

export function classifyKubectl(r: ExecResult): KubectlResult {
  const text = `${r.stderr}\n${r.stdout}`
  const failed = r.exitCode !== 0
  return {
    ...r,
    unavailable: failed && (r.timedOut === true || UNAVAILABLE.test(text)),
    notFound: failed && /\(NotFound\)|not found/i.test(text) && !UNAVAILABLE.test(text),
  }
}

export interface ContextOptions {
  env: Environment
  facts: Record<string, unknown>
  budgetMs: number
  signal: AbortSignal
  /** Results shared between the checks of one grading (see `once`). */
  shared?: Map<string, Promise<unknown>>
  /** Told before each pause of `waitFor` (and with undefined when the wait ends). */
  onWait?: (w: WaitState | undefined) => void
}

export class GradingContext implements CheckContext {
  readonly commands: CommandRecord[] = []
  readonly facts: Record<string, unknown>
  private readonly deadline: number

  constructor(private readonly o: ContextOptions) {
    this.facts = structuredClone(o.facts)
    this.deadline = Date.now() + o.budgetMs
  }

  get nodes(): Node[] {
    return this.o.env.nodes
  }

  get controlPlanes(): Node[] {
    return this.o.env.nodes.filter((n) => n.role === 'control-plane')
  }

  node(ref: NodeRef | string): Node {
    return pickNode(this.o.env.nodes, ref)
  }

  remainingMs(): number {
    return Math.max(0, this.deadline - Date.now())
  }

  private guard(): void {
    if (this.o.signal.aborted || this.remainingMs() <= 0) throw new BudgetExceeded()
  }

  async exec(
    node: Node,
    cmd: string,
    opts: { timeoutMs?: number; quiet?: boolean } = {},
  ): Promise<ExecResult> {
    this.guard()
    const started = Date.now()
    const timeoutMs = Math.max(1, Math.min(opts.timeoutMs ?? 15_000, this.remainingMs()))
    let r: ExecResult
    try {
      r = await node.exec(cmd, { timeoutMs })
    } catch (err) {
      r = { stdout: '', stderr: `could not run the command: ${(err as Error).message}`, exitCode: 255 }
    }
    this.commands.push({
      node: node.name,
      command: cmd,
      exitCode: r.exitCode,
      stdout: opts.quiet ? `(${r.stdout.length} characters)` : clip(r.stdout),
      stderr: clip(r.stderr),
      durationMs: Date.now() - started,
      ...(r.timedOut ? { timedOut: true } : {}),
    })
    return r
  }

  async readText(node: Node, path: string): Promise<string | undefined> {
    this.guard()
    const started = Date.now()
    const bytes = await node.readFile(path).catch(() => undefined)
    const text = bytes === undefined ? undefined : new TextDecoder().decode(bytes)
    this.commands.push({
      node: node.name,
      command: `cat ${path}`,
      exitCode: text === undefined ? 1 : 0,
      stdout: text === undefined ? '' : clip(text),
      stderr: text === undefined ? `cat: ${path}: No such file or directory` : '',
      durationMs: Date.now() - started,
    })
    return text
  }

  async inNewTerminal(node: Node, commandLine: string): Promise<ExecResult> {
    this.guard()
    const started = Date.now()
    const marker = 'ckalab-exit-status'
    let r: ExecResult
    let term: Awaited<ReturnType<Node['openTerminal']>> | undefined
    try {
      term = await node.openTerminal({ cols: 200, rows: 50 })
      const typer = new ScriptTyper(term)
      const budget = Math.max(1, this.remainingMs() - 500)
      if (!(await typer.ready(budget))) throw new Error('the terminal never showed a prompt')
      const before = typer.transcript.length
      const typed = await typer.type(`${commandLine}; echo "${marker}=$?"`, { lineTimeoutMs: budget })
      const text = typed.transcript.slice(before)
      // The first line is the echo of what was typed; the marker line ends the output.
      const lines = text.split('\n').slice(1)
      const end = lines.findIndex((l) => l.startsWith(`${marker}=`))
      const status = end >= 0 ? Number(lines[end].slice(marker.length + 1)) : 255
      r = {
        stdout: `${(end >= 0 ? lines.slice(0, end) : lines).join('\n')}\n`.replace(/^\n$/, ''),
        stderr: typed.stuckAt ? 'the command did not finish in the time left' : '',
        exitCode: Number.isFinite(status) ? status : 255,
        ...(typed.stuckAt ? { timedOut: true } : {}),
      }
    } catch (err) {
      r = { stdout: '', stderr: `could not open a terminal: ${(err as Error).message}`, exitCode: 255 }
    } finally {
      term?.dispose()
    }
    this.commands.push({
      node: node.name,
      command: `(in a new terminal) ${commandLine}`,
      exitCode: r.exitCode,
      stdout: clip(r.stdout),
      stderr: clip(r.stderr),
      durationMs: Date.now() - started,
      ...(r.timedOut ? { timedOut: true } : {}),
    })
    return r
  }

  async manifest(node: Node, pod: string): Promise<ManifestView | undefined> {
    const parseView = (path: string, text: string): ManifestView => {
      try {
        return { path, text, doc: parseYaml(text) }
      } catch (err) {
        return { path, text, error: (err as Error).message.split('\n')[0] }
      }
    }
    // The kubelet reads every file in the folder; the conventional name comes first.
    const preferred = `${MANIFEST_DIR}/${pod}.yaml`
    const text = await this.readText(node, preferred)
    if (text !== undefined) return parseView(preferred, text)
    const ls = await this.exec(node, `ls -1A ${MANIFEST_DIR}`)
    for (const name of ls.stdout.split('\n').map((s) => s.trim())) {
      if (!name || name.startsWith('.')) continue
      const path = `${MANIFEST_DIR}/${name}`
      const t = await this.readText(node, path)
      if (t === undefined) continue
      const view = parseView(path, t)
      if (view.doc?.kind === 'Pod' && view.doc?.metadata?.name === pod) return view
    }
    return undefined
  }

  async kubectl(node: Node, args: string): Promise<KubectlResult> {
    return classifyKubectl(await this.exec(node, `kubectl --kubeconfig=${ADMIN_KUBECONFIG} ${args}`))
  }

  async etcdctl(node: Node, args: string, endpoint = 'https://127.0.0.1:2379'): Promise<ExecResult> {
    return this.exec(node, `etcdctl --endpoints=${endpoint} ${ETCD_CLIENT_FLAGS} ${args}`)
  }

  async settle(ms: number): Promise<void> {
    this.guard()
    await this.o.env.settle(ms)
  }

  once<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const shared = this.o.shared
    if (!shared) return fn()
    if (!shared.has(key)) shared.set(key, fn())
    return shared.get(key) as Promise<T>
  }

  async waitFor<T>(
    probe: () => Promise<T | undefined>,
    withinMs: number,
    options: number | WaitOptions = {},
  ): Promise<T | undefined> {
    const o = typeof options === 'number' ? { everyMs: options } : options
    const everyMs = o.everyMs ?? 2000
    // The learner sees the bound that really applies (the wait, or the check's budget when
    // shorter) in whole seconds.
    const limit = Math.round(Math.min(withinMs, this.remainingMs()) / 1000) * 1000
    let waited = 0
    try {
      for (;;) {
        const started = Date.now()
        const v = await probe()
        if (v !== undefined) return v
        // Stop early when the real-time budget would not allow another round (a pause and a probe
        // as slow as this one), so the check ends with its own verdict rather than out of time.
        const probeMs = Date.now() - started
        if (waited >= withinMs || this.remainingMs() < everyMs + probeMs + 1000) return undefined
        if (o.what !== undefined)
          this.tellWait({
            what: typeof o.what === 'function' ? o.what() : o.what,
            waitedMs: waited,
            withinMs: limit,
          })
        await this.settle(everyMs)
        waited += everyMs
      }
    } finally {
      if (o.what !== undefined) this.tellWait(undefined)
    }
  }

  private tellWait(w: WaitState | undefined): void {
    try {
      this.o.onWait?.(w)
    } catch {
      /* progress is a courtesy */
    }
  }
}
