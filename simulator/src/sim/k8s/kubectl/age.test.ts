import { expect, test } from 'vitest'
import { age, humanDuration, rfc1123z } from './age'

test.each([
  [0, '0s'],
  [-1500, '0s'],
  [-3000, '<invalid>'],
  [59_000, '59s'],
  [119_000, '119s'],
  [120_000, '2m'],
  [312_000, '5m12s'],
  [600_000, '10m'],
  [179 * 60_000, '179m'],
  [3 * 3_600_000, '3h'],
  [3 * 3_600_000 + 25 * 60_000, '3h25m'],
  [8 * 3_600_000, '8h'],
  [47 * 3_600_000, '47h'],
  [48 * 3_600_000, '2d'],
  [50 * 3_600_000, '2d2h'],
  [10 * 86_400_000, '10d'],
  [800 * 86_400_000, '2y70d'],
])('humanDuration(%i) = %s', (ms, text) => {
  expect(humanDuration(ms)).toBe(text)
})

test('age reads RFC 3339 timestamps and says <unknown> without one', () => {
  const now = Date.UTC(2026, 0, 15, 9, 0, 0)
  expect(age('2026-01-15T08:54:48Z', now)).toBe('5m12s')
  expect(age(undefined, now)).toBe('<unknown>')
})

test('rfc1123z is Go time.RFC1123Z in UTC', () => {
  expect(rfc1123z('2026-11-23T21:05:09Z')).toBe('Mon, 23 Nov 2026 21:05:09 +0000')
})
