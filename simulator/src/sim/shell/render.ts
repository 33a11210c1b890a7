import { displayWidth } from './keys'
import type { EditorView } from './line-editor'

// Draws the line editor's view on a terminal of a given width, handling lines
// longer than the terminal: it remembers how many rows the cursor is below
// the prompt's first row so the next redraw can start from there.
//
// A redraw after a keystroke sends only what changed: it moves to the first
// character that differs from what is on the screen, writes the rest of the
// line from there, clears what is left of the old line and puts the cursor
// back. Typing at the end of a long line costs a few bytes, not the line.

interface Drawn {
  prompt: string
  text: string
  cols: number
  /** Cell (from the prompt's first cell) the cursor was left on. */
  cursorCell: number
}

/** Length of the common prefix of `a` and `b`, never splitting a surrogate pair. */
function commonPrefix(a: string, b: string): number {
  const n = Math.min(a.length, b.length)
  let i = 0
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++
  if (i > 0 && i < b.length) {
    const c = b.charCodeAt(i - 1)
    if (c >= 0xd800 && c <= 0xdbff) i--
  }
  return i
}

/** Cursor movement from one cell of a wrapped line to another. */
function move(from: number, to: number, width: number): string {
  let out = ''
  const rows = Math.floor(to / width) - Math.floor(from / width)
  if (rows < 0) out += `\x1b[${-rows}A`
  else if (rows > 0) out += `\x1b[${rows}B`
  const col = to % width
  if (rows !== 0 || col !== from % width) out += `\r${col > 0 ? `\x1b[${col}C` : ''}`
  return out
}

export class LineRenderer {
  /** Rows between the prompt's first row and the cursor, as last drawn. */
  private cursorRow = 0
  private drawn: Drawn | undefined

  /** The next draw starts on a fresh line (after output or a new prompt). */
  reset(): void {
    this.cursorRow = 0
    this.drawn = undefined
  }

  draw(view: EditorView, cols: number): string {
    const width = Math.max(1, cols)
    const last = this.drawn
    if (last && last.prompt === view.prompt && last.cols === width) return this.update(last, view, width)
    let out = ''
    if (this.cursorRow > 0) out += `\x1b[${this.cursorRow}A`
    out += `\r\x1b[J${view.prompt}${view.text}`
    const promptWidth = displayWidth(view.prompt)
    const total = promptWidth + displayWidth(view.text)
    // At an exact multiple of the width the terminal holds the cursor in the last column; move it down.
    if (total > 0 && total % width === 0) out += '\r\n'
    const endRow = Math.floor(total / width)
    const at = promptWidth + displayWidth(view.text.slice(0, view.cursor))
    const row = Math.floor(at / width)
    const col = at % width
    if (endRow > row) out += `\x1b[${endRow - row}A`
    out += '\r'
    if (col > 0) out += `\x1b[${col}C`
    this.cursorRow = row
    this.drawn = { prompt: view.prompt, text: view.text, cols: width, cursorCell: at }
    return out
  }

  /** Redraw from the first changed character on (see the comment at the top). */
  private update(last: Drawn, view: EditorView, width: number): string {
    const promptWidth = displayWidth(view.prompt)
    const same = commonPrefix(last.text, view.text)
    const from = promptWidth + displayWidth(view.text.slice(0, same))
    const rest = view.text.slice(same)
    const oldEnd = promptWidth + displayWidth(last.text)
    const end = from + displayWidth(rest)
    const at = promptWidth + displayWidth(view.text.slice(0, view.cursor))
    let out = ''
    let cell = last.cursorCell
    if (rest || oldEnd > end) {
      out += move(cell, from, width) + rest
      cell = end
      // Writing up to the last column leaves the cursor there; move it to the next row as a full draw does.
      if (rest && end % width === 0) out += '\r\n'
      if (oldEnd > end) out += '\x1b[J'
    }
    out += move(cell, at, width)
    this.cursorRow = Math.floor(at / width)
    this.drawn = { prompt: view.prompt, text: view.text, cols: width, cursorCell: at }
    return out
  }

  /** Move below the drawn line (before output is printed or the line is accepted). */
  finish(view: EditorView, cols: number): string {
    const width = Math.max(1, cols)
    const total = displayWidth(view.prompt) + displayWidth(view.text)
    const endRow = Math.floor(Math.max(0, total - 1) / width)
    const down = endRow - this.cursorRow
    this.cursorRow = 0
    this.drawn = undefined
    return `${down > 0 ? `\x1b[${down}B` : ''}\r\n`
  }
}
