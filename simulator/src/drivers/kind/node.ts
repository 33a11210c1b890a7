import { randomBytes } from 'node:crypto'
import type { Duplex } from 'node:stream'
import type Docker from 'dockerode'
import { extract } from 'tar-stream'
import {
  type ExecOptions,
  type ExecResult,
  type Node,
  NodeGoneError,
  type TerminalSize,
  type TerminalStream,
} from '../../seam'
import { CLUSTER_LABEL, type NodeContainer } from './docker'
import { DockerTerminal } from './terminal'

// One kind node container behind the seam's Node. Non-interactive commands run
// as `bash -c` without a TTY (stdout and stderr kept apart); terminals run a
// login shell with a TTY. The command of a terminal is fixed here, never
// taken from a client.

export const DEFAULT_EXEC_TIMEOUT_MS = 120_000
/** Grace for `timeout` to kill the command before the client side gives up. */
const CLIENT_GRACE_MS = 8_000
const TIMEOUT_EXIT = 124

export class NodeUnavailableError extends NodeGoneError {
  constructor(node: string, why: string) {
    super(node, `node ${node} is not available (${why}); reset the attempt to get a new cluster`)
    this.name = 'NodeUnavailableError'
  }
}

export class KindNode implements Node {
  readonly name: string
  readonly role: 'control-plane' | 'worker'
  readonly containerId: string

  private constructor(
    private readonly docker: Docker,
    container: NodeContainer,
  ) {
    this.name = container.name
    this.role = container.role === 'worker' ? 'worker' : 'control-plane'
    this.containerId = container.id
  }

  /**
   * The only way to make a node: the container must carry the cluster's label.
   * Labels cannot change after creation and ids are never reused, so a node
   * checked once stays safe to exec into.
   */
  static fromContainer(docker: Docker, container: NodeContainer, cluster: string): KindNode {
    if (container.cluster !== cluster) {
      throw new Error(
        `container ${container.name} does not carry ${CLUSTER_LABEL}=${cluster}; refusing to use it`,
      )
    }
    return new KindNode(docker, container)
  }

  async exec(cmd: string, opts: ExecOptions = {}): Promise<ExecResult> {
    const r = await this.execRaw(['bash', '-c', cmd], opts)
    return {
      stdout: r.stdout.toString('utf8'),
      stderr: r.stderr.toString('utf8'),
      exitCode: r.exitCode,
      ...(r.timedOut ? { timedOut: true } : {}),
    }
  }

