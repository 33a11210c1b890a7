import type { Bash } from 'just-bash'
import { parse } from 'just-bash'
import type { Tty } from '../commands/types'
import type { SimNode } from '../node'
import { judgeInput, type ParseVerdict } from './incomplete'
import { type Job, JobTable } from './jobs'
import { absorbResult, childState, newState, type ShellState, wrapLine } from './shell-state'
import { gateFor, JOB_MARKER, nameGate } from './stop'
import { runsAProgram } from './stoppable'
import { StreamTransform } from './stream-transform'

// An interactive (or `bash -s`-like) shell on one simulated node: runs one
// command line at a time on just-bash and carries the shell's state from line
// to line, including nested shells (`bash`, `su -`, `exec bash`).

export interface SessionOptions {
  /** The controlling terminal, when a person is typing. */
  tty?: Tty
  /** Interactive shells expand aliases and read ~/.bashrc; `bash -s` does neither. */
  interactive: boolean
  /** Start as a login shell (reads /etc/profile and ~/.profile). Default true. */
  login?: boolean
  /** Merge stderr into stdout in the order it was written, as a terminal shows it. */
  mergeStderr?: boolean
  /**
   * Writes to the terminal at once (LF line ends). With it, output reaches the
   * screen as each command produces it rather than when the line ends.
   */
  terminal?: (text: string) => void
  /** The terminal's device name, `/dev/pts/0`. */
  ttyPath?: string
}

export interface RunOutput {
  stdout: string
  stderr: string
  status: number
  /** Set when the line ended the outermost shell (`exit`, `logout`). */
  exited?: number
  /** What bash prints when a shell ends: `logout` for a login shell, `exit` otherwise. */
  farewell?: string
  interrupted?: boolean
}

/** Which builtin the previous line was, for bash's second-`exit` rule. */
type LastBuiltin = 'exit' | 'jobs' | 'other'

/** bash's `exit`/`logout` typed alone, with an optional status. */
const EXIT_LINE = /^(exit|logout)(\s+\S+)?$/

const LIMIT_TEXT = /, increase executionLimits\.\w+/g
const MAX_HISTORY = 1000

const LOGIN_FILES = [
  'if [ -r /etc/profile ]; then . /etc/profile; fi',
  'if [ -r ~/.bash_profile ]; then . ~/.bash_profile; elif [ -r ~/.bash_login ]; then . ~/.bash_login; elif [ -r ~/.profile ]; then . ~/.profile; fi',
].join('\n')
const RC_FILES =
  'if [ -r /etc/bash.bashrc ]; then . /etc/bash.bashrc; fi\nif [ -r ~/.bashrc ]; then . ~/.bashrc; fi'

/** A command line that starts another shell in this terminal. */
interface ShellSwitch {
  replace: boolean
  login: boolean
  /** Start from a clean login environment (`su -`, `sudo -i`). */
  cleanEnv: boolean
}

const LOGIN_FLAGS = new Set(['-l', '--login', '-il', '-li'])
const BASH_FLAGS = new Set([...LOGIN_FLAGS, '-i'])

/** Recognise `bash`, `bash -l`, `su -`, `sudo -i`, `exec bash` … typed alone on a line. */
export function parseShellSwitch(text: string): ShellSwitch | undefined {
  let words = text.trim().split(/\s+/)
  let replace = false
  if (words[0] === 'exec') {
    replace = true
    words = words.slice(1)
  }
  if (words[0] === 'sudo') {
    const rest = words.slice(1)
    if (rest.length === 1 && rest[0] === '-i') return { replace, login: true, cleanEnv: true }
    if (rest.length === 1 && rest[0] === '-s') return { replace, login: false, cleanEnv: false }
    words = rest
  }
  const [cmd, ...args] = words
  if (cmd === 'bash' || cmd === '/bin/bash' || cmd === 'sh' || cmd === '/bin/sh') {
    if (!args.every((a) => BASH_FLAGS.has(a))) return undefined
    const login = args.some((a) => LOGIN_FLAGS.has(a))
    return { replace, login, cleanEnv: false }
  }
  if (cmd === 'su') {
    const known = args.every((a) => a === '-' || a === '-l' || a === '--login' || a === 'root')
    if (!known) return undefined
    const login = args.some((a) => a === '-' || a === '-l' || a === '--login')
    return { replace, login, cleanEnv: login }
  }
  return undefined
}

