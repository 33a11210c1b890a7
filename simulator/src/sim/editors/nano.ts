import type { CommandResult, SimCommand, SimCommandContext, TerminalSizeLike } from '../commands/types'
import { resolvePath } from '../commands/types'
import type { Key } from '../shell/keys'
import { cellsText, columnOf } from './display'
import { byteLength, fitWidth, runFullScreen } from './fullscreen'
import { EDITOR_BUDGET, linesCost, splitWithin } from './limits'
import { spliceLines } from './lines'

// GNU nano as Debian ships it, for what a learner does with it: move, type,
// cut and paste lines, search, write out (with the file name prompt) and exit
// (asking whether to save a modified buffer).

export interface NanoIo {
  write(name: string, content: string): Promise<string | undefined>
  /** Whether a file exists (for the name of an emergency save); without it, names are taken as free. */
  exists?(name: string): Promise<boolean>
}

type Prompt =
  | { kind: 'write'; value: string; thenExit: boolean }
  | { kind: 'save-before-exit' }
  | { kind: 'search'; value: string }

const HELP_1 = [
  ['^G', 'Help'],
  ['^O', 'Write Out'],
  ['^W', 'Where Is'],
  ['^K', 'Cut'],
  ['^T', 'Execute'],
  ['^C', 'Location'],
]
const HELP_2 = [
  ['^X', 'Exit'],
  ['^R', 'Read File'],
  ['^\\', 'Replace'],
  ['^U', 'Paste'],
  ['^J', 'Justify'],
  ['^/', 'Go To Line'],
]

export class Nano {
  lines: string[]
  row = 0
  col = 0
  modified = false
  name: string
  private top = 0
  status = ''
  private prompt: Prompt | undefined
  private cutBuffer: string[] = []
  private lastWasCut = false
  private lastSearch = ''
  /** What nano prints on leaving when it had to stop (out of memory), with the emergency save. */
  exitMessage = ''
  /** The file did not fit the editors' budget (limits.ts): nano must not start on it. */
  outOfMemory = false

  constructor(
    name: string,
    content: string | undefined,
    private readonly io: NanoIo,
    openMessage?: string,
    /** What the buffer may cost (limits.ts). */
    private readonly budget = EDITOR_BUDGET,
  ) {
    this.name = name
    if (content === undefined) {
      this.lines = ['']
      this.status = openMessage ?? (name ? '[ New File ]' : '')
    } else {
      const loaded = splitWithin(content, budget)
      this.outOfMemory = !loaded.complete
      const n = content === '' ? 0 : loaded.lines.length
      this.lines = loaded.lines
      if (content !== '') this.lines.push('')
      this.status = `[ Read ${n} line${n === 1 ? '' : 's'} ]`
    }
  }

  private get line(): string {
    return this.lines[this.row] ?? ''
  }

  private set line(v: string) {
    this.lines[this.row] = v
  }

  async keys(keys: Key[]): Promise<number | undefined> {
    for (const key of keys) {
      if (key.type === 'paste') {
        const text = key.text
        let at = 0
        while (at < text.length) {
          const ch = text[at] as string
          if (ch === '\n' || ch === '\r') {
            at++
            const code = await this.key({ type: 'key', name: 'enter' })
            if (code !== undefined) return code
            continue
          }
          // In the buffer, the text up to the next line break goes in as one edit (a copy of
          // the line per character made a 64 KB paste take seconds); in a prompt, one by one.
          let end = this.prompt ? at + ((text.codePointAt(at) as number) > 0xffff ? 2 : 1) : at
          if (!this.prompt) while (end < text.length && text[end] !== '\n' && text[end] !== '\r') end++
          const code = await this.key({ type: 'text', text: text.slice(at, end) })
          if (code !== undefined) return code
          at = end
        }
        continue
      }
      const code = await this.key(key)
      if (code !== undefined) return code
    }
    return undefined
  }