  /** Runs argv without a shell in between; stdout/stderr as bytes. */
  async execRaw(
    argv: string[],
    opts: ExecOptions = {},
  ): Promise<{ stdout: Buffer; stderr: Buffer; exitCode: number; timedOut: boolean }> {
    const timeoutMs = opts.timeoutMs ?? DEFAULT_EXEC_TIMEOUT_MS
    // coreutils `timeout` kills the whole process group in the node: nothing
    // keeps running after a check gave up on it.
    const secs = Math.max(0.1, timeoutMs / 1000).toFixed(1)
    const cmd = ['timeout', '-k', '3', `${secs}s`, ...argv]
    const container = this.docker.getContainer(this.containerId)
    const started = Date.now()
    const exec = await this.guard(() =>
      container.exec({
        Cmd: cmd,
        AttachStdout: true,
        AttachStderr: true,
        AttachStdin: opts.stdin !== undefined,
        Tty: false,
        Env: envList(opts.env),
        WorkingDir: opts.cwd,
      }),
    )
    const stream = (await this.guard(() =>
      exec.start({ hijack: true, stdin: opts.stdin !== undefined }),
    )) as unknown as Duplex
    const out: Buffer[] = []
    const err: Buffer[] = []
    this.docker.modem.demuxStream(stream, collector(out), collector(err))
    if (opts.stdin !== undefined) stream.end(opts.stdin)

    let clientTimedOut = false
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        clientTimedOut = true
        stream.destroy()
        resolve()
      }, timeoutMs + CLIENT_GRACE_MS)
      const done = () => {
        clearTimeout(timer)
        resolve()
      }
      stream.on('end', done)
      stream.on('close', done)
      stream.on('error', done)
    })
    const exitCode = clientTimedOut ? TIMEOUT_EXIT : await exitCodeOf(exec)
    const elapsed = Date.now() - started
    const timedOut =
      clientTimedOut || ((exitCode === TIMEOUT_EXIT || exitCode === 137) && elapsed >= timeoutMs)
    return { stdout: Buffer.concat(out), stderr: Buffer.concat(err), exitCode, timedOut }
  }

  async openTerminal(size: TerminalSize): Promise<TerminalStream> {
    const container = this.docker.getContainer(this.containerId)
    // Marks every process of this terminal so dispose() can end them: the
    // shell does not always notice that its client went away.
    const marker = randomBytes(8).toString('hex')
    const exec = await this.guard(() =>
      container.exec({
        Cmd: ['bash', '-l'],
        AttachStdin: true,
        AttachStdout: true,
        AttachStderr: true,
        Tty: true,
        // C.UTF-8 so that readline takes multi-byte input as characters, not as meta keys
        Env: ['TERM=xterm-256color', 'LANG=C.UTF-8', `CKALAB_TERMINAL=${marker}`],
        WorkingDir: '/root',
      }),
    )
    const stream = (await this.guard(() =>
      exec.start({ hijack: true, stdin: true, Tty: true }),
    )) as unknown as Duplex
    const terminal = new DockerTerminal(stream, exec, {
      exitCode: () => exitCodeOf(exec),
      kill: () => this.killMarked(marker),
    })
    await terminal.resizeNow(size)
    return terminal
  }

  async readFile(path: string): Promise<Uint8Array | undefined> {
    const container = this.docker.getContainer(this.containerId)
    let current = path
    for (let hop = 0; hop < 8; hop++) {
      let archive: NodeJS.ReadableStream
      try {
        archive = await container.getArchive({ path: current })
      } catch (e) {
        const code = (e as { statusCode?: number }).statusCode
        // The archive API reads the container's root filesystem and cannot see
        // tmpfs mounts (/tmp, /run in kind nodes): ask the node itself.
        if (code === 404) return this.readFileByExec(path)
        if (code === 409) throw new NodeUnavailableError(this.name, 'container is not running')
        throw e
      }
      const entry = await firstEntry(archive)
      if (!entry) return undefined
      if (entry.type === 'file') return entry.data
      if (entry.type === 'symlink' && entry.linkname) {
        current = entry.linkname.startsWith('/')
          ? entry.linkname
          : `${current.slice(0, current.lastIndexOf('/') + 1)}${entry.linkname}`
        continue
      }
      return undefined // a directory or a device is not a file
    }
    return undefined // a symlink loop
  }

  private async readFileByExec(path: string): Promise<Uint8Array | undefined> {
    const r = await this.execRaw(
      ['sh', '-c', 'if [ -f "$1" ]; then exec cat -- "$1"; else exit 3; fi', 'sh', path],
      {
        timeoutMs: 30_000,
      },
    )
    return r.exitCode === 0 ? new Uint8Array(r.stdout) : undefined
  }

  private async killMarked(marker: string): Promise<void> {
    const script = `for p in /proc/[0-9]*; do
  if tr '\\0' '\\n' < "$p/environ" 2>/dev/null | grep -qx "CKALAB_TERMINAL=${marker}"; then echo "\${p#/proc/}"; fi
done | xargs -r kill -HUP 2>/dev/null; sleep 1
for p in /proc/[0-9]*; do
  if tr '\\0' '\\n' < "$p/environ" 2>/dev/null | grep -qx "CKALAB_TERMINAL=${marker}"; then echo "\${p#/proc/}"; fi
done | xargs -r kill -KILL 2>/dev/null; true`
    await this.execRaw(['sh', '-c', script], { timeoutMs: 15_000 }).catch(() => undefined)
  }

  private async guard<T>(f: () => Promise<T>): Promise<T> {
    try {
      return await f()
    } catch (e) {
      const code = (e as { statusCode?: number }).statusCode
      if (code === 409) throw new NodeUnavailableError(this.name, 'container is not running')
      if (code === 404) throw new NodeUnavailableError(this.name, 'container no longer exists')
      throw e
    }
  }
}

/** A write-only sink for demuxStream, which only ever calls write(). */
function collector(into: Buffer[]): NodeJS.WritableStream {
  return {
    write: (b: Buffer) => {
      into.push(b)
      return true
    },
  } as unknown as NodeJS.WritableStream
}

function envList(env: Record<string, string> | undefined): string[] | undefined {
  return env ? Object.entries(env).map(([k, v]) => `${k}=${v}`) : undefined
}

/** The exit code can lag the end of the stream by a few ms: poll until the exec stopped. */
async function exitCodeOf(exec: Docker.Exec): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const info = await exec.inspect()
    if (!info.Running && info.ExitCode !== null && info.ExitCode !== undefined) return info.ExitCode
    await new Promise((r) => setTimeout(r, 20))
  }
  return -1
}

interface ArchiveEntry {
  type: string
  linkname?: string
  data: Uint8Array
}

function firstEntry(archive: NodeJS.ReadableStream): Promise<ArchiveEntry | undefined> {
  return new Promise((resolve, reject) => {
    const ex = extract()
    let found: ArchiveEntry | undefined
    ex.on('entry', (header, body, next) => {
      const chunks: Buffer[] = []
      body.on('data', (c: unknown) => {
        if (!found) chunks.push(c as Buffer)
      })
      body.on('end', () => {
        if (!found) {
          found = {
            type: header.type ?? 'file',
            linkname: header.linkname ?? undefined,
            data: new Uint8Array(Buffer.concat(chunks)),
          }
        }
        next()
      })
      body.resume()
    })
    ex.on('finish', () => resolve(found))
    ex.on('error', reject)
    archive.on('error', reject)
    archive.pipe(ex)
  })
}
