import {
  type CommandResult,
  resolvePath,
  type SimCommand,
  type SimCommandContext,
  type TerminalSizeLike,
} from '../commands/types'
import { cellsText } from '../editors/display'
import type { Key } from '../shell/keys'
import { interactiveTty, isCtrlC, runScreen, type ScreenApp } from './screen'

// less and more. On a terminal they page (space, b, j/k, g/G, /search, n, q);
// when stdout is not a terminal they copy their input, as the real ones do.
// Only the visible window is drawn, so a huge input costs one split.

const REVERSE = '\x1b[7m'
const NORMAL = '\x1b[0m'

interface Doc {
  name: string
  lines: string[]
}

async function readInputs(
  ctx: SimCommandContext,
  files: string[],
  prog: 'less' | 'more',
): Promise<{ docs: Doc[]; err: string }> {
  const docs: Doc[] = []
  let err = ''
  if (files.length === 0) docs.push({ name: '', lines: splitDoc(ctx.stdin) })
  for (const f of files) {
    const path = resolvePath(ctx, f)
    try {
      const st = await ctx.fs.stat(path)
      if (st.isDirectory) {
        err += prog === 'less' ? `${f} is a directory\n` : `\n*** ${f}: directory ***\n\n`
        continue
      }
      docs.push({ name: f, lines: splitDoc(await ctx.fs.readFile(path)) })
    } catch {
      err +=
        prog === 'less'
          ? `${f}: No such file or directory\n`
          : `more: cannot open ${f}: No such file or directory\n`
    }
  }
  return { docs, err }
}

function splitDoc(text: string): string[] {
  if (text === '') return []
  const lines = text.split('\n')
  if (text.endsWith('\n')) lines.pop()
  return lines
}

export class Pager implements ScreenApp {
  top = 0
  private searching: string | undefined
  private pattern: RegExp | undefined
  message = ''
  private doc = 0

  constructor(
    private docs: Doc[],
    private kind: 'less' | 'more',
  ) {}

  get lines(): string[] {
    return this.docs[this.doc]?.lines ?? []
  }

  private page(size: TerminalSizeLike): number {
    return Math.max(1, size.rows - 1)
  }

  private maxTop(size: TerminalSizeLike): number {
    return Math.max(0, this.lines.length - this.page(size))
  }

  atEnd(size: TerminalSizeLike): boolean {
    return this.top >= this.maxTop(size)
  }

  render(size: TerminalSizeLike): string {
    const rows: string[] = []
    const h = this.page(size)
    for (let i = 0; i < h; i++) {
      const line = this.lines[this.top + i]
      if (line === undefined) rows.push(this.kind === 'less' ? '~' : '')
      else {
        // Only the columns on screen are laid out (by display width): a 16 MB line is not expanded on every key.
        const text = cellsText(line, 0, size.cols).text.trimEnd()
        rows.push(this.pattern ? text.replace(this.pattern, (m) => `${REVERSE}${m}${NORMAL}`) : text)
      }
    }
    rows.push(this.status(size))
    return `\x1b[H\x1b[2J${rows.join('\r\n')}`
  }

  private status(size: TerminalSizeLike): string {
    if (this.searching !== undefined) return `/${this.searching}`
    if (this.message) return `${REVERSE}${this.message}${NORMAL}`
    const name = this.docs[this.doc]?.name ?? ''
    if (this.kind === 'more') {
      const seen = Math.min(this.lines.length, this.top + this.page(size))
      const pct = this.lines.length ? Math.floor((seen * 100) / this.lines.length) : 100
      return `${REVERSE}--More--(${pct}%)${NORMAL}`
    }
    if (this.atEnd(size)) return `${REVERSE}(END)${NORMAL}`
    if (this.top === 0 && name) return `${REVERSE}${name}${NORMAL}`
    return ':'
  }

  private find(from: number, dir: 1 | -1, size: TerminalSizeLike): void {
    if (!this.pattern) {
      this.message = 'No previous regular expression  (press RETURN)'
      return
    }
    for (let i = from; i >= 0 && i < this.lines.length; i += dir) {
      this.pattern.lastIndex = 0
      if (this.pattern.test(this.lines[i] as string)) {
        this.top = Math.min(i, this.kind === 'less' ? i : this.maxTop(size))
        return
      }
    }
    this.message = 'Pattern not found  (press RETURN)'
  }

