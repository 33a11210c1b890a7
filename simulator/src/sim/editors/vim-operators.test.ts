import { describe, expect, it } from 'vitest'
import type { Key } from '../shell/keys'
import { pendingKey, visualKey } from './vim-operators'
import { VimState } from './vim-state'

const text = (t: string): Key => ({ type: 'text', text: t })

describe('vim operators', () => {
  it('dt, takes to the character, into the register; 3dd reports fewer lines', async () => {
    const s = new VimState(['a: b, c', '1', '2', '3', '4'], 'f', false, { write: async () => undefined })
    s.pending = 'd'
    await pendingKey(s, text('t'))
    await pendingKey(s, text(','))
    expect(s.lines[0]).toBe(', c')
    expect(s.register).toEqual({ text: ['a: b'], linewise: false })
    s.row = 1
    s.count = '3'
    s.pending = 'd'
    await pendingKey(s, text('d'))
    expect(s.lines).toEqual([', c', '4'])
    expect(s.message).toBe('3 fewer lines')
  })

  it('> in visual line mode indents every selected line with a tab', () => {
    const s = new VimState(['a', 'b', 'c'], 'f', false, { write: async () => undefined })
    s.mode = 'visual-line'
    s.visualStart = { row: 0, col: 0 }
    s.row = 1
    visualKey(s, text('>'))
    expect(s.lines).toEqual(['\ta', '\tb', 'c'])
    expect(s.mode).toBe('normal')
  })
})
