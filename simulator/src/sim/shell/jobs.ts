import { gateFor, type StopGate } from './stop'

// Job control of an interactive shell: `cmd &` runs on while the prompt comes
// back, Ctrl-Z stops the foreground command, and `jobs`, `fg`, `bg`, `wait`,
// `kill %N` act on jobs as bash 5.2's do. A job here is a command line running
// on its own interpreter call; its output reaches the terminal through the
// same device as any other command.

export type JobState = 'Running' | 'Stopped' | 'Done' | 'Terminated' | 'Killed' | 'Exit'

export interface Job {
  id: number
  pid: number
  text: string
  controller: AbortController
  gate: StopGate
  done: Promise<number>
  state: JobState
  status?: number
  /**
   * Killed while stopped: bash first sees the job stopped once more and
   * reports its end only at the prompt after next; the notice round from which it may be reported.
   */
  notBefore?: number
}

export interface JobOutput {
  stdout: string
  stderr: string
  status: number
  /** A job to wait for in the foreground (`fg`, `wait`). */
  waitFor?: Job[]
  /** `fg`: the job now owns the terminal (Ctrl-C and Ctrl-Z reach it). */
  foreground?: Job
}

/** How a job was ended by a signal (the abort reason): SIGKILL prints `Killed`, others `Terminated`. */
export type KillSignal = 'TERM' | 'KILL' | 'INT' | 'HUP'

/** bash's `jobs` line: `[1]+  Running                 kubectl get pods -w &`. */
export function jobLine(job: Job, mark: string, pid = false): string {
  const state = job.state === 'Exit' ? `Exit ${job.status}` : job.state
  const suffix = job.state === 'Running' ? ' &' : ''
  // `jobs -l` puts the pid where the second space was.
  const head = pid ? `[${job.id}]${mark} ${job.pid} ` : `[${job.id}]${mark}  `
  return `${head}${state.padEnd(24)}${job.text}${suffix}\n`
}

/** Signals `kill` names by number or name, for jobs. */
const SIGNALS: Record<string, string> = {
  '1': 'HUP',
  '2': 'INT',
  '9': 'KILL',
  '15': 'TERM',
  '18': 'CONT',
  '19': 'STOP',
  '20': 'TSTP',
}

function signalName(spec: string): string | undefined {
  const s = spec.replace(/^SIG/i, '').toUpperCase()
  if (/^\d+$/.test(s)) return SIGNALS[s]
  return Object.values(SIGNALS).includes(s) ? s : undefined
}

export class JobTable {
  private jobs: Job[] = []
  private nextPid: number
  /** Finished jobs bash reports before the next prompt. */
  private finished: Job[] = []
  /** bash's current (`+`) and previous (`-`) jobs. */
  private current: Job | undefined
  private previous: Job | undefined
  /** How many times notices were taken (once per prompt). */
  private rounds = 0

  constructor(firstPid = 4200) {
    this.nextPid = firstPid
  }

  private nextId(): number {
    return this.jobs.reduce((m, j) => Math.max(m, j.id), 0) + 1
  }

  /** Put `text` in the background (`text &`); `run` gets the signal its commands must run with. */
  start(text: string, run: (signal: AbortSignal) => Promise<number>): Job {
    const controller = new AbortController()
    const job = this.add(text, controller, 'Running')
    this.settle(job, run(controller.signal))
    this.resetCurrent()
    return job
  }

  /**
   * Take a foreground command that Ctrl-Z stopped into the table: `finished`
   * settles when it ends (after `fg`, `bg` or a kill).
   */
  adoptStopped(text: string, controller: AbortController, finished: Promise<number>): Job {
    const job = this.add(text, controller, 'Stopped')
    job.gate.stop()
    this.settle(job, finished)
    this.setCurrent(job)
    return job
  }

  private add(text: string, controller: AbortController, state: JobState): Job {
    const job: Job = {
      id: this.nextId(),
      pid: this.nextPid++,
      text,
      controller,
      gate: gateFor(controller.signal),
      state,
      done: Promise.resolve(0),
    }
    this.jobs.push(job)
    return job
  }

  private settle(job: Job, run: Promise<number>): void {
    job.done = run.then(
      (status) => this.end(job, status),
      () => this.end(job, 1),
    )
  }

