import type { TerminalSizeLike } from '../commands/types'
import type { Key } from '../shell/keys'
import { columnOf, layoutLine, plainPrefix, rowsOf, type ScreenRow, wrapRows } from './display'
import { byteLength, fitWidth } from './fullscreen'
import { UndoHistory } from './vim-undo'

// The vim a learner needs to fix a static pod manifest: normal, insert and
// visual modes, the usual motions and operators, undo, search, and the ex
// commands around saving and quitting, with vim's own messages.

export interface VimFile {
  /** Display name, as given on the command line. */
  name: string | undefined
  lines: string[]
  isNew: boolean
  /** Set when the path is a directory or unreadable: shown once, buffer empty. */
  openMessage?: string
}

export interface VimIo {
  /** Save the whole buffer in one write. Resolves with an error message, or undefined on success. */
  write(name: string, content: string): Promise<string | undefined>
}

type Mode = 'normal' | 'insert' | 'replace' | 'visual' | 'visual-line' | 'cmdline' | 'search'

function isWord(c: string | undefined): boolean {
  return c !== undefined && /[\p{L}\p{N}_]/u.test(c)
}

function charClass(c: string | undefined): number {
  if (c === undefined || /\s/.test(c)) return 0
  return isWord(c) ? 1 : 2
}

/** A vim pattern (magic) as a JavaScript regular expression. */
export function vimRegex(pattern: string, flags = ''): RegExp | undefined {
  let out = ''
  let ignoreCase = false
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string
    if (c === '\\') {
      const n = pattern[i + 1]
      i++
      if (n === undefined) out += '\\\\'
      else if (n === '(' || n === ')' || n === '|' || n === '{' || n === '}' || n === '+' || n === '?')
        out += n
      else if (n === '<' || n === '>') out += '\\b'
      else if (n === 'c') ignoreCase = true
      else out += `\\${n}`
    } else if (c === '(' || c === ')' || c === '|' || c === '{' || c === '}' || c === '+' || c === '?')
      out += `\\${c}`
    else if (c === '~') out += '~'
    else out += c
  }
  try {
    return new RegExp(out, flags + (ignoreCase ? 'i' : ''))
  } catch {
    return undefined
  }
}

export class Vim {
  lines: string[]
  row = 0
  col = 0
  mode: Mode = 'normal'
  name: string | undefined
  modified = false
  number = false
  private top = 0
  private cmd = ''
  message = ''
  messageIsError = false
  private pending = ''
  private count = ''
  private register: { text: string[]; linewise: boolean } = { text: [], linewise: false }
  private history = new UndoHistory()
  private lastSearch: { pattern: string; forward: boolean } | undefined
  private visualStart = { row: 0, col: 0 }
  private insertSnapshotTaken = false
  private wantCol = 0
  private isNew: boolean

  constructor(
    file: VimFile,
    private readonly io: VimIo,
  ) {
    this.lines = file.lines.length ? [...file.lines] : ['']
    this.name = file.name
    this.isNew = file.isNew
    if (file.openMessage) this.message = file.openMessage
    else if (file.name === undefined) this.message = ''
    else if (file.isNew) this.message = `"${file.name}" [New]`
    else {
      const bytes = byteLength(`${file.lines.join('\n')}\n`)
      this.message = `"${file.name}" ${file.lines.length}L, ${bytes}B`
    }
  }

  // --- helpers --------------------------------------------------------------

  private get line(): string {
    return this.lines[this.row] ?? ''
  }

  private set line(value: string) {
    this.lines[this.row] = value
  }

  private maxCol(): number {
    const len = this.line.length
    return this.mode === 'insert' || this.mode === 'replace' ? len : Math.max(0, len - 1)
  }

  private clamp(): void {
    this.row = Math.max(0, Math.min(this.row, this.lines.length - 1))
    this.col = Math.max(0, Math.min(this.col, this.maxCol()))
  }

  private snapshot(): void {
    this.history.checkpoint(this.lines, { row: this.row, col: this.col })
  }

  private changed(): void {
    this.modified = true
  }

  private error(text: string): void {
    this.message = text
    this.messageIsError = true
  }

  private info(text: string): void {
    this.message = text
    this.messageIsError = false
  }

  private takeCount(): number {
    // A count typed by accident (or by a fuzzer) must not turn into a billion-step loop.
    const n = Math.min(Number(this.count) || 1, 10_000)
    this.count = ''
    return n
  }

  private firstNonBlank(row = this.row): number {
    const m = /\S/.exec(this.lines[row] ?? '')
    return m ? m.index : 0
  }

  // --- keys -----------------------------------------------------------------

  /** Handle keys; returns an exit status when vim quits. */
  async keys(keys: Key[]): Promise<number | undefined> {
    for (const key of keys) {
      const code = await this.key(key)
      if (code !== undefined) return code
    }
    return undefined
  }

  private async key(key: Key): Promise<number | undefined> {
    if (key.type === 'paste') {
      for (const ch of key.text) {
        const k: Key =
          ch === '\n' || ch === '\r' ? { type: 'key', name: 'enter' } : { type: 'text', text: ch }
        const code = await this.key(k)
        if (code !== undefined) return code
      }
      return undefined
    }
    if (key.type === 'alt') {
      // A terminal sends Escape followed quickly by a key as one "Alt" chord; vim sees both keys.
      const esc = await this.key({ type: 'key', name: 'escape' })
      if (esc !== undefined) return esc
      return key.key === 'backspace'
        ? this.key({ type: 'key', name: 'backspace' })
        : this.key({ type: 'text', text: key.key })
    }
    if (key.type === 'text' && [...key.text].length > 1) {
      for (const ch of key.text) {
        const code = await this.key({ type: 'text', text: ch })
        if (code !== undefined) return code
      }
      return undefined
    }
    switch (this.mode) {
      case 'insert':
      case 'replace':
        this.insertKey(key)
        return undefined
      case 'cmdline':
      case 'search':
        return this.cmdlineKey(key)
      case 'visual':
      case 'visual-line':
        this.visualKey(key)
        return undefined
      default:
        return this.normalKey(key)
    }
  }

