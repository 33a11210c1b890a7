// Turns the bytes a terminal sends into keys. Shared by the shell's line
// editor and the full-screen editors. Never throws: an unknown escape
// sequence becomes an `unknown` key that callers ignore, and a UTF-8 character
// or an escape sequence split across two writes is put back together.

export type KeyName =
  | 'enter'
  | 'tab'
  | 'backspace'
  | 'delete'
  | 'escape'
  | 'up'
  | 'down'
  | 'left'
  | 'right'
  | 'home'
  | 'end'
  | 'pageup'
  | 'pagedown'
  | 'insert'
  | 'unknown'

export type Key =
  /** Printable text (one or more characters, never control characters). */
  | { type: 'text'; text: string }
  /** Ctrl plus a letter (or one of @ [ \ ] ^ _), given as the lower-case letter or the symbol. */
  | { type: 'ctrl'; key: string }
  /** Alt (Meta) plus a character, sent as ESC followed by it. */
  | { type: 'alt'; key: string }
  | { type: 'key'; name: KeyName; ctrl?: boolean; shift?: boolean; alt?: boolean; seq?: string }
  /** The content of a bracketed paste. */
  | { type: 'paste'; text: string }

const PASTE_START = '\x1b[200~'
const PASTE_END = '\x1b[201~'

const CSI_TILDE: Record<string, KeyName> = {
  '1': 'home',
  '2': 'insert',
  '3': 'delete',
  '4': 'end',
  '5': 'pageup',
  '6': 'pagedown',
  '7': 'home',
  '8': 'end',
}

const CSI_FINAL: Record<string, KeyName> = {
  A: 'up',
  B: 'down',
  C: 'right',
  D: 'left',
  H: 'home',
  F: 'end',
  Z: 'tab',
}

function modifiers(param: string | undefined): { ctrl?: boolean; shift?: boolean; alt?: boolean } {
  const m = Number(param ?? '1') - 1
  if (!(m > 0)) return {}
  return { shift: (m & 1) !== 0, alt: (m & 2) !== 0, ctrl: (m & 4) !== 0 }
}

/** Decode one complete CSI sequence body (after ESC [) into a key. */
function csiKey(params: string, final: string, seq: string): Key {
  const parts = params.split(';')
  if (final === '~') {
    const name = CSI_TILDE[parts[0] ?? '']
    return name ? { type: 'key', name, ...modifiers(parts[1]), seq } : { type: 'key', name: 'unknown', seq }
  }
  const name = CSI_FINAL[final]
  if (!name) return { type: 'key', name: 'unknown', seq }
  if (final === 'Z') return { type: 'key', name: 'tab', shift: true, seq }
  return { type: 'key', name, ...modifiers(parts[1]), seq }
}

export class KeyDecoder {
  private decoder = new TextDecoder('utf-8', { fatal: false })
  private pending = ''
  private paste: string | undefined

  /** Feed raw input; returns the complete keys it contains. */
  feed(data: Uint8Array | string): Key[] {
    const text = typeof data === 'string' ? data : this.decoder.decode(data, { stream: true })
    this.pending += text
    const keys: Key[] = []
    try {
      this.drain(keys)
    } catch {
      // Decoding is best effort; garbage never reaches the caller as an exception.
      this.pending = ''
    }
    return keys
  }