  private end(job: Job, status: number): number {
    if (job.state === 'Running' || job.state === 'Stopped') {
      const reason = job.controller.signal.aborted ? (job.controller.signal.reason as unknown) : undefined
      job.status = reason === 'KILL' ? 137 : reason ? 143 : status
      job.state = reason === 'KILL' ? 'Killed' : reason ? 'Terminated' : status === 0 ? 'Done' : 'Exit'
      // A job interrupted in the foreground (Ctrl-C after fg) ends without a notice, as in bash.
      if (reason === 'INT') this.remove(job)
      else this.finished.push(job)
    }
    return job.status ?? status
  }

  /** The job's line as `jobs` shows it now. */
  describe(job: Job): string {
    return jobLine(job, this.mark(job))
  }

  /** Stop a running job (Ctrl-Z while it is in the foreground); its `[N]+  Stopped` line. */
  stop(job: Job): string {
    job.state = 'Stopped'
    job.gate.stop()
    this.setCurrent(job)
    return jobLine(job, this.mark(job))
  }

  private remove(job: Job): void {
    this.jobs = this.jobs.filter((j) => j !== job)
    this.finished = this.finished.filter((j) => j !== job)
    if (job === this.current || job === this.previous) this.resetCurrent()
  }

  /** `[1]+  Done  …` lines for jobs that ended since the last prompt; they leave the table. */
  takeNotices(): string {
    this.rounds++
    const now = this.finished.filter((j) => (j.notBefore ?? 0) <= this.rounds)
    if (now.length === 0) return ''
    const text = now.map((j) => jobLine(j, this.mark(j))).join('')
    for (const j of now) this.remove(j)
    return text
  }

  // bash's set_current_job and reset_current (jobs.c): stopped jobs are
  // preferred as `+` and `-`, then the newest running ones.

  private stopped(j: Job | undefined): boolean {
    return !!j && this.jobs.includes(j) && j.state === 'Stopped'
  }

  private newest(state: JobState, below?: Job): Job | undefined {
    const cands = this.jobs.filter((j) => j.state === state && (!below || j.id < below.id))
    return cands[cands.length - 1]
  }

  private setCurrent(job: Job): void {
    if (this.current !== job) {
      this.previous = this.current
      this.current = job
    }
    if (this.previous !== job && this.stopped(this.previous)) return
    if (job.state === 'Stopped') {
      const older = this.newest('Stopped', job)
      if (older) {
        this.previous = older
        return
      }
    }
    const running = job.state === 'Running' ? this.newest('Running', job) : this.newest('Running')
    this.previous = running ?? job
  }

  private resetCurrent(): void {
    const live = (j: Job | undefined) => j && this.jobs.includes(j) && !this.finished.includes(j)
    let candidate: Job | undefined
    if (live(this.current) && this.stopped(this.current)) candidate = this.current
    else if (live(this.previous) && this.stopped(this.previous)) candidate = this.previous
    else candidate = this.newest('Stopped') ?? this.newest('Running')
    if (!live(this.current)) this.current = undefined
    if (!live(this.previous)) this.previous = undefined
    if (candidate) this.setCurrent(candidate)
    else this.current = this.previous = undefined
  }

  private mark(job: Job): string {
    return job === this.current ? '+' : job === this.previous ? '-' : ' '
  }

  private find(spec: string | undefined, cmd: string): Job | string {
    if (spec === undefined || spec === '%%' || spec === '%+' || spec === '%')
      return this.current ?? `bash: ${cmd}: current: no such job\n`
    if (spec === '%-') return this.previous ?? this.current ?? `bash: ${cmd}: previous: no such job\n`
    const m = /^%(\d+)$/.exec(spec)
    const job = m ? this.jobs.find((j) => j.id === Number(m[1])) : undefined
    return job ?? `bash: ${cmd}: ${spec}: no such job\n`
  }

