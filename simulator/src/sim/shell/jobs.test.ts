import { describe, expect, it } from 'vitest'
import { JobTable, jobLine } from './jobs'

describe('job table', () => {
  it('formats jobs lines with bash spacing: state padded to 24, & only while running', async () => {
    const table = new JobTable(100)
    let finish: (n: number) => void = () => {}
    const a = table.start('sleep 100', () => new Promise<number>((r) => (finish = r)))
    const b = table.start('false', async () => 1)
    expect(jobLine(a, '+')).toBe('[1]+  Running                 sleep 100 &\n')
    await b.done
    expect(b.state).toBe('Exit')
    expect(table.takeNotices()).toBe('[2]+  Exit 1                  false\n')
    finish(0)
    await a.done
    expect(table.takeNotices()).toBe('[1]+  Done                    sleep 100\n')
    expect(table.takeNotices()).toBe('')
  })

  it('answers jobs, fg, bg, wait and kill %N, and refuses unknown jobs as bash does', async () => {
    const table = new JobTable(100)
    expect(table.builtin('fg')?.stderr).toBe('bash: fg: current: no such job\n')
    const job = table.start(
      'sleep 5',
      (signal) => new Promise<number>((r) => signal.addEventListener('abort', () => r(143))),
    )
    expect(table.builtin('jobs -p')?.stdout).toBe('100\n')
    expect(table.builtin('bg')?.stderr).toBe('bash: bg: job 1 already in background\n')
    expect(table.builtin('fg %1')?.waitFor).toEqual([job])
    expect(table.builtin('kill %3')?.stderr).toBe('bash: kill: %3: no such job\n')
    expect(table.builtin('kill 1234')).toBeUndefined()
    expect(table.builtin('kill %1')?.status).toBe(0)
    await job.done
    expect(table.takeNotices()).toBe('[1]+  Terminated              sleep 5\n')
    expect(table.builtin('echo hi')).toBeUndefined()
  })
})

describe('stopped jobs', () => {
  const pending = (signal: AbortSignal) =>
    new Promise<number>((r) => signal.addEventListener('abort', () => r(143)))

  it("picks + and - as bash's set_current_job/reset_current do", async () => {
    const table = new JobTable(100)
    table.start('sleep 100', pending)
    const c = new AbortController()
    const stopped = table.adoptStopped('sleep 200', c, pending(c.signal))
    expect(stopped.gate.stopped).toBe(true)
    expect(table.builtin('jobs')?.stdout).toBe(
      '[1]-  Running                 sleep 100 &\n[2]+  Stopped                 sleep 200\n',
    )
    table.start('sleep 300', pending)
    expect(table.builtin('jobs')?.stdout).toBe(
      '[1]   Running                 sleep 100 &\n[2]+  Stopped                 sleep 200\n[3]-  Running                 sleep 300 &\n',
    )
    // bg continues the current job and moves + to the newest running one.
    expect(table.builtin('bg')?.stdout).toBe('[2]+ sleep 200 &\n')
    expect(stopped.gate.stopped).toBe(false)
    expect(table.builtin('jobs -r')?.stdout).toBe(
      '[1]   Running                 sleep 100 &\n[2]-  Running                 sleep 200 &\n[3]+  Running                 sleep 300 &\n',
    )
    expect(table.builtin('jobs -l')?.stdout).toContain('[3]+ 102 Running                 sleep 300 &\n')
  })

  it('kill on a stopped job: continued, Stopped line at once, the end reported at the prompt after next', async () => {
    const table = new JobTable(100)
    const c = new AbortController()
    const job = table.adoptStopped('sleep 100', c, pending(c.signal))
    expect(table.builtin('wait')?.stderr).toBe('bash: wait: warning: job 1[100] stopped\n')
    expect(table.hasStopped()).toBe(true)
    expect(table.builtin('kill -9 %1')?.stdout).toBe('\n[1]+  Stopped                 sleep 100\n')
    expect(job.gate.stopped).toBe(false)
    await job.done
    expect(job.state).toBe('Killed')
    expect(table.takeNotices()).toBe('')
    expect(table.takeNotices()).toBe('[1]+  Killed                  sleep 100\n')
  })

  it('kill -STOP and -CONT stop and continue a job', async () => {
    const table = new JobTable(100)
    const job = table.start('sleep 100', pending)
    expect(table.builtin('kill -STOP %1')?.stdout).toBe('')
    expect(table.builtin('jobs')?.stdout).toBe('[1]+  Stopped                 sleep 100\n')
    expect(job.gate.stopped).toBe(true)
    table.builtin('kill -CONT %1')
    expect(job.state).toBe('Running')
    expect(job.gate.stopped).toBe(false)
    table.stopAll()
    await job.done
  })
})
