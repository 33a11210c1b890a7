import type { Key } from '../shell/keys'
import { exCommand } from './vim-ex'
import { findChar, motion } from './vim-motions'
import type { VimState } from './vim-state'

// vim's operators: d, c, y with a motion, a repeated letter (dd, cc, yy) or
// f/F/t/T; r, gg, ZZ/ZQ, >> and <<; and the same operators on a visual
// selection. Each change is one undo step; what is taken goes to the register.

/** The key that completes a pending operator or prefix (`s.pending`). */
export async function pendingKey(s: VimState, key: Key): Promise<number | undefined> {
  const op = s.pending
  s.pending = ''
  const ch = key.type === 'text' ? key.text : undefined
  if (op.length === 1 && 'fFtT'.includes(op)) {
    const target = ch === undefined ? -1 : findChar(s, op, ch)
    if (target >= 0) {
      s.col = target
      s.wantCol = target
    }
    s.count = ''
    return undefined
  }
  if (op.length === 2) {
    // d/c/y with f, F, t or T: an inclusive, characterwise range on the line.
    const kind = op[1] as string
    const target = ch === undefined ? -1 : findChar(s, kind, ch)
    s.count = ''
    if (target < 0) return undefined
    const from = Math.min(s.col, target)
    const to = Math.max(s.col, target) + (kind === 'f' || kind === 't' ? 1 : 0)
    const end = kind === 'F' || kind === 'T' ? s.col : to
    s.register = { text: [s.line.slice(from, end)], linewise: false }
    if (op[0] === 'y') return undefined
    s.snapshot()
    s.line = s.line.slice(0, from) + s.line.slice(end)
    s.col = from
    s.changed()
    if (op[0] === 'c') {
      s.insertSnapshotTaken = true
      s.enterInsert()
    } else s.clamp()
    return undefined
  }
  if ((op === 'd' || op === 'c' || op === 'y') && ch !== undefined && 'fFtT'.includes(ch)) {
    s.pending = op + ch
    return undefined
  }
  if (op === 'r') {
    if (ch && s.line.length) {
      s.snapshot()
      s.line = s.line.slice(0, s.col) + ch + s.line.slice(s.col + 1)
      s.changed()
    }
    return undefined
  }
  if (op === 'g') {
    if (ch === 'g') {
      const target = s.count ? Number(s.count) : 1
      s.count = ''
      s.row = Math.max(0, Math.min(s.lines.length - 1, target - 1))
      s.col = s.firstNonBlank()
    }
    return undefined
  }
  if (op === 'Z') {
    if (ch === 'Z') return exCommand(s, 'x')
    if (ch === 'Q') return exCommand(s, 'q!')
    return undefined
  }
  if (op === '>' || op === '<') {
    if (ch === op) {
      const n = s.takeCount()
      s.snapshot()
      for (let r = s.row; r < Math.min(s.lines.length, s.row + n); r++) {
        const l = s.lines[r] ?? ''
        s.lines[r] = op === '>' ? (l ? `\t${l}` : l) : l.replace(/^(\t| {1,8})/, '')
      }
      s.col = s.firstNonBlank()
      s.changed()
    }
    return undefined
  }
  // d, y, c with a repeated letter (linewise) or a motion.
  if (ch === op) {
    const n = s.takeCount()
    const end = Math.min(s.lines.length, s.row + n)
    const taken = s.lines.slice(s.row, end)
    s.register = { text: taken, linewise: true }
    if (op === 'y') {
      if (taken.length > 2) s.info(`${taken.length} lines yanked`)
      return undefined
    }
    s.snapshot()
    if (op === 'c') {
      const indent = /^\s*/.exec(s.line)?.[0] ?? ''
      s.lines.splice(s.row, end - s.row, '')
      s.col = 0
      void indent
      s.insertSnapshotTaken = true
      s.changed()
      s.enterInsert()
      return undefined
    }
    s.lines.splice(s.row, end - s.row)
    if (s.lines.length === 0) s.lines.push('')
    if (taken.length > 2) s.info(`${taken.length} fewer lines`)
    s.row = Math.min(s.row, s.lines.length - 1)
    s.col = s.firstNonBlank()
    s.changed()
    return undefined
  }
  const start = { row: s.row, col: s.col }
  const motionKey: Key =
    op === 'c' && (ch === 'w' || ch === 'W') ? { type: 'text', text: ch === 'w' ? 'e' : 'E' } : key
  if (!motion(s, motionKey)) return undefined
  let end = { row: s.row, col: s.col }
  const inclusive =
    motionKey.type === 'text' && (motionKey.text === 'e' || motionKey.text === 'E' || motionKey.text === '$')
  const linewise =
    motionKey.type === 'text'
      ? 'jkGJ+-'.includes(motionKey.text)
      : motionKey.type === 'key' && (motionKey.name === 'up' || motionKey.name === 'down')
  s.row = start.row
  s.col = start.col
  if (linewise) {
    const a = Math.min(start.row, end.row)
    const b = Math.max(start.row, end.row)
    s.register = { text: s.lines.slice(a, b + 1), linewise: true }
    if (op === 'y') return undefined
    s.snapshot()
    s.lines.splice(a, b - a + 1)
    if (s.lines.length === 0) s.lines.push('')
    s.row = Math.min(a, s.lines.length - 1)
    s.col = s.firstNonBlank()
    s.changed()
    if (op === 'c') {
      s.lines.splice(s.row, 0, '')
      s.insertSnapshotTaken = true
      s.enterInsert()
    }
    return undefined
  }
  // A `dw` on the last word of a line stops at the end of the line.
  if (end.row > start.row && motionKey.type === 'text' && motionKey.text === 'w')
    end = { row: start.row, col: s.line.length }
  let from = start
  let to = end
  if (to.row < from.row || (to.row === from.row && to.col < from.col)) [from, to] = [to, from]
  const toCol = inclusive ? to.col + 1 : to.col
  const text = s.extract(from, { row: to.row, col: toCol })
  s.register = { text, linewise: false }
  if (op === 'y') {
    s.row = from.row
    s.col = from.col
    return undefined
  }
  s.snapshot()
  s.remove(from, { row: to.row, col: toCol })
  s.changed()
  if (op === 'c') {
    s.insertSnapshotTaken = true
    s.enterInsert()
    s.col = from.col
  } else s.clamp()
  return undefined
}