  private async key(key: Key): Promise<number | undefined> {
    if (this.prompt) return this.promptKey(key)
    const wasCut = this.lastWasCut
    this.lastWasCut = false
    if (key.type === 'text') {
      this.line = this.line.slice(0, this.col) + key.text + this.line.slice(this.col)
      this.col += key.text.length
      this.modified = true
      this.status = ''
      return undefined
    }
    if (key.type === 'ctrl') {
      switch (key.key) {
        case 'x':
          if (!this.modified) return 0
          this.prompt = { kind: 'save-before-exit' }
          return undefined
        case 'o':
          this.prompt = { kind: 'write', value: this.name, thenExit: false }
          return undefined
        case 'w':
          this.prompt = { kind: 'search', value: '' }
          return undefined
        case 'k': {
          if (this.lines.length === 1 && this.line === '') return undefined
          const [cut] = this.lines.splice(this.row, 1)
          if (!wasCut) this.cutBuffer = []
          this.cutBuffer.push(cut ?? '')
          if (this.lines.length === 0 || this.row >= this.lines.length) this.lines.push('')
          this.col = 0
          this.modified = true
          this.lastWasCut = true
          return undefined
        }
        case 'u':
          if (this.cutBuffer.length === 0) return undefined
          if (linesCost(this.lines) + linesCost(this.cutBuffer) > this.budget)
            return this.die('Nano is out of memory!')
          spliceLines(this.lines, this.row, 0, this.cutBuffer)
          this.row += this.cutBuffer.length
          this.col = 0
          this.modified = true
          return undefined
        case 'c': {
          const total = this.lines.length
          const chars = byteLength(this.lines.slice(0, this.row).join('\n')) + (this.row ? 1 : 0) + this.col
          const all = byteLength(this.lines.join('\n'))
          const pct = (a: number, b: number) => (b ? Math.round((a * 100) / b) : 0)
          const lineLen = this.line.length + 1
          this.status = `[ line ${this.row + 1}/${total} (${pct(this.row + 1, total)}%), col ${this.col + 1}/${lineLen} (${pct(this.col + 1, lineLen)}%), char ${chars}/${all} (${pct(chars, all)}%) ]`
          return undefined
        }
        case 'a':
          this.col = 0
          return undefined
        case 'e':
          this.col = this.line.length
          return undefined
        case 'g':
          this.status = '[ Help is not available in this simulated nano ]'
          return undefined
        case 'h':
          return this.key({ type: 'key', name: 'backspace' })
        case 'd':
          return this.key({ type: 'key', name: 'delete' })
        case 'm':
        case 'j':
          return this.key({ type: 'key', name: 'enter' })
        case 'i':
          return this.key({ type: 'text', text: '\t' })
        case 'y':
          return this.key({ type: 'key', name: 'pageup' })
        case 'v':
          return this.key({ type: 'key', name: 'pagedown' })
        case 'p':
          return this.key({ type: 'key', name: 'up' })
        case 'n':
          return this.key({ type: 'key', name: 'down' })
        case 'b':
          return this.key({ type: 'key', name: 'left' })
        case 'f':
          return this.key({ type: 'key', name: 'right' })
        default:
          return undefined
      }
    }
    if (key.type !== 'key') return undefined
    switch (key.name) {
      case 'enter': {
        const rest = this.line.slice(this.col)
        this.line = this.line.slice(0, this.col)
        this.lines.splice(this.row + 1, 0, rest)
        this.row++
        this.col = 0
        this.modified = true
        break
      }
      case 'tab':
        return this.key({ type: 'text', text: '\t' })
      case 'backspace':
        if (this.col > 0) {
          this.line = this.line.slice(0, this.col - 1) + this.line.slice(this.col)
          this.col--
          this.modified = true
        } else if (this.row > 0) {
          const cur = this.line
          this.lines.splice(this.row, 1)
          this.row--
          this.col = this.line.length
          this.line += cur
          this.modified = true
        }
        break
      case 'delete':
        if (this.col < this.line.length) {
          this.line = this.line.slice(0, this.col) + this.line.slice(this.col + 1)
          this.modified = true
        } else if (this.row < this.lines.length - 1) {
          this.line += this.lines[this.row + 1] ?? ''
          this.lines.splice(this.row + 1, 1)
          this.modified = true
        }
        break
      case 'left':
        if (this.col > 0) this.col--
        else if (this.row > 0) {
          this.row--
          this.col = this.line.length
        }
        break
      case 'right':
        if (this.col < this.line.length) this.col++
        else if (this.row < this.lines.length - 1) {
          this.row++
          this.col = 0
        }
        break
      case 'up':
        this.row = Math.max(0, this.row - 1)
        this.col = Math.min(this.col, this.line.length)
        break
      case 'down':
        this.row = Math.min(this.lines.length - 1, this.row + 1)
        this.col = Math.min(this.col, this.line.length)
        break
      case 'home':
        this.col = 0
        break
      case 'end':
        this.col = this.line.length
        break
      case 'pageup':
        this.row = Math.max(0, this.row - 20)
        this.col = Math.min(this.col, this.line.length)
        break
      case 'pagedown':
        this.row = Math.min(this.lines.length - 1, this.row + 20)
        this.col = Math.min(this.col, this.line.length)
        break
      default:
        break
    }
    return undefined
  }

