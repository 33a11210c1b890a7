import type { TerminalStream } from '../seam'

// Types a script into a terminal the way a learner would: one line, Enter,
// wait for the prompt (or the continuation prompt of a multi-line construct),
// next line. What the terminal showed is kept as a transcript.

const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][A-Z0-9]|\x1b[=>78]/g

/** Terminal output as plain text: escapes removed, carriage returns applied per line. */
export function plainText(raw: string): string {
  const noAnsi = raw.replace(ANSI, '')
  return noAnsi
    .split('\n')
    .map((line) => {
      const trimmed = line.replace(/\r+$/, '')
      const parts = trimmed.split('\r')
      // A bare CR returns to column 0: later text overwrites earlier text.
      let out = ''
      for (const p of parts) out = p + out.slice(p.length)
      return out.replace(/[\x00-\x08\x0b-\x1f\x7f]/g, '')
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
