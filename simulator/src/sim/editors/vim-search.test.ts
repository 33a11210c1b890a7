import { describe, expect, it } from 'vitest'
import { search, vimRegex } from './vim-search'
import { VimState } from './vim-state'

describe('vim search', () => {
  it('turns magic vim patterns into JavaScript ones', () => {
    expect(vimRegex('a\\(b\\)\\+')?.source).toBe('a(b)+')
    expect(vimRegex('\\cKEY')?.flags).toContain('i')
    expect(vimRegex('(')?.test('(')).toBe(true)
  })

  it("wraps around the end of the file with vim's message, and reports a missing pattern", () => {
    const s = new VimState(['key: 1', 'other', 'x'], 'f', false, { write: async () => undefined })
    s.row = 1
    search(s, 'key', true)
    expect([s.row, s.col]).toEqual([0, 0])
    expect(s.message).toBe('search hit BOTTOM, continuing at TOP')
    search(s, 'nothere', true)
    expect(s.message).toBe('E486: Pattern not found: nothere')
    expect(s.messageIsError).toBe(true)
  })
})
