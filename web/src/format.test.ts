import { describe, expect, it } from 'vitest'
import { formatClock, percent, summarize } from './format'

describe('format', () => {
  it('formats clocks', () => {
    expect(formatClock(0)).toBe('0:00')
    expect(formatClock(65_000)).toBe('1:05')
    expect(formatClock(3_725_000)).toBe('1:02:05')
    expect(formatClock(-5000)).toBe('0:00')
    expect(formatClock(59_999)).toBe('0:59')
  })

  it('clamps percentages', () => {
    expect(percent(0.456)).toBe(46)
    expect(percent(2)).toBe(100)
    expect(percent(Number.NaN)).toBe(0)
  })

  it('summarizes a report', () => {
    const s = summarize([{ verdict: 'pass' }, { verdict: 'fail' }, { verdict: 'unknown' }], {
      points: 5,
      max: 15,
    })
    expect(s).toMatchObject({ passed: 1, failed: 1, unknown: 1 })
    expect(s.text).toBe('5/15 points · 1 of 3 checks passed, 1 could not be decided')
  })
})
