import { displayWidth } from './keys'
import type { EditorView } from './line-editor'

// Draws the line editor's view on a terminal of a given width, handling lines
// longer than the terminal: it remembers how many rows the cursor is below
// the prompt's first row so the next redraw can start from there.

export class LineRenderer {
  /** Rows between the prompt's first row and the cursor, as last drawn. */
  private cursorRow = 0

  /** The next draw starts on a fresh line (after output or a new prompt). */
  reset(): void {
    this.cursorRow = 0
  }

  draw(view: EditorView, cols: number): string {
    const width = Math.max(1, cols)
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
    return out
  }

  /** Move below the drawn line (before output is printed or the line is accepted). */
  finish(view: EditorView, cols: number): string {
    const width = Math.max(1, cols)
    const total = displayWidth(view.prompt) + displayWidth(view.text)
    const endRow = Math.floor(Math.max(0, total - 1) / width)
    const down = endRow - this.cursorRow
    this.cursorRow = 0
    return `${down > 0 ? `\x1b[${down}B` : ''}\r\n`
  }
}
