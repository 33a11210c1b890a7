import { describe, expect, it } from 'vitest'
import { insertKey, insertText } from './vim-insert'
import { VimState } from './vim-state'

describe('vim insert mode', () => {
  it('Enter splits the line, Backspace at the start joins it back, Ctrl-W deletes a word', () => {
    const s = new VimState(['headtail'], 'f', false, { write: async () => undefined })
    s.mode = 'insert'
    s.col = 4
    insertKey(s, { type: 'key', name: 'enter' })
    expect(s.lines).toEqual(['head', 'tail'])
    insertKey(s, { type: 'key', name: 'backspace' })
    expect(s.lines).toEqual(['headtail'])
    insertText(s, ' two words')
    insertKey(s, { type: 'ctrl', key: 'w' })
    expect(s.lines).toEqual(['head two tail'])
  })

  it('inserts pasted lines in one edit and Escape steps back one column', () => {
    const s = new VimState(['ab'], 'f', false, { write: async () => undefined })
    s.mode = 'insert'
    s.col = 1
    insertText(s, 'x\ny\rz')
    expect(s.lines).toEqual(['ax', 'y', 'zb'])
    expect([s.row, s.col]).toEqual([2, 1])
    insertKey(s, { type: 'key', name: 'escape' })
    expect([s.mode, s.col]).toEqual(['normal', 0])
  })
})