/** The command of a line that is one command put in the background (`cmd &`), without its `&`. */
export function backgroundBody(text: string): string | undefined {
  if (!/&\s*$/.test(text) || /&&\s*$/.test(text)) return undefined
  try {
    const ast = parse(text)
    const [only] = ast.statements
    if (ast.statements.length !== 1 || !only?.background) return undefined
  } catch {
    return undefined
  }
  return text.replace(/\s*&\s*$/, '')
}

/** `alias` must not list the two aliases the interactive `source` wrapper relies on. */
function hideInternalAliases(text: string): string {
  if (!text.includes('__ckalab_source')) return text
  return text.replace(/^alias (source|\.)='__ckalab_source'\n/gm, '')
}

export class ShellSession {
  readonly history: string[] = []
  private stack: ShellState[] = []
  private bash: Bash
  private readonly transform: StreamTransform
  private readonly jobs = new JobTable()
  private readonly interactive: boolean
  private readonly mergeStderr: boolean
  /** Ctrl-Z for what runs in the foreground now; undefined at the prompt. */
  private foreground: (() => boolean) | undefined
  private lastBuiltin: LastBuiltin = 'other'

  constructor(
    readonly node: SimNode,
    private readonly options: SessionOptions,
  ) {
    this.interactive = options.interactive
    this.mergeStderr = options.mergeStderr ?? false
    this.transform = new StreamTransform()
    this.bash = node.createBash({
      tty: options.tty,
      terminal: options.terminal,
      ttyPath: options.terminal ? (options.ttyPath ?? '/dev/pts/0') : undefined,
      transform: this.transform,
    })
  }

  get state(): ShellState {
    const top = this.stack[this.stack.length - 1]
    if (!top) throw new Error('the shell has exited')
    return top
  }

  get depth(): number {
    return this.stack.length
  }

  /** Begin the first shell: a login shell with the node's base environment, reading its startup files. */
  async start(): Promise<RunOutput> {
    const login = this.options.login ?? true
    this.stack.push(this.freshState(this.node.baseEnv(), '/root', login, 1))
    return this.runStartupFiles()
  }

  private freshState(env: Record<string, string>, cwd: string, login: boolean, level: number): ShellState {
    const state = newState({ ...env, SHLVL: String(level) }, cwd, login, this.interactive)
    state.vars.set('BASH', '/bin/bash')
    if (this.interactive) state.vars.set('PS1', '$' + '{debian_chroot:+($debian_chroot)}\\u@\\h:\\w\\$ ')
    return state
  }

  private async runStartupFiles(): Promise<RunOutput> {
    const state = this.state
    const script = state.login ? LOGIN_FILES : this.interactive ? RC_FILES : ''
    if (!script) return { stdout: '', stderr: '', status: 0 }
    const out = await this.execute(script)
    state.lastStatus = 0
    return { ...out, status: 0 }
  }

  /** `root@controlplane:~# ` */
  prompt(): string {
    const state = this.stack[this.stack.length - 1]
    const cwd = state?.cwd ?? '/root'
    const home = state?.vars.get('HOME') ?? '/root'
    let shown = cwd
    if (home && home !== '/' && (cwd === home || cwd.startsWith(`${home}/`)))
      shown = `~${cwd.slice(home.length)}`
    return `root@${this.node.name}:${shown}# `
  }

  judge(text: string): ParseVerdict {
    return judgeInput(text)
  }

  /** Remember a line the way bash's HISTCONTROL=ignoreboth does. */
  addHistory(line: string): void {
    if (!line.trim() || /^\s/.test(line)) return
    if (this.history[this.history.length - 1] === line) return
    this.history.push(line)
    if (this.history.length > MAX_HISTORY) this.history.splice(0, this.history.length - MAX_HISTORY)
  }

  /** Names a Tab can complete at the start of a command: aliases, functions, builtins and commands. */
  commandWords(): string[] {
    const s = this.stack[this.stack.length - 1]
    return [...(s?.aliases.keys() ?? []), ...(s?.functions.keys() ?? [])]
  }

