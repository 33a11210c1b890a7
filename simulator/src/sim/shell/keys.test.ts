import { describe, expect, it } from 'vitest'
import { displayWidth, KeyDecoder } from './keys'

describe('KeyDecoder', () => {
  it('decodes text, control keys, arrows and modifiers', () => {
    const d = new KeyDecoder()
    expect(d.feed('ab\x01\r\x7f\t\x1b[A\x1bOD\x1b[3~\x1b[1;5C\x1bb')).toEqual([
      { type: 'text', text: 'ab' },
      { type: 'ctrl', key: 'a' },
      { type: 'key', name: 'enter' },
      { type: 'key', name: 'backspace' },
      { type: 'key', name: 'tab' },
      { type: 'key', name: 'up', seq: '\x1b[A' },
      { type: 'key', name: 'left', seq: '\x1bOD' },
      { type: 'key', name: 'delete', seq: '\x1b[3~' },
      { type: 'key', name: 'right', ctrl: true, shift: false, alt: false, seq: '\x1b[1;5C' },
      { type: 'alt', key: 'b' },
    ])
  })

  it('joins an escape sequence and a UTF-8 character split across writes', () => {
    const d = new KeyDecoder()
    expect(d.feed('\x1b[')).toEqual([])
    expect(d.feed('B')).toEqual([{ type: 'key', name: 'down', seq: '\x1b[B' }])
    const bytes = new TextEncoder().encode('é')
    expect(d.feed(bytes.slice(0, 1))).toEqual([])
    expect(d.feed(bytes.slice(1))).toEqual([{ type: 'text', text: 'é' }])
  })

  it('treats a lone ESC as the Escape key and collects bracketed paste', () => {
    const d = new KeyDecoder()
    expect(d.feed('\x1b')).toEqual([{ type: 'key', name: 'escape', seq: '\x1b' }])
    expect(d.feed('\x1b[200~a\nb')).toEqual([])
    expect(d.feed('\x1b[20')).toEqual([])
    expect(d.feed('1~x')).toEqual([
      { type: 'paste', text: 'a\nb' },
      { type: 'text', text: 'x' },
    ])
  })

  it('never throws on random bytes', () => {
    const d = new KeyDecoder()
    let seed = 7
    for (let i = 0; i < 2000; i++) {
      const chunk = new Uint8Array(1 + (i % 13))
      for (let j = 0; j < chunk.length; j++) {
        seed = (seed * 1103515245 + 12345) & 0x7fffffff
        chunk[j] = (seed >> 16) & 0xff
      }
      expect(() => d.feed(chunk)).not.toThrow()
    }
  })

  it('measures wide characters as two cells', () => {
    expect(displayWidth('ab')).toBe(2)
    expect(displayWidth('日本')).toBe(4)
  })
})