/** A key in visual or visual-line mode: a motion extends the selection, an operator acts on it. */
export function visualKey(s: VimState, key: Key): void {
  const ch = key.type === 'text' ? key.text : undefined
  const name = key.type === 'key' ? key.name : undefined
  if (name === 'escape' || (key.type === 'ctrl' && key.key === 'c') || ch === 'v' || ch === 'V') {
    if ((ch === 'v' && s.mode === 'visual-line') || (ch === 'V' && s.mode === 'visual')) {
      s.mode = ch === 'v' ? 'visual' : 'visual-line'
      s.info(ch === 'v' ? '-- VISUAL --' : '-- VISUAL LINE --')
      return
    }
    s.mode = 'normal'
    s.message = ''
    return
  }
  if (ch && /[0-9]/.test(ch) && (ch !== '0' || s.count !== '')) {
    s.count += ch
    return
  }
  if (ch === 'g') {
    s.row = 0
    s.col = 0
    return
  }
  if (motion(s, key)) {
    s.clamp()
    return
  }
  if (!ch || !'dxyc><'.includes(ch)) return
  let a = { ...s.visualStart }
  let b = { row: s.row, col: s.col }
  if (b.row < a.row || (b.row === a.row && b.col < a.col)) [a, b] = [b, a]
  const linewise = s.mode === 'visual-line'
  s.mode = 'normal'
  s.message = ''
  if (ch === '>' || ch === '<') {
    s.snapshot()
    for (let r = a.row; r <= b.row; r++) {
      const l = s.lines[r] ?? ''
      s.lines[r] = ch === '>' ? (l ? `\t${l}` : l) : l.replace(/^(\t| {1,8})/, '')
    }
    s.row = a.row
    s.col = s.firstNonBlank()
    s.changed()
    return
  }
  if (linewise) {
    s.register = { text: s.lines.slice(a.row, b.row + 1), linewise: true }
    const count = b.row - a.row + 1
    if (ch === 'y') {
      s.row = a.row
      s.col = 0
      if (count > 2) s.info(`${count} lines yanked`)
      return
    }
    s.snapshot()
    s.lines.splice(a.row, count)
    if (s.lines.length === 0) s.lines.push('')
    s.row = Math.min(a.row, s.lines.length - 1)
    s.col = s.firstNonBlank()
    if (count > 2) s.info(`${count} fewer lines`)
    s.changed()
    if (ch === 'c') {
      s.lines.splice(s.row, 0, '')
      s.insertSnapshotTaken = true
      s.enterInsert()
    }
    return
  }
  const to = { row: b.row, col: Math.min((s.lines[b.row] ?? '').length, b.col + 1) }
  s.register = { text: s.extract(a, to), linewise: false }
  if (ch === 'y') {
    s.row = a.row
    s.col = a.col
    return
  }
  s.snapshot()
  s.remove(a, to)
  s.changed()
  if (ch === 'c') {
    s.insertSnapshotTaken = true
    s.enterInsert()
  } else s.clamp()
}