  /** Run one complete command line (possibly several physical lines). */
  async run(text: string, signal?: AbortSignal): Promise<RunOutput> {
    if (this.stack.length === 0) return { stdout: '', stderr: '', status: 0, exited: 0 }
    if (!text.trim()) return { stdout: '', stderr: '', status: this.state.lastStatus }
    const previousBuiltin = this.lastBuiltin
    const first = text.trim().split(/\s+/)[0]
    this.lastBuiltin = first === 'exit' || first === 'logout' ? 'exit' : first === 'jobs' ? 'jobs' : 'other'
    const refused = this.refuseExit(text.trim(), previousBuiltin)
    if (refused) return refused
    const verdict = judgeInput(text)
    if (verdict.kind === 'error') {
      this.state.lastStatus = 2
      return { stdout: '', stderr: `${verdict.message}\n`, status: 2 }
    }
    if (text.trim() === 'logout') {
      if (!this.state.login) {
        this.state.lastStatus = 1
        return { stdout: '', stderr: "bash: logout: not login shell: use `exit'\n", status: 1 }
      }
      return this.execute(`exit ${this.state.lastStatus}`, signal)
    }
    const sw = parseShellSwitch(text)
    if (sw) return this.switchShell(sw)
    if (this.options.terminal) {
      const job = await this.jobControl(text, signal)
      if (job) return job
    }
    const result = this.options.terminal
      ? await this.executeForeground(text, signal)
      : await this.execute(text, signal)
    // Leaving the shell hangs up its jobs (SIGHUP, and SIGCONT to stopped ones).
    if (result.exited !== undefined) this.jobs.stopAll()
    return result
  }

  /**
   * Ctrl-Z: stop what runs in the foreground (a command, or a job brought
   * back with `fg`). False when nothing there can stop, as for a loop of
   * builtins, which the shell itself runs.
   */
  suspend(): boolean {
    return this.foreground?.() ?? false
  }

  /**
   * bash refuses the first `exit` while jobs are stopped (checkjobs is off, so
   * running jobs do not count); a second one right after, or one after `jobs`,
   * exits. Only the outermost shell owns the terminal's jobs here.
   */
  private refuseExit(text: string, previous: LastBuiltin): RunOutput | undefined {
    if (!this.options.terminal || this.stack.length !== 1 || !EXIT_LINE.test(text)) return undefined
    if (previous !== 'other' || !this.jobs.hasStopped()) return undefined
    const logout = text.startsWith('logout')
    if (logout && !this.state.login) return undefined
    this.state.lastStatus = 1
    return {
      stdout: '',
      // `exit` names itself as bash's exit builtin does (`logout` in a login shell); `logout` does not.
      stderr: `${logout ? '' : this.state.login ? 'logout\n' : 'exit\n'}There are stopped jobs.\n`,
      status: 1,
    }
  }

  /**
   * Run a line in the terminal's foreground: Ctrl-C (the caller's `signal`)
   * interrupts it, Ctrl-Z stops it and makes it a job, and the prompt comes
   * back with status 148 while it waits for `fg` or `bg`.
   */
  private async executeForeground(text: string, signal?: AbortSignal): Promise<RunOutput> {
    const controller = new AbortController()
    const relay = () => controller.abort('INT')
    if (signal?.aborted) relay()
    else signal?.addEventListener('abort', relay, { once: true })
    const detached = { value: false }
    const gate = gateFor(controller.signal)
    const named = nameGate(gate)
    const running = this.execute(text, controller.signal, detached, named.name)
    void running.finally(named.release)
    let stopped: (out: RunOutput) => void = () => {}
    const stop = new Promise<RunOutput>((resolve) => {
      stopped = resolve
    })
    const terminal = this.options.terminal
    const state = this.state
    const stoppable = runsAProgram(text)
    this.foreground = () => {
      if (!stoppable) return false
      detached.value = true
      this.foreground = undefined
      signal?.removeEventListener('abort', relay)
      // From now on its output and its end are a job's: printed as they come, not taken as the line's.
      const finished = running.then((out) => {
        const rest = out.stdout + out.stderr
        if (rest) terminal?.(rest)
        return out.status
      })
      const job = this.jobs.adoptStopped(text.trim(), controller, finished)
      state.lastStatus = 148
      stopped({ stdout: `\n${this.jobs.describe(job)}`, stderr: '', status: 148 })
      return true
    }
    gate.requestStop = () => this.suspend()
    try {
      return await Promise.race([running, stop])
    } finally {
      gate.requestStop = undefined
      this.foreground = undefined
      signal?.removeEventListener('abort', relay)
    }
  }

