import { describe, expect, it } from 'vitest'
import { LineRenderer } from './render'

const PROMPT = 'root@controlplane:~# '

describe('line renderer', () => {
  it('sends a few bytes per key when typing at the end of a 100 KB line', () => {
    const r = new LineRenderer()
    let text = 'x'.repeat(100 * 1024)
    const first = r.draw({ prompt: PROMPT, text, cursor: text.length }, 80)
    expect(first.length).toBeGreaterThan(100 * 1024)
    let bytes = 0
    for (const ch of 'kubectl get pods') {
      text += ch
      bytes += new TextEncoder().encode(r.draw({ prompt: PROMPT, text, cursor: text.length }, 80)).length
    }
    // 16 keys; a whole-line redraw would be 16 × 100 KB.
    expect(bytes / 16).toBeLessThan(8)
  })

  it('editing in the middle rewrites from the change on, not the start of the line', () => {
    const r = new LineRenderer()
    const text = 'a'.repeat(1000) + 'b'.repeat(100)
    r.draw({ prompt: PROMPT, text, cursor: 1000 }, 80)
    const out = r.draw(
      { prompt: PROMPT, text: `${text.slice(0, 1000)}X${text.slice(1000)}`, cursor: 1001 },
      80,
    )
    expect(out).toContain(`X${'b'.repeat(100)}`)
    expect(out.length).toBeLessThan(200)
  })

  it('draws in full after a reset, a new prompt or a new width', () => {
    const r = new LineRenderer()
    r.draw({ prompt: PROMPT, text: 'echo hi', cursor: 7 }, 80)
    expect(r.draw({ prompt: PROMPT, text: 'echo hi', cursor: 7 }, 40)).toContain(`${PROMPT}echo hi`)
    expect(r.draw({ prompt: '> ', text: 'echo hi', cursor: 7 }, 40)).toContain('> echo hi')
    r.reset()
    expect(r.draw({ prompt: '> ', text: 'echo hi', cursor: 7 }, 40)).toContain('> echo hi')
  })
})
