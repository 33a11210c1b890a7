import { eastAsianWidth } from 'get-east-asian-width'

// How a buffer line looks on the terminal: tabs to the next tab stop, control
// characters as ^X, East Asian wide characters in two cells, combining marks
// in none. Laid out only as far as the caller needs (the visible screen, the
// cursor), so a keystroke costs what is on screen, not what is in the file.

const ZERO_WIDTH = /^[\p{Mn}\p{Me}\p{Cf}]$/u

/** Terminal cells one code point takes (tabs and control characters aside). */
export function codePointCells(cp: number): number {
  if (cp < 0x300) return 1
  const ch = String.fromCodePoint(cp)
  if (ZERO_WIDTH.test(ch)) return 0
  return eastAsianWidth(cp)
}

/** Display width of a string in terminal cells, with tabs expanded from column 0. */
export function displayWidth(text: string, tabstop = 8): number {
  return layoutLine(text, { tabstop }).cells
}

let plainCache: { line: string; length: number } | undefined

/**
 * Length of the line's leading run of printable ASCII, where a character's
 * index is its screen column. Remembered for the last line asked about, so
 * moving along one huge line scans it once.
 */
export function plainPrefix(line: string): number {
  if (plainCache && plainCache.line === line) return plainCache.length
  const re = /[^\x20-\x7e]/g
  const m = re.exec(line)
  const length = m ? m.index : line.length
  plainCache = { line, length }
  return length
}

/** Screen column of UTF-16 index `at` in `line`. */
export function columnOf(line: string, at: number, tabstop = 8): number {
  if (at <= plainPrefix(line)) return at
  return layoutLine(line, { tabstop, maxCells: 0, throughIndex: at }).colOf(at)
}

export interface LineLayout {
  /** What each laid-out character shows (a tab as spaces, ^X for a control character). */
  shown: string[]
  /** Screen column of each laid-out character. */
  cols: number[]
  /** UTF-16 index in the line of each laid-out character. */
  index: number[]
  /** Cells used by the laid-out part. */
  cells: number
  /** True when the whole line was laid out. */
  complete: boolean
  /** Screen column of the character at UTF-16 `index` (the end column past the laid-out part). */
  colOf(index: number): number
}

export interface LayoutOptions {
  tabstop?: number
  /** Stop once this many cells are laid out … */
  maxCells?: number
  /** … but not before this UTF-16 index (the cursor) is reached. */
  throughIndex?: number
  /** Start at this UTF-16 index, which must lie within plainPrefix(line) (its column is its index). */
  start?: number
}

export function layoutLine(line: string, opts: LayoutOptions = {}): LineLayout {
  const tabstop = opts.tabstop ?? 8
  const maxCells = opts.maxCells ?? Number.POSITIVE_INFINITY
  const through = opts.throughIndex ?? 0
  const shown: string[] = []
  const cols: number[] = []
  const index: number[] = []
  let c = opts.start ?? 0
  let i = opts.start ?? 0
  const limit = c + maxCells
  while (i < line.length && (c < limit || i <= through)) {
    const cp = line.codePointAt(i) as number
    const unit = cp > 0xffff ? 2 : 1
    let text: string
    let w: number
    if (cp === 9) {
      w = tabstop - (c % tabstop)
      text = ' '.repeat(w)
    } else if (cp < 0x20 || cp === 0x7f) {
      text = cp === 0x7f ? '^?' : `^${String.fromCharCode(cp + 64)}`
      w = 2
    } else {
      text = line.slice(i, i + unit)
      w = codePointCells(cp)
    }
    shown.push(text)
    cols.push(c)
    index.push(i)
    c += w
    i += unit
  }
  const complete = i >= line.length
  return {
    shown,
    cols,
    index,
    cells: c,
    complete,
    colOf(at: number): number {
      if (index.length === 0) return c
      if (at <= (index[0] as number)) return cols[0] as number
      // Binary search: the last laid-out character starting at or before `at`.
      let lo = 0
      let hi = index.length - 1
      if (at > (index[hi] as number)) return c
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1
        if ((index[mid] as number) <= at) lo = mid
        else hi = mid - 1
      }
      return cols[lo] as number
    },
  }
}

/** Cells of a laid-out character: the distance to the next one (or the end). */
function cellsAt(l: LineLayout, k: number): number {
  return (k + 1 < l.cols.length ? (l.cols[k + 1] as number) : l.cells) - (l.cols[k] as number)
}

export interface ScreenRow {
  /** The row's text, `width` cells or fewer. */
  text: string
  /** First and last+1 laid-out character on this row. */
  from: number
  to: number
  /** Screen column where the row starts within the line. */
  startCol: number
}

/**
 * Wraps a laid-out line into rows of `width` cells. A wide character that
 * does not fit at the end of a row goes to the next row, and the cell it
 * leaves shows `>`, as vim does.
 */
export function wrapRows(l: LineLayout, width: number, maxRows = Number.POSITIVE_INFINITY): ScreenRow[] {
  const rows: ScreenRow[] = []
  let k = 0
  // Columns count from where the layout starts (a line laid out from past its start).
  let col = l.cols[0] ?? 0
  do {
    let text = ''
    let used = 0
    const from = k
    const startCol = col
    while (k < l.shown.length) {
      const w = cellsAt(l, k)
      if (used + w > width && used > 0) {
        if (w > 1 && used < width) text += '>'
        break
      }
      text += l.shown[k]
      used += w
      col += w
      k++
    }
    rows.push({ text, from, to: k, startCol })
  } while (k < l.shown.length && rows.length < maxRows)
  return rows
}

/** How many rows of `width` cells a line takes, counting at most `cap` rows (the screen). */
export function rowsOf(line: string, width: number, cap: number, tabstop = 8): number {
  const l = layoutLine(line, { tabstop, maxCells: width * cap })
  return Math.max(1, Math.min(cap, wrapRows(l, width, cap).length))
}

/**
 * The text of screen columns [from, from + count) of a line, the cells it takes
 * (a wide character cut by either edge is left out) and whether the line goes
 * on past them. Lays out only what
 * is shown, from the nearest plain column.
 */
export function cellsText(
  line: string,
  from: number,
  count: number,
  tabstop = 8,
): { text: string; cells: number; more: boolean } {
  const start = from <= plainPrefix(line) ? Math.min(from, line.length) : 0
  const l = layoutLine(line, { tabstop, start, maxCells: from + count - start })
  let text = ''
  let cells = 0
  let more = !l.complete
  for (let k = 0; k < l.shown.length; k++) {
    const col = l.cols[k] as number
    const w = cellsAt(l, k)
    if (col < from) continue
    if (col + w > from + count) {
      more = true
      break
    }
    text += l.shown[k]
    cells += w
  }
  return { text, cells, more }
}
