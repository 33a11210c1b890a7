import type { Key } from '../shell/keys'
import { byteLength } from './fullscreen'
import { EDITOR_BUDGET, LINE_COST } from './limits'
import { pushLines } from './lines'
import { search, vimRegex } from './vim-search'
import type { VimState } from './vim-state'

// The command line (`:` and `/`/`?`) and the ex commands a learner uses:
// :w :wq :x :q :q! :set number, :N, :s and :%s, :undo, :redo, with vim's
// messages and error numbers.

/** A key typed on the command line: edit it, leave it, or run it with Enter. */
export async function cmdlineKey(s: VimState, key: Key): Promise<number | undefined> {
  const name = key.type === 'key' ? key.name : undefined
  if (name === 'escape' || (key.type === 'ctrl' && key.key === 'c')) {
    s.mode = 'normal'
    s.cmd = ''
    s.message = ''
    return undefined
  }
  if (key.type === 'text') {
    s.cmd += key.text
    return undefined
  }
  if (name === 'backspace' || (key.type === 'ctrl' && key.key === 'h')) {
    const min = s.mode === 'search' ? 1 : 0
    if (s.cmd.length <= min) {
      s.mode = 'normal'
      s.cmd = ''
      return undefined
    }
    s.cmd = s.cmd.slice(0, -1)
    return undefined
  }
  if (key.type === 'ctrl' && key.key === 'u') {
    s.cmd = s.mode === 'search' ? s.cmd.slice(0, 1) : ''
    return undefined
  }
  if (name === 'enter' || (key.type === 'ctrl' && (key.key === 'j' || key.key === 'm'))) {
    const text = s.cmd
    const wasSearch = s.mode === 'search'
    s.mode = 'normal'
    s.cmd = ''
    s.message = ''
    s.messageIsError = false
    if (wasSearch) {
      const forward = text[0] === '/'
      const pattern = text.slice(1) || s.lastSearch?.pattern
      if (!pattern) {
        s.error('E35: No previous regular expression')
        return undefined
      }
      s.lastSearch = { pattern, forward }
      search(s, pattern, forward)
      return undefined
    }
    return exCommand(s, text)
  }
  return undefined
}