  private async promptKey(key: Key): Promise<number | undefined> {
    const p = this.prompt as Prompt
    const cancel = () => {
      this.prompt = undefined
      this.status = '[ Cancelled ]'
    }
    if (key.type === 'ctrl' && key.key === 'c') {
      cancel()
      return undefined
    }
    if (p.kind === 'save-before-exit') {
      if (key.type === 'text' && /^[yY]$/.test(key.text)) {
        this.prompt = { kind: 'write', value: this.name, thenExit: true }
      } else if (key.type === 'text' && /^[nN]$/.test(key.text)) {
        return 0
      }
      return undefined
    }
    if (key.type === 'text') {
      p.value += key.text
      return undefined
    }
    if (key.type === 'key' && key.name === 'backspace') {
      p.value = p.value.slice(0, -1)
      return undefined
    }
    if (
      !(key.type === 'key' && key.name === 'enter') &&
      !(key.type === 'ctrl' && (key.key === 'm' || key.key === 'j'))
    )
      return undefined
    this.prompt = undefined
    if (p.kind === 'search') {
      const query = p.value || this.lastSearch
      if (!query) {
        cancel()
        return undefined
      }
      this.lastSearch = query
      this.find(query)
      return undefined
    }
    const name = p.value.trim()
    if (!name) {
      cancel()
      return undefined
    }
    const body = this.lines[this.lines.length - 1] === '' ? this.lines.slice(0, -1) : this.lines
    const err = await this.io.write(name, this.content())
    if (err) {
      this.status = `[ ${err} ]`
      return undefined
    }
    this.name = name
    this.modified = false
    this.status = `[ Wrote ${body.length} line${body.length === 1 ? '' : 's'} ]`
    return p.thenExit ? 0 : undefined
  }

  /**
   * Leave as nano does on a fatal error (out of memory here, past the editors'
   * budget): a modified buffer goes to an emergency file, `<name>.save` (or
   * `nano.save`), with `.1`, `.2` … added when that exists; the message and
   * where the buffer went are printed after the screen is restored.
   */
  private async die(message: string): Promise<number> {
    let out = `${message}\n`
    if (this.modified) {
      const base = `${this.name || 'nano'}.save`
      let target = base
      for (let n = 1; (await this.io.exists?.(target)) && n < 1000; n++) target = `${base}.${n}`
      const err = await this.io.write(target, this.content())
      out += err ? `\nToo many .save files\n` : `\nBuffer written to ${target}\n`
    }
    this.exitMessage = out
    return 1
  }

  /** The buffer as nano writes it: its last, empty line is the final newline. */
  private content(): string {
    const body = this.lines[this.lines.length - 1] === '' ? this.lines.slice(0, -1) : this.lines
    return body.length === 0 ? '' : `${body.join('\n')}\n`
  }

  private find(query: string): void {
    const total = this.lines.length
    for (let step = 0; step <= total; step++) {
      const r = (this.row + step) % total
      const line = this.lines[r] ?? ''
      const from = step === 0 ? this.col + 1 : 0
      const idx = line.indexOf(query, from)
      if (idx >= 0 && !(step === total && idx >= this.col + 1)) {
        const wrapped = step > 0 && r <= this.row
        this.row = r
        this.col = idx
        this.status = wrapped ? '[ Search Wrapped ]' : ''
        if (step === total && idx === this.col) this.status = '[ This is the only occurrence ]'
        return
      }
    }
    this.status = `[ "${query}" not found ]`
  }

