import { decodeBytesToUtf8 } from 'just-bash'
import { describe, expect, it } from 'vitest'
import { utf8FromByteString } from './byte-string'

describe('utf8FromByteString', () => {
  it('decodes as just-bash does: ASCII, UTF-8 bytes, invalid bytes and text that is not bytes', () => {
    const cases = [
      '',
      'plain ascii\n',
      'caf\u00c3\u00a9',
      '\u00ff\u00fe binary',
      'already \u00e9t\u00e9 \u2713',
    ]
    for (const c of cases) expect(utf8FromByteString(c)).toBe(decodeBytesToUtf8(c as never))
    expect(utf8FromByteString('caf\u00c3\u00a9')).toBe('café')
  })
})
