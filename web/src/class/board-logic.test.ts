import { describe, expect, it } from 'vitest'
import type { BoardRow } from './api'
import { ago, filterRows, sortRows, timeLeft } from './board-logic'

const row = (p: Partial<BoardRow>): BoardRow => ({
  seatId: p.name ?? 'x',
  name: 'x',
  lab: 'l',
  labIndex: 0,
  state: 'ready',
  checks: [],
  points: 0,
  max: 10,
  gradedAt: null,
  deadline: null,
  lastActivity: 0,
  needsHelp: false,
  watched: false,
  takeover: false,
  ended: false,
  ...p,
})

describe('board logic', () => {
  const now = 3_600_000
  const rows = [
    row({ name: 'Cy', points: 10, lastActivity: now - 1000 }),
    row({
      name: 'Ada',
      lastActivity: now - 10 * 60_000,
      checks: [{ id: 'a', title: 'A', verdict: 'fail', points: 5 }],
    }),
    row({
      name: 'Bo',
      needsHelp: true,
      lastActivity: now - 1000,
      checks: [{ id: 'a', title: 'A', verdict: 'pass', points: 5 }],
      points: 5,
    }),
  ]

  it('filters by help, idle, stuck and done', () => {
    expect(filterRows(rows, 'help', now, 0).map((r) => r.name)).toEqual(['Bo'])
    expect(filterRows(rows, 'idle', now, 0).map((r) => r.name)).toEqual(['Ada'])
    expect(filterRows(rows, 'stuck', now, 0).map((r) => r.name)).toEqual(['Ada'])
    expect(filterRows(rows, 'stuck', now, now - 60_000)).toEqual([])
    expect(filterRows(rows, 'done', now, 0).map((r) => r.name)).toEqual(['Cy'])
  })

  it('sorts with the learners asking for help first', () => {
    expect(sortRows(rows, 'name').map((r) => r.name)).toEqual(['Bo', 'Ada', 'Cy'])
    expect(sortRows(rows, 'points').map((r) => r.name)).toEqual(['Bo', 'Cy', 'Ada'])
  })

  it('says the time left and how long ago', () => {
    expect(timeLeft(null, now)).toBe('—')
    expect(timeLeft(now + 61_000, now)).toBe('1:01')
    expect(timeLeft(now + 2 * 3600_000, now)).toBe('2 h 0 min')
    expect(timeLeft(now - 1, now)).toBe("time's up")
    expect(ago(now - 5000, now)).toBe('5 s ago')
    expect(ago(now - 5 * 60_000, now)).toBe('5 min ago')
  })
})
