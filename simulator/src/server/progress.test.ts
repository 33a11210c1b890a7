import { describe, expect, it } from 'vitest'
import { discardedTries, progressFrom, triesOf } from './progress'
import type { AttemptRow, EventRow } from './store'

const row = (id: string, lab: string, mode: 'practice' | 'exam' = 'practice') =>
  ({ id, lab, mode }) as AttemptRow
const graded = (at: number, points: number, verdict?: string): EventRow => ({
  at,
  kind: 'graded',
  data: { final: false, score: { points, max: 100 }, ...(verdict ? { verdict } : {}), checks: [] },
})

describe('server progress', () => {
  it('times each try from its own ready, also after a reset', () => {
    const events: EventRow[] = [
      { at: 100, kind: 'ready', data: null },
      graded(400, 30),
      { at: 500, kind: 'reset', data: null },
      { at: 1000, kind: 'ready', data: null },
      graded(1600, 100, 'pass'),
    ]
    expect(triesOf(row('a1', 'lab'), events).map((t) => [t.ms, t.verdict])).toEqual([
      [300, 'fail'],
      [600, 'pass'],
    ])
    expect(discardedTries(events)).toEqual([{ readyAt: 100, resetAt: 500 }])
    // The reset's own record of the discarded try wins over the event times.
    expect(
      discardedTries([
        { at: 101, kind: 'ready', data: null },
        { at: 500, kind: 'reset', data: { discarded: { readyAt: 100 } } },
      ]),
    ).toEqual([{ readyAt: 100, resetAt: 500 }])
  })

  it('sums up per lab: passed, best score, quickest pass, newest first', () => {
    const p = progressFrom([
      { row: row('a1', 'x'), events: [{ at: 0, kind: 'ready', data: null }, graded(50, 40)] },
      {
        row: row('a2', 'x', 'exam'),
        events: [{ at: 100, kind: 'ready', data: null }, graded(190, 100, 'pass')],
      },
      { row: row('a3', 'y'), events: [{ at: 0, kind: 'ready', data: null }] },
    ])
    expect(Object.keys(p)).toEqual(['x'])
    expect(p.x).toMatchObject({ passed: true, best: { points: 100, max: 100 }, bestMs: 90 })
    expect(p.x.history.map((h) => h.attempt)).toEqual(['a2', 'a1'])
  })

  it('reads a pass from the check verdicts of older events without one', () => {
    const events: EventRow[] = [
      { at: 0, kind: 'graded', data: { score: { points: 10, max: 10 }, checks: [{ verdict: 'pass' }] } },
    ]
    expect(triesOf(row('a', 'l'), events)[0]).toMatchObject({ verdict: 'pass', ms: null })
  })
})
