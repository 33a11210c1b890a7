import { Bash, type CustomCommand, defineCommand, type IFileSystem, InMemoryFs } from 'just-bash'
import type { ExecOptions, ExecResult, Node, TerminalSize, TerminalStream } from '../seam'
import { utf8FromByteString } from './byte-string'
import type { SimCluster } from './cluster'
import type { CommandResult, OutputStream, SimCommand, SimCommandContext, Tty } from './commands/types'
import { cooperate } from './shell/cooperate'
import { JOB_MARKER, joinGate } from './shell/stop'
import { PIPELINE_MARKER, StreamTransform, TTY_MARKER } from './shell/stream-transform'
import { shellFs } from './shell/tty-device'
import { WatchedFs } from './vfs/watched-fs'

// One simulated machine: its filesystem, its shell and the commands ckalab
// adds to it. Cluster-wide behaviour (network, etcd members, kubelet) lives
// in modules that hold a reference to the node, not in this class.

/** A write past this many bytes of file data fails with ENOSPC. */
export const NODE_DISK_QUOTA_BYTES = 64 * 1024 * 1024

export const NODE_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'

export interface SimNodeInit {
  name: string
  role: 'control-plane' | 'worker'
  ip: string
  cluster: SimCluster
}

/** Hooks a terminal session gives the node so its commands can reach the terminal. */
export interface ShellBinding {
  tty?: Tty
  /** Writes text (LF line ends) to the terminal the shell runs in, at once. */
  terminal?: (text: string) => void
  /** The terminal's device (`/dev/pts/0`): writes to it reach `terminal`. */
  ttyPath?: string
  /** The line rewriter of this shell (stream-transform.ts); one is made when absent. */
  transform?: StreamTransform
}

/**
 * The streams a command's context offers. Text for a stream that is not the
 * terminal is kept, in the order written, for the command's result.
 */
function commandStreams(
  marker: string | undefined,
  terminal: ShellBinding['terminal'],
): { stdout: OutputStream; stderr: OutputStream; held: Array<[fd: 1 | 2, text: string]> } {
  const held: Array<[1 | 2, string]> = []
  const stream = (fd: 1 | 2): OutputStream => {
    const isTerminal = !!terminal && !!marker && marker.includes(String(fd))
    return {
      isTerminal,
      write: (text: string) => {
        if (!text) return
        if (isTerminal) terminal?.(text)
        else held.push([fd, text])
      },
    }
  }
  return { stdout: stream(1), stderr: stream(2), held }
}

/** The pipeline marker's commands (stream-transform.ts), or undefined outside a pipeline. */
function pipelineOf(value: string | undefined): string[] | undefined {
  if (!value) return undefined
  try {
    const list = JSON.parse(value) as unknown
    return Array.isArray(list) ? list.map(String) : undefined
  } catch {
    return undefined
  }
}

/**
 * Where a finished command's output goes: to the terminal in the order it was
 * written when both streams are the terminal; as one stdout in that order when
 * they share a pipe or file (`2>&1`); as two streams otherwise.
 */
function settle(
  r: CommandResult,
  held: Array<[1 | 2, string]>,
  marker: string | undefined,
  terminal: ShellBinding['terminal'],
): CommandResult {
  const merged = !!marker?.includes('m')
  const onTerminal = !!terminal && !!marker?.includes('1') && marker.includes('2')
  if (merged) {
    const text = held.map(([, t]) => t).join('') + (r.shown ?? r.stdout + r.stderr)
    if (onTerminal) {
      terminal?.(text)
      return { stdout: '', stderr: '', exitCode: r.exitCode }
    }
    return { stdout: text, stderr: '', exitCode: r.exitCode }
  }
  let stdout = ''
  let stderr = ''
  for (const [fd, t] of held) {
    if (fd === 1) stdout += t
    else stderr += t
  }
  return { stdout: stdout + r.stdout, stderr: stderr + r.stderr, exitCode: r.exitCode }
}

