import { describe, expect, it } from 'vitest'
import { type AttemptRecord, mergeProgress, parseProgress, recordAttempt } from './progress'

const rec = (over: Partial<AttemptRecord>): AttemptRecord => ({
  attempt: 't1',
  mode: 'practice',
  at: 1,
  points: 40,
  max: 100,
  verdict: 'fail',
  ms: 60_000,
  final: false,
  ...over,
})

describe('lab progress', () => {
  it('keeps passed, the best score and the quickest pass', () => {
    let p = recordAttempt({}, 'lab', rec({}))
    expect(p.lab).toMatchObject({ passed: false, best: { points: 40, max: 100 }, bestMs: null })
    p = recordAttempt(p, 'lab', rec({ at: 2, points: 100, verdict: 'pass', ms: 300_000 }))
    p = recordAttempt(p, 'lab', rec({ at: 3, points: 100, verdict: 'pass', ms: 200_000 }))
    p = recordAttempt(p, 'lab', rec({ at: 4, points: 10, verdict: 'fail' }))
    expect(p.lab).toMatchObject({ passed: true, best: { points: 100 }, bestMs: 200_000 })
    expect(p.lab.history.map((h) => h.at)).toEqual([4, 3, 2, 1])
  })

  it('counts the same report once', () => {
    const p = recordAttempt(recordAttempt({}, 'lab', rec({})), 'lab', rec({}))
    expect(p.lab.history).toHaveLength(1)
  })

  it('merges what the browser and the server know', () => {
    const browser = recordAttempt({}, 'a', rec({ at: 1 }))
    const server = recordAttempt(
      recordAttempt({}, 'a', rec({ at: 1 })),
      'a',
      rec({ attempt: 't2', at: 5, points: 100, verdict: 'pass', ms: 90_000 }),
    )
    const both = mergeProgress(browser, recordAttempt(server, 'b', rec({})))
    expect(both.a).toMatchObject({ passed: true, best: { points: 100 }, bestMs: 90_000 })
    expect(both.a.history).toHaveLength(2)
    expect(both.b.passed).toBe(false)
  })

  it('ignores corrupt storage', () => {
    expect(parseProgress('[')).toEqual({})
    expect(parseProgress('{"x":{"history":"no"}}')).toEqual({})
    expect(Object.keys(parseProgress('{"x":{"passed":true,"history":[]}}'))).toEqual(['x'])
  })
})
