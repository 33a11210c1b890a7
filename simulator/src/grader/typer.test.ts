import { describe, expect, it } from 'vitest'
import type { TerminalStream } from '../seam'
import { PROMPT, plainText, ScriptTyper } from './typer'

/** A terminal that echoes lines and answers with a prompt, like a tiny shell (`> ` after a trailing backslash). */
function fakeTerminal(answer: (line: string) => string | undefined): TerminalStream & { typed: string[] } {
  const listeners = new Set<(d: Uint8Array) => void>()
  const emit = (s: string) =>
    setTimeout(() => {
      for (const l of listeners) l(new TextEncoder().encode(s))
    }, 1)
  let buf = ''
  const term = {
    typed: [] as string[],
    write(data: Uint8Array | string) {
      buf += typeof data === 'string' ? data : new TextDecoder().decode(data)
      while (buf.includes('\r')) {
        const line = buf.slice(0, buf.indexOf('\r'))
        buf = buf.slice(buf.indexOf('\r') + 1)
        term.typed.push(line)
        const out = answer(line)
        if (out === undefined) emit(`${line}\r\n`)
        else emit(`${line}\r\n${out}${line.endsWith('\\') ? '> ' : '\x1b[1mroot@cp:~# \x1b[0m'}`)
      }
    },
    onData(l: (d: Uint8Array) => void) {
      listeners.add(l)
      return () => listeners.delete(l)
    },
    onExit: () => () => {},
    resize() {},
    dispose() {},
  }
  emit('root@cp:~# ')
  return term
}

describe('ScriptTyper', () => {
  it('types line by line, waiting for the prompt or the continuation prompt', async () => {
    const term = fakeTerminal((l) => (l.startsWith('echo ') ? `${l.slice(5)}\r\n` : ''))
    const typer = new ScriptTyper(term)
    expect(await typer.ready()).toBe(true)
    const between: string[] = []
    const r = await typer.type('echo a \\\n  b\necho c\n', {
      between: async (line) => {
        between.push(line)
        return line === 'echo c' ? '[ckalab] notice' : undefined
      },
    })
    expect(term.typed).toEqual(['echo a \\', '  b', 'echo c'])
    expect(between).toEqual(['echo a \\', '  b', 'echo c'])
    expect(r.stuckAt).toBeUndefined()
    expect(r.transcript).toContain('root@cp:~# echo c\nc\nroot@cp:~# ')
    expect(r.transcript).toContain('[ckalab] notice')
  })

  it('stops and says where when a line never gives the prompt back', async () => {
    const term = fakeTerminal((l) => (l === 'hang' ? undefined : ''))
    const typer = new ScriptTyper(term)
    await typer.ready()
    const r = await typer.type('true\nhang\nnever', { lineTimeoutMs: 100 })
    expect(r.stuckAt).toEqual({ index: 1, line: 'hang' })
    expect(term.typed).toEqual(['true', 'hang'])
  })

  it('reads terminal output as plain text', () => {
    expect(plainText('\x1b[?2004h\r\x1b[Jroot@controlplane:~# \r\x1b[21C')).toBe('root@controlplane:~# ')
    expect(plainText('50%\r100%\r\n')).toBe('100%\n')
    // A line continued after a cursor move (the shell redraws only what changed).
    expect(plainText('\r\x1b[Jroot@controlplane:~# \r\x1b[21Cetcdutl ver\x1b[3Dxx\x1b[K\r\n')).toBe(
      'root@controlplane:~# etcdutl xx\n',
    )
    expect(plainText('abc\x08\x08Z\r\n')).toBe('aZc\n')
    expect(PROMPT.test('x\nroot@controlplane:/opt/backup# ')).toBe(true)
    expect(PROMPT.test('x\n> ')).toBe(true)
    expect(PROMPT.test('# comment line')).toBe(false)
  })
})
