import { Bash, type CustomCommand, defineCommand, type IFileSystem, InMemoryFs } from 'just-bash'
import type { ExecOptions, ExecResult, Node, TerminalSize, TerminalStream } from '../seam'
import { utf8FromByteString } from './byte-string'
import type { SimCluster } from './cluster'
import { allCommands } from './commands/registry'
import type { SimCommand, SimCommandContext, Tty } from './commands/types'
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
  /**
   * Told when a command's output reaches the shell as stdout then stderr but a
   * terminal would show it in another order (`asRun` → `asShown`): the shell
   * only sees each stream whole, so the terminal session puts it right.
   */
  onOutputOrder?: (asRun: string, asShown: string) => void
}

/**
 * A simulated command as just-bash runs it, bound to a node and (for people
 * at a terminal) to its tty. `shell` names the interpreter in its own errors.
 */
export function bindCommand(
  command: SimCommand,
  node: SimNode,
  tty?: Tty,
  shell = 'bash',
  onOutputOrder?: ShellBinding['onOutputOrder'],
): CustomCommand {
  return defineCommand(command.name, async (args, jb) => {
    const ctx: SimCommandContext = {
      node,
      args,
      cwd: jb.cwd,
      env: jb.exportedEnv ?? Object.fromEntries(jb.env),
      stdin: utf8FromByteString(jb.stdin),
      fs: jb.fs,
      signal: jb.signal,
      tty,
      builtin: jb.origCommand
        ? async (a) => {
            const r = await (jb.origCommand as NonNullable<typeof jb.origCommand>)(a)
            return { stdout: r.stdout, stderr: r.stderr, exitCode: r.exitCode }
          }
        : undefined,
      exec: async (line, opts) => {
        if (!jb.exec)
          return { stdout: '', stderr: `${shell}: nested execution is not available here\n`, exitCode: 126 }
        const r = await jb.exec(line, { cwd: opts?.cwd ?? jb.cwd, stdin: opts?.stdin, env: opts?.env })
        return { stdout: r.stdout, stderr: r.stderr, exitCode: r.exitCode }
      },
    }
    try {
      const r = await command.run(ctx)
      if (r.shown !== undefined && r.stdout && r.stderr && r.shown !== r.stdout + r.stderr)
        onOutputOrder?.(r.stdout + r.stderr, r.shown)
      return r
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
  /** Opens the interactive shell; installed by the shell module so this file stays small. */
  static terminalFactory: ((node: SimNode, size: TerminalSize) => Promise<TerminalStream>) | undefined

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
    for (const command of allCommands()) {
      if (command.available && !command.available(this)) continue
      out.push(bindCommand(command, this, binding.tty, 'bash', binding.onOutputOrder))
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
    return new Bash({
      fs: as?.fs ?? this.fs,
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
    if (!SimNode.terminalFactory)
      throw new Error('the simulated shell is not loaded: import simulator/src/sim/shell')
    return SimNode.terminalFactory(this, size)
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
