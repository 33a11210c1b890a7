import { emptyRegister, type Register } from './vim-registers'
import { type Cursor, UndoHistory } from './vim-undo'

// What every part of the simulated vim works on: the buffer's lines, the
// cursor, the mode, the message line, and the small edits the motions,
// operators and ex commands share (taking a count, extracting or removing a
// range, undo and redo with vim's messages).

export interface VimIo {
  /** Save the whole buffer in one write. Resolves with an error message, or undefined on success. */
  write(name: string, content: string): Promise<string | undefined>
}

export type Mode = 'normal' | 'insert' | 'replace' | 'visual' | 'visual-line' | 'cmdline' | 'search'

export type Pos = Cursor

export class VimState {
  lines: string[]
  row = 0
  col = 0
  mode: Mode = 'normal'
  name: string | undefined
  modified = false
  number = false
  /** First buffer line on screen. */
  top = 0
  /** The command line being typed (after `:`, or the `/`/`?` and pattern). */
  cmd = ''
  message = ''
  messageIsError = false
  /** An operator or prefix key waiting for the key that completes it (d, y, c, f, g, r, Z, >, <). */
  pending = ''
  count = ''
  register: Register = emptyRegister()
  history = new UndoHistory()
  lastSearch: { pattern: string; forward: boolean } | undefined
  visualStart: Pos = { row: 0, col: 0 }
  /** Set once the current insert has its undo checkpoint, so one insert is one change. */
  insertSnapshotTaken = false
  /** The column vertical motions aim for. */
  wantCol = 0
  isNew: boolean
  /** Opened with -R, or only partly read: writing needs a `!`. */
  readonly = false
  private warnedReadonly = false
  /** Messages waiting for Enter ("Press ENTER or type command to continue"); errors start with `E`. */
  hitEnter: string[] | undefined

  constructor(
    lines: string[],
    name: string | undefined,
    isNew: boolean,
    readonly io: VimIo,
  ) {
    this.lines = lines.length ? [...lines] : ['']
    this.name = name
    this.isNew = isNew
  }

  get line(): string {
    return this.lines[this.row] ?? ''
  }

  set line(value: string) {
    this.lines[this.row] = value
  }

  maxCol(): number {
    const len = this.line.length
    return this.mode === 'insert' || this.mode === 'replace' ? len : Math.max(0, len - 1)
  }

  clamp(): void {
    this.row = Math.max(0, Math.min(this.row, this.lines.length - 1))
    this.col = Math.max(0, Math.min(this.col, this.maxCol()))
  }

  /** Call before changing the buffer: the change becomes one undo step. */
  snapshot(): void {
    this.history.checkpoint(this.lines, { row: this.row, col: this.col })
  }

  changed(): void {
    this.modified = true
    if (this.readonly && !this.warnedReadonly) {
      // Once per buffer, on its first change.
      this.warnedReadonly = true
      this.info('W10: Warning: Changing a readonly file')
    }
  }

  error(text: string): void {
    this.message = text
    this.messageIsError = true
  }

  info(text: string): void {
    this.message = text
    this.messageIsError = false
  }

  takeCount(): number {
    // A count typed by accident (or by a fuzzer) must not turn into a billion-step loop.
    const n = Math.min(Number(this.count) || 1, 10_000)
    this.count = ''
    return n
  }

  firstNonBlank(row = this.row): number {
    const m = /\S/.exec(this.lines[row] ?? '')
    return m ? m.index : 0
  }

  enterInsert(): void {
    if (!this.insertSnapshotTaken) {
      this.snapshot()
      this.insertSnapshotTaken = true
    }
    this.mode = 'insert'
    this.info('-- INSERT --')
  }

  /** The text from `from` up to (not including) `to`, one string per line. */
  extract(from: Pos, to: Pos): string[] {
    if (from.row === to.row) return [(this.lines[from.row] ?? '').slice(from.col, to.col)]
    const out = [(this.lines[from.row] ?? '').slice(from.col)]
    for (let r = from.row + 1; r < to.row; r++) out.push(this.lines[r] ?? '')
    out.push((this.lines[to.row] ?? '').slice(0, to.col))
    return out
  }

  /** Remove the text from `from` up to (not including) `to`, joining the lines at its ends. */
  remove(from: Pos, to: Pos): void {
    const head = (this.lines[from.row] ?? '').slice(0, from.col)
    const tail = (this.lines[to.row] ?? '').slice(to.col)
    this.lines.splice(from.row, to.row - from.row + 1, head + tail)
    this.row = from.row
    this.col = from.col
  }

  undo(): void {
    const snap = this.history.undo(this.lines, { row: this.row, col: this.col })
    if (!snap) {
      this.info('Already at oldest change')
      return
    }
    this.row = snap.row
    this.col = snap.col
    this.modified = true
    this.clamp()
    this.info('1 change; before #1')
  }

  redo(): void {
    const snap = this.history.redo(this.lines, { row: this.row, col: this.col })
    if (!snap) {
      this.info('Already at newest change')
      return
    }
    this.row = snap.row
    this.col = snap.col
    this.modified = true
    this.clamp()
  }
}
