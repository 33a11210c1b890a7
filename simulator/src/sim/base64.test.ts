import { describe, expect, it } from 'vitest'
import { base64ToBytes, bytesToBase64 } from './base64'

describe('base64', () => {
  it('matches the standard encoding and round-trips every byte value', () => {
    expect(bytesToBase64(new TextEncoder().encode('etcd'))).toBe('ZXRjZA==')
    const all = Uint8Array.from({ length: 256 }, (_, i) => i)
    expect(base64ToBytes(bytesToBase64(all))).toEqual(all)
  })

  it('takes arrays larger than one fromCharCode call can', () => {
    const big = new Uint8Array(1024 * 1024).map((_, i) => i % 251)
    const back = base64ToBytes(bytesToBase64(big))
    // Compared by hand: a deep equality over a million elements is slow.
    expect(back.length).toBe(big.length)
    expect(back.every((b, i) => b === big[i])).toBe(true)
  })

  it('refuses text that is not base64', () => {
    expect(() => base64ToBytes('not base64!')).toThrow()
  })
})
