import type { TerminalSizeLike } from '../commands/types'
import {
  columnOf,
  type LineLayout,
  layoutLine,
  plainPrefix,
  rowsOf,
  type ScreenRow,
  wrapRows,
} from './display'
import { byteLength, fitWidth } from './fullscreen'
import type { VimState } from './vim-state'

// Drawing vim's screen: the lines from the top of the window, wrapped by
// display width (wide characters in two cells, tabs to the next stop), the
// visual selection in reverse video, `~` past the end, and the bottom line
// with the message or mode and the ruler. Only what is on screen is laid out.

/**
 * Scroll as little as needed for the cursor line to show: the first line on
 * screen moves down until the lines from it to the cursor fit. Walks up from
 * the cursor, so a jump to the end of a long file costs one screenful.
 */
function scrollToCursor(s: VimState, width: number, textRows: number): void {
  if (s.row < s.top) {
    s.top = s.row
    return
  }
  let used = 0
  let first = s.row
  for (let r = s.row; r >= s.top; r--) {
    used += rowsOf(s.lines[r] ?? '', width, textRows)
    if (used > textRows) break
    first = r
  }
  s.top = Math.max(s.top, Math.min(first, s.row))
}

export function render(s: VimState, size: TerminalSizeLike): string {
  const cols = Math.max(10, size.cols)
  const rows = Math.max(2, size.rows)
  if (s.hitEnter) return hitEnterPrompt(s.hitEnter, cols, rows)
  const textRows = rows - 1
  const gutter = s.number ? Math.max(3, String(s.lines.length).length) + 1 : 0
  const width = Math.max(1, cols - gutter)
  scrollToCursor(s, width, textRows)
  let out = '\x1b[?25l\x1b[H'
  let screenRow = 0
  let cursorY = 0
  let cursorX = 0
  const sel = selection(s)
  // Only the lines on screen are laid out, each only as far as the screen (or the cursor) reaches.
  for (let r = s.top; r < s.lines.length && screenRow < textRows; r++) {
    const raw = s.lines[r] ?? ''
    const left = textRows - screenRow
    const isCursorLine = r === s.row
    // On a line longer than the screen, start a few rows before the cursor when the
    // columns up to it are plain (a 16 MB line is not laid out from its start on every key).
    let start = 0
    if (isCursorLine && s.col >= left * width && s.col < plainPrefix(raw))
      start = Math.max(0, (Math.floor(s.col / width) - left + 1) * width)
    const layout = layoutLine(raw, {
      maxCells: left * width,
      throughIndex: isCursorLine ? s.col : 0,
      start,
    })
    let wrapped = wrapRows(layout, width)
    // Outside insert mode vim puts the cursor on the last cell of a tab.
    const cx = !isCursorLine ? 0 : onTab(s, raw) ? layout.colOf(s.col + 1) - 1 : layout.colOf(s.col)
    let cursorRow = 0
    if (isCursorLine) {
      for (let i = 0; i < wrapped.length; i++) if ((wrapped[i] as ScreenRow).startCol <= cx) cursorRow = i
      // A line taller than the screen shows the part with the cursor.
      if (cursorRow >= left) {
        wrapped = wrapped.slice(cursorRow - left + 1)
        cursorRow = left - 1
      }
    }
    // A line below the cursor that does not fit shows what fits and `@@@` in the last row
    // ('display' is "truncate" in Debian's defaults.vim).
    const truncated = !isCursorLine && (wrapped.length > left || (!layout.complete && wrapped.length >= left))
    if (truncated) wrapped = wrapped.slice(0, left - 1)
    // A line shown from past its start (the cursor far into a long line) begins with `<<<`.
    const skipped = (wrapped[0]?.startCol ?? 0) > 0
    const selFrom =
      sel && r >= sel.a.row && r <= sel.b.row ? (sel.linewise || r > sel.a.row ? 0 : sel.a.col) : -1
    const selTo =
      selFrom < 0 ? -1 : sel && (sel.linewise || r < sel.b.row) ? raw.length : (sel?.b.col ?? 0) + 1
    for (let c = 0; c < wrapped.length && screenRow < textRows; c++) {
      const w = wrapped[c] as ScreenRow
      let row = ''
      if (s.number)
        row += c === 0 ? `\x1b[33m${String(r + 1).padStart(gutter - 1)} \x1b[0m` : ' '.repeat(gutter)
      if (selFrom >= 0) {
        let before = ''
        let inside = ''
        let after = ''
        for (let k = w.from; k < w.to; k++) {
          const at = layout.index[k] as number
          if (at < selFrom) before += layout.shown[k]
          else if (at < selTo) inside += layout.shown[k]
          else after += layout.shown[k]
        }
        const tail = w.text.slice(before.length + inside.length + after.length)
        row += inside ? `${before}\x1b[7m${inside}\x1b[0m${after}${tail}` : w.text
      } else if (c === 0 && skipped) row += `\x1b[94m<<<\x1b[0m${afterCells(layout, w, 3)}`
      else row += w.text
      out += `\x1b[${screenRow + 1};1H\x1b[2K${row}`
      if (isCursorLine && c === cursorRow) {
        cursorY = screenRow
        cursorX = gutter + Math.min(width - 1, cx - w.startCol)
      }
      screenRow++
    }
    if (truncated) {
      out += `\x1b[${screenRow + 1};1H\x1b[2K\x1b[94m@@@\x1b[0m`
      screenRow++
    }
  }
  for (; screenRow < textRows; screenRow++) out += `\x1b[${screenRow + 1};1H\x1b[2K\x1b[94m~\x1b[0m`
  // Bottom line: command line, or the message with the ruler on the right.
  out += `\x1b[${rows};1H\x1b[2K`
  if (s.mode === 'cmdline' || s.mode === 'search') {
    const shown = s.mode === 'cmdline' ? `:${s.cmd}` : s.cmd
    out += fitWidth(shown, cols - 1).replace(/\s+$/, '')
    out += `\x1b[${rows};${Math.min(cols, Array.from(shown).length + 1)}H\x1b[?25h`
    return out
  }
  const rulerText = ruler(s, textRows)
  const rulerCol = cols - 18
  let msg = s.message
  if (s.mode === 'insert' || s.mode === 'replace' || s.mode === 'visual' || s.mode === 'visual-line') {
    const label = {
      insert: '-- INSERT --',
      replace: '-- REPLACE --',
      visual: '-- VISUAL --',
      'visual-line': '-- VISUAL LINE --',
    }[s.mode]
    // vim shows the warning of a first change to a read-only buffer after the mode.
    msg = s.message.startsWith('W10:') ? `${label} ${s.message}` : label
  }
  const styled =
    s.messageIsError && msg
      ? `\x1b[97;41m${msg.slice(0, Math.max(0, rulerCol - 1))}\x1b[0m`
      : (msg.startsWith('--') ? `\x1b[1m${msg}\x1b[0m` : msg).slice(0, Math.max(0, rulerCol - 1) + 8)
  out += styled
  if (rulerCol > Array.from(msg).length) out += `\x1b[${rows};${rulerCol + 1}H${rulerText}`
  out += `\x1b[${cursorY + 1};${cursorX + 1}H\x1b[?25h`
  return out
}