  private motion(key: Key): boolean {
    const n = () => this.takeCount()
    const name = key.type === 'key' ? key.name : undefined
    const ch = key.type === 'text' ? key.text : undefined
    const ctrl = key.type === 'ctrl' ? key.key : undefined
    const vertical = (delta: number) => {
      this.row = Math.max(0, Math.min(this.lines.length - 1, this.row + delta))
      this.col = Math.min(this.wantCol, this.maxCol())
    }
    if (ch === 'h' || name === 'left' || (name === 'backspace' && this.mode !== 'insert')) {
      this.col = Math.max(0, this.col - n())
    } else if (ch === 'l' || name === 'right' || ch === ' ') {
      this.col = Math.min(this.maxCol(), this.col + n())
    } else if (ch === 'j' || name === 'down' || ctrl === 'n' || name === 'enter' || ch === '+') {
      vertical(n())
      if (name === 'enter' || ch === '+') this.col = this.firstNonBlank()
      return true
    } else if (ch === 'k' || name === 'up' || ctrl === 'p' || ch === '-') {
      vertical(-n())
      if (ch === '-') this.col = this.firstNonBlank()
      return true
    } else if (ch === '0' || name === 'home') {
      this.col = 0
    } else if (ch === '^') {
      this.col = this.firstNonBlank()
    } else if (ch === '$' || name === 'end') {
      const times = n()
      this.row = Math.min(this.lines.length - 1, this.row + times - 1)
      this.col = this.maxCol()
      this.wantCol = Number.MAX_SAFE_INTEGER
      return true
    } else if (ch === 'w' || ch === 'W') {
      for (let i = n(); i > 0; i--) this.wordForward(ch === 'W')
    } else if (ch === 'b' || ch === 'B') {
      for (let i = n(); i > 0; i--) this.wordBackward(ch === 'B')
    } else if (ch === 'e' || ch === 'E') {
      for (let i = n(); i > 0; i--) this.wordEnd(ch === 'E')
    } else if (ch === 'G') {
      const target = this.count ? Number(this.count) : this.lines.length
      this.count = ''
      this.row = Math.max(0, Math.min(this.lines.length - 1, target - 1))
      this.col = this.firstNonBlank()
    } else if (name === 'pagedown' || ctrl === 'f' || ctrl === 'd') {
      vertical((ctrl === 'd' ? 12 : 22) * n())
      return true
    } else if (name === 'pageup' || ctrl === 'b' || ctrl === 'u') {
      vertical(-(ctrl === 'u' ? 12 : 22) * n())
      return true
    } else return false
    this.wantCol = this.col
    return true
  }

  private wordForward(big: boolean): void {
    const cls = (c: string | undefined) => (big ? (c === undefined || /\s/.test(c) ? 0 : 1) : charClass(c))
    let { row, col } = this
    const start = cls(this.lines[row]?.[col])
    let line = this.lines[row] ?? ''
    while (col < line.length && cls(line[col]) === start && start !== 0) col++
    for (;;) {
      while (col < line.length && cls(line[col]) === 0) col++
      if (col < line.length) break
      if (row >= this.lines.length - 1) {
        col = Math.max(0, line.length - 1)
        break
      }
      row++
      col = 0
      line = this.lines[row] ?? ''
      if (line.length === 0) break
    }
    this.row = row
    this.col = col
  }

  private wordBackward(big: boolean): void {
    const cls = (c: string | undefined) => (big ? (c === undefined || /\s/.test(c) ? 0 : 1) : charClass(c))
    let { row, col } = this
    let line = this.lines[row] ?? ''
    col--
    for (;;) {
      while (col >= 0 && cls(line[col]) === 0) col--
      if (col >= 0) break
      if (row === 0) {
        col = 0
        break
      }
      row--
      line = this.lines[row] ?? ''
      col = line.length - 1
      if (line.length === 0) {
        col = 0
        this.row = row
        this.col = 0
        return
      }
    }
    const c = cls(line[col])
    while (col > 0 && cls(line[col - 1]) === c) col--
    this.row = row
    this.col = Math.max(0, col)
  }

  private wordEnd(big: boolean): void {
    const cls = (c: string | undefined) => (big ? (c === undefined || /\s/.test(c) ? 0 : 1) : charClass(c))
    let { row, col } = this
    let line = this.lines[row] ?? ''
    col++
    for (;;) {
      while (col < line.length && cls(line[col]) === 0) col++
      if (col < line.length) break
      if (row >= this.lines.length - 1) {
        col = Math.max(0, line.length - 1)
        this.row = row
        this.col = col
        return
      }
      row++
      col = 0
      line = this.lines[row] ?? ''
    }
    const c = cls(line[col])
    while (col < line.length - 1 && cls(line[col + 1]) === c) col++
    this.row = row
    this.col = col
  }

  private enterInsert(): void {
    if (!this.insertSnapshotTaken) {
      this.snapshot()
      this.insertSnapshotTaken = true
    }
    this.mode = 'insert'
    this.info('-- INSERT --')
  }