/** Run an ex command (what follows `:`); resolves with an exit status when vim quits. */
export async function exCommand(s: VimState, input: string): Promise<number | undefined> {
  const text = input.trim().replace(/^:+/, '')
  if (text === '') return undefined
  if (/^\d+$/.test(text) || text === '$') {
    s.row = text === '$' ? s.lines.length - 1 : Math.max(0, Math.min(s.lines.length - 1, Number(text) - 1))
    s.col = s.firstNonBlank()
    return undefined
  }
  const sub = /^(%|\d+,\d+|\.|\d+)?s(\/|#|\|)(.*)$/.exec(text)
  if (sub) return substitute(s, sub[1], sub[2] as string, sub[3] as string)
  const m = /^([a-zA-Z]+)(!?)\s*(.*)$/.exec(text)
  if (!m) {
    s.error(`E492: Not an editor command: ${text}`)
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
    if (isX && !s.modified && !arg) return 0
    const name = arg || s.name
    if (!name) {
      s.error('E32: No file name')
      return undefined
    }
    if (s.readonly && !bang && name === s.name) {
      s.error("E45: 'readonly' option is set (add ! to override)")
      return undefined
    }
    const ok = await save(s, name)
    if (!ok) return undefined
    return quit ? 0 : undefined
  }
  if (is('quit', 1) || is('qall', 2) || is('quitall', 5) || cmd === 'cq') {
    if (cmd === 'cq') return 1
    if (s.modified && !bang) {
      s.error('E37: No write since last change (add ! to override)')
      return undefined
    }
    return 0
  }
  if (is('set', 2)) {
    for (const opt of arg.split(/\s+/).filter(Boolean)) {
      if (opt === 'number' || opt === 'nu') s.number = true
      else if (opt === 'nonumber' || opt === 'nonu') s.number = false
      else if (opt === 'number!' || opt === 'nu!' || opt === 'invnumber' || opt === 'invnu')
        s.number = !s.number
      else if (
        /^(no)?(paste|list|hlsearch|hls|ignorecase|ic|autoindent|ai|expandtab|et|syntax|ruler|ru)$/.test(
          opt,
        ) ||
        /^(tabstop|ts|shiftwidth|sw|softtabstop|sts)=\d+$/.test(opt)
      ) {
        // Accepted and ignored: they change nothing the simulator draws.
      } else {
        s.error(`E518: Unknown option: ${opt}`)
        return undefined
      }
    }
    return undefined
  }
  if (is('nohlsearch', 3) || is('syntax', 2) || is('filetype', 5)) return undefined
  if (is('edit', 1) && bang && !arg) {
    s.error('E37: No write since last change (add ! to override)')
    return undefined
  }
  if (is('undo', 1)) {
    s.undo()
    return undefined
  }
  if (is('redo', 3)) {
    s.redo()
    return undefined
  }
  s.error(`E492: Not an editor command: ${text}`)
  return undefined
}

/** `:s` on a range (`%`, `a,b`, `N` or the cursor line) with vim's replacement syntax (\\1, &, \\n). */
function substitute(s: VimState, range: string | undefined, sep: string, rest: string): undefined {
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
  const wanted = pattern || s.lastSearch?.pattern || ''
  const re = vimRegex(wanted, flags.includes('g') ? 'g' : '')
  if (!re || !wanted) {
    s.error(`E486: Pattern not found: ${wanted}`)
    return undefined
  }
  let from = s.row
  let to = s.row
  if (range === '%') {
    from = 0
    to = s.lines.length - 1
  } else if (range && /^\d+,\d+$/.test(range)) {
    const [a, b] = range.split(',').map(Number) as [number, number]
    from = Math.max(0, a - 1)
    to = Math.min(s.lines.length - 1, b - 1)
  } else if (range && /^\d+$/.test(range)) {
    from = to = Math.max(0, Math.min(s.lines.length - 1, Number(range) - 1))
  }
  const jsReplacement = replacement
    .replace(/\\(\d)/g, '$$$1')
    .replace(/&/g, '$$&')
    .replace(/\\&/g, '&')
    .replace(/\\n/g, '\n')
  let count = 0
  let linesChanged = 0
  let lastRow = s.row
  const next: string[] = []
  let cost = 0
  let snapshotTaken = false
  for (let r = 0; r < s.lines.length; r++) {
    const line = s.lines[r] as string
    if (r < from || r > to || !re.test(line)) {
      re.lastIndex = 0
      next.push(line)
      cost += line.length + LINE_COST
      continue
    }
    re.lastIndex = 0
    if (!snapshotTaken) {
      s.snapshot()
      snapshotTaken = true
    }
    const matches = line.match(new RegExp(re.source, `${re.flags.replace('g', '')}g`))?.length ?? 0
    count += re.flags.includes('g') ? matches : 1
    linesChanged++
    lastRow = next.length
    const replaced = line.replace(re, jsReplacement)
    cost += replaced.length + LINE_COST * (1 + newlines(replaced))
    if (cost > EDITOR_BUDGET) {
      // A `\n` for every character of a huge line: vim's answer when memory runs out, and no change.
      s.error(`E342: Out of memory!  (allocating ${cost} bytes)`)
      return undefined
    }
    pushLines(next, replaced.split('\n'))
  }
  if (count === 0) {
    s.error(`E486: Pattern not found: ${wanted}`)
    return undefined
  }
  s.lines = next
  s.row = lastRow
  s.col = s.firstNonBlank()
  s.changed()
  if (count > 2 || linesChanged > 2)
    s.info(
      `${count} substitution${count === 1 ? '' : 's'} on ${linesChanged} line${linesChanged === 1 ? '' : 's'}`,
    )
  return undefined
}

function newlines(text: string): number {
  let n = 0
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) n++
  return n
}

/** Write the buffer in one write and report it as vim does. */
async function save(s: VimState, name: string): Promise<boolean> {
  const content = s.lines.length === 1 && s.lines[0] === '' && s.isNew ? '' : `${s.lines.join('\n')}\n`
  const err = await s.io.write(name, content)
  if (err) {
    s.error(err)
    return false
  }
  const wasNew = s.isNew || name !== s.name
  if (!s.name) s.name = name
  if (name === s.name) {
    s.modified = false
    s.isNew = false
    // Writing the buffer to its own file with ! takes 'readonly' off, as in vim.
    s.readonly = false
  }
  const lineCount = content === '' ? 0 : s.lines.length
  s.info(`"${name}"${wasNew ? ' [New]' : ''} ${lineCount}L, ${byteLength(content)}B written`)
  return true
}
