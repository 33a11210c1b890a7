import type { TerminalStream } from '../seam'

// Types a script into a terminal the way a learner would: one line, Enter,
// wait for the prompt (or the continuation prompt of a multi-line construct),
// next line. What the terminal showed is kept as a transcript.

const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][A-Z0-9]|\x1b[=>78]/g
/** The escapes that move the cursor along a line or erase its end; every other escape is dropped. */
const LINE_CSI = /^\x1b\[(\d*)([CDKJG])$/

/**
 * Terminal output as plain text, one terminal line per text line: escapes
 * removed, and the line editing a terminal applies (carriage return, cursor
 * forward/back, erase to the end of the line, backspace) applied per line, so
 * a prompt redrawn in place or a line continued after a cursor move reads as
 * it looked.
 */
export function plainText(raw: string): string {
  return raw
    .split('\n')
    .map((line) => {
      const cells: string[] = []
      let col = 0
      let last = 0
      const put = (text: string) => {
        for (const ch of text.replace(/[\x00-\x07\x0b-\x1f\x7f]/g, '')) cells[col++] = ch
      }
      const control = (text: string) => {
        for (const part of text.split(/(\r|\x08)/)) {
          if (part === '\r') col = 0
          else if (part === '\x08') col = Math.max(0, col - 1)
          else put(part)
        }
      }
      for (const m of line.matchAll(ANSI)) {
        control(line.slice(last, m.index))
        last = (m.index ?? 0) + m[0].length
        const csi = LINE_CSI.exec(m[0])
        if (!csi) continue
        const n = csi[1] ? Number(csi[1]) : 0
        if (csi[2] === 'C') col += Math.max(1, n)
        else if (csi[2] === 'D') col = Math.max(0, col - Math.max(1, n))
        else if (csi[2] === 'G') col = Math.max(0, n - 1)
        else if (n === 0) cells.length = Math.min(cells.length, col)
        else if (csi[2] === 'K' && n === 2) cells.fill(' ')
      }
      control(line.slice(last))
      return Array.from(cells, (c) => c ?? ' ').join('')
    })
    .join('\n')
}

/** A primary prompt (user@host:dir# ) or bash's continuation prompt. */
export const PROMPT = /(^|\n)(\S+@[^\s:]+:[^\n]*[#$] |> )$/

export interface TypeOptions {
  /** Called between lines (after the prompt returned): let time pass, evaluate triggers. */
  between?: (line: string, index: number) => Promise<string | undefined>
  /** Real-time limit for one line to bring the prompt back. */
  lineTimeoutMs?: number
}

export interface TypeResult {
  transcript: string
  /** Lines that never got their prompt back (the script stopped there). */
  stuckAt?: { index: number; line: string }
}

export class ScriptTyper {
  private raw = ''
  private waiters: Array<() => void> = []
  private dispose: () => void

  constructor(private readonly term: TerminalStream) {
    this.dispose = term.onData((d) => {
      this.raw += typeof d === 'string' ? d : new TextDecoder().decode(d)
      for (const w of this.waiters.splice(0)) w()
    })
  }

  get transcript(): string {
    return plainText(this.raw)
  }

  /** Inserts a line of our own into the transcript (e.g. a trigger's notice). */
  note(text: string): void {
    this.raw += `\r\n${text.replace(/\n/g, '\r\n')}\r\n`
  }

  private async waitForPrompt(since: number, timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs
    for (;;) {
      const text = plainText(this.raw.slice(since))
      if (PROMPT.test(text)) {
        // A prompt-looking line could be mid-output: wait for a quiet moment first.
        const len = this.raw.length
        await new Promise((r) => setImmediate(r))
        if (this.raw.length === len) return true
        continue
      }
      const left = deadline - Date.now()
      if (left <= 0) return false
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.min(left, 200))
        this.waiters.push(() => {
          clearTimeout(t)
          resolve()
        })
      })
    }
  }

  async ready(timeoutMs = 10_000): Promise<boolean> {
    return this.waitForPrompt(0, timeoutMs)
  }

  async type(script: string, o: TypeOptions = {}): Promise<TypeResult> {
    const lines = script.replace(/\r\n/g, '\n').replace(/\n$/, '').split('\n')
    for (const [i, line] of lines.entries()) {
      const since = this.raw.length
      this.term.write(`${line}\r`)
      const ok = await this.waitForPrompt(since, o.lineTimeoutMs ?? 60_000)
      if (!ok) {
        this.dispose()
        return { transcript: this.transcript, stuckAt: { index: i, line } }
      }
      const notice = await o.between?.(line, i)
      if (notice) this.note(notice)
    }
    this.dispose()
    return { transcript: this.transcript }
  }
}
