import { describe, expect, it } from 'vitest'
import { KeyDecoder } from '../shell/keys'
import { Nano } from './nano'

function nano(content: string) {
  const n = new Nano('f', content, { write: async () => undefined })
  const decoder = new KeyDecoder()
  const type = (s: string) => n.keys(decoder.feed(s))
  return { n, type }
}

const SIZE = { cols: 80, rows: 24 }

async function slowest(type: (s: string) => unknown, n: Nano, keys: string[]): Promise<number> {
  let worst = 0
  for (const k of keys) {
    const t = performance.now()
    await type(k)
    n.render(SIZE)
    worst = Math.max(worst, performance.now() - t)
  }
  return worst
}

// Alt+\ and Alt+/ (first and last line), Ctrl+K (cut), Ctrl+U (paste), typing.
const KEYS = ['\x1b/', '\x1b\\', '\x1b/', 'x', '\x0b', '\x15', '\x1b[A', '\x1b[B']

describe('nano on big files and wide characters', () => {
  it.each([20_000, 100_000])('every keystroke on a %i-line file costs about a screenful', async (lines) => {
    const { n, type } = nano(`${Array.from({ length: lines }, (_, i) => String(i + 1)).join('\n')}\n`)
    expect(n.status).toBe(`[ Read ${lines} lines ]`)
    const worst = await slowest(type, n, KEYS)
    // Bounded by the screen, with room for a busy machine; the work per key does not grow with the file.
    expect(worst).toBeLessThan(lines > 50_000 ? 500 : 200)
  })

  it('a 16 MB one-line file redraws only the columns on screen', async () => {
    const { n, type } = nano(`${'y'.repeat(16 * 1024 * 1024)}\n`)
    const worst = await slowest(type, n, ['\x05', '\x01', '\x1b[C', 'x'])
    expect(worst).toBeLessThan(1500)
    expect(n.render(SIZE)).toContain(`yx${'y'.repeat(77)}>`)
  })

  it('cuts a long line of wide characters by display width', () => {
    const { n } = nano('日本語のテキストを編集する日本語のテキストを編集する日本語のテキストを編集する\n')
    const screen = n.render({ cols: 20, rows: 8 })
    // Twenty cells: nine wide characters, then the '>' that marks the cut.
    expect(screen).toContain('\x1b[2;1H\x1b[2K日本語のテキストを>')
  })
})

describe('nano past the memory budget', () => {
  it('leaves with "Nano is out of memory!" and writes the modified buffer to <name>.save', async () => {
    const writes: Array<{ name: string; content: string }> = []
    const existing = new Set(['f.save'])
    const n = new Nano(
      'f',
      'one\ntwo\n',
      {
        write: async (name, content) => {
          writes.push({ name, content })
          return undefined
        },
        exists: async (name) => existing.has(name),
      },
      undefined,
      400,
    )
    const decoder = new KeyDecoder()
    const type = (s: string) => n.keys(decoder.feed(s))
    expect(await type('\x0b\x0b')).toBeUndefined()
    let code: number | undefined
    for (let i = 0; i < 20 && code === undefined; i++) code = await type('\x15')
    // As nano 7.2 does on a fatal error with a modified buffer (seen with SIGTERM on Debian 12).
    expect(code).toBe(1)
    expect(n.exitMessage).toBe('Nano is out of memory!\n\nBuffer written to f.save.1\n')
    expect(writes).toHaveLength(1)
    expect(writes[0]?.name).toBe('f.save.1')
    expect(writes[0]?.content.startsWith('one\ntwo\none\ntwo\n')).toBe(true)
  })

  it('does not start on a file past the budget', () => {
    const n = new Nano('f', 'y\n'.repeat(100), { write: async () => undefined }, undefined, 1000)
    expect(n.outOfMemory).toBe(true)
    expect(
      new Nano('f', 'y\n'.repeat(10), { write: async () => undefined }, undefined, 1000).outOfMemory,
    ).toBe(false)
  })
})

describe('nano paste', () => {
  it('pastes lines as typing them would, a 256 KB line in one edit', async () => {
    const byKey = nano('head tail\n')
    const pasted = nano('head tail\n')
    await byKey.type('\x1b[C'.repeat(5))
    await pasted.type('\x1b[C'.repeat(5))
    for (const ch of 'one 日本\ntwo\r') await byKey.type(ch === '\n' || ch === '\r' ? '\r' : ch)
    await pasted.type('\x1b[200~one 日本\ntwo\r\x1b[201~')
    expect(pasted.n.lines).toEqual(byKey.n.lines)
    expect(pasted.n.lines.slice(0, 3)).toEqual(['head one 日本', 'two', 'tail'])
    const { n, type } = nano('a\n')
    const t = performance.now()
    await type(`\x1b[200~${'z'.repeat(256 * 1024)}\x1b[201~`)
    n.render(SIZE)
    // A copy of the line per character took 1.7 s for 64 KB (about 28 s for 256 KB).
    expect(performance.now() - t).toBeLessThan(2000)
    expect(n.lines[0]).toHaveLength(256 * 1024 + 1)
  })
})
