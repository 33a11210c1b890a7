import type { Key } from './keys'

// The readline-like part of the shell, without any I/O: keys in, effects out,
// and a view (prompt, text, cursor) that a renderer draws. Bash's emacs-mode
// bindings for what people use at a CKA terminal.

export interface CompletionCandidate {
  /** The full replacement for the word being completed. */
  value: string
  /** What the listing shows (e.g. the last path component); defaults to `value`. */
  display?: string
  /** A directory: completes with `/` instead of a space. */
  dir?: boolean
}

export interface CompletionResult {
  /** Index in the line where the word being completed starts. */
  start: number
  candidates: CompletionCandidate[]
}

export type EditorEffect =
  | { type: 'submit'; line: string }
  | { type: 'eof' }
  | { type: 'interrupt'; line: string }
  | { type: 'complete'; line: string; cursor: number; listing: boolean }
  | { type: 'clear-screen' }
  | { type: 'bell' }

export interface EditorView {
  prompt: string
  text: string
  /** Cursor position as an index into `text` (code units). */
  cursor: number
}

interface SearchState {
  query: string
  /** History index of the current match, or -1 when nothing matched. */
  index: number
  failed: boolean
  original: string
  originalCursor: number
}

function isWordChar(c: string | undefined): boolean {
  return c !== undefined && /[\p{L}\p{N}_]/u.test(c)
}

function commonPrefix(values: string[]): string {
  if (values.length === 0) return ''
  let prefix = values[0] as string
  for (const v of values) {
    let i = 0
    while (i < prefix.length && i < v.length && prefix[i] === v[i]) i++
    prefix = prefix.slice(0, i)
  }
  return prefix
}

