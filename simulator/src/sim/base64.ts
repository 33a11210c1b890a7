// Base64 of bytes and back with the browser's btoa/atob, which the simulator
// shares with Node 16+ (no Buffer: this runs in a Web Worker too). Bytes go
// through btoa in 32 KiB slices: spreading a whole large array into one
// String.fromCharCode call overflows the stack.

const SLICE = 0x8000

export function bytesToBase64(bytes: Uint8Array): string {
  let bin = ''
  for (let i = 0; i < bytes.length; i += SLICE) bin += String.fromCharCode(...bytes.subarray(i, i + SLICE))
  return btoa(bin)
}

/** Throws on text that is not base64 (atob's InvalidCharacterError). */
export function base64ToBytes(text: string): Uint8Array {
  const bin = atob(text)
  const out = new Uint8Array(bin.length)
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i)
  return out
}
