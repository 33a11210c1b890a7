import xtermHeadless from '@xterm/headless'
import { describe, expect, it } from 'vitest'
import { LineRenderer } from '../../simulator/src/sim/shell/render'

// The line renderer's incremental redraws, played into a real (headless) xterm:
// after any sequence of edits the screen and cursor are what a full redraw shows.

const { Terminal } = xtermHeadless

function write(term: InstanceType<typeof Terminal>, data: string): Promise<void> {
  return new Promise((resolve) => term.write(data.replace(/\n/g, '\r\n').replace(/\r\r\n/g, '\r\n'), resolve))
}

function screen(term: InstanceType<typeof Terminal>): { text: string; x: number; y: number } {
  const buf = term.buffer.active
  const lines: string[] = []
  for (let i = 0; i < buf.length; i++) lines.push(buf.getLine(i)?.translateToString(true) ?? '')
  while (lines.length && lines[lines.length - 1] === '') lines.pop()
  return { text: lines.join('\n'), x: buf.cursorX, y: buf.cursorY + buf.baseY }
}

/** A small deterministic random source, so a failure can be replayed. */
function random(seed: number): () => number {
  let s = seed
  return () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff
    return s / 0x7fffffff
  }
}

describe('incremental line redraw in xterm', () => {
  it('matches a full redraw after random inserts, deletes and cursor moves on a wrapping line', async () => {
    const cols = 20
    const prompt = 'root@cp:~# '
    const next = random(7)
    const live = new Terminal({ cols, rows: 30, allowProposedApi: true })
    const renderer = new LineRenderer()
    let text = ''
    let cursor = 0
    await write(live, renderer.draw({ prompt, text, cursor }, cols))
    for (let step = 0; step < 300; step++) {
      const op = next()
      if (op < 0.5) {
        const ch = String.fromCharCode(97 + Math.floor(next() * 26))
        text = text.slice(0, cursor) + ch + text.slice(cursor)
        cursor++
      } else if (op < 0.7 && cursor > 0) {
        text = text.slice(0, cursor - 1) + text.slice(cursor)
        cursor--
      } else if (op < 0.8) {
        text = text.slice(0, cursor) + text.slice(cursor + 3)
      } else {
        cursor = Math.floor(next() * (text.length + 1))
      }
      if (text.length > 90) text = text.slice(0, 60)
      cursor = Math.min(cursor, text.length)
      await write(live, renderer.draw({ prompt, text, cursor }, cols))
      const fresh = new Terminal({ cols, rows: 30, allowProposedApi: true })
      await write(fresh, new LineRenderer().draw({ prompt, text, cursor }, cols))
      expect(screen(live), `step ${step}`).toEqual(screen(fresh))
      fresh.dispose()
    }
    live.dispose()
  })
})
