import type { Key } from '../shell/keys'
import { spliceLines } from './lines'
import { charClass } from './vim-motions'
import type { VimState } from './vim-state'

// Insert and replace mode: typed text goes into the line (or over it, for R),
// Enter splits the line, Backspace joins lines, Ctrl-W and Ctrl-U delete
// backwards, arrows move, Escape returns to normal mode one column left.

/**
 * Text typed or pasted in insert mode, as one edit: the same result as its
 * characters one by one (a CR or LF splits the line as Enter does), but the
 * line is copied once, not once per character — 256 KB typed into one line
 * took 90 s a character at a time.
 */
export function insertText(s: VimState, text: string): void {
  const parts = text.split(/[\r\n]/)
  const head = s.line.slice(0, s.col)
  const tail = s.line.slice(s.col)
  const last = parts[parts.length - 1] as string
  if (parts.length === 1) {
    s.line = head + text + tail
    s.col += text.length
  } else {
    const added = [head + parts[0], ...parts.slice(1, -1), last + tail]
    spliceLines(s.lines, s.row, 1, added)
    s.row += parts.length - 1
    s.col = last.length
  }
  s.changed()
}

/** One key in insert or replace mode. */
export function insertKey(s: VimState, key: Key): void {
  const name = key.type === 'key' ? key.name : undefined
  if (name === 'escape' || (key.type === 'ctrl' && (key.key === 'c' || key.key === '['))) {
    s.mode = 'normal'
    s.insertSnapshotTaken = false
    s.message = ''
    s.col = Math.max(0, s.col - 1)
    s.clamp()
    s.wantCol = s.col
    return
  }
  if (key.type === 'text') {
    if (s.mode === 'replace' && s.col < s.line.length)
      s.line = s.line.slice(0, s.col) + key.text + s.line.slice(s.col + key.text.length)
    else s.line = s.line.slice(0, s.col) + key.text + s.line.slice(s.col)
    s.col += key.text.length
    s.changed()
    return
  }
  if (name === 'tab' || (key.type === 'ctrl' && key.key === 'i')) {
    s.line = `${s.line.slice(0, s.col)}\t${s.line.slice(s.col)}`
    s.col++
    s.changed()
    return
  }
  if (name === 'enter' || (key.type === 'ctrl' && (key.key === 'j' || key.key === 'm'))) {
    const rest = s.line.slice(s.col)
    s.line = s.line.slice(0, s.col)
    s.lines.splice(s.row + 1, 0, rest)
    s.row++
    s.col = 0
    s.changed()
    return
  }
  if (name === 'backspace' || (key.type === 'ctrl' && key.key === 'h')) {
    if (s.col > 0) {
      s.line = s.line.slice(0, s.col - 1) + s.line.slice(s.col)
      s.col--
    } else if (s.row > 0) {
      const cur = s.line
      s.lines.splice(s.row, 1)
      s.row--
      s.col = s.line.length
      s.line = s.line + cur
    }
    s.changed()
    return
  }
  if (key.type === 'ctrl' && key.key === 'w') {
    let i = s.col
    while (i > 0 && /\s/.test(s.line[i - 1] as string)) i--
    const c = charClass(s.line[i - 1])
    while (i > 0 && charClass(s.line[i - 1]) === c && c !== 0) i--
    s.line = s.line.slice(0, i) + s.line.slice(s.col)
    s.col = i
    s.changed()
    return
  }
  if (key.type === 'ctrl' && key.key === 'u') {
    s.line = s.line.slice(s.col)
    s.col = 0
    s.changed()
    return
  }
  if (name === 'delete') {
    if (s.col < s.line.length) s.line = s.line.slice(0, s.col) + s.line.slice(s.col + 1)
    else if (s.row < s.lines.length - 1) {
      s.line = s.line + (s.lines[s.row + 1] ?? '')
      s.lines.splice(s.row + 1, 1)
    }
    s.changed()
    return
  }
  if (name === 'left') s.col = Math.max(0, s.col - 1)
  else if (name === 'right') s.col = Math.min(s.line.length, s.col + 1)
  else if (name === 'up') s.row = Math.max(0, s.row - 1)
  else if (name === 'down') s.row = Math.min(s.lines.length - 1, s.row + 1)
  else if (name === 'home') s.col = 0
  else if (name === 'end') s.col = s.line.length
  s.clamp()
}
