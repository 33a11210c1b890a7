// just-bash carries pipe data as a "byte string" (one char per byte, 0–255).
// This turns one into text the way its decodeBytesToUtf8 does, written here
// because just-bash's browser build does not export that function.

const utf8 = new TextDecoder('utf-8', { fatal: true })

/** UTF-8 text of a byte string; a string that is not bytes, or not valid UTF-8, comes back as it is. */
export function utf8FromByteString(value: unknown): string {
  const s = value as string
  if (!s) return s
  let high = false
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c > 255) return s
    if (c > 127) high = true
  }
  if (!high) return s
  const bytes = new Uint8Array(s.length)
  for (let i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i)
  try {
    return utf8.decode(bytes)
  } catch {
    return s
  }
}
