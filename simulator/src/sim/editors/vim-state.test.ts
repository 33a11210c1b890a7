import { describe, expect, it } from 'vitest'
import { VimState } from './vim-state'

const io = { write: async () => undefined }

describe('VimState', () => {
  it('extracts and removes a range across lines, and undoes it', () => {
    const s = new VimState(['one two', 'three', 'four five'], 'f', false, io)
    expect(s.extract({ row: 0, col: 4 }, { row: 2, col: 4 })).toEqual(['two', 'three', 'four'])
    s.snapshot()
    s.remove({ row: 0, col: 4 }, { row: 2, col: 4 })
    expect(s.lines).toEqual(['one  five'])
    s.undo()
    expect(s.lines).toEqual(['one two', 'three', 'four five'])
    expect(s.message).toBe('1 change; before #1')
  })

  it('caps a count and warns once about changing a read-only buffer', () => {
    const s = new VimState(['a'], 'f', false, io)
    s.count = '99999999'
    expect(s.takeCount()).toBe(10_000)
    s.readonly = true
    s.changed()
    expect(s.message).toBe('W10: Warning: Changing a readonly file')
    s.info('')
    s.changed()
    expect(s.message).toBe('')
  })
})