  private normalKey(key: Key): number | undefined | Promise<number | undefined> {
    const ch = key.type === 'text' ? key.text : undefined
    const ctrl = key.type === 'ctrl' ? key.key : undefined
    const name = key.type === 'key' ? key.name : undefined
    if (name === 'escape') {
      this.pending = ''
      this.count = ''
      return undefined
    }
    if (ctrl === 'c') {
      this.pending = ''
      this.count = ''
      this.info('Type  :qa!  and press <Enter> to abandon all changes and exit Vim')
      return undefined
    }
    if (this.pending) return this.pendingKey(key)
    if (ch && /[0-9]/.test(ch) && (ch !== '0' || this.count !== '')) {
      this.count += ch
      return undefined
    }
    if (this.motion(key)) {
      this.clamp()
      return undefined
    }
    if (name === 'delete') return this.normalKey({ type: 'text', text: 'x' })
    if (name === 'insert') return this.normalKey({ type: 'text', text: 'i' })
    if (ctrl === 'r') {
      this.redo()
      return undefined
    }
    if (ctrl === 'g') {
      const pct = Math.floor(((this.row + 1) * 100) / this.lines.length)
      this.info(
        `"${this.name ?? '[No Name]'}"${this.modified ? ' [Modified]' : ''} ${this.lines.length} line${this.lines.length === 1 ? '' : 's'} --${pct}%--`,
      )
      return undefined
    }
    if (ctrl === 'l') return undefined
    if (!ch) return undefined
    this.messageIsError = false
    switch (ch) {
      case 'i':
        this.enterInsert()
        return undefined
      case 'I':
        this.col = this.firstNonBlank()
        this.enterInsert()
        return undefined
      case 'a':
        this.enterInsert()
        this.col = Math.min(this.line.length, this.col + 1)
        return undefined
      case 'A':
        this.enterInsert()
        this.col = this.line.length
        return undefined
      case 'o':
      case 'O': {
        this.enterInsert()
        const at = ch === 'o' ? this.row + 1 : this.row
        this.lines.splice(at, 0, '')
        this.row = at
        this.col = 0
        this.changed()
        return undefined
      }
      case 'x':
      case 'X': {
        const n = this.takeCount()
        if (this.line.length === 0) return undefined
        this.snapshot()
        const from = ch === 'x' ? this.col : Math.max(0, this.col - n)
        const to = ch === 'x' ? Math.min(this.line.length, this.col + n) : this.col
        if (to <= from) return undefined
        this.register = { text: [this.line.slice(from, to)], linewise: false }
        this.line = this.line.slice(0, from) + this.line.slice(to)
        this.col = from
        this.changed()
        this.clamp()
        return undefined
      }
      case 'D':
      case 'C': {
        this.snapshot()
        this.register = { text: [this.line.slice(this.col)], linewise: false }
        this.line = this.line.slice(0, this.col)
        this.changed()
        if (ch === 'C') {
          this.insertSnapshotTaken = true
          this.enterInsert()
        }
        this.clamp()
        return undefined
      }
      case 'J': {
        if (this.row >= this.lines.length - 1) return undefined
        this.snapshot()
        const next = (this.lines[this.row + 1] ?? '').replace(/^\s+/, '')
        const joined = this.line.replace(/\s+$/, '')
        this.col = joined.length
        this.line = next ? `${joined} ${next}` : joined
        this.lines.splice(this.row + 1, 1)
        this.changed()
        return undefined
      }
      case 'p':
      case 'P':
        this.put(ch === 'p')
        return undefined
      case 'u':
        this.undo()
        return undefined
      case 'v':
      case 'V':
        this.mode = ch === 'v' ? 'visual' : 'visual-line'
        this.visualStart = { row: this.row, col: this.col }
        this.info(ch === 'v' ? '-- VISUAL --' : '-- VISUAL LINE --')
        return undefined
      case ':':
        this.mode = 'cmdline'
        this.cmd = ''
        this.message = ''
        return undefined
      case '/':
      case '?':
        this.mode = 'search'
        this.cmd = ch
        this.message = ''
        return undefined
      case 'n':
      case 'N':
        if (!this.lastSearch) {
          this.error('E35: No previous regular expression')
          return undefined
        }
        this.search(this.lastSearch.pattern, ch === 'n' ? this.lastSearch.forward : !this.lastSearch.forward)
        return undefined
      case 's': {
        this.snapshot()
        this.insertSnapshotTaken = true
        if (this.line.length) this.line = this.line.slice(0, this.col) + this.line.slice(this.col + 1)
        this.changed()
        this.enterInsert()
        return undefined
      }
      case 'S':
        this.snapshot()
        this.insertSnapshotTaken = true
        this.line = ''
        this.col = 0
        this.changed()
        this.enterInsert()
        return undefined
      case 'R':
        this.enterInsert()
        this.mode = 'replace'
        this.info('-- REPLACE --')
        return undefined
      case 'f':
      case 'F':
      case 't':
      case 'T':
      case 'd':
      case 'y':
      case 'c':
      case 'g':
      case 'r':
      case 'Z':
      case '>':
      case '<':
        this.pending = ch
        return undefined
      default:
        return undefined
    }
  }