/** Escape what bash escapes when it inserts a completed word. */
export function escapeForShell(word: string): string {
  return word.replace(/([ \t\n"'\\$`()&;|<>!*?[\]{}#])/g, '\\$1')
}

export class LineEditor {
  private text = ''
  private cursor = 0
  private historyIndex: number
  /** The line being edited before Up moved into history. */
  private scratch = ''
  private killRing = ''
  private search: SearchState | undefined
  private tabCount = 0
  prompt = ''

  constructor(private readonly history: string[]) {
    this.historyIndex = history.length
  }

  /** Start a fresh line (after a prompt is printed). */
  reset(prompt: string, initial = ''): void {
    this.prompt = prompt
    this.text = initial
    this.cursor = initial.length
    this.historyIndex = this.history.length
    this.scratch = ''
    this.search = undefined
    this.tabCount = 0
  }

  get line(): string {
    return this.text
  }

  get cursorIndex(): number {
    return this.cursor
  }

  get searching(): boolean {
    return this.search !== undefined
  }

  view(): EditorView {
    const s = this.search
    if (s) {
      const label = s.failed ? '(failed reverse-i-search)' : '(reverse-i-search)'
      return { prompt: `${label}\`${s.query}': `, text: this.text, cursor: this.cursor }
    }
    return { prompt: this.prompt, text: this.text, cursor: this.cursor }
  }

  handle(key: Key): EditorEffect | undefined {
    const wasTab = key.type === 'key' && key.name === 'tab'
    if (!wasTab) this.tabCount = 0
    if (this.search) return this.handleSearch(key)
    switch (key.type) {
      case 'text':
        this.insert(key.text)
        return undefined
      case 'paste':
        // Newlines in a paste are handled by the caller (split into lines); here just insert.
        this.insert(key.text.replace(/\r?\n/g, ' '))
        return undefined
      case 'ctrl':
        return this.handleCtrl(key.key)
      case 'alt':
        return this.handleAlt(key.key)
      case 'key':
        return this.handleNamed(key)
    }
  }

  private insert(s: string): void {
    this.text = this.text.slice(0, this.cursor) + s + this.text.slice(this.cursor)
    this.cursor += s.length
  }

  private prevCharIndex(i: number): number {
    if (i <= 0) return 0
    const code = this.text.charCodeAt(i - 1)
    return code >= 0xdc00 && code <= 0xdfff && i >= 2 ? i - 2 : i - 1
  }

  private nextCharIndex(i: number): number {
    if (i >= this.text.length) return this.text.length
    const code = this.text.charCodeAt(i)
    return code >= 0xd800 && code <= 0xdbff ? i + 2 : i + 1
  }

  private wordLeft(): number {
    let i = this.cursor
    while (i > 0 && !isWordChar(this.text[i - 1])) i--
    while (i > 0 && isWordChar(this.text[i - 1])) i--
    return i
  }

  private wordRight(): number {
    let i = this.cursor
    while (i < this.text.length && !isWordChar(this.text[i])) i++
    while (i < this.text.length && isWordChar(this.text[i])) i++
    return i
  }

  private kill(from: number, to: number): void {
    if (to <= from) return
    this.killRing = this.text.slice(from, to)
    this.text = this.text.slice(0, from) + this.text.slice(to)
    this.cursor = from
  }

  private historyMove(delta: number): EditorEffect | undefined {
    const target = this.historyIndex + delta
    if (target < 0 || target > this.history.length) return { type: 'bell' }
    if (this.historyIndex === this.history.length) this.scratch = this.text
    this.historyIndex = target
    this.text = target === this.history.length ? this.scratch : (this.history[target] ?? '')
    this.cursor = this.text.length
    return undefined
  }

  private handleCtrl(k: string): EditorEffect | undefined {
    switch (k) {
      case 'a':
        this.cursor = 0
        return undefined
      case 'e':
        this.cursor = this.text.length
        return undefined
      case 'b':
        this.cursor = this.prevCharIndex(this.cursor)
        return undefined
      case 'f':
        this.cursor = this.nextCharIndex(this.cursor)
        return undefined
      case 'h':
        return this.backspace()
      case 'd':
        if (this.text.length === 0) return { type: 'eof' }
        this.text = this.text.slice(0, this.cursor) + this.text.slice(this.nextCharIndex(this.cursor))
        return undefined
      case 'u':
        this.kill(0, this.cursor)
        return undefined
      case 'k':
        this.kill(this.cursor, this.text.length)
        return undefined
      case 'w': {
        let i = this.cursor
        while (i > 0 && /\s/.test(this.text[i - 1] as string)) i--
        while (i > 0 && !/\s/.test(this.text[i - 1] as string)) i--
        this.kill(i, this.cursor)
        return undefined
      }
      case 'y':
        this.insert(this.killRing)
        return undefined
      case 't': {
        if (this.cursor === 0 || this.text.length < 2) return { type: 'bell' }
        const at = this.cursor === this.text.length ? this.cursor - 1 : this.cursor
        const a = this.text[at - 1] as string
        const b = this.text[at] as string
        this.text = this.text.slice(0, at - 1) + b + a + this.text.slice(at + 1)
        this.cursor = at + 1
        return undefined
      }
      case 'l':
        return { type: 'clear-screen' }
      case 'c': {
        const line = this.text
        return { type: 'interrupt', line }
      }
      case 'p':
        return this.historyMove(-1)
      case 'n':
        return this.historyMove(1)
      case 'r':
        this.search = {
          query: '',
          index: -1,
          failed: false,
          original: this.text,
          originalCursor: this.cursor,
        }
        return undefined
      case 'j':
      case 'm':
        return this.submit()
      case 'i':
        return this.handleNamed({ type: 'key', name: 'tab' })
      default:
        return undefined
    }
  }

  private handleAlt(k: string): EditorEffect | undefined {
    switch (k) {
      case 'b':
        this.cursor = this.wordLeft()
        return undefined
      case 'f':
        this.cursor = this.wordRight()
        return undefined
      case 'd':
        this.kill(this.cursor, this.wordRight())
        return undefined
      case 'backspace':
        this.kill(this.wordLeft(), this.cursor)
        return undefined
      case '<':
        this.historyIndex = 0
        return this.historyMove(0)
      case '>':
        return this.historyMove(this.history.length - this.historyIndex)
      default:
        return undefined
    }
  }

  private backspace(): EditorEffect | undefined {
    if (this.cursor === 0) return { type: 'bell' }
    const from = this.prevCharIndex(this.cursor)
    this.text = this.text.slice(0, from) + this.text.slice(this.cursor)
    this.cursor = from
    return undefined
  }

  private submit(): EditorEffect {
    const line = this.text
    return { type: 'submit', line }
  }

  private handleNamed(key: Extract<Key, { type: 'key' }>): EditorEffect | undefined {
    switch (key.name) {
      case 'enter':
        return this.submit()
      case 'backspace':
        return this.backspace()
      case 'delete':
        if (this.cursor >= this.text.length) return undefined
        this.text = this.text.slice(0, this.cursor) + this.text.slice(this.nextCharIndex(this.cursor))
        return undefined
      case 'left':
        this.cursor = key.ctrl || key.alt ? this.wordLeft() : this.prevCharIndex(this.cursor)
        return undefined
      case 'right':
        this.cursor = key.ctrl || key.alt ? this.wordRight() : this.nextCharIndex(this.cursor)
        return undefined
      case 'home':
        this.cursor = 0
        return undefined
      case 'end':
        this.cursor = this.text.length
        return undefined
      case 'up':
        return this.historyMove(-1)
      case 'down':
        return this.historyMove(1)
      case 'tab':
        this.tabCount++
        return { type: 'complete', line: this.text, cursor: this.cursor, listing: this.tabCount >= 2 }
      default:
        return undefined
    }
  }

  /**
   * Apply candidates for the word at the cursor. One match completes it;
   * several complete their common prefix, and a second Tab in a row asks for
   * the listing (returned for the caller to print).
   */
  applyCompletion(result: CompletionResult, listing: boolean): { list?: string[]; bell?: boolean } {
    const word = this.text.slice(result.start, this.cursor)
    const { candidates } = result
    if (candidates.length === 0) return { bell: true }
    const replace = (value: string) => {
      this.text = this.text.slice(0, result.start) + value + this.text.slice(this.cursor)
      this.cursor = result.start + value.length
    }
    if (candidates.length === 1) {
      const c = candidates[0] as CompletionCandidate
      const value = escapeForShell(c.value)
      if (c.dir) replace(value.endsWith('/') ? value : `${value}/`)
      else if (this.text[this.cursor] === ' ') {
        replace(value)
        this.cursor++
      } else replace(`${value} `)
      this.tabCount = 0
      return {}
    }
    const prefix = commonPrefix(candidates.map((c) => c.value))
    const escaped = escapeForShell(prefix)
    if (escaped.length > word.length && escaped.startsWith(word.replace(/\\$/, ''))) {
      replace(escaped)
      return { bell: true }
    }
    if (listing) return { list: candidates.map((c) => c.display ?? c.value).sort() }
    return { bell: true }
  }

  private handleSearch(key: Key): EditorEffect | undefined {
    const s = this.search as SearchState
    const find = (from: number, query: string): number => {
      for (let i = Math.min(from, this.history.length - 1); i >= 0; i--) {
        if ((this.history[i] ?? '').includes(query)) return i
      }
      return -1
    }
    const show = (index: number) => {
      if (index < 0) {
        s.failed = s.query.length > 0
        return
      }
      s.failed = false
      s.index = index
      const line = this.history[index] ?? ''
      this.text = line
      this.cursor = Math.max(0, line.lastIndexOf(s.query))
    }
    const leave = () => {
      this.search = undefined
      if (s.index >= 0) this.historyIndex = s.index
    }
    if (key.type === 'text' || key.type === 'paste') {
      s.query += key.text
      show(find(s.index >= 0 ? s.index : this.history.length - 1, s.query))
      return undefined
    }
    if (key.type === 'ctrl') {
      if (key.key === 'r') {
        if (s.query === '') {
          return undefined
        }
        const next = find((s.index >= 0 ? s.index : this.history.length) - 1, s.query)
        if (next < 0) {
          s.failed = true
          return { type: 'bell' }
        }
        show(next)
        return undefined
      }
      if (key.key === 'g' || key.key === 'c') {
        this.search = undefined
        this.text = s.original
        this.cursor = s.originalCursor
        if (key.key === 'c') return { type: 'interrupt', line: this.text }
        return undefined
      }
      if (key.key === 'h') {
        s.query = s.query.slice(0, -1)
        show(find(this.history.length - 1, s.query))
        return undefined
      }
      if (key.key === 'j' || key.key === 'm') {
        leave()
        return this.submit()
      }
      leave()
      return this.handle(key)
    }
    if (key.type === 'key') {
      if (key.name === 'backspace') {
        s.query = s.query.slice(0, -1)
        show(s.query ? find(this.history.length - 1, s.query) : -1)
        return undefined
      }
      if (key.name === 'enter') {
        leave()
        return this.submit()
      }
      leave()
      if (key.name === 'escape') return undefined
      return this.handle(key)
    }
    leave()
    return this.handle(key)
  }
}

/** Lay out names in columns the way bash lists completions. */
export function formatColumns(items: string[], width: number): string {
  if (items.length === 0) return ''
  const colWidth = Math.max(...items.map((i) => i.length)) + 2
  const cols = Math.max(1, Math.floor((width + 2) / colWidth))
  const rows = Math.ceil(items.length / cols)
  const lines: string[] = []
  for (let r = 0; r < rows; r++) {
    let line = ''
    for (let c = 0; c < cols; c++) {
      const item = items[c * rows + r]
      if (item === undefined) continue
      const last = (c + 1) * rows + r >= items.length
      line += last ? item : item.padEnd(colWidth)
    }
    lines.push(line.trimEnd())
  }
  return `${lines.join('\n')}\n`
}
