import { describe, expect, it } from 'vitest'
import type { Key } from '../shell/keys'
import { findChar, motion } from './vim-motions'
import { VimState } from './vim-state'

const text = (t: string): Key => ({ type: 'text', text: t })

describe('vim motions', () => {
  it('w, b and e move by words and punctuation, across lines', () => {
    const s = new VimState(['foo.bar baz', 'next'], 'f', false, { write: async () => undefined })
    const at = () => [s.row, s.col]
    motion(s, text('w'))
    expect(at()).toEqual([0, 3])
    motion(s, text('w'))
    expect(at()).toEqual([0, 4])
    motion(s, text('e'))
    expect(at()).toEqual([0, 6])
    motion(s, text('W'))
    expect(at()).toEqual([0, 8])
    motion(s, text('w'))
    expect(at()).toEqual([1, 0])
    motion(s, text('b'))
    expect(at()).toEqual([0, 8])
  })

  it('G takes a count, j keeps the wanted column, f finds the count-th character', () => {
    const s = new VimState(['a,b,c,d', 'xy', 'long line'], 'f', false, { write: async () => undefined })
    s.count = '2'
    expect(findChar(s, 'f', ',')).toBe(3)
    s.col = 5
    s.wantCol = 5
    motion(s, text('j'))
    expect([s.row, s.col]).toEqual([1, 1])
    motion(s, text('j'))
    expect([s.row, s.col]).toEqual([2, 5])
    s.count = '1'
    motion(s, text('G'))
    expect(s.row).toBe(0)
    expect(motion(s, text('Q'))).toBe(false)
  })
})
