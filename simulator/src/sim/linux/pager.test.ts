import { describe, expect, it } from 'vitest'
import { KeyDecoder } from '../shell/keys'
import { Pager } from './pager'

const SIZE = { cols: 80, rows: 24 }

describe('less', () => {
  it('lays out only the columns on screen: a 16 MB line costs a screenful per key', () => {
    const p = new Pager([{ name: 'big', lines: ['y'.repeat(16 * 1024 * 1024), 'second'] }], 'less')
    const decoder = new KeyDecoder()
    let worst = 0
    for (const k of ['', 'j', 'k', 'G', 'g']) {
      const t = performance.now()
      p.keys(decoder.feed(k), SIZE)
      const screen = p.render(SIZE)
      worst = Math.max(worst, performance.now() - t)
      expect(screen).toContain('y'.repeat(80))
      expect(screen).not.toContain('y'.repeat(81))
    }
    // Expanding the whole line on every key took 12–16 s and 2 GB here.
    expect(worst).toBeLessThan(1500)
  })

  it('expands tabs and gives wide characters two cells', () => {
    const p = new Pager([{ name: 'w', lines: ['a\tb', '日本語'.repeat(20)] }], 'less')
    const screen = p.render(SIZE)
    expect(screen).toContain('a       b\r\n')
    // Forty wide characters fill the 80 columns.
    expect(screen).toContain(`${'日本語'.repeat(13)}日\r\n`)
  })
})
