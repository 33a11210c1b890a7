import { describe, expect, it } from 'vitest'
import { incompleteUtf8Tail, Utf8ChunkAligner } from './utf8'

const enc = new TextEncoder()

describe('UTF-8 chunk alignment', () => {
  it('measures an incomplete tail', () => {
    expect(incompleteUtf8Tail(enc.encode('abc'))).toBe(0)
    expect(incompleteUtf8Tail(enc.encode('é').subarray(0, 1))).toBe(1)
    expect(incompleteUtf8Tail(enc.encode('a€').subarray(0, 3))).toBe(2)
    expect(incompleteUtf8Tail(enc.encode('😀'))).toBe(0)
    expect(incompleteUtf8Tail(enc.encode('😀').subarray(0, 3))).toBe(3)
  })

  it('re-joins a character split across every possible boundary', () => {
    const text = 'ok ✓ 😀 é!'
    const bytes = enc.encode(text)
    for (let cut = 0; cut <= bytes.length; cut++) {
      const a = new Utf8ChunkAligner()
      const dec = new TextDecoder('utf-8', { fatal: true })
      const out =
        dec.decode(a.push(bytes.subarray(0, cut))) +
        dec.decode(a.push(bytes.subarray(cut))) +
        dec.decode(a.flush())
      expect(out).toBe(text)
    }
  })
})