  private drain(keys: Key[]): void {
    let s = this.pending
    let i = 0
    let textStart = -1
    const flushText = (end: number) => {
      if (textStart >= 0 && end > textStart) keys.push({ type: 'text', text: s.slice(textStart, end) })
      textStart = -1
    }
    while (i < s.length) {
      if (this.paste !== undefined) {
        const end = s.indexOf(PASTE_END, i)
        if (end < 0) {
          // Keep a possible partial end marker for the next write.
          let keep = 0
          for (let k = Math.min(PASTE_END.length - 1, s.length - i); k > 0; k--) {
            if (PASTE_END.startsWith(s.slice(s.length - k))) {
              keep = k
              break
            }
          }
          this.paste += s.slice(i, s.length - keep)
          s = s.slice(s.length - keep)
          this.pending = s
          return
        }
        this.paste += s.slice(i, end)
        keys.push({ type: 'paste', text: this.paste })
        this.paste = undefined
        i = end + PASTE_END.length
        continue
      }
      const c = s[i] as string
      const code = c.charCodeAt(0)
      if (c === '\x1b') {
        flushText(i)
        const rest = s.slice(i)
        if (rest.length === 1) {
          // A lone ESC at the end of a write is the Escape key: terminals send sequences whole.
          keys.push({ type: 'key', name: 'escape', seq: '\x1b' })
          i++
          continue
        }
        const next = rest[1] as string
        if (next === '[') {
          const m = /^\x1b\[([0-?]*)([ -/]*)([@-~])/.exec(rest)
          if (!m) {
            if (/^\x1b\[[0-?]*[ -/]*$/.test(rest) && rest.length < 32) {
              this.pending = rest
              return
            }
            keys.push({ type: 'key', name: 'unknown', seq: rest.slice(0, 2) })
            i += 2
            continue
          }
          const seq = m[0]
          if (seq === PASTE_START) {
            this.paste = ''
            i += seq.length
            continue
          }
          keys.push(csiKey(m[1] ?? '', m[3] ?? '', seq))
          i += seq.length
          continue
        }
        if (next === 'O') {
          if (rest.length < 3) {
            this.pending = rest
            return
          }
          const f = rest[2] as string
          const name = CSI_FINAL[f]
          keys.push(name ? { type: 'key', name, seq: rest.slice(0, 3) } : { type: 'key', name: 'unknown' })
          i += 3
          continue
        }
        if (next === '\x1b') {
          keys.push({ type: 'key', name: 'escape', seq: '\x1b' })
          i++
          continue
        }
        if (next === '\x7f' || next === '\b') {
          keys.push({ type: 'alt', key: 'backspace' })
          i += 2
          continue
        }
        const cp = rest.codePointAt(1) ?? 0
        const ch = String.fromCodePoint(cp)
        keys.push(cp < 0x20 ? { type: 'key', name: 'escape', seq: '\x1b' } : { type: 'alt', key: ch })
        i += cp < 0x20 ? 1 : 1 + ch.length
        continue
      }
      if (code < 0x20 || code === 0x7f) {
        flushText(i)
        if (c === '\r') {
          keys.push({ type: 'key', name: 'enter' })
          i += s[i + 1] === '\n' ? 2 : 1
        } else if (c === '\n') {
          keys.push({ type: 'key', name: 'enter' })
          i++
        } else if (c === '\t') {
          keys.push({ type: 'key', name: 'tab' })
          i++
        } else if (code === 0x7f || code === 0x08) {
          keys.push({ type: 'key', name: 'backspace' })
          i++
        } else if (code === 0) {
          keys.push({ type: 'ctrl', key: '@' })
          i++
        } else if (code <= 0x1a) {
          keys.push({ type: 'ctrl', key: String.fromCharCode(code + 96) })
          i++
        } else {
          keys.push({ type: 'ctrl', key: String.fromCharCode(code + 64) })
          i++
        }
        continue
      }
      if (code >= 0x80 && code < 0xa0) {
        // C1 controls: ignore, a terminal never sends them as text.
        flushText(i)
        i++
        continue
      }
      if (textStart < 0) textStart = i
      i++
    }
    flushText(s.length)
    this.pending = ''
  }
}

/** Visible width of a string on a terminal: wide East Asian characters take two cells. */
export function displayWidth(text: string): number {
  let w = 0
  for (const ch of text) w += charWidth(ch.codePointAt(0) ?? 0)
  return w
}

export function charWidth(cp: number): number {
  if (cp === 0) return 0
  if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) return 0
  if (cp >= 0x300 && cp <= 0x36f) return 0
  if (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf && cp !== 0x303f) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1f64f) ||
    (cp >= 0x1f900 && cp <= 0x1f9ff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  )
    return 2
  return 1
}
