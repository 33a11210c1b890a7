import { describe, expect, it } from 'vitest'
import { pushLines, spliceLines } from './lines'

describe('spliceLines', () => {
  it('replaces, inserts and removes like Array.prototype.splice', () => {
    const a = ['a', 'b', 'c', 'd']
    expect(spliceLines(a, 1, 2, ['x'])).toEqual(['b', 'c'])
    expect(a).toEqual(['a', 'x', 'd'])
    const big = Array.from({ length: 3000 }, (_, i) => `n${i}`)
    const b = ['a', 'b', 'c']
    expect(spliceLines(b, 1, 1, big)).toEqual(['b'])
    expect(b).toHaveLength(3002)
    expect(b[0]).toBe('a')
    expect(b[1]).toBe('n0')
    expect(b[3000]).toBe('n2999')
    expect(b[3001]).toBe('c')
  })

  it('takes 500,000 lines, which a spread into splice cannot', () => {
    const many = Array.from({ length: 500_000 }, () => 'y')
    const lines = ['first', 'last']
    expect(() => lines.splice(1, 0, ...many)).toThrow(RangeError)
    spliceLines(lines, 1, 0, many)
    expect(lines).toHaveLength(500_002)
    expect(lines.at(-1)).toBe('last')
    const out: string[] = []
    pushLines(out, many)
    expect(out).toHaveLength(500_000)
  })
})
