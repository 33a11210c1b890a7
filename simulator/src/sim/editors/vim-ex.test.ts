import { describe, expect, it } from 'vitest'
import { exCommand } from './vim-ex'
import { VimState } from './vim-state'

function state(lines: string[]) {
  const writes: Array<{ name: string; content: string }> = []
  const s = new VimState(lines, 'f', false, {
    write: async (name, content) => {
      writes.push({ name, content })
      return undefined
    },
  })
  return { s, writes }
}

describe('vim ex commands', () => {
  it(':s on a range with \\1 and &, then :w reports lines and bytes', async () => {
    const { s, writes } = state(['key=1', 'key=2', 'other=3'])
    await exCommand(s, '1,2s/\\(key\\)=\\(\\d\\)/&:\\2/')
    expect(s.lines).toEqual(['key=1:1', 'key=2:2', 'other=3'])
    await exCommand(s, 'w')
    expect(writes).toEqual([{ name: 'f', content: 'key=1:1\nkey=2:2\nother=3\n' }])
    expect(s.message).toBe('"f" 3L, 24B written')
  })

  it('knows its errors: E37, E518, E492', async () => {
    const { s } = state(['a'])
    s.modified = true
    expect(await exCommand(s, 'q')).toBeUndefined()
    expect(s.message).toBe('E37: No write since last change (add ! to override)')
    await exCommand(s, 'set frob')
    expect(s.message).toBe('E518: Unknown option: frob')
    await exCommand(s, 'frob')
    expect(s.message).toBe('E492: Not an editor command: frob')
    expect(await exCommand(s, 'q!')).toBe(0)
  })
})
