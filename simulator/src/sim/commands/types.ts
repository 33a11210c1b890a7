import type { IFileSystem } from 'just-bash'
import type { SimNode } from '../node'

// How ckalab's own commands (etcdctl, kubectl, crictl, vim …) plug into a
// simulated node's shell. A command is a function of a context; it never
// touches just-bash directly, so it can also run inside a container view of
// the node (`kubectl exec etcd-x -- etcdctl …`).

export interface CommandResult {
  stdout: string
  stderr: string
  exitCode: number
  /**
   * What a terminal that shows both streams shows, when the program did not
   * write all of stdout before its stderr (`etcdctl snapshot save` logs while
   * it works and prints the result at the end). Absent: stdout, then stderr.
   */
  shown?: string
}

/** The result as a terminal shows it when stderr was written before stdout. */
export function stderrFirst(r: CommandResult): CommandResult {
  return { ...r, shown: r.stderr + r.stdout }
}

export interface TerminalSizeLike {
  cols: number
  rows: number
}

/**
 * The controlling terminal, present only when a person runs the command at an
 * interactive terminal. Full-screen programs (vim, nano) draw through it.
 */
export interface Tty {
  readonly size: TerminalSizeLike
  write(data: string): void
  onInput(listener: (data: string) => void): () => void
  onResize(listener: (size: TerminalSizeLike) => void): () => void
}

/**
 * One of a running command's output streams. Writing to it while the command
 * runs is how long-running commands (`kubectl get -w`, `tail -f`) show their
 * output as it happens; what is written comes before the text the command
 * finally returns in its CommandResult.
 */
export interface OutputStream {
  write(text: string): void
  /**
   * The stream is the person's terminal: what is written is seen at once.
   * Otherwise it goes to a pipe, a file or a `$(…)`, which only sees it when the
   * command ends, so a command that would follow forever (`-f`, `-w`) should
   * print what it has and end.
   */
  readonly isTerminal: boolean
}

export interface SimCommandContext {
  node: SimNode
  /** Arguments after the command name, already expanded by the shell. */
  args: string[]
  cwd: string
  /** The environment the process sees (exported variables only, as in bash). */
  env: Record<string, string>
  stdin: string
  /** The filesystem this process sees: the node's, or a container's view of it. */
  fs: IFileSystem
  /** Aborted on Ctrl-C or when a time budget runs out. */
  signal?: AbortSignal
  tty?: Tty
  /** Streaming stdout and stderr; absent where a command is run outside a shell. */
  stdout?: OutputStream
  stderr?: OutputStream
  /**
   * Whether stdout reaches the terminal (false when piped or redirected), when
   * the shell knows it. Unset: treated as a terminal whenever `tty` is set.
   */
  stdoutIsTerminal?: boolean
  /**
   * The commands of the pipeline this one runs in, as typed (e.g. `['ps aux',
   * 'grep etcd']`), when the shell knows them: `ps` lists its pipeline
   * partners, as they run at the same time on a real system.
   */
  pipeline?: string[]
  /**
   * The bundled just-bash command this one stands in front of, when it has
   * the same name (`cat` checks permissions, then lets the bundled cat work).
   */
  builtin?: (args: string[]) => Promise<CommandResult>
  /**
   * Run a shell line in the same context (same fs, cwd, env). With `inherit`,
   * the line writes to this command's own stdout and stderr (the terminal, a
   * pipe), as `sudo CMD` and `su -c CMD` hand theirs to CMD.
   */
  exec(
    line: string,
    opts?: { cwd?: string; stdin?: string; env?: Record<string, string>; inherit?: boolean },
  ): Promise<CommandResult>
}

export interface SimCommand {
  name: string
  /** Whether the binary exists on this node (e.g. etcdutl is absent on the 1.20 profile). */
  available?(node: SimNode): boolean
  run(ctx: SimCommandContext): Promise<CommandResult>
}

export function ok(stdout = ''): CommandResult {
  return { stdout, stderr: '', exitCode: 0 }
}

export function fail(stderr: string, exitCode = 1, stdout = ''): CommandResult {
  return { stdout, stderr, exitCode }
}

/** Resolve a possibly relative path against the process's working directory. */
export function resolvePath(ctx: Pick<SimCommandContext, 'cwd' | 'fs'>, path: string): string {
  return ctx.fs.resolvePath(ctx.cwd, path)
}
