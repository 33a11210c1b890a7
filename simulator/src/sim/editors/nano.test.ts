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