/**
 * A simulated command as just-bash runs it, bound to a node and (for people
 * at a terminal) to its tty. `shell` names the interpreter in its own errors.
 */
export function bindCommand(
  command: SimCommand,
  node: SimNode,
  binding: ShellBinding = {},
  shell = 'bash',
): CustomCommand {
  return defineCommand(command.name, async (args, jb) => {
    const env: Record<string, string> = { ...(jb.exportedEnv ?? Object.fromEntries(jb.env)) }
    const marker = env[TTY_MARKER] ?? jb.env.get(TTY_MARKER)
    const pipeline = pipelineOf(env[PIPELINE_MARKER] ?? jb.env.get(PIPELINE_MARKER))
    const job = env[JOB_MARKER] ?? jb.env.get(JOB_MARKER)
    delete env[TTY_MARKER]
    delete env[PIPELINE_MARKER]
    delete env[JOB_MARKER]
    // Ctrl-Z reaches the command through its line's gate (shell/stop.ts).
    joinGate(jb.signal, job)
    const streams = commandStreams(marker, binding.terminal)
    const ctx: SimCommandContext = {
      node,
      args,
      cwd: jb.cwd,
      env,
      stdin: utf8FromByteString(jb.stdin),
      fs: jb.fs,
      signal: jb.signal,
      tty: binding.tty,
      stdout: streams.stdout,
      stderr: streams.stderr,
      // Known wherever the shell rewrites lines for a terminal; elsewhere left to `tty`.
      stdoutIsTerminal: binding.terminal ? streams.stdout.isTerminal : undefined,
      pipeline,
      builtin: jb.origCommand
        ? async (a) => {
            const r = await (jb.origCommand as NonNullable<typeof jb.origCommand>)(a)
            return { stdout: r.stdout, stderr: r.stderr, exitCode: r.exitCode }
          }
        : undefined,
      exec: async (line, opts) => {
        if (!jb.exec)
          return { stdout: '', stderr: `${shell}: nested execution is not available here\n`, exitCode: 126 }
        let lineEnv = opts?.env
        // The nested line's commands write where this one writes: tell them, as the shell told it.
        if (opts?.inherit && marker) lineEnv = { ...(lineEnv ?? {}), [TTY_MARKER]: marker }
        // A line a command runs is part of the same job.
        if (job) lineEnv = { ...(lineEnv ?? {}), [JOB_MARKER]: job }
        const r = await jb.exec(line, { cwd: opts?.cwd ?? jb.cwd, stdin: opts?.stdin, env: lineEnv })
        return { stdout: r.stdout, stderr: r.stderr, exitCode: r.exitCode }
      },
    }
    try {
      await cooperate(jb.signal)
      const r = await command.run(ctx)
      return settle(r, streams.held, marker, binding.terminal)
    } catch (err) {
      if ((err as Error)?.name === 'AbortError') return { stdout: '', stderr: '', exitCode: 130 }
      // A bug in a simulated command must read like a crashed program, not take the node down.
      return {
        stdout: '',
        stderr: `${command.name}: internal error: ${(err as Error)?.message ?? err}\n`,
        exitCode: 2,
      }
    }
  })
}

export class SimNode implements Node {
  readonly name: string
  readonly role: 'control-plane' | 'worker'
  readonly ip: string
  readonly cluster: SimCluster
  readonly fs: WatchedFs
  private execBash: Bash | undefined
  private disposers: Array<() => void> = []

  constructor(init: SimNodeInit) {
    this.name = init.name
    this.role = init.role
    this.ip = init.ip
    this.cluster = init.cluster
    const inner = new InMemoryFs(undefined, { maxTotalBytes: NODE_DISK_QUOTA_BYTES })
    this.fs = new WatchedFs(inner, () => this.cluster.clock.now())
  }

