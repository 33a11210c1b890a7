import { describe, expect, it } from 'vitest'
import { clampFraction, DEFAULT_SPLIT, orientationFor, parseSplit, stepFraction, taskPixels } from './layout'

describe('the task/terminal split', () => {
  it('stacks the panes below 1000 px', () => {
    expect(orientationFor(1440)).toBe('wide')
    expect(orientationFor(1000)).toBe('wide')
    expect(orientationFor(800)).toBe('narrow')
  })

  it('is a fraction, so the same choice scales with the window', () => {
    expect(taskPixels(0.4, 1440, 'wide')).toBe(576)
    expect(taskPixels(0.4, 2000, 'wide')).toBe(800)
  })

  it('keeps both panes usable', () => {
    // The terminal keeps at least 360 px beside the task.
    expect(taskPixels(0.95, 1000, 'wide')).toBe(640)
    // The task keeps at least 240 px.
    expect(taskPixels(0.01, 1000, 'wide')).toBe(240)
    // Tiny windows still give a fraction between 0 and 1.
    const f = clampFraction(0.3, 200, 'wide')
    expect(f).toBeGreaterThan(0)
    expect(f).toBeLessThan(1)
    expect(clampFraction(Number.NaN, 1000, 'narrow')).toBeCloseTo(DEFAULT_SPLIT.narrow)
  })

  it('moves in 5 % steps from the keyboard', () => {
    expect(stepFraction(0.4, 1, 1440, 'wide')).toBeCloseTo(0.45)
    expect(stepFraction(0.4, -1, 1440, 'wide')).toBeCloseTo(0.35)
  })

  it('reads what the browser stored, ignoring nonsense', () => {
    expect(parseSplit(null)).toEqual(DEFAULT_SPLIT)
    expect(parseSplit('{')).toEqual(DEFAULT_SPLIT)
    expect(parseSplit('{"wide":0.5,"narrow":7}')).toEqual({ wide: 0.5, narrow: DEFAULT_SPLIT.narrow })
  })
})
