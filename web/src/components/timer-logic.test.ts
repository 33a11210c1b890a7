import { describe, expect, it } from 'vitest'
import { timerReading, timeUsedMs } from './timer-logic'

describe('timerReading', () => {
  it('counts up in practice and stops when finished', () => {
    expect(
      timerReading(
        { mode: 'practice', readyAt: 1000, deadline: null, finishedAt: null, state: 'ready' },
        61_000,
      ),
    ).toMatchObject({ kind: 'elapsed', ms: 60_000, expired: false })
    expect(
      timerReading(
        { mode: 'practice', readyAt: 1000, deadline: null, finishedAt: 11_000, state: 'stopped' },
        99_000,
      ),
    ).toMatchObject({ ms: 10_000 })
  })

  it('counts down in an exam, turns urgent and expires', () => {
    const a = {
      mode: 'exam' as const,
      readyAt: 0,
      deadline: 600_000,
      finishedAt: null,
      state: 'ready' as const,
    }
    expect(timerReading(a, 0)).toMatchObject({ kind: 'countdown', ms: 600_000, urgent: false })
    expect(timerReading(a, 400_000)).toMatchObject({ urgent: true, expired: false })
    expect(timerReading(a, 700_000)).toMatchObject({ ms: 0, expired: true })
    expect(timerReading({ ...a, state: 'submitted', finishedAt: 300_000 }, 700_000)).toMatchObject({
      ms: 300_000,
      expired: false,
    })
  })

  it('measures a finished exam from its first start, across resets', () => {
    // Started at 0 with a 10 min limit, reset at 4 min (readyAt moved), submitted at 7 min.
    const a = {
      mode: 'exam' as const,
      readyAt: 240_000,
      deadline: 600_000,
      limitMs: 600_000,
      finishedAt: 420_000,
      state: 'submitted' as const,
    }
    expect(timeUsedMs(a, 999_999)).toBe(420_000)
    expect(timerReading(a, 999_999)).toMatchObject({ kind: 'elapsed', label: 'Time used', ms: 420_000 })
  })

  it('shows nothing before the lab is ready', () => {
    expect(
      timerReading({ mode: 'exam', readyAt: null, deadline: null, finishedAt: null, state: 'creating' }, 5),
    ).toBe(null)
  })
})
