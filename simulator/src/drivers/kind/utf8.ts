// Byte streams from a terminal can end in the middle of a UTF-8 character.
// Consumers that decode chunk by chunk would print U+FFFD twice instead of the
// character, so a chunk is cut at the last complete character and the rest is
// carried over to the next one.

/** Length of the incomplete UTF-8 sequence at the end of `buf` (0..3). */
export function incompleteUtf8Tail(buf: Uint8Array): number {
  const n = buf.length
  // A sequence is at most 4 bytes: look back at most 3 for its lead byte.
  for (let back = 1; back <= Math.min(3, n); back++) {
    const b = buf[n - back]!
    if ((b & 0xc0) === 0x80) continue // continuation byte: keep looking for the lead
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1
    return need > back ? back : 0
  }
  return 0
}

export class Utf8ChunkAligner {
  private carry: Uint8Array = new Uint8Array(0)

  /** Returns the part of carry+chunk that ends on a character boundary (may be empty). */
  push(chunk: Uint8Array): Uint8Array {
    const all = this.carry.length ? concat(this.carry, chunk) : chunk
    const cut = incompleteUtf8Tail(all)
    this.carry = cut ? all.slice(all.length - cut) : new Uint8Array(0)
    return cut ? all.subarray(0, all.length - cut) : all
  }

  /** Whatever is left (an incomplete character at the end of the stream). */
  flush(): Uint8Array {
    const rest = this.carry
    this.carry = new Uint8Array(0)
    return rest
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length)
  out.set(a, 0)
  out.set(b, a.length)
  return out
}
