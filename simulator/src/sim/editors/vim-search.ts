import type { VimState } from './vim-state'

// vim's patterns and / ? n N: a magic vim pattern turned into a JavaScript
// regular expression, and the search that wraps around the end of the file
// with vim's messages.

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

/** Move to the next match of `pattern` after (or before) the cursor, wrapping around the file. */
export function search(s: VimState, pattern: string, forward: boolean): void {
  const re = vimRegex(pattern)
  if (!re) {
    s.error(`E486: Pattern not found: ${pattern}`)
    return
  }
  const total = s.lines.length
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
    const r = forward ? (s.row + step) % total : (s.row - step + total) % total
    const line = s.lines[r] ?? ''
    let idx: number
    if (step === 0) idx = forward ? find(line, s.col + 1, line.length + 1, false) : find(line, 0, s.col, true)
    else if (step === total)
      idx = forward ? find(line, 0, s.col + 1, false) : find(line, s.col, line.length + 1, true)
    else idx = find(line, 0, line.length + 1, !forward)
    if (idx >= 0) {
      const wrapped = forward
        ? r < s.row || (r === s.row && step > 0)
        : r > s.row || (r === s.row && step > 0)
      s.row = r
      s.col = idx
      s.clamp()
      s.wantCol = s.col
      s.info(
        wrapped
          ? forward
            ? 'search hit BOTTOM, continuing at TOP'
            : 'search hit TOP, continuing at BOTTOM'
          : `${forward ? '/' : '?'}${pattern}`,
      )
      if (wrapped) s.messageIsError = true
      return
    }
  }
  s.error(`E486: Pattern not found: ${pattern}`)
}
