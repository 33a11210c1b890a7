// Seeded randomness, so two simulated clusters built with the same seed are
// identical down to certificate bytes and container ids.

export type Rng = () => number

/** mulberry32: tiny, fast, good enough for ids and filler bytes. */
export function createRng(seed: number): Rng {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** A stable 32-bit seed from any string. */
export function seedFrom(text: string): number {
  let h = 2166136261
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 16777619)
  }
  return h >>> 0
}

export function randomBytes(rng: Rng, length: number): Uint8Array {
  const out = new Uint8Array(length)
  for (let i = 0; i < length; i++) out[i] = Math.floor(rng() * 256)
  return out
}

export function randomHex(rng: Rng, chars: number): string {
  let s = ''
  for (let i = 0; i < chars; i++) s += Math.floor(rng() * 16).toString(16)
  return s
}
