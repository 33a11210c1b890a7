import { EDITOR_BUDGET, linesCost } from './limits'
import { pushLines, spliceLines } from './lines'
import type { VimState } from './vim-state'

// vim's unnamed register: what the last delete, change or yank took, and
// putting it back with p and P (linewise text as whole lines, characterwise
// text inside the line).

export interface Register {
  /** One string per line taken. */
  text: string[]
  /** Taken as whole lines (dd, yy, V…y): put back as lines above or below. */
  linewise: boolean
}

export function emptyRegister(): Register {
  return { text: [], linewise: false }
}

/** `p` (after the cursor) or `P` (before it), count times. */
export function put(s: VimState, after: boolean): void {
  const reg = s.register
  if (reg.text.length === 0) {
    s.error('E353: Nothing in register "')
    return
  }
  const n = s.takeCount()
  const adds = linesCost(reg.text) * n
  if (linesCost(s.lines) + adds > EDITOR_BUDGET) {
    // `100000p` of a big yank: past the budget, vim's answer when memory runs out, and no change.
    s.error(`E342: Out of memory!  (allocating ${adds} bytes)`)
    return
  }
  s.snapshot()
  if (reg.linewise) {
    const block: string[] = []
    for (let i = 0; i < n; i++) pushLines(block, reg.text)
    const at = after ? s.row + 1 : s.row
    spliceLines(s.lines, at, 0, block)
    s.row = at
    s.col = s.firstNonBlank()
    if (block.length > 2) s.info(`${block.length} more lines`)
  } else {
    const text = reg.text.join('\n').repeat(n)
    const at = after && s.line.length ? s.col + 1 : s.col
    const merged = s.line.slice(0, at) + text + s.line.slice(at)
    const parts = merged.split('\n')
    spliceLines(s.lines, s.row, 1, parts)
    if (parts.length === 1) s.col = at + text.length - 1
    else s.col = at
  }
  s.changed()
  s.clamp()
}
