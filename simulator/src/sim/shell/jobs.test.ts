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
