import type { Key } from '../shell/keys'
import type { VimState } from './vim-state'

// vim's cursor motions: h j k l, words (w b e and their WORD forms), line
// start and end, G and page moves, and f/F/t/T on the line. A motion moves
// the cursor and nothing else; the operators turn the distance into a range.

export function isWord(c: string | undefined): boolean {
  return c !== undefined && /[\p{L}\p{N}_]/u.test(c)
}

/** 0 for blanks, 1 for word characters, 2 for other punctuation: a word ends where the class changes. */
export function charClass(c: string | undefined): number {
  if (c === undefined || /\s/.test(c)) return 0
  return isWord(c) ? 1 : 2
}

/** Move the cursor for a motion key; false when the key is not a motion. */
export function motion(s: VimState, key: Key): boolean {
  const n = () => s.takeCount()
  const name = key.type === 'key' ? key.name : undefined
  const ch = key.type === 'text' ? key.text : undefined
  const ctrl = key.type === 'ctrl' ? key.key : undefined
  const vertical = (delta: number) => {
    s.row = Math.max(0, Math.min(s.lines.length - 1, s.row + delta))
    s.col = Math.min(s.wantCol, s.maxCol())
  }
  if (ch === 'h' || name === 'left' || (name === 'backspace' && s.mode !== 'insert')) {
    s.col = Math.max(0, s.col - n())
  } else if (ch === 'l' || name === 'right' || ch === ' ') {
    s.col = Math.min(s.maxCol(), s.col + n())
  } else if (ch === 'j' || name === 'down' || ctrl === 'n' || name === 'enter' || ch === '+') {
    vertical(n())
    if (name === 'enter' || ch === '+') s.col = s.firstNonBlank()
    return true
  } else if (ch === 'k' || name === 'up' || ctrl === 'p' || ch === '-') {
    vertical(-n())
    if (ch === '-') s.col = s.firstNonBlank()
    return true
  } else if (ch === '0' || name === 'home') {
    s.col = 0
  } else if (ch === '^') {
    s.col = s.firstNonBlank()
  } else if (ch === '$' || name === 'end') {
    const times = n()
    s.row = Math.min(s.lines.length - 1, s.row + times - 1)
    s.col = s.maxCol()
    s.wantCol = Number.MAX_SAFE_INTEGER
    return true
  } else if (ch === 'w' || ch === 'W') {
    for (let i = n(); i > 0; i--) wordForward(s, ch === 'W')
  } else if (ch === 'b' || ch === 'B') {
    for (let i = n(); i > 0; i--) wordBackward(s, ch === 'B')
  } else if (ch === 'e' || ch === 'E') {
    for (let i = n(); i > 0; i--) wordEnd(s, ch === 'E')
  } else if (ch === 'G') {
    const target = s.count ? Number(s.count) : s.lines.length
    s.count = ''
    s.row = Math.max(0, Math.min(s.lines.length - 1, target - 1))
    s.col = s.firstNonBlank()
  } else if (name === 'pagedown' || ctrl === 'f' || ctrl === 'd') {
    vertical((ctrl === 'd' ? 12 : 22) * n())
    return true
  } else if (name === 'pageup' || ctrl === 'b' || ctrl === 'u') {
    vertical(-(ctrl === 'u' ? 12 : 22) * n())
    return true
  } else return false
  s.wantCol = s.col
  return true
}

function wordForward(s: VimState, big: boolean): void {
  const cls = (c: string | undefined) => (big ? (c === undefined || /\s/.test(c) ? 0 : 1) : charClass(c))
  let { row, col } = s
  const start = cls(s.lines[row]?.[col])
  let line = s.lines[row] ?? ''
  while (col < line.length && cls(line[col]) === start && start !== 0) col++
  for (;;) {
    while (col < line.length && cls(line[col]) === 0) col++
    if (col < line.length) break
    if (row >= s.lines.length - 1) {
      col = Math.max(0, line.length - 1)
      break
    }
    row++
    col = 0
    line = s.lines[row] ?? ''
    if (line.length === 0) break
  }
  s.row = row
  s.col = col
}

function wordBackward(s: VimState, big: boolean): void {
  const cls = (c: string | undefined) => (big ? (c === undefined || /\s/.test(c) ? 0 : 1) : charClass(c))
  let { row, col } = s
  let line = s.lines[row] ?? ''
  col--
  for (;;) {
    while (col >= 0 && cls(line[col]) === 0) col--
    if (col >= 0) break
    if (row === 0) {
      col = 0
      break
    }
    row--
    line = s.lines[row] ?? ''
    col = line.length - 1
    if (line.length === 0) {
      col = 0
      s.row = row
      s.col = 0
      return
    }
  }
  const c = cls(line[col])
  while (col > 0 && cls(line[col - 1]) === c) col--
  s.row = row
  s.col = Math.max(0, col)
}

function wordEnd(s: VimState, big: boolean): void {
  const cls = (c: string | undefined) => (big ? (c === undefined || /\s/.test(c) ? 0 : 1) : charClass(c))
  let { row, col } = s
  let line = s.lines[row] ?? ''
  col++
  for (;;) {
    while (col < line.length && cls(line[col]) === 0) col++
    if (col < line.length) break
    if (row >= s.lines.length - 1) {
      col = Math.max(0, line.length - 1)
      s.row = row
      s.col = col
      return
    }
    row++
    col = 0
    line = s.lines[row] ?? ''
  }
  const c = cls(line[col])
  while (col < line.length - 1 && cls(line[col + 1]) === c) col++
  s.row = row
  s.col = col
}

/** Column of the count-th `ch` for f/F/t/T on the current line, or -1. */
export function findChar(s: VimState, kind: string, ch: string): number {
  const n = s.takeCount()
  const line = s.line
  let col = s.col
  for (let i = 0; i < n; i++) {
    const next =
      kind === 'f' || kind === 't'
        ? line.indexOf(ch, col + 1 + (kind === 't' && i === 0 ? 1 : 0))
        : line.lastIndexOf(ch, col - 1 - (kind === 'T' && i === 0 ? 1 : 0))
    if (next < 0) return -1
    col = next
  }
  if (kind === 't') return col - 1
  if (kind === 'T') return col + 1
  return col
}
