import { describe, expect, it } from 'vitest'
import { UndoHistory } from './vim-undo'

describe('UndoHistory', () => {
  it('undoes and redoes changes kept as the lines they replaced', () => {
    const h = new UndoHistory()
    const lines = ['a', 'b', 'c']
    h.checkpoint(lines, { row: 1, col: 0 })
    lines.splice(1, 1, 'B', 'B2')
    expect(h.undo(lines, { row: 2, col: 0 })).toEqual({ row: 1, col: 0 })
    expect(lines).toEqual(['a', 'b', 'c'])
    expect(h.redo(lines, { row: 1, col: 0 })).toEqual({ row: 2, col: 0 })
    expect(lines).toEqual(['a', 'B', 'B2', 'c'])
    expect(h.redo(lines, { row: 0, col: 0 })).toBeUndefined()
  })

  it('forgets the oldest changes past its budget, and a checkpoint without a change is no step', () => {
    const h = new UndoHistory(100)
    const lines = ['x'.repeat(60)]
    for (let i = 0; i < 3; i++) {
      h.checkpoint(lines, { row: 0, col: 0 })
      lines[0] = `${lines[0]}y`
    }
    h.checkpoint(lines, { row: 0, col: 0 })
    expect(h.undo(lines, { row: 0, col: 0 })).toBeDefined()
    expect(h.undo(lines, { row: 0, col: 0 })).toBeUndefined()
    expect(lines[0]).toBe(`${'x'.repeat(60)}yy`)
  })
})
