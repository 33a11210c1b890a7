import { EDITOR_BUDGET, linesCost } from './limits'
import { spliceLines } from './lines'

// vim's undo and redo for a buffer of lines. Each change is kept as the few
// lines it replaced (found by trimming the lines both states share at the
// start and at the end), not as a copy of the whole buffer: a 100,000-line
// file costs one copy while a change is being made, and then only its change.
// What the history keeps is capped by the editors' budget (limits.ts): past
// it the oldest changes are forgotten, as if 'undolevels' were lower, so
// editing a 16 MB line a hundred times does not keep a hundred copies of it.

export interface Cursor {
  row: number
  col: number
}

/** Turns the state after a change back into the state before it. */
interface Delta extends Cursor {
  start: number
  /** The lines the other state has at `start` … */
  lines: string[]
  /** … in place of this many lines of this state. */
  removeCount: number
  /** What `lines` cost in the budget. */
  cost: number
}

function delta(from: string[], to: string[], cursor: Cursor): Delta {
  // How to turn `from` into `to`.
  const max = Math.min(from.length, to.length)
  let p = 0
  while (p < max && from[p] === to[p]) p++
  let s = 0
  while (s < max - p && from[from.length - 1 - s] === to[to.length - 1 - s]) s++
  const lines = to.slice(p, to.length - s)
  return { start: p, lines, removeCount: from.length - s - p, cost: linesCost(lines), ...cursor }
}

function apply(lines: string[], d: Delta): Delta {
  const removed = spliceLines(lines, d.start, d.removeCount, d.lines)
  return {
    start: d.start,
    lines: removed,
    removeCount: d.lines.length,
    cost: linesCost(removed),
    row: d.row,
    col: d.col,
  }
}

const MAX_CHANGES = 500

export class UndoHistory {
  private undos: Delta[] = []
  private redos: Delta[] = []
  /** What undos and redos keep, in the budget's terms. */
  private kept = 0

  /** The buffer as it was before the change being made now, until the next checkpoint or undo. */
  private pending: { lines: string[]; cursor: Cursor } | undefined

  /** `budget`: what the kept changes may cost (limits.ts); the oldest go first past it. */
  constructor(private readonly budget = EDITOR_BUDGET) {}

  /** Call before changing the buffer. */
  checkpoint(lines: string[], cursor: Cursor): void {
    this.settle(lines)
    this.pending = { lines: [...lines], cursor: { ...cursor } }
    for (const d of this.redos) this.kept -= d.cost
    this.redos = []
  }

  /** Undo the last change in `lines` (in place); the cursor to restore, or undefined at the oldest change. */
  undo(lines: string[], cursor: Cursor): Cursor | undefined {
    this.settle(lines)
    const d = this.undos.pop()
    if (!d) return undefined
    const back = { ...apply(lines, d), ...cursor }
    this.kept += back.cost - d.cost
    this.redos.push(back)
    return { row: d.row, col: d.col }
  }

  /** Redo the last undone change in `lines` (in place); undefined at the newest change. */
  redo(lines: string[], cursor: Cursor): Cursor | undefined {
    this.settle(lines)
    const d = this.redos.pop()
    if (!d) return undefined
    const back = { ...apply(lines, d), ...cursor }
    this.kept += back.cost - d.cost
    this.undos.push(back)
    return { row: d.row, col: d.col }
  }

  /** Keep the change made since the last checkpoint as a delta from the buffer as it is now. */
  private settle(now: string[]): void {
    const p = this.pending
    if (!p) return
    this.pending = undefined
    const d = delta(now, p.lines, p.cursor)
    // A checkpoint with no change after it (i then Escape, a refused :s) is no undo step, as in vim.
    if (d.lines.length === 0 && d.removeCount === 0) return
    this.undos.push(d)
    this.kept += d.cost
    while (this.undos.length > MAX_CHANGES || (this.kept > this.budget && this.undos.length > 1))
      this.kept -= (this.undos.shift() as Delta).cost
  }

  /** How many changes can be undone now. */
  get depth(): number {
    return this.undos.length + (this.pending ? 1 : 0)
  }
}