/** The cursor is on a tab outside insert and replace mode, where vim shows it on the tab's last cell. */
function onTab(s: VimState, line: string): boolean {
  return s.mode !== 'insert' && s.mode !== 'replace' && line.charCodeAt(s.col) === 9
}

/** A screen row's text from its `cells`-th cell on (a wide character cut by that edge becomes a space). */
function afterCells(layout: LineLayout, w: ScreenRow, cells: number): string {
  let text = ''
  for (let k = w.from; k < w.to; k++) {
    const col = (layout.cols[k] as number) - w.startCol
    if (col >= cells) text += layout.shown[k]
    else if (col + cellWidth(layout, k) > cells) text += ' '.repeat(col + cellWidth(layout, k) - cells)
  }
  return text
}

function cellWidth(l: LineLayout, k: number): number {
  return (k + 1 < l.cols.length ? (l.cols[k + 1] as number) : l.cells) - (l.cols[k] as number)
}

/**
 * Messages that need a key before vim goes on (several at once, as when a
 * file could not be read in full): at the bottom of the screen, errors in
 * red, then vim's prompt in green with the cursor after it.
 */
function hitEnterPrompt(messages: string[], cols: number, rows: number): string {
  const shown = [...messages.slice(-(rows - 1)), 'Press ENTER or type command to continue']
  let out = '\x1b[?25l\x1b[H\x1b[2J'
  const first = rows - shown.length
  shown.forEach((text, i) => {
    const cut = fitWidth(text, cols).replace(/\s+$/, '')
    const styled =
      i === shown.length - 1
        ? `\x1b[32m${cut}\x1b[0m`
        : /^E\d+:/.test(text)
          ? `\x1b[97;41m${cut}\x1b[0m`
          : cut
    out += `\x1b[${first + i + 1};1H${styled}`
  })
  const last = shown[shown.length - 1] as string
  return `${out}\x1b[${rows};${Math.min(cols, last.length + 1)}H\x1b[?25h`
}

function selection(
  s: VimState,
): { a: { row: number; col: number }; b: { row: number; col: number }; linewise: boolean } | undefined {
  if (s.mode !== 'visual' && s.mode !== 'visual-line') return undefined
  let a = { ...s.visualStart }
  let b = { row: s.row, col: s.col }
  if (b.row < a.row || (b.row === a.row && b.col < a.col)) [a, b] = [b, a]
  return { a, b, linewise: s.mode === 'visual-line' }
}

/** `12,5          Top` — line, column and where the window is in the file. */
export function ruler(s: VimState, textRows: number): string {
  const line = s.lines[s.row] ?? ''
  const pos =
    line.length === 0
      ? '0-1'
      : (() => {
          const plain = s.col <= plainPrefix(line)
          const byteCol = (plain ? s.col : byteLength(line.slice(0, s.col))) + 1
          const screenCol = onTab(s, line) ? columnOf(line, s.col + 1) : columnOf(line, s.col) + 1
          return byteCol === screenCol ? `${byteCol}` : `${byteCol}-${screenCol}`
        })()
  const where =
    s.lines.length <= textRows
      ? 'All'
      : s.top === 0
        ? 'Top'
        : s.top + textRows >= s.lines.length
          ? 'Bot'
          : `${Math.floor((s.top * 100) / (s.lines.length - textRows))}%`
  const left = `${s.row + 1},${pos}`
  return `${left.padEnd(14)}${where}`
}