  /** The environment a fresh root login sees before profile files are read. */
  baseEnv(): Record<string, string> {
    return {
      HOME: '/root',
      USER: 'root',
      LOGNAME: 'root',
      SHELL: '/bin/bash',
      PATH: NODE_PATH,
      HOSTNAME: this.name,
      LANG: 'C.UTF-8',
    }
  }

  /** The commands of this node, wrapped for just-bash, bound to one shell's terminal. */
  private wrapCommands(binding: ShellBinding): CustomCommand[] {
    const out: CustomCommand[] = []
    for (const command of this.cluster.commands.values()) {
      if (command.available && !command.available(this)) continue
      out.push(bindCommand(command, this, binding))
    }
    return out
  }

  /**
   * A new bash interpreter on this node's filesystem; one per terminal, one for
   * exec. `as` runs it as another user, on that user's view of the filesystem
   * (`sudo -u nobody …`).
   */
  createBash(
    binding: ShellBinding = {},
    env: Record<string, string> = this.baseEnv(),
    cwd = '/root',
    as?: { fs: IFileSystem; uid: number; gid: number },
  ): Bash {
    const fs = shellFs(as?.fs ?? this.fs, binding.ttyPath, binding.terminal)
    const bash = new Bash({
      fs,
      cwd,
      env,
      customCommands: this.wrapCommands(binding),
      sleep: (ms) => this.cluster.clock.sleep(ms),
      processInfo: { pid: 1, ppid: 0, uid: as?.uid ?? 0, gid: as?.gid ?? 0 },
      defenseInDepth: false,
      executionLimits: {
        maxCommandCount: 200_000,
        maxLoopIterations: 100_000,
        maxOutputSize: 16 * 1024 * 1024,
        maxExecutionTimeMs: 60_000,
      },
    })
    bash.registerTransformPlugin(binding.transform ?? new StreamTransform())
    return bash
  }

  private bashForExec(): Bash {
    if (!this.execBash) this.execBash = this.createBash()
    return this.execBash
  }

  async exec(cmd: string, opts: ExecOptions = {}): Promise<ExecResult> {
    const controller = new AbortController()
    let timedOut = false
    const timer =
      opts.timeoutMs !== undefined
        ? setTimeout(() => {
            timedOut = true
            controller.abort()
          }, opts.timeoutMs)
        : undefined
    try {
      const r = await this.bashForExec().exec(cmd, {
        cwd: opts.cwd ?? '/root',
        env: { ...this.baseEnv(), ...opts.env },
        replaceEnv: true,
        stdin: opts.stdin,
        signal: controller.signal,
        rawScript: true,
      })
      return { stdout: r.stdout, stderr: r.stderr, exitCode: timedOut ? 124 : r.exitCode, timedOut }
    } finally {
      if (timer) clearTimeout(timer)
    }
  }

  async openTerminal(size: TerminalSize): Promise<TerminalStream> {
    const open = this.cluster.terminal
    if (!open)
      throw new Error(
        'this simulated cluster was composed without a shell: pass `terminal` (openShellTerminal) to createSimCluster',
      )
    return open(this, size)
  }

  /** The seam's file-change capability. */
  onFileChange(listener: (path: string) => void): () => void {
    return this.fs.onChange((change) => {
      listener(change.path)
      if (change.to) listener(change.to)
    })
  }

  async readFile(path: string): Promise<Uint8Array | undefined> {
    try {
      return await this.fs.readFileBuffer(path)
    } catch {
      return undefined
    }
  }

  /** Read a text file, or undefined when it does not exist or is a directory. */
  async readText(path: string): Promise<string | undefined> {
    try {
      return await this.fs.readFile(path)
    } catch {
      return undefined
    }
  }

  /** Keep a disposer to run when the node goes away. */
  own(dispose: () => void): void {
    this.disposers.push(dispose)
  }

  dispose(): void {
    for (const d of this.disposers.splice(0)) {
      try {
        d()
      } catch {
        // Disposal is best effort; one failing part must not keep the rest alive.
      }
    }
  }
}
