import type { CommandResult, SimCommandContext } from '../../commands/types'
import type { SimNode } from '../../node'
import { getProfile, type Profile } from '../../profiles'
import { type ApiClient, ApiError } from '../api'
import type { FlagValues } from './args'
import { type LoadedConfig, loadKubeconfig, resolveTarget, type Target } from './config'

// What every kubectl verb works with: the parsed global flags, the resolved
// kubeconfig target, an ApiClient, the profile and the clock, and the
// output buffers.

export interface ExecRequest {
  /** The node the pod is bound to (spec.nodeName). */
  nodeName?: string
  namespace: string
  pod: string
  container?: string
  argv: string[]
  stdin: string
  tty: boolean
  ctx: SimCommandContext
}

/** How kubectl reaches the simulated cluster; the k8s runtime provides it. */
export interface KubectlBackend {
  /** The apiserver the node's kubeconfig points at, or undefined when none is reachable at that address. */
  client(node: SimNode, target: Target): ApiClient | undefined
  /** Run a command inside a pod's container (`kubectl exec`). */
  exec?(req: ExecRequest): Promise<ExecOutcome>
}

/**
 * What exec gives back: the program's result, or why it could not start
 * (`startError`: the runtime's OCI message), or `notRunning` when the
 * container is not running on that node.
 */
export interface ExecOutcome extends CommandResult {
  startError?: string
  execId?: string
  notRunning?: boolean
}

/**
 * An `error: …` line and exit 1, kubectl's usual way to refuse; `seeHelp` adds
 * the "See 'kubectl VERB -h' for help and examples" line of cmdutil.UsageErrorf.
 */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly seeHelp = false,
  ) {
    super(message)
  }
}

/** Exact text for stderr (already formatted) and an exit code. */
export class RawError extends Error {
  constructor(
    readonly text: string,
    readonly code = 1,
  ) {
    super(text)
  }
}

export function refusedMessage(hostPort: string): string {
  return `The connection to the server ${hostPort} was refused - did you specify the right host or port?`
}

export class Kube {
  stdout = ''
  stderr = ''
  /** Both streams in the order they were written, as a terminal shows them. */
  shown = ''
  readonly profile: Profile
  /** Kubernetes minor version of this profile (20, 31, 34). */
  readonly minor: number
  private loaded?: LoadedConfig
  private targetCache?: Target
  private clientCache?: ApiClient

  constructor(
    readonly ctx: SimCommandContext,
    readonly backend: KubectlBackend,
    readonly global: FlagValues,
  ) {
    this.profile = safeProfile(ctx.node)
    this.minor = Number(this.profile.kubernetesVersion.split('.')[1])
  }

  now(): number {
    return this.ctx.node.cluster.clock.now()
  }

  async config(): Promise<LoadedConfig> {
    if (!this.loaded)
      this.loaded = await loadKubeconfig(
        this.ctx.fs,
        this.ctx.cwd,
        this.ctx.env,
        this.global.kubeconfig as string | undefined,
      )
    return this.loaded
  }

  async target(): Promise<Target> {
    if (!this.targetCache) {
      const c = await this.config()
      this.targetCache = resolveTarget(c.config, {
        context: this.global.context as string | undefined,
        cluster: this.global.cluster as string | undefined,
        server: this.global.server as string | undefined,
        namespace: this.global.namespace as string | undefined,
      })
    }
    return this.targetCache
  }

  async namespace(): Promise<string> {
    return (await this.target()).namespace
  }

  /**
   * What kubectl checks while building its REST client, before any request and
   * even for --dry-run=client: the cluster's CA data must hold a PEM block.
   */
  async restConfig(): Promise<Target> {
    const t = await this.target()
    if (t.caData !== undefined) {
      let pem = ''
      try {
        pem = atob(t.caData)
      } catch {
        pem = ''
      }
      if (!pem.includes('-----BEGIN'))
        throw new UsageError('unable to load root certificates: unable to parse bytes as PEM block')
    }
    return t
  }

  async api(): Promise<ApiClient> {
    if (this.clientCache) return this.clientCache
    const t = await this.restConfig()
    if (t.hostPort === 'localhost:8080' && (await this.config()).files.length === 0)
      throw new ApiError('unavailable', refusedMessage('localhost:8080'))
    const c = this.backend.client(this.ctx.node, t)
    if (!c) throw new ApiError('unavailable', refusedMessage(t.hostPort))
    this.clientCache = c
    return c
  }

  print(text: string): void {
    this.stdout += text
    this.shown += text
  }

  warn(text: string): void {
    this.stderr += text
    this.shown += text
  }
}

function safeProfile(node: SimNode): Profile {
  try {
    return node.cluster.profile ?? getProfile()
  } catch {
    return getProfile()
  }
}

/**
 * The klog lines kubectl 1.26+ prints before a connection error, while its
 * discovery client retries (five attempts for one command).
 */
export function discoveryErrorLines(k: Kube, message: string, targetUrl: string): string {
  if (k.minor < 26) return ''
  let cause: string
  const refused = message.match(/^The connection to the server (\S+) was refused/)
  const unable = message.match(/^Unable to connect to the server: (.*)$/)
  const base = targetUrl.replace(/\/+$/, '')
  if (refused) {
    const hp = refused[1]
    const dial = hp.startsWith('localhost:') ? hp.replace('localhost', '127.0.0.1') : hp
    cause = `Get \\"${base}/api?timeout=32s\\": dial tcp ${dial}: connect: connection refused`
  } else if (unable) cause = `Get \\"${base}/api?timeout=32s\\": ${unable[1]}`
  else return ''
  let out = ''
  for (let i = 0; i < 5; i++)
    out += `${klogPrefix(k, 'memcache.go:265', i)} "Unhandled Error" err="couldn't get current server API group list: ${cause}"\n`
  return out
}

/** A klog error header as kubectl writes it: `E0115 09:00:05.000113   31605 file.go:N]`, timed by the clock. */
export function klogPrefix(k: Kube, fileLine: string, seq = 0): string {
  const start = k.now()
  const pid = 4000 + (Math.floor(start / 1000) % 60000)
  const t = new Date(start)
  const micros = String((t.getUTCMilliseconds() * 1000 + 113 + seq * 1871) % 1_000_000).padStart(6, '0')
  const p2 = (n: number) => String(n).padStart(2, '0')
  const stamp = `${p2(t.getUTCMonth() + 1)}${p2(t.getUTCDate())} ${p2(t.getUTCHours())}:${p2(t.getUTCMinutes())}:${p2(t.getUTCSeconds())}.${micros}`
  return `E${stamp} ${String(pid).padStart(7)} ${fileLine}]`
}
