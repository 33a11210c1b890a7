import { describe, expect, it } from 'vitest'
import { put } from './vim-registers'
import { VimState } from './vim-state'

describe('vim put', () => {
  it('puts linewise text below or above, and characterwise text inside the line', () => {
    const s = new VimState(['one', 'two'], 'f', false, { write: async () => undefined })
    s.register = { text: ['new'], linewise: true }
    put(s, true)
    expect(s.lines).toEqual(['one', 'new', 'two'])
    s.register = { text: ['XY'], linewise: false }
    s.count = '2'
    put(s, false)
    expect(s.lines[1]).toBe('XYXYnew')
  })

  it('says E353 with an empty register', () => {
    const s = new VimState(['a'], 'f', false, { write: async () => undefined })
    put(s, true)
    expect(s.message).toBe('E353: Nothing in register "')
  })
})