  keys(keys: Key[], size: TerminalSizeLike): number | undefined {
    const page = this.page(size)
    for (const k of keys) {
      if (this.searching !== undefined) {
        if (k.type === 'text') this.searching += k.text
        else if (k.type === 'key' && k.name === 'backspace') {
          if (this.searching === '') this.searching = undefined
          else this.searching = this.searching.slice(0, -1)
        } else if (k.type === 'key' && k.name === 'enter') {
          const text = this.searching
          this.searching = undefined
          if (text) {
            try {
              this.pattern = new RegExp(text, 'g')
            } catch {
              this.message = 'Invalid pattern  (press RETURN)'
              continue
            }
          }
          this.find(this.top + 1, 1, size)
        } else if (isCtrlC(k) || (k.type === 'key' && k.name === 'escape')) this.searching = undefined
        continue
      }
      if (this.message) {
        this.message = ''
        if (k.type === 'key' && k.name === 'enter') continue
      }
      if (isCtrlC(k)) return 0
      const t = k.type === 'text' ? k.text : k.type === 'key' ? k.name : k.type === 'ctrl' ? `^${k.key}` : ''
      for (const ch of k.type === 'text' ? [...t] : [t]) {
        switch (ch) {
          case 'q':
          case 'Q':
            return 0
          case ' ':
          case 'f':
          case 'pagedown':
          case '^f':
          case '^v':
            if (this.kind === 'more' && this.atEnd(size)) {
              if (this.doc + 1 < this.docs.length) {
                this.doc++
                this.top = 0
                break
              }
              return 0
            }
            this.top = Math.min(this.maxTop(size), this.top + page)
            break
          case 'b':
          case 'pageup':
          case '^b':
            this.top = Math.max(0, this.top - page)
            break
          case 'j':
          case 'e':
          case 'down':
          case 'enter':
          case '^n':
          case '^e':
            if (this.kind === 'more' && this.atEnd(size)) return 0
            this.top = Math.min(this.maxTop(size), this.top + 1)
            break
          case 'k':
          case 'y':
          case 'up':
          case '^p':
          case '^y':
            this.top = Math.max(0, this.top - 1)
            break
          case 'd':
          case '^d':
            this.top = Math.min(this.maxTop(size), this.top + Math.floor(page / 2))
            break
          case 'u':
          case '^u':
            this.top = Math.max(0, this.top - Math.floor(page / 2))
            break
          case 'g':
          case '<':
          case 'home':
            this.top = 0
            break
          case 'G':
          case '>':
          case 'end':
            this.top = this.maxTop(size)
            break
          case '/':
            this.searching = ''
            break
          case 'n':
            this.find(this.top + 1, 1, size)
            break
          case 'N':
            this.find(this.top - 1, -1, size)
            break
        }
      }
    }
    return undefined
  }
}

function plainCopy(docs: Doc[], prog: 'less' | 'more'): string {
  if (prog === 'more' && docs.length > 1)
    return docs
      .map((d) => `::::::::::::::\n${d.name}\n::::::::::::::\n${d.lines.map((l) => `${l}\n`).join('')}`)
      .join('')
  return docs.map((d) => d.lines.map((l) => `${l}\n`).join('')).join('')
}

async function page(ctx: SimCommandContext, prog: 'less' | 'more'): Promise<CommandResult> {
  const files = ctx.args.filter((a) => !a.startsWith('-') || a === '-')
  for (const a of ctx.args)
    if (a === '--version' || a === '-V')
      return {
        stdout:
          prog === 'less'
            ? 'less 590 (GNU regular expressions)\nCopyright (C) 1984-2021  Mark Nudelman\n'
            : 'more from util-linux 2.38.1\n',
        stderr: '',
        exitCode: 0,
      }
  const tty = interactiveTty(ctx)
  if (tty && files.length === 0 && ctx.stdin === '') {
    if (prog === 'less')
      return { stdout: '', stderr: 'Missing filename ("less --help" for help)\n', exitCode: 0 }
    return {
      stdout: '',
      stderr:
        '\nUsage:\n more [options] <file>...\n\nA file perusal filter for CRT viewing.\n\nOptions:\n -d, --silent          display help instead of ringing bell\n -f, --logical         count logical rather than screen lines\n -l, --no-pause        suppress pause after form feed\n -c, --print-over      do not scroll, display text and clean line ends\n -p, --clean-print     do not scroll, clean screen and display text\n -e, --exit-on-eof     exit on end-of-file\n -s, --squeeze         squeeze multiple blank lines into one\n -u, --plain           suppress underlining and bold\n -n, --lines <number>  the number of lines per screenful\n -<number>             same as --lines\n +<number>             display file beginning from line number\n +/<pattern>           display file beginning from pattern match\n\n -h, --help            display this help\n -V, --version         display version\n\nFor more details see more(1).\n',
      exitCode: 1,
    }
  }
  const { docs, err } = await readInputs(
    ctx,
    files.filter((f) => f !== '-'),
    prog,
  )
  // Copying to a non-terminal, less reports unreadable files on stdout, in order.
  if (!tty && prog === 'less') return { stdout: err + plainCopy(docs, prog), stderr: '', exitCode: 0 }
  if (!tty || docs.length === 0)
    return { stdout: plainCopy(docs, prog), stderr: err, exitCode: 0, shown: err + plainCopy(docs, prog) }
  if (err) tty.write(err.replace(/\n/g, '\r\n'))
  // more prints a file that fits on the screen and exits, like the real one.
  const pager = new Pager(docs, prog)
  if (prog === 'more' && docs.length === 1 && (docs[0] as Doc).lines.length < tty.size.rows)
    return { stdout: plainCopy(docs, prog), stderr: '', exitCode: 0 }
  return runScreen(ctx, tty, { ...bind(pager), altScreen: prog === 'less' })
}

function bind(p: Pager): ScreenApp {
  return { render: (s) => p.render(s), keys: (k, s) => p.keys(k, s) }
}

export const pagerCommands: SimCommand[] = [
  { name: 'less', run: (ctx) => page(ctx, 'less') },
  { name: 'more', run: (ctx) => page(ctx, 'more') },
]