  render(size: TerminalSizeLike): string {
    const cols = Math.max(20, size.cols)
    const rows = Math.max(5, size.rows)
    const textRows = rows - 4
    if (this.row < this.top) this.top = this.row
    if (this.row >= this.top + textRows) this.top = this.row - textRows + 1
    let out = '\x1b[?25l\x1b[H'
    const title = `  GNU nano 7.2`
    const fname = this.name || 'New Buffer'
    const right = this.modified ? 'Modified  ' : ''
    const mid = Math.max(title.length + 1, Math.floor((cols - fname.length) / 2))
    let bar = fitWidth(title, mid) + fname
    bar = fitWidth(bar, cols - right.length) + right
    out += `\x1b[1;1H\x1b[7m${fitWidth(bar, cols)}\x1b[0m`
    let cursorY = 1
    let cursorX = 0
    for (let i = 0; i < textRows; i++) {
      const r = this.top + i
      out += `\x1b[${i + 2};1H\x1b[2K`
      if (r >= this.lines.length) continue
      const line = this.lines[r] ?? ''
      let page = 0
      if (r === this.row) {
        const cx = columnOf(line, this.col)
        // nano scrolls a long line sideways by screenfuls, marking the cut with `>`.
        page = cx >= cols - 1 ? Math.floor(cx / (cols - 8)) * (cols - 8) : 0
        cursorY = i + 1
        cursorX = cx - page
      }
      // Only the columns on screen are laid out (by display width), whatever the line's length.
      const from = page ? page + 1 : 0
      const room = page ? cols - 1 : cols
      const part = cellsText(line, from, room)
      const shown = part.more ? `${cellsText(line, from, room - 1).text}>` : part.text
      out += page ? `>${shown}` : shown
    }
    out += `\x1b[${rows - 2};1H\x1b[2K`
    const p = this.prompt
    if (p) {
      let label: string
      if (p.kind === 'write') label = `File Name to Write: ${p.value}`
      else if (p.kind === 'search')
        label = `Search${this.lastSearch ? ` [${this.lastSearch}]` : ''}: ${p.value}`
      else label = 'Save modified buffer?  '
      out += `\x1b[7m${fitWidth(label, cols)}\x1b[0m`
      if (p.kind === 'save-before-exit') {
        out += `\x1b[${rows - 1};1H\x1b[2K\x1b[7m Y\x1b[0m Yes`
        out += `\x1b[${rows};1H\x1b[2K\x1b[7m N\x1b[0m No           \x1b[7m^C\x1b[0m Cancel`
      } else {
        out += `\x1b[${rows - 1};1H\x1b[2K\x1b[7m^G\x1b[0m Help          \x1b[7mM-D\x1b[0m DOS Format`
        out += `\x1b[${rows};1H\x1b[2K\x1b[7m^C\x1b[0m Cancel        \x1b[7mM-M\x1b[0m Mac Format`
      }
      out += `\x1b[${rows - 2};${Math.min(cols, Array.from(label).length + 1)}H\x1b[?25h`
      return out
    }
    if (this.status) {
      const s = this.status
      const start = Math.max(0, Math.floor((cols - s.length) / 2))
      out += `\x1b[${rows - 2};${start + 1}H\x1b[7m${s.slice(0, cols)}\x1b[0m`
    }
    const helpLine = (items: string[][]) => {
      const w = Math.floor(cols / items.length)
      return items
        .map(
          ([k, label]) =>
            `\x1b[7m${k}\x1b[0m ${fitWidth(label as string, Math.max(0, w - (k as string).length - 1))}`,
        )
        .join('')
    }
    out += `\x1b[${rows - 1};1H\x1b[2K${helpLine(HELP_1)}`
    out += `\x1b[${rows};1H\x1b[2K${helpLine(HELP_2)}`
    out += `\x1b[${cursorY + 1};${cursorX + 1}H\x1b[?25h`
    return out
  }
}

async function writeFile(ctx: SimCommandContext, name: string, content: string): Promise<string | undefined> {
  const path = resolvePath(ctx, name)
  try {
    await ctx.fs.writeFile(path, content)
    return undefined
  } catch (err) {
    const message = String((err as Error)?.message ?? err)
    if (/No space left|ENOSPC/.test(message)) return `Error writing ${path}: No space left on device`
    return `Error writing ${path}: No such file or directory`
  }
}

export async function runNano(ctx: SimCommandContext): Promise<CommandResult> {
  const args = ctx.args.filter((a) => !a.startsWith('-') || a === '-')
  if (ctx.args.includes('--version') || ctx.args.includes('-V'))
    return {
      stdout: ' GNU nano, version 7.2\n (C) 2023 the Free Software Foundation and various contributors\n',
      stderr: '',
      exitCode: 0,
    }
  if (!ctx.tty) return { stdout: '', stderr: 'Too many errors from stdin\n', exitCode: 1 }
  const name = args[0] ?? ''
  let content: string | undefined
  let openMessage: string | undefined
  if (name) {
    const path = resolvePath(ctx, name)
    try {
      const st = await ctx.fs.stat(path)
      if (st.isDirectory) openMessage = `[ "${name}" is a directory ]`
      else content = await ctx.fs.readFile(path)
    } catch {
      content = undefined
    }
  }
  const io: NanoIo = {
    write: (n, c) => writeFile(ctx, n, c),
    exists: (n) =>
      ctx.fs.stat(resolvePath(ctx, n)).then(
        () => true,
        () => false,
      ),
  }
  const nano = new Nano(name, content, io, openMessage)
  // Past the editors' budget nano does what it does when memory runs out while reading.
  if (nano.outOfMemory) return { stdout: '', stderr: 'Nano is out of memory!\n', exitCode: 1 }
  return runFullScreen(ctx.tty, ctx, {
    render: (size) => nano.render(size),
    keys: (keys) => nano.keys(keys),
    stderr: () => nano.exitMessage,
  })
}

export const nanoCommand: SimCommand = { name: 'nano', run: runNano }
