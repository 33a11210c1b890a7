import { parse } from 'just-bash'

// Decides whether typed text is a whole command or needs more lines (the
// `> ` continuation prompt), and turns real syntax errors into bash's words.

export type ParseVerdict = { kind: 'complete' } | { kind: 'incomplete' } | { kind: 'error'; message: string }

/** Heredoc delimiters opened in `text` and not yet closed by a line of their own. */
export function openHeredocs(text: string): string[] {
  const pending: Array<{ word: string; strip: boolean }> = []
  for (const line of text.split('\n')) {
    const head = pending[0]
    if (head) {
      const candidate = head.strip ? line.replace(/^\t+/, '') : line
      if (candidate === head.word) pending.shift()
      continue
    }
    pending.push(...heredocsInLine(line))
  }
  return pending.map((p) => p.word)
}

/** The `<<WORD` / `<<-WORD` / `<<'WORD'` operators of one line, outside quotes and comments. */
function heredocsInLine(line: string): Array<{ word: string; strip: boolean }> {
  const out: Array<{ word: string; strip: boolean }> = []
  let quote: string | undefined
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string
    if (quote) {
      if (c === quote) quote = undefined
      else if (c === '\\' && quote === '"') i++
      continue
    }
    if (c === '\\') {
      i++
      continue
    }
    if (c === "'" || c === '"') {
      quote = c
      continue
    }
    if (c === '#' && (i === 0 || /[\s;|&(]/.test(line[i - 1] as string))) break
    if (c === '<' && line[i + 1] === '<' && line[i + 2] !== '<' && line[i - 1] !== '<') {
      let j = i + 2
      let strip = false
      if (line[j] === '-') {
        strip = true
        j++
      }
      while (line[j] === ' ' || line[j] === '\t') j++
      const m = /^(?:'([^']*)'|"([^"]*)"|\\?([A-Za-z0-9_.-]+))/.exec(line.slice(j))
      const word = m ? (m[1] ?? m[2] ?? m[3]) : undefined
      if (m && word !== undefined) {
        out.push({ word, strip })
        i = j + m[0].length - 1
      } else i = j - 1
    }
  }
  return out
}

/** True when the last line ends in an unescaped backslash (line continuation). */
function endsWithContinuation(text: string): boolean {
  const lastLine = text.split('\n').pop() ?? ''
  const m = /\\+$/.exec(lastLine)
  if (!m || m[0].length % 2 === 0) return false
  // Inside single quotes a backslash is literal.
  let single = false
  for (const c of lastLine.slice(0, -1)) if (c === "'") single = !single
  return !single
}

export function judgeInput(text: string): ParseVerdict {
  if (openHeredocs(text).length > 0) return { kind: 'incomplete' }
  if (endsWithContinuation(text)) return { kind: 'incomplete' }
  const trimmed = text.replace(/\s+$/, '')
  if (/(\|\||&&|\|)$/.test(trimmed) && !/\\(\|\||&&|\|)$/.test(trimmed)) return { kind: 'incomplete' }
  try {
    parse(text)
    return { kind: 'complete' }
  } catch (err) {
    const e = err as { message?: string; line?: number; column?: number }
    const message = String(e?.message ?? err)
    if (/got EOF|unexpected EOF/.test(message)) return { kind: 'incomplete' }
    const lines = text.split('\n')
    const lastLine = lines.length
    const lastCol = (lines[lines.length - 1] ?? '').length + 1
    if (
      e.line !== undefined &&
      e.column !== undefined &&
      (e.line > lastLine || (e.line === lastLine && e.column >= lastCol))
    )
      return { kind: 'incomplete' }
    return { kind: 'error', message: bashSyntaxError(message) }
  }
}

/** just-bash's parser messages, reworded the way bash prints them. */
export function bashSyntaxError(message: string): string {
  const m = /syntax error near unexpected token `([^']*)'/.exec(message)
  if (m) return `bash: syntax error near unexpected token \`${m[1]}'`
  const eof = /unexpected EOF while looking for matching `(.)'/.exec(message)
  if (eof) return `bash: unexpected EOF while looking for matching \`${eof[1]}'`
  const stripped = message.replace(/^Parse error at \d+:\d+: /, '').replace(/^line \d+: /, '')
  return `bash: syntax error: ${stripped}`
}