  private async pendingKey(key: Key): Promise<number | undefined> {
    const op = this.pending
    this.pending = ''
    const ch = key.type === 'text' ? key.text : undefined
    if (op.length === 1 && 'fFtT'.includes(op)) {
      const target = ch === undefined ? -1 : this.findChar(op, ch)
      if (target >= 0) {
        this.col = target
        this.wantCol = target
      }
      this.count = ''
      return undefined
    }
    if (op.length === 2) {
      // d/c/y with f, F, t or T: an inclusive, characterwise range on the line.
      const kind = op[1] as string
      const target = ch === undefined ? -1 : this.findChar(kind, ch)
      this.count = ''
      if (target < 0) return undefined
      const from = Math.min(this.col, target)
      const to = Math.max(this.col, target) + (kind === 'f' || kind === 't' ? 1 : 0)
      const end = kind === 'F' || kind === 'T' ? this.col : to
      this.register = { text: [this.line.slice(from, end)], linewise: false }
      if (op[0] === 'y') return undefined
      this.snapshot()
      this.line = this.line.slice(0, from) + this.line.slice(end)
      this.col = from
      this.changed()
      if (op[0] === 'c') {
        this.insertSnapshotTaken = true
        this.enterInsert()
      } else this.clamp()
      return undefined
    }
    if ((op === 'd' || op === 'c' || op === 'y') && ch !== undefined && 'fFtT'.includes(ch)) {
      this.pending = op + ch
      return undefined
    }
    if (op === 'r') {
      if (ch && this.line.length) {
        this.snapshot()
        this.line = this.line.slice(0, this.col) + ch + this.line.slice(this.col + 1)
        this.changed()
      }
      return undefined
    }
    if (op === 'g') {
      if (ch === 'g') {
        const target = this.count ? Number(this.count) : 1
        this.count = ''
        this.row = Math.max(0, Math.min(this.lines.length - 1, target - 1))
        this.col = this.firstNonBlank()
      }
      return undefined
    }
    if (op === 'Z') {
      if (ch === 'Z') return this.exCommand('x')
      if (ch === 'Q') return this.exCommand('q!')
      return undefined
    }
    if (op === '>' || op === '<') {
      if (ch === op) {
        const n = this.takeCount()
        this.snapshot()
        for (let r = this.row; r < Math.min(this.lines.length, this.row + n); r++) {
          const l = this.lines[r] ?? ''
          this.lines[r] = op === '>' ? (l ? `\t${l}` : l) : l.replace(/^(\t| {1,8})/, '')
        }
        this.col = this.firstNonBlank()
        this.changed()
      }
      return undefined
    }
    // d, y, c with a repeated letter (linewise) or a motion.
    if (ch === op) {
      const n = this.takeCount()
      const end = Math.min(this.lines.length, this.row + n)
      const taken = this.lines.slice(this.row, end)
      this.register = { text: taken, linewise: true }
      if (op === 'y') {
        if (taken.length > 2) this.info(`${taken.length} lines yanked`)
        return undefined
      }
      this.snapshot()
      if (op === 'c') {
        const indent = /^\s*/.exec(this.line)?.[0] ?? ''
        this.lines.splice(this.row, end - this.row, '')
        this.col = 0
        void indent
        this.insertSnapshotTaken = true
        this.changed()
        this.enterInsert()
        return undefined
      }
      this.lines.splice(this.row, end - this.row)
      if (this.lines.length === 0) this.lines.push('')
      if (taken.length > 2) this.info(`${taken.length} fewer lines`)
      this.row = Math.min(this.row, this.lines.length - 1)
      this.col = this.firstNonBlank()
      this.changed()
      return undefined
    }
    const start = { row: this.row, col: this.col }
    const motionKey: Key =
      op === 'c' && (ch === 'w' || ch === 'W') ? { type: 'text', text: ch === 'w' ? 'e' : 'E' } : key
    if (!this.motion(motionKey)) return undefined
    let end = { row: this.row, col: this.col }
    const inclusive =
      motionKey.type === 'text' &&
      (motionKey.text === 'e' || motionKey.text === 'E' || motionKey.text === '$')
    const linewise =
      motionKey.type === 'text'
        ? 'jkGJ+-'.includes(motionKey.text)
        : motionKey.type === 'key' && (motionKey.name === 'up' || motionKey.name === 'down')
    this.row = start.row
    this.col = start.col
    if (linewise) {
      const a = Math.min(start.row, end.row)
      const b = Math.max(start.row, end.row)
      this.register = { text: this.lines.slice(a, b + 1), linewise: true }
      if (op === 'y') return undefined
      this.snapshot()
      this.lines.splice(a, b - a + 1)
      if (this.lines.length === 0) this.lines.push('')
      this.row = Math.min(a, this.lines.length - 1)
      this.col = this.firstNonBlank()
      this.changed()
      if (op === 'c') {
        this.lines.splice(this.row, 0, '')
        this.insertSnapshotTaken = true
        this.enterInsert()
      }
      return undefined
    }
    // A `dw` on the last word of a line stops at the end of the line.
    if (end.row > start.row && motionKey.type === 'text' && motionKey.text === 'w')
      end = { row: start.row, col: this.line.length }
    let from = start
    let to = end
    if (to.row < from.row || (to.row === from.row && to.col < from.col)) [from, to] = [to, from]
    const toCol = inclusive ? to.col + 1 : to.col
    const text = this.extract(from, { row: to.row, col: toCol })
    this.register = { text, linewise: false }
    if (op === 'y') {
      this.row = from.row
      this.col = from.col
      return undefined
    }
    this.snapshot()
    this.remove(from, { row: to.row, col: toCol })
    this.changed()
    if (op === 'c') {
      this.insertSnapshotTaken = true
      this.enterInsert()
      this.col = from.col
    } else this.clamp()
    return undefined
  }

