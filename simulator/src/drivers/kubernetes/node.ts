import { randomBytes } from 'node:crypto'
import type { KubeConfig } from '@kubernetes/client-node'
import type { ExecOptions, ExecResult, Node, TerminalSize, TerminalStream } from '../../seam'
import { PodGoneError } from './errors'
import { commandLine, DEFAULT_EXEC_TIMEOUT_MS, execRaw, type RawResult } from './exec'
import { NODE_CONTAINER } from './objects'
import { KubeTerminal } from './terminal'

// One lab node = one pod, reached only through the API server: commands and
// files over exec, terminals over a TTY exec. When the API server cannot reach
// the pod, `whyGone` asks what became of it (evicted, deleted, namespace
// gone) so the learner reads the reason, not a WebSocket error.

export interface PodRef {
  namespace: string
  pod: string
}

export class KubeNode implements Node {
  constructor(
    readonly name: string,
    readonly role: 'control-plane' | 'worker',
    readonly ref: PodRef,
    private readonly kc: KubeConfig,
    /** Why the pod cannot be used now, or undefined when it runs. */
    private readonly whyGone: () => Promise<string | undefined>,
  ) {}

  async exec(cmd: string, opts: ExecOptions = {}): Promise<ExecResult> {
    const r = await this.run(commandLine(cmd, opts), opts.timeoutMs ?? DEFAULT_EXEC_TIMEOUT_MS)
    return {
      stdout: r.stdout.toString('utf8'),
      stderr: r.stderr.toString('utf8'),
      exitCode: r.exitCode,
      ...(r.timedOut ? { timedOut: true } : {}),
    }
  }

  async openTerminal(size: TerminalSize): Promise<TerminalStream> {
    // every process of this terminal carries the marker, so dispose() can end them all
    const marker = randomBytes(8).toString('hex')
    const argv = [
      'sh',
      '-c',
      'cd /root 2>/dev/null; exec env TERM=xterm-256color LANG=C.UTF-8 CKALAB_TERMINAL="$0" bash -l',
      marker,
    ]
    try {
      return await KubeTerminal.open(this.kc, this.where(), argv, size, {
        kill: () => this.killMarked(marker),
      })
    } catch (e) {
      throw (await this.goneError()) ?? e
    }
  }

  async readFile(path: string): Promise<Uint8Array | undefined> {
    // exit 3: not a regular file (missing, a directory); symlinks are followed as the kernel does
    const r = await this.run(
      ['sh', '-c', 'if [ -f "$1" ]; then exec cat -- "$1"; else exit 3; fi', 'sh', path],
      30_000,
    )
    if (r.exitCode === 0) return new Uint8Array(r.stdout)
    if (r.exitCode === 3) return undefined
    throw new Error(
      `could not read ${path} on ${this.name}: ${r.stderr.toString('utf8').trim() || `exit ${r.exitCode}`}`,
    )
  }

  private async run(argv: string[], timeoutMs: number): Promise<RawResult> {
    let r: RawResult
    try {
      r = await execRaw(this.kc, this.where(), argv, timeoutMs)
    } catch (e) {
      throw (await this.goneError()) ?? e
    }
    if (r.transportError) {
      const gone = await this.goneError()
      if (gone) throw gone
    }
    return r
  }

  private async goneError(): Promise<PodGoneError | undefined> {
    const why = await this.whyGone().catch(() => undefined)
    return why ? new PodGoneError(this.name, why) : undefined
  }

  private async killMarked(marker: string): Promise<void> {
    const script = `for p in /proc/[0-9]*; do
  if tr '\\0' '\\n' < "$p/environ" 2>/dev/null | grep -qx "CKALAB_TERMINAL=$1"; then echo "\${p#/proc/}"; fi
done | xargs -r kill -HUP 2>/dev/null; sleep 1
for p in /proc/[0-9]*; do
  if tr '\\0' '\\n' < "$p/environ" 2>/dev/null | grep -qx "CKALAB_TERMINAL=$1"; then echo "\${p#/proc/}"; fi
done | xargs -r kill -KILL 2>/dev/null; true`
    await execRaw(this.kc, this.where(), ['sh', '-c', script, 'sh', marker], 15_000).catch(() => undefined)
  }

  private where() {
    return { namespace: this.ref.namespace, pod: this.ref.pod, container: NODE_CONTAINER }
  }
}
