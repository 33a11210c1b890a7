import { describe, expect, it } from 'vitest'
import { LINE_COST, linesCost, splitWithin } from './limits'

describe('splitWithin', () => {
  it('splits like the editors load a file: LF or CRLF ends a line, the last newline ends the file', () => {
    expect(splitWithin('')).toEqual({ lines: [''], noEol: false, complete: true, keptChars: 0, refused: 0 })
    expect(splitWithin('a\nb\n')).toMatchObject({ lines: ['a', 'b'], noEol: false, complete: true })
    expect(splitWithin('a\r\nb')).toMatchObject({ lines: ['a', 'b'], noEol: true, complete: true })
    expect(splitWithin('a\n\nb\r')).toMatchObject({ lines: ['a', '', 'b\r'], noEol: true })
  })

  it('keeps only the lines the budget holds, and says what the next one needed', () => {
    const budget = 3 * (LINE_COST + 2)
    const r = splitWithin('aa\nbb\ncc\ndddd\nee\n', budget)
    expect(r.complete).toBe(false)
    expect(r.lines).toEqual(['aa', 'bb', 'cc'])
    expect(r.keptChars).toBe(9)
    expect(r.refused).toBe(5)
    expect(linesCost(r.lines)).toBeLessThanOrEqual(budget)
  })

  it('reads 64 MB of short lines in one pass, keeping what fits', () => {
    const content = 'y\n'.repeat(32 * 1024 * 1024)
    const t = performance.now()
    const r = splitWithin(content)
    expect(r.complete).toBe(false)
    // 64 MiB at 33 a line: about two million of the 33 million lines.
    expect(r.lines.length).toBe(Math.floor((64 * 1024 * 1024) / (LINE_COST + 1)))
    expect(performance.now() - t).toBeLessThan(3000)
  })
})