  /** Column of the count-th `ch` for f/F/t/T on the current line, or -1. */
  private findChar(kind: string, ch: string): number {
    const n = this.takeCount()
    const line = this.line
    let col = this.col
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

  private extract(from: { row: number; col: number }, to: { row: number; col: number }): string[] {
    if (from.row === to.row) return [(this.lines[from.row] ?? '').slice(from.col, to.col)]
    const out = [(this.lines[from.row] ?? '').slice(from.col)]
    for (let r = from.row + 1; r < to.row; r++) out.push(this.lines[r] ?? '')
    out.push((this.lines[to.row] ?? '').slice(0, to.col))
    return out
  }

  private remove(from: { row: number; col: number }, to: { row: number; col: number }): void {
    const head = (this.lines[from.row] ?? '').slice(0, from.col)
    const tail = (this.lines[to.row] ?? '').slice(to.col)
    this.lines.splice(from.row, to.row - from.row + 1, head + tail)
    this.row = from.row
    this.col = from.col
  }

  private put(after: boolean): void {
    const reg = this.register
    if (reg.text.length === 0) {
      this.error('E353: Nothing in register "')
      return
    }
    const n = this.takeCount()
    this.snapshot()
    if (reg.linewise) {
      const block: string[] = []
      for (let i = 0; i < n; i++) block.push(...reg.text)
      const at = after ? this.row + 1 : this.row
      this.lines.splice(at, 0, ...block)
      this.row = at
      this.col = this.firstNonBlank()
      if (block.length > 2) this.info(`${block.length} more lines`)
    } else {
      const text = reg.text.join('\n').repeat(n)
      const at = after && this.line.length ? this.col + 1 : this.col
      const merged = this.line.slice(0, at) + text + this.line.slice(at)
      const parts = merged.split('\n')
      this.lines.splice(this.row, 1, ...parts)
      if (parts.length === 1) this.col = at + text.length - 1
      else this.col = at
    }
    this.changed()
    this.clamp()
  }

  private undo(): void {
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

  private redo(): void {
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

  private insertKey(key: Key): void {
    const name = key.type === 'key' ? key.name : undefined
    if (name === 'escape' || (key.type === 'ctrl' && (key.key === 'c' || key.key === '['))) {
      this.mode = 'normal'
      this.insertSnapshotTaken = false
      this.message = ''
      this.col = Math.max(0, this.col - 1)
      this.clamp()
      this.wantCol = this.col
      return
    }
    if (key.type === 'text') {
      if (this.mode === 'replace' && this.col < this.line.length)
        this.line = this.line.slice(0, this.col) + key.text + this.line.slice(this.col + key.text.length)
      else this.line = this.line.slice(0, this.col) + key.text + this.line.slice(this.col)
      this.col += key.text.length
      this.changed()
      return
    }
    if (name === 'tab' || (key.type === 'ctrl' && key.key === 'i')) {
      this.line = `${this.line.slice(0, this.col)}\t${this.line.slice(this.col)}`
      this.col++
      this.changed()
      return
    }
    if (name === 'enter' || (key.type === 'ctrl' && (key.key === 'j' || key.key === 'm'))) {
      const rest = this.line.slice(this.col)
      this.line = this.line.slice(0, this.col)
      this.lines.splice(this.row + 1, 0, rest)
      this.row++
      this.col = 0
      this.changed()
      return
    }
    if (name === 'backspace' || (key.type === 'ctrl' && key.key === 'h')) {
      if (this.col > 0) {
        this.line = this.line.slice(0, this.col - 1) + this.line.slice(this.col)
        this.col--
      } else if (this.row > 0) {
        const cur = this.line
        this.lines.splice(this.row, 1)
        this.row--
        this.col = this.line.length
        this.line = this.line + cur
      }
      this.changed()
      return
    }
    if (key.type === 'ctrl' && key.key === 'w') {
      let i = this.col
      while (i > 0 && /\s/.test(this.line[i - 1] as string)) i--
      const c = charClass(this.line[i - 1])
      while (i > 0 && charClass(this.line[i - 1]) === c && c !== 0) i--
      this.line = this.line.slice(0, i) + this.line.slice(this.col)
      this.col = i
      this.changed()
      return
    }
    if (key.type === 'ctrl' && key.key === 'u') {
      this.line = this.line.slice(this.col)
      this.col = 0
      this.changed()
      return
    }
    if (name === 'delete') {
      if (this.col < this.line.length)
        this.line = this.line.slice(0, this.col) + this.line.slice(this.col + 1)
      else if (this.row < this.lines.length - 1) {
        this.line = this.line + (this.lines[this.row + 1] ?? '')
        this.lines.splice(this.row + 1, 1)
      }
      this.changed()
      return
    }
    if (name === 'left') this.col = Math.max(0, this.col - 1)
    else if (name === 'right') this.col = Math.min(this.line.length, this.col + 1)
    else if (name === 'up') this.row = Math.max(0, this.row - 1)
    else if (name === 'down') this.row = Math.min(this.lines.length - 1, this.row + 1)
    else if (name === 'home') this.col = 0
    else if (name === 'end') this.col = this.line.length
    this.clamp()
  }

  private visualKey(key: Key): void {
    const ch = key.type === 'text' ? key.text : undefined
    const name = key.type === 'key' ? key.name : undefined
    if (name === 'escape' || (key.type === 'ctrl' && key.key === 'c') || ch === 'v' || ch === 'V') {
      if ((ch === 'v' && this.mode === 'visual-line') || (ch === 'V' && this.mode === 'visual')) {
        this.mode = ch === 'v' ? 'visual' : 'visual-line'
        this.info(ch === 'v' ? '-- VISUAL --' : '-- VISUAL LINE --')
        return
      }
      this.mode = 'normal'
      this.message = ''
      return
    }
    if (ch && /[0-9]/.test(ch) && (ch !== '0' || this.count !== '')) {
      this.count += ch
      return
    }
    if (ch === 'g') {
      this.row = 0
      this.col = 0
      return
    }
    if (this.motion(key)) {
      this.clamp()
      return
    }
    if (!ch || !'dxyc><'.includes(ch)) return
    let a = { ...this.visualStart }
    let b = { row: this.row, col: this.col }
    if (b.row < a.row || (b.row === a.row && b.col < a.col)) [a, b] = [b, a]
    const linewise = this.mode === 'visual-line'
    this.mode = 'normal'
    this.message = ''
    if (ch === '>' || ch === '<') {
      this.snapshot()
      for (let r = a.row; r <= b.row; r++) {
        const l = this.lines[r] ?? ''
        this.lines[r] = ch === '>' ? (l ? `\t${l}` : l) : l.replace(/^(\t| {1,8})/, '')
      }
      this.row = a.row
      this.col = this.firstNonBlank()
      this.changed()
      return
    }
    if (linewise) {
      this.register = { text: this.lines.slice(a.row, b.row + 1), linewise: true }
      const count = b.row - a.row + 1
      if (ch === 'y') {
        this.row = a.row
        this.col = 0
        if (count > 2) this.info(`${count} lines yanked`)
        return
      }
      this.snapshot()
      this.lines.splice(a.row, count)
      if (this.lines.length === 0) this.lines.push('')
      this.row = Math.min(a.row, this.lines.length - 1)
      this.col = this.firstNonBlank()
      if (count > 2) this.info(`${count} fewer lines`)
      this.changed()
      if (ch === 'c') {
        this.lines.splice(this.row, 0, '')
        this.insertSnapshotTaken = true
        this.enterInsert()
      }
      return
    }
    const to = { row: b.row, col: Math.min((this.lines[b.row] ?? '').length, b.col + 1) }
    this.register = { text: this.extract(a, to), linewise: false }
    if (ch === 'y') {
      this.row = a.row
      this.col = a.col
      return
    }
    this.snapshot()
    this.remove(a, to)
    this.changed()
    if (ch === 'c') {
      this.insertSnapshotTaken = true
      this.enterInsert()
    } else this.clamp()
  }

  private async cmdlineKey(key: Key): Promise<number | undefined> {
    const name = key.type === 'key' ? key.name : undefined
    if (name === 'escape' || (key.type === 'ctrl' && key.key === 'c')) {
      this.mode = 'normal'
      this.cmd = ''
      this.message = ''
      return undefined
    }
    if (key.type === 'text') {
      this.cmd += key.text
      return undefined
    }
    if (name === 'backspace' || (key.type === 'ctrl' && key.key === 'h')) {
      const min = this.mode === 'search' ? 1 : 0
      if (this.cmd.length <= min) {
        this.mode = 'normal'
        this.cmd = ''
        return undefined
      }
      this.cmd = this.cmd.slice(0, -1)
      return undefined
    }
    if (key.type === 'ctrl' && key.key === 'u') {
      this.cmd = this.mode === 'search' ? this.cmd.slice(0, 1) : ''
      return undefined
    }
    if (name === 'enter' || (key.type === 'ctrl' && (key.key === 'j' || key.key === 'm'))) {
      const text = this.cmd
      const wasSearch = this.mode === 'search'
      this.mode = 'normal'
      this.cmd = ''
      this.message = ''
      this.messageIsError = false
      if (wasSearch) {
        const forward = text[0] === '/'
        const pattern = text.slice(1) || this.lastSearch?.pattern
        if (!pattern) {
          this.error('E35: No previous regular expression')
          return undefined
        }
        this.lastSearch = { pattern, forward }
        this.search(pattern, forward)
        return undefined
      }
      return this.exCommand(text)
    }
    return undefined
  }

  private search(pattern: string, forward: boolean): void {
    const re = vimRegex(pattern)
    if (!re) {
      this.error(`E486: Pattern not found: ${pattern}`)
      return
    }
    const total = this.lines.length
    const find = (line: string, from: number, to: number, last: boolean): number => {
      let found = -1
      const g = new RegExp(re.source, `${re.flags.replace('g', '')}g`)
      for (const m of line.matchAll(g)) {
        const i = m.index ?? 0
        if (i >= from && i < to) {
          found = i
          if (!last) break
        }
        if (m[0].length === 0) g.lastIndex++
      }
      return found
    }
    for (let step = 0; step <= total; step++) {
      const r = forward ? (this.row + step) % total : (this.row - step + total) % total
      const line = this.lines[r] ?? ''
      let idx: number
      if (step === 0)
        idx = forward ? find(line, this.col + 1, line.length + 1, false) : find(line, 0, this.col, true)
      else if (step === total)
        idx = forward ? find(line, 0, this.col + 1, false) : find(line, this.col, line.length + 1, true)
      else idx = find(line, 0, line.length + 1, !forward)
      if (idx >= 0) {
        const wrapped = forward
          ? r < this.row || (r === this.row && step > 0)
          : r > this.row || (r === this.row && step > 0)
        this.row = r
        this.col = idx
        this.clamp()
        this.wantCol = this.col
        this.info(
          wrapped
            ? forward
              ? 'search hit BOTTOM, continuing at TOP'
              : 'search hit TOP, continuing at BOTTOM'
            : `${forward ? '/' : '?'}${pattern}`,
        )
        if (wrapped) this.messageIsError = true
        return
      }
    }
    this.error(`E486: Pattern not found: ${pattern}`)
  }

  /** Run an ex command (what follows `:`). */
  async exCommand(input: string): Promise<number | undefined> {
    const text = input.trim().replace(/^:+/, '')
    if (text === '') return undefined
    if (/^\d+$/.test(text) || text === '$') {
      this.row =
        text === '$' ? this.lines.length - 1 : Math.max(0, Math.min(this.lines.length - 1, Number(text) - 1))
      this.col = this.firstNonBlank()
      return undefined
    }
    const sub = /^(%|\d+,\d+|\.|\d+)?s(\/|#|\|)(.*)$/.exec(text)
    if (sub) return this.substitute(sub[1], sub[2] as string, sub[3] as string)
    const m = /^([a-zA-Z]+)(!?)\s*(.*)$/.exec(text)
    if (!m) {
      this.error(`E492: Not an editor command: ${text}`)
      return undefined
    }
    const cmd = m[1] as string
    const bang = m[2] === '!'
    const arg = (m[3] ?? '').trim()
    const is = (full: string, min: number) => cmd.length >= min && full.startsWith(cmd)
    if (
      is('write', 1) ||
      is('wq', 2) ||
      is('xit', 1) ||
      is('exit', 3) ||
      is('wall', 2) ||
      is('wqall', 3) ||
      is('xall', 2)
    ) {
      const quit = cmd !== 'w' && !is('write', 1) && cmd !== 'wa' && !is('wall', 2)
      const isX = is('xit', 1) || is('exit', 3) || is('xall', 2)
      if (isX && !this.modified && !arg) return 0
      const name = arg || this.name
      if (!name) {
        this.error('E32: No file name')
        return undefined
      }
      const ok = await this.save(name)
      if (!ok) return undefined
      return quit ? 0 : undefined
    }
    if (is('quit', 1) || is('qall', 2) || is('quitall', 5) || cmd === 'cq') {
      if (cmd === 'cq') return 1
      if (this.modified && !bang) {
        this.error('E37: No write since last change (add ! to override)')
        return undefined
      }
      return 0
    }
    if (is('set', 2)) {
      for (const opt of arg.split(/\s+/).filter(Boolean)) {
        if (opt === 'number' || opt === 'nu') this.number = true
        else if (opt === 'nonumber' || opt === 'nonu') this.number = false
        else if (opt === 'number!' || opt === 'nu!' || opt === 'invnumber' || opt === 'invnu')
          this.number = !this.number
        else if (
          /^(no)?(paste|list|hlsearch|hls|ignorecase|ic|autoindent|ai|expandtab|et|syntax|ruler|ru)$/.test(
            opt,
          ) ||
          /^(tabstop|ts|shiftwidth|sw|softtabstop|sts)=\d+$/.test(opt)
        ) {
          // Accepted and ignored: they change nothing the simulator draws.
        } else {
          this.error(`E518: Unknown option: ${opt}`)
          return undefined
        }
      }
      return undefined
    }
    if (is('nohlsearch', 3) || is('syntax', 2) || is('filetype', 5)) return undefined
    if (is('edit', 1) && bang && !arg) {
      this.error('E37: No write since last change (add ! to override)')
      return undefined
    }
    if (is('undo', 1)) {
      this.undo()
      return undefined
    }
    if (is('redo', 3)) {
      this.redo()
      return undefined
    }
    this.error(`E492: Not an editor command: ${text}`)
    return undefined
  }

  private substitute(range: string | undefined, sep: string, rest: string): undefined {
    const parts: string[] = []
    let cur = ''
    for (let i = 0; i < rest.length; i++) {
      const c = rest[i] as string
      if (c === '\\' && rest[i + 1] === sep) {
        cur += sep
        i++
      } else if (c === sep && parts.length < 2) {
        parts.push(cur)
        cur = ''
      } else cur += c
    }
    parts.push(cur)
    const [pattern = '', replacement = '', flags = ''] = parts
    const search = pattern || this.lastSearch?.pattern || ''
    const re = vimRegex(search, flags.includes('g') ? 'g' : '')
    if (!re || !search) {
      this.error(`E486: Pattern not found: ${search}`)
      return undefined
    }
    let from = this.row
    let to = this.row
    if (range === '%') {
      from = 0
      to = this.lines.length - 1
    } else if (range && /^\d+,\d+$/.test(range)) {
      const [a, b] = range.split(',').map(Number) as [number, number]
      from = Math.max(0, a - 1)
      to = Math.min(this.lines.length - 1, b - 1)
    } else if (range && /^\d+$/.test(range)) {
      from = to = Math.max(0, Math.min(this.lines.length - 1, Number(range) - 1))
    }
    const jsReplacement = replacement
      .replace(/\\(\d)/g, '$$$1')
      .replace(/&/g, '$$&')
      .replace(/\\&/g, '&')
      .replace(/\\n/g, '\n')
    let count = 0
    let linesChanged = 0
    let lastRow = this.row
    const next: string[] = []
    let snapshotTaken = false
    for (let r = 0; r < this.lines.length; r++) {
      const line = this.lines[r] as string
      if (r < from || r > to || !re.test(line)) {
        re.lastIndex = 0
        next.push(line)
        continue
      }
      re.lastIndex = 0
      if (!snapshotTaken) {
        this.snapshot()
        snapshotTaken = true
      }
      const matches = line.match(new RegExp(re.source, `${re.flags.replace('g', '')}g`))?.length ?? 0
      count += re.flags.includes('g') ? matches : 1
      linesChanged++
      lastRow = next.length
      next.push(...line.replace(re, jsReplacement).split('\n'))
    }
    if (count === 0) {
      this.error(`E486: Pattern not found: ${search}`)
      return undefined
    }
    this.lines = next
    this.row = lastRow
    this.col = this.firstNonBlank()
    this.changed()
    if (count > 2 || linesChanged > 2)
      this.info(
        `${count} substitution${count === 1 ? '' : 's'} on ${linesChanged} line${linesChanged === 1 ? '' : 's'}`,
      )
    return undefined
  }

  private async save(name: string): Promise<boolean> {
    const content =
      this.lines.length === 1 && this.lines[0] === '' && this.isNew ? '' : `${this.lines.join('\n')}\n`
    const err = await this.io.write(name, content)
    if (err) {
      this.error(err)
      return false
    }
    const wasNew = this.isNew || name !== this.name
    if (!this.name) this.name = name
    if (name === this.name) {
      this.modified = false
      this.isNew = false
    }
    const lineCount = content === '' ? 0 : this.lines.length
    this.info(`"${name}"${wasNew ? ' [New]' : ''} ${lineCount}L, ${byteLength(content)}B written`)
    return true
  }

  // --- drawing --------------------------------------------------------------

  /**
   * Scroll as little as needed for the cursor line to show: the first line on
   * screen moves down until the lines from it to the cursor fit. Walks up from
   * the cursor, so a jump to the end of a long file costs one screenful.
   */
  private scrollToCursor(width: number, textRows: number): void {
    if (this.row < this.top) {
      this.top = this.row
      return
    }
    let used = 0
    let first = this.row
    for (let r = this.row; r >= this.top; r--) {
      used += rowsOf(this.lines[r] ?? '', width, textRows)
      if (used > textRows) break
      first = r
    }
    this.top = Math.max(this.top, Math.min(first, this.row))
  }

  render(size: TerminalSizeLike): string {
    const cols = Math.max(10, size.cols)
    const rows = Math.max(2, size.rows)
    const textRows = rows - 1
    const gutter = this.number ? Math.max(3, String(this.lines.length).length) + 1 : 0
    const width = Math.max(1, cols - gutter)
    this.scrollToCursor(width, textRows)
    let out = '\x1b[?25l\x1b[H'
    let screenRow = 0
    let cursorY = 0
    let cursorX = 0
    const sel = this.selection()
    // Only the lines on screen are laid out, each only as far as the screen (or the cursor) reaches.
    for (let r = this.top; r < this.lines.length && screenRow < textRows; r++) {
      const raw = this.lines[r] ?? ''
      const left = textRows - screenRow
      const isCursorLine = r === this.row
      // On a line longer than the screen, start a few rows before the cursor when the
      // columns up to it are plain (a 16 MB line is not laid out from its start on every key).
      let start = 0
      if (isCursorLine && this.col >= left * width && this.col < plainPrefix(raw))
        start = Math.max(0, (Math.floor(this.col / width) - left + 1) * width)
      const layout = layoutLine(raw, {
        maxCells: left * width,
        throughIndex: isCursorLine ? this.col : 0,
        start,
      })
      let wrapped = wrapRows(layout, width)
      const cx = isCursorLine ? layout.colOf(this.col) : 0
      let cursorRow = 0
      if (isCursorLine) {
        for (let i = 0; i < wrapped.length; i++) if ((wrapped[i] as ScreenRow).startCol <= cx) cursorRow = i
        // A line taller than the screen shows the part with the cursor.
        if (cursorRow >= left) {
          wrapped = wrapped.slice(cursorRow - left + 1)
          cursorRow = left - 1
        }
      }
      const selFrom =
        sel && r >= sel.a.row && r <= sel.b.row ? (sel.linewise || r > sel.a.row ? 0 : sel.a.col) : -1
      const selTo =
        selFrom < 0 ? -1 : sel && (sel.linewise || r < sel.b.row) ? raw.length : (sel?.b.col ?? 0) + 1
      for (let c = 0; c < wrapped.length && screenRow < textRows; c++) {
        const w = wrapped[c] as ScreenRow
        let row = ''
        if (this.number)
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
        } else row += w.text
        out += `\x1b[${screenRow + 1};1H\x1b[2K${row}`
        if (isCursorLine && c === cursorRow) {
          cursorY = screenRow
          cursorX = gutter + Math.min(width - 1, cx - w.startCol)
        }
        screenRow++
      }
    }
    for (; screenRow < textRows; screenRow++) out += `\x1b[${screenRow + 1};1H\x1b[2K\x1b[94m~\x1b[0m`
    // Bottom line: command line, or the message with the ruler on the right.
    out += `\x1b[${rows};1H\x1b[2K`
    if (this.mode === 'cmdline' || this.mode === 'search') {
      const shown = this.mode === 'cmdline' ? `:${this.cmd}` : this.cmd
      out += fitWidth(shown, cols - 1).replace(/\s+$/, '')
      out += `\x1b[${rows};${Math.min(cols, Array.from(shown).length + 1)}H\x1b[?25h`
      return out
    }
    const ruler = this.ruler(textRows)
    const rulerCol = cols - 18
    let msg = this.message
    if (
      this.mode === 'insert' ||
      this.mode === 'replace' ||
      this.mode === 'visual' ||
      this.mode === 'visual-line'
    ) {
      const label = {
        insert: '-- INSERT --',
        replace: '-- REPLACE --',
        visual: '-- VISUAL --',
        'visual-line': '-- VISUAL LINE --',
      }[this.mode]
      msg = label
    }
    const styled =
      this.messageIsError && msg
        ? `\x1b[97;41m${msg.slice(0, Math.max(0, rulerCol - 1))}\x1b[0m`
        : (msg.startsWith('--') ? `\x1b[1m${msg}\x1b[0m` : msg).slice(0, Math.max(0, rulerCol - 1) + 8)
    out += styled
    if (rulerCol > Array.from(msg).length) out += `\x1b[${rows};${rulerCol + 1}H${ruler}`
    out += `\x1b[${cursorY + 1};${cursorX + 1}H\x1b[?25h`
    return out
  }

  private selection():
    | { a: { row: number; col: number }; b: { row: number; col: number }; linewise: boolean }
    | undefined {
    if (this.mode !== 'visual' && this.mode !== 'visual-line') return undefined
    let a = { ...this.visualStart }
    let b = { row: this.row, col: this.col }
    if (b.row < a.row || (b.row === a.row && b.col < a.col)) [a, b] = [b, a]
    return { a, b, linewise: this.mode === 'visual-line' }
  }

  /** `12,5          Top` — line, column and where the window is in the file. */
  ruler(textRows: number): string {
    const line = this.lines[this.row] ?? ''
    const pos =
      line.length === 0
        ? '0-1'
        : (() => {
            const plain = this.col <= plainPrefix(line)
            const byteCol = (plain ? this.col : byteLength(line.slice(0, this.col))) + 1
            const screenCol = columnOf(line, this.col) + 1
            return byteCol === screenCol ? `${byteCol}` : `${byteCol}-${screenCol}`
          })()
    const where =
      this.lines.length <= textRows
        ? 'All'
        : this.top === 0
          ? 'Top'
          : this.top + textRows >= this.lines.length
            ? 'Bot'
            : `${Math.floor((this.top * 100) / (this.lines.length - textRows))}%`
    const left = `${this.row + 1},${pos}`
    return `${left.padEnd(14)}${where}`
  }
}