  /** Run a job-control builtin typed alone on a line; undefined when `text` is not one. */
  builtin(text: string): JobOutput | undefined {
    const words = text.trim().split(/\s+/)
    const [cmd, ...args] = words
    switch (cmd) {
      case 'jobs':
        return this.list(args)
      case 'fg': {
        if (args.length > 1) return undefined
        const job = this.find(args[0], 'fg')
        if (typeof job === 'string') return { stdout: '', stderr: job, status: 1 }
        // The caller continues it (gate.resume) once the command line is shown.
        job.state = 'Running'
        return { stdout: `${job.text}\n`, stderr: '', status: 0, waitFor: [job], foreground: job }
      }
      case 'bg': {
        if (args.length > 1) return undefined
        const job = this.find(args[0], 'bg')
        if (typeof job === 'string') return { stdout: '', stderr: job, status: 1 }
        if (job.state !== 'Stopped')
          return { stdout: '', stderr: `bash: bg: job ${job.id} already in background\n`, status: 0 }
        const line = `[${job.id}]${this.mark(job)} ${job.text} &\n`
        job.state = 'Running'
        job.gate.resume()
        this.resetCurrent()
        return { stdout: line, stderr: '', status: 0 }
      }
      case 'wait': {
        if (args.length > 1) return undefined
        const targets = args.length === 0 ? [...this.jobs] : [this.find(args[0], 'wait')]
        const first = targets[0]
        if (typeof first === 'string') return { stdout: '', stderr: first, status: 127 }
        const jobs = targets as Job[]
        // A stopped job would never end: bash warns and does not wait for it.
        const stderr = jobs
          .filter((j) => j.state === 'Stopped')
          .map((j) => `bash: wait: warning: job ${j.id}[${j.pid}] stopped\n`)
          .join('')
        const waitFor = jobs.filter((j) => j.state !== 'Stopped')
        return { stdout: '', stderr, status: 0, waitFor }
      }
      case 'kill':
        return this.kill(args)
      default:
        return undefined
    }
  }

  private list(args: string[]): JobOutput | undefined {
    if (args.some((a) => !/^-[lprs]+$/.test(a))) return undefined
    const flags = args.join('')
    const live = this.jobs.filter(
      (j) =>
        (!flags.includes('r') || j.state === 'Running') && (!flags.includes('s') || j.state === 'Stopped'),
    )
    if (flags.includes('p')) return { stdout: live.map((j) => `${j.pid}\n`).join(''), stderr: '', status: 0 }
    // Listing a finished job reports it, as bash does; it is not reported again.
    const out = live.map((j) => jobLine(j, this.mark(j), flags.includes('l'))).join('')
    for (const j of live) if (this.finished.includes(j)) this.remove(j)
    return { stdout: out, stderr: '', status: 0 }
  }

  private kill(args: string[]): JobOutput | undefined {
    let sig = 'TERM'
    const rest = [...args]
    if (rest[0] === '-s' && rest[1]) {
      sig = signalName(rest[1]) ?? ''
      rest.splice(0, 2)
    } else if (rest[0]?.startsWith('-') && rest[0] !== '-') {
      sig = signalName(rest[0].slice(1)) ?? ''
      rest.shift()
    }
    if (!sig || rest.length === 0 || !rest.every((a) => a.startsWith('%'))) return undefined
    let stderr = ''
    let stdout = ''
    for (const t of rest) {
      const job = this.find(t, 'kill')
      if (typeof job === 'string') {
        stderr += job
        continue
      }
      if (sig === 'CONT') {
        if (job.state === 'Stopped') {
          job.state = 'Running'
          job.gate.resume()
          this.resetCurrent()
        }
      } else if (sig === 'STOP' || sig === 'TSTP') {
        // bash 5.2 says nothing here; `jobs` shows the job Stopped.
        if (job.state === 'Running') this.stop(job)
      } else {
        // bash sends SIGCONT after the signal to a stopped job; it then sees it
        // stopped once more and reports the end at the prompt after the next one.
        if (job.state === 'Stopped') {
          stdout += `\n${jobLine(job, this.mark(job))}`
          job.notBefore = this.rounds + 2
        }
        job.controller.abort(sig)
        job.gate.resume()
      }
    }
    return { stdout, stderr, status: stderr ? 1 : 0 }
  }

  running(): Job[] {
    return this.jobs.filter((j) => j.state === 'Running')
  }

  /** Jobs stopped with Ctrl-Z: `exit` refuses once while there are any. */
  hasStopped(): boolean {
    return this.jobs.some((j) => j.state === 'Stopped')
  }

  /** Stop every job (the shell is going away): stopped ones get SIGHUP and SIGCONT, as bash sends. */
  stopAll(): void {
    for (const j of this.jobs) {
      j.controller.abort('HUP')
      j.gate.resume()
    }
  }
}
