import type { TerminalSizeLike } from '../commands/types'
import type { Key } from '../shell/keys'
import { byteLength } from './fullscreen'
import { cmdlineKey, exCommand } from './vim-ex'
import { insertKey, insertText } from './vim-insert'
import { motion } from './vim-motions'
import { pendingKey, visualKey } from './vim-operators'
import { put } from './vim-registers'
import { render, ruler } from './vim-render'
import { search } from './vim-search'
import { type VimIo, VimState } from './vim-state'

// The vim a learner needs to fix a static pod manifest: normal, insert and
// visual modes, the usual motions and operators, undo, search, and the ex
// commands around saving and quitting, with vim's own messages.
//
// This module is the keyboard: it sends each key to the mode it belongs to.
// The parts live beside it: vim-state (buffer, cursor, messages), vim-motions,
// vim-operators, vim-registers, vim-insert, vim-search, vim-ex, vim-render,
// vim-undo, and vim-command (the `vim` command on a node).

export { vimRegex } from './vim-search'
export type { VimIo } from './vim-state'

export interface VimFile {
  /** Display name, as given on the command line. */
  name: string | undefined
  lines: string[]
  isNew: boolean
  /** Set when the path is a directory or unreadable: shown once, buffer empty. */
  openMessage?: string
  /** The file's size in bytes, when the caller knows it (saves measuring the lines). */
  bytes?: number
  /** `vim -R`: the buffer is read-only. */
  readonly?: boolean
  /**
   * The file did not fit the editor's memory budget (see limits.ts): `lines` holds
   * the lines read before it ran out, `bytes` their size, and vim says so as it
   * does when memory runs out while reading.
   */
  readError?: { allocating: number }
}

export class Vim extends VimState {
  constructor(file: VimFile, io: VimIo) {
    super(file.lines, file.name, file.isNew, io)
    this.readonly = file.readonly === true || file.readError !== undefined
    const bytes = () => file.bytes ?? byteLength(`${file.lines.join('\n')}\n`)
    if (file.openMessage) this.message = file.openMessage
    else if (file.name === undefined) this.message = ''
    else if (file.readError) {
      // What vim shows when it runs out of memory reading a file; the buffer keeps what was read, read-only.
      this.hitEnter = [
        `"${file.name}"`,
        `E342: Out of memory!  (allocating ${file.readError.allocating} bytes)`,
        `"${file.name}" [READ ERRORS] ${file.lines.length}L, ${bytes()}B`,
      ]
    } else if (file.isNew) this.message = `"${file.name}" [New]`
    else
      this.message = `"${file.name}"${file.readonly ? ' [readonly]' : ''} ${file.lines.length}L, ${bytes()}B`
  }

  /** Run an ex command (what follows `:`); resolves with an exit status when vim quits. */
  exCommand(input: string): Promise<number | undefined> {
    return exCommand(this, input)
  }

  /** The whole screen for a terminal of this size. */
  render(size: TerminalSizeLike): string {
    return render(this, size)
  }

  /** `12,5          Top` — line, column and where the window is in the file. */
  ruler(textRows: number): string {
    return ruler(this, textRows)
  }

  /** Handle keys; returns an exit status when vim quits. */
  async keys(keys: Key[]): Promise<number | undefined> {
    for (const key of keys) {
      const code = await this.key(key)
      if (code !== undefined) return code
    }
    return undefined
  }

  /**
   * Several characters at once (a paste, or keys typed faster than the
   * terminal sends them) are keys one by one, until one of them starts
   * insert mode: the rest is then inserted in one edit.
   */
  private async eachChar(text: string, pasted: boolean): Promise<number | undefined> {
    let at = 0
    for (const ch of text) {
      at += ch.length
      const k: Key =
        pasted && (ch === '\n' || ch === '\r') ? { type: 'key', name: 'enter' } : { type: 'text', text: ch }
      const code = await this.key(k)
      if (code !== undefined) return code
      if (this.mode === 'insert' && at < text.length) {
        insertText(this, text.slice(at))
        return undefined
      }
    }
    return undefined
  }

  private async key(key: Key): Promise<number | undefined> {
    if (this.mode === 'insert' && (key.type === 'paste' || (key.type === 'text' && key.text.length > 1))) {
      insertText(this, key.text)
      return undefined
    }
    if (key.type === 'paste') return this.eachChar(key.text, true)
    if (key.type === 'alt') {
      // A terminal sends Escape followed quickly by a key as one "Alt" chord; vim sees both keys.
      const esc = await this.key({ type: 'key', name: 'escape' })
      if (esc !== undefined) return esc
      return key.key === 'backspace'
        ? this.key({ type: 'key', name: 'backspace' })
        : this.key({ type: 'text', text: key.key })
    }
    if (key.type === 'text' && [...key.text].length > 1) return this.eachChar(key.text, false)
    if (this.hitEnter) {
      // Enter, Space or Escape only dismiss the messages; any other key also does what it does.
      this.hitEnter = undefined
      this.message = ''
      const dismissOnly =
        (key.type === 'key' && (key.name === 'enter' || key.name === 'escape')) ||
        (key.type === 'text' && key.text === ' ')
      if (dismissOnly) return undefined
    }
    switch (this.mode) {
      case 'insert':
      case 'replace':
        insertKey(this, key)
        return undefined
      case 'cmdline':
      case 'search':
        return cmdlineKey(this, key)
      case 'visual':
      case 'visual-line':
        visualKey(this, key)
        return undefined
      default:
        return this.normalKey(key)
    }
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
    if (this.pending) return pendingKey(this, key)
    if (ch && /[0-9]/.test(ch) && (ch !== '0' || this.count !== '')) {
      this.count += ch
      return undefined
    }
    if (motion(this, key)) {
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
        put(this, ch === 'p')
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
        search(this, this.lastSearch.pattern, ch === 'n' ? this.lastSearch.forward : !this.lastSearch.forward)
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
}
