// Job control of an interactive shell: `cmd &` runs on while the prompt comes
// back, and `jobs`, `fg`, `bg`, `wait`, `kill %N` act on it as bash's do.
// A job here is a command line running on its own interpreter call; its
// output reaches the terminal through the same device as any other command.

export interface Job {
  id: number
  pid: number
  text: string
  controller: AbortController
  done: Promise<number>
  state: 'Running' | 'Done' | 'Terminated' | 'Exit'
  status?: number
}

export interface JobOutput {
  stdout: string
  stderr: string
  status: number
  /** A job to wait for in the foreground (`fg`, `wait`). */
  waitFor?: Job[]
}

/** bash's `jobs` line: `[1]+  Running                 kubectl get pods -w &`. */
export function jobLine(job: Job, mark: string): string {
  const state =
    job.state === 'Exit' ? `Exit ${job.status}` : job.state === 'Terminated' ? 'Terminated' : job.state
  const suffix = job.state === 'Running' ? ' &' : ''
  return `[${job.id}]${mark}  ${state.padEnd(24)}${job.text}${suffix}\n`
}

export class JobTable {
  private jobs: Job[] = []
  private nextPid: number
  /** Finished jobs bash reports before the next prompt. */
  private finished: Job[] = []

  constructor(firstPid = 4200) {
    this.nextPid = firstPid
  }

  start(text: string, run: (signal: AbortSignal) => Promise<number>): Job {
    const id = (this.jobs.reduce((m, j) => Math.max(m, j.id), 0) || 0) + 1
    const controller = new AbortController()
    const job: Job = {
      id,
      pid: this.nextPid++,
      text,
      controller,
      state: 'Running',
      done: Promise.resolve(0),
    }
    job.done = run(controller.signal).then(
      (status) => this.end(job, status),
      () => this.end(job, 1),
    )
    this.jobs.push(job)
    return job
  }

  private end(job: Job, status: number): number {
    if (job.state === 'Running') {
      job.status = status
      job.state = job.controller.signal.aborted ? 'Terminated' : status === 0 ? 'Done' : 'Exit'
      this.finished.push(job)
    }
    return status
  }

  /** `[1]+  Done  …` lines for jobs that ended since the last prompt; they leave the table. */
  takeNotices(): string {
    if (this.finished.length === 0) return ''
    const text = this.finished.map((j) => jobLine(j, this.mark(j))).join('')
    this.jobs = this.jobs.filter((j) => !this.finished.includes(j))
    this.finished = []
    return text
  }

  private mark(job: Job): string {
    const last = this.jobs[this.jobs.length - 1]
    const previous = this.jobs[this.jobs.length - 2]
    return job === last ? '+' : job === previous ? '-' : ' '
  }

  private find(spec: string | undefined, cmd: string): Job | string {
    if (this.jobs.length === 0 && (spec === undefined || spec === '%%' || spec === '%+'))
      return `bash: ${cmd}: current: no such job\n`
    if (spec === undefined || spec === '%%' || spec === '%+' || spec === '%')
      return this.jobs[this.jobs.length - 1] as Job
    if (spec === '%-') return this.jobs[this.jobs.length - 2] ?? (this.jobs[0] as Job)
    const m = /^%(\d+)$/.exec(spec)
    const job = m ? this.jobs.find((j) => j.id === Number(m[1])) : undefined
    return job ?? `bash: ${cmd}: ${spec}: no such job\n`
  }

  /** Run a job-control builtin typed alone on a line; undefined when `text` is not one. */
  builtin(text: string): JobOutput | undefined {
    const words = text.trim().split(/\s+/)
    const [cmd, ...args] = words
    switch (cmd) {
      case 'jobs': {
        if (args.some((a) => !/^(-l|-p|-r|-s)$/.test(a))) return undefined
        const live = this.jobs.filter((j) => !args.includes('-r') || j.state === 'Running')
        if (args.includes('-p'))
          return { stdout: live.map((j) => `${j.pid}\n`).join(''), stderr: '', status: 0 }
        // Listing a finished job reports it, as bash does; it is not reported again.
        const out = live.map((j) => jobLine(j, this.mark(j))).join('')
        this.jobs = this.jobs.filter((j) => j.state === 'Running')
        this.finished = []
        return { stdout: out, stderr: '', status: 0 }
      }
      case 'fg': {
        if (args.length > 1) return undefined
        const job = this.find(args[0], 'fg')
        if (typeof job === 'string') return { stdout: '', stderr: job, status: 1 }
        return { stdout: `${job.text}\n`, stderr: '', status: 0, waitFor: [job] }
      }
      case 'bg': {
        if (args.length > 1) return undefined
        const job = this.find(args[0], 'bg')
        if (typeof job === 'string') return { stdout: '', stderr: job, status: 1 }
        return { stdout: '', stderr: `bash: bg: job ${job.id} already in background\n`, status: 0 }
      }
      case 'wait': {
        if (args.length === 0) return { stdout: '', stderr: '', status: 0, waitFor: [...this.jobs] }
        if (args.length > 1) return undefined
        const job = this.find(args[0], 'wait')
        if (typeof job === 'string') return { stdout: '', stderr: job, status: 127 }
        return { stdout: '', stderr: '', status: 0, waitFor: [job] }
      }
      case 'kill': {
        const targets = args.filter((a) => !/^-(\d+|[A-Z]+|s)$/.test(a) && a !== 'TERM' && a !== 'KILL')
        if (targets.length === 0 || !targets.every((a) => a.startsWith('%'))) return undefined
        let stderr = ''
        for (const t of targets) {
          const job = this.find(t, 'kill')
          if (typeof job === 'string') stderr += job
          else job.controller.abort()
        }
        return { stdout: '', stderr, status: stderr ? 1 : 0 }
      }
      default:
        return undefined
    }
  }

  running(): Job[] {
    return this.jobs.filter((j) => j.state === 'Running')
  }

  /** Stop every job (the shell is going away). */
  stopAll(): void {
    for (const j of this.jobs) j.controller.abort()
  }
}
