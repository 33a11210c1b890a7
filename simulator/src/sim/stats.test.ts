import { describe, expect, it } from 'vitest'
import { median, percentile } from './stats'

describe('percentile', () => {
  it('is the nearest rank of a sorted copy', () => {
    const xs = [5, 1, 4, 2, 3]
    expect(percentile(xs, 50)).toBe(3)
    expect(percentile(xs, 99)).toBe(5)
    expect(percentile(xs, 0)).toBe(1)
    expect(median([1, 2, 3, 4])).toBe(2)
    expect(xs).toEqual([5, 1, 4, 2, 3])
    expect(percentile([], 50)).toBeNaN()
  })
})
