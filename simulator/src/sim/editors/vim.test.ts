import { describe, expect, it } from 'vitest'
import { KeyDecoder } from '../shell/keys'
import { Vim, vimRegex } from './vim'

function vim(lines: string[], name = 'f.yaml') {
  const writes: Array<{ name: string; content: string }> = []
  const v = new Vim(
    { name, lines, isNew: false },
    {
      write: async (n, content) => {
        writes.push({ name: n, content })
        return undefined
      },
    },
  )
  const decoder = new KeyDecoder()
  const type = (s: string) => v.keys(decoder.feed(s))
  return { v, writes, type }
}

describe('vim', () => {
  it('announces the file and shows the ruler', () => {
    const { v } = vim(['a', 'b'])
    expect(v.message).toBe('"f.yaml" 2L, 4B')
    expect(v.ruler(22)).toMatch(/^1,1\s+All$/)
  })

  it('dd, p, x, dw, cw, A and undo', async () => {
    const { v, type } = vim(['one two three', 'second'])
    await type('dw')
    expect(v.lines[0]).toBe('two three')
    await type('cwTWO\x1b')
    expect(v.lines[0]).toBe('TWO three')
    await type('ddp')
    expect(v.lines).toEqual(['second', 'TWO three'])
    await type('ggx')
    expect(v.lines[0]).toBe('econd')
    await type('A!\x1b')
    expect(v.lines[0]).toBe('econd!')
    await type('uuu')
    expect(v.lines).toEqual(['second'])
    await type('\x12')
    expect(v.lines).toEqual(['second', 'TWO three'])
  })

  it('refuses :q when modified, quits with :q!, writes once with :wq', async () => {
    const { v, writes, type } = vim(['x'])
    await type('ix\x1b')
    expect(await type(':q\r')).toBeUndefined()
    expect(v.message).toBe('E37: No write since last change (add ! to override)')
    expect(await type(':wq\r')).toBe(0)
    expect(writes).toEqual([{ name: 'f.yaml', content: 'xx\n' }])
    const other = vim(['y'])
    await other.type('dd')
    expect(await other.type(':q!\r')).toBe(0)
    expect(other.writes).toHaveLength(0)
  })

  it('substitutes across the file and reports unknown commands', async () => {
    const { v, type } = vim(['- --data-dir=/var/lib/etcd', '  path: /var/lib/etcd', 'other'])
    await type(':%s#/var/lib/etcd#/var/lib/etcd-backup#g\r')
    expect(v.lines).toEqual(['- --data-dir=/var/lib/etcd-backup', '  path: /var/lib/etcd-backup', 'other'])
    await type(':frob\r')
    expect(v.message).toBe('E492: Not an editor command: frob')
    await type('/nothere\r')
    expect(v.message).toBe('E486: Pattern not found: nothere')
  })

  it('searches with / and n, jumps with :N and G, numbers lines', async () => {
    const { v, type } = vim(['a', 'key: 1', 'b', 'key: 2'])
    await type('/key\r')
    expect(v.row).toBe(1)
    await type('n')
    expect(v.row).toBe(3)
    await type(':1\r')
    expect(v.row).toBe(0)
    await type('G')
    expect(v.row).toBe(3)
    await type(':set nu\r')
    expect(v.number).toBe(true)
    expect(v.render({ cols: 40, rows: 10 })).toContain('  1 ')
  })

  it('converts vim patterns', () => {
    expect(vimRegex('a\\(b\\)\\+')?.source).toBe('a(b)+')
    expect(vimRegex('(x)')?.test('(x)')).toBe(true)
    expect(vimRegex('\\<key\\>')?.test('a key b')).toBe(true)
  })
})