  /** Wait in the foreground for a job `fg` brought back; Ctrl-C interrupts it, Ctrl-Z stops it again. */
  private async foregroundJob(job: Job, signal?: AbortSignal): Promise<RunOutput> {
    let settle: (out: RunOutput) => void = () => {}
    const outcome = new Promise<RunOutput>((resolve) => {
      settle = resolve
    })
    const onAbort = () => {
      job.controller.abort('INT')
      job.gate.resume()
      settle({ stdout: '', stderr: '', status: 130, interrupted: true })
    }
    if (signal?.aborted) onAbort()
    else signal?.addEventListener('abort', onAbort, { once: true })
    this.foreground = () => {
      this.foreground = undefined
      const line = this.jobs.stop(job)
      settle({ stdout: `\n${line}`, stderr: '', status: 148 })
      return true
    }
    job.gate.requestStop = () => this.suspend()
    try {
      return await Promise.race([job.done.then((status) => ({ stdout: '', stderr: '', status })), outcome])
    } finally {
      job.gate.requestStop = undefined
      this.foreground = undefined
      signal?.removeEventListener('abort', onAbort)
    }
  }

  /** `[1]+  Done …` lines for background jobs that ended, shown before the next prompt. */
  takeJobNotices(): string {
    return this.jobs.takeNotices()
  }

  /** Background jobs and the builtins that manage them (jobs.ts); undefined for any other line. */
  private async jobControl(text: string, signal?: AbortSignal): Promise<RunOutput | undefined> {
    const builtin = this.jobs.builtin(text)
    if (builtin) {
      let status = builtin.status
      const stdout = builtin.stdout
      if (builtin.foreground) {
        // `fg` names the job before it takes the terminal.
        this.options.terminal?.(stdout)
        builtin.foreground.gate.resume(true)
        const out = await this.foregroundJob(builtin.foreground, signal)
        // A job that ended in the foreground is not reported as Done.
        if (out.status !== 148) this.jobs.takeNotices()
        this.state.lastStatus = out.status
        return { ...out, stderr: builtin.stderr + out.stderr }
      }
      if (builtin.waitFor?.length) {
        // `wait` itself stops waiting on Ctrl-C; the jobs go on.
        const aborted = new Promise<number>((resolve) => {
          if (signal?.aborted) resolve(130)
          signal?.addEventListener('abort', () => resolve(130))
        })
        const statuses = await Promise.race([Promise.all(builtin.waitFor.map((j) => j.done)), aborted])
        status = typeof statuses === 'number' ? statuses : (statuses[statuses.length - 1] ?? 0)
      }
      this.state.lastStatus = status
      return {
        stdout,
        stderr: builtin.stderr,
        status,
        interrupted: signal?.aborted || undefined,
      }
    }
    const body = backgroundBody(text)
    if (body === undefined) return undefined
    const state = this.state
    const terminal = this.options.terminal
    const job = this.jobs.start(body, async (jobSignal) => {
      const { script, env } = wrapLine(state, body, JSON.stringify(this.history), this.mergeStderr)
      const named = nameGate(gateFor(jobSignal))
      env[JOB_MARKER] = named.name
      this.transform.arm(this.options.ttyPath ?? '/dev/pts/0')
      const r = await this.bash
        .exec(script, {
          env,
          replaceEnv: true,
          cwd: state.cwd,
          signal: jobSignal,
          rawScript: true,
        })
        .finally(named.release)
      const rest = (r.stdout + r.stderr).replace(/^bash: execution aborted\n?/m, '')
      if (rest) terminal?.(rest)
      return r.env?.__CKALAB_STATUS !== undefined ? Number(r.env.__CKALAB_STATUS) || 0 : r.exitCode
    })
    state.lastStatus = 0
    return { stdout: `[${job.id}] ${job.pid}\n`, stderr: '', status: 0 }
  }

  private async switchShell(sw: ShellSwitch): Promise<RunOutput> {
    const parent = this.state
    const level = Number(parent.vars.get('SHLVL') ?? '1') || 1
    const base = sw.cleanEnv ? this.node.baseEnv() : undefined
    const child = childState(parent, sw.login, base)
    const state = this.freshState(
      Object.fromEntries([...child.vars]),
      child.cwd,
      sw.login,
      sw.replace ? level : level + 1,
    )
    if (sw.replace) this.stack[this.stack.length - 1] = state
    else this.stack.push(state)
    const out = await this.runStartupFiles()
    return out
  }

  /** Whether `text` can end the shell: an exit, errexit, or a function or sourced file that may exit. */
  private mayExit(state: ShellState, text: string): boolean {
    if (/\b(exit|logout)\b/.test(text)) return true
    if (state.setOptions.has('errexit') || /\bset\s+(-\w*e|-o\s+errexit)/.test(text)) return true
    if (/(^|[\s;&|(])(source|\.)\s/.test(text)) return true
    for (const body of state.functions.values()) if (/\bexit\b/.test(body)) return true
    return false
  }

  private async execute(
    text: string,
    signal?: AbortSignal,
    detached?: { value: boolean },
    gateName?: string,
  ): Promise<RunOutput> {
    const state = this.state
    this.transform.arm(this.options.terminal ? (this.options.ttyPath ?? '/dev/pts/0') : undefined)
    const { script, env } = wrapLine(state, text, JSON.stringify(this.history), this.mergeStderr)
    if (gateName) env[JOB_MARKER] = gateName
    let result: Awaited<ReturnType<Bash['exec']>>
    try {
      result = await this.bash.exec(script, {
        env,
        replaceEnv: true,
        cwd: state.cwd,
        signal,
        rawScript: true,
      })
    } catch (err) {
      // just-bash should never throw, but a broken command must not end the session.
      state.lastStatus = 1
      return { stdout: '', stderr: `bash: ${(err as Error)?.message ?? err}\n`, status: 1 }
    }
    if (detached?.value) {
      // Stopped with Ctrl-Z and ended as a job: the shell's state is no longer this line's to change.
      const quiet = (t: string) => t.replace(/^bash: execution aborted\n?/m, '')
      const code = result.env?.__CKALAB_STATUS
      const status = signal?.aborted ? 143 : code !== undefined ? Number(code) || 0 : result.exitCode
      return { stdout: quiet(result.stdout), stderr: quiet(result.stderr), status }
    }
    const limited = LIMIT_TEXT.test(result.stderr) || LIMIT_TEXT.test(result.stdout)
    LIMIT_TEXT.lastIndex = 0
    const stdout = hideInternalAliases(result.stdout.replace(LIMIT_TEXT, ' (ckalab stopped it)'))
    const stderr = result.stderr.replace(LIMIT_TEXT, ' (ckalab stopped it)')
    LIMIT_TEXT.lastIndex = 0
    const interrupted = signal?.aborted ?? false
    const outcome = absorbResult(state, result.env ?? {}, result.exitCode)
    if (result.env?.BASH_HISTORY === '[]' && this.history.length) this.history.length = 0
    if (interrupted) {
      state.lastStatus = 130
      const quiet = (t: string) => t.replace(/^bash: execution aborted\n?/m, '')
      return { stdout: quiet(stdout), stderr: quiet(stderr), status: 130, interrupted: true }
    }
    if (outcome.completed || limited || !this.mayExit(state, text)) {
      // Not finishing without an `exit` in sight means just-bash gave up on the line
      // (a limit, a parse error): report it and stay in the shell.
      if (!outcome.completed) state.lastStatus = result.exitCode || 1
      return { stdout, stderr, status: state.lastStatus }
    }
    // The line left the shell (`exit`, `set -e` and a failure, `logout`).
    const code = result.exitCode
    const farewell = state.login ? 'logout' : 'exit'
    this.stack.pop()
    const parent = this.stack[this.stack.length - 1]
    if (parent) {
      parent.lastStatus = code
      return { stdout, stderr, status: code, farewell }
    }
    return { stdout, stderr, status: code, exited: code, farewell }
  }
}
