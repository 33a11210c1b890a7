// The instructor key: the one secret that reaches the instructor's pages and
// APIs. It is shown once (as a URL) when it is made or rotated; the database
// keeps only its SHA-256, so neither a copy of the data dir nor the logs give
// it away.

import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { ClassStore } from './class-store'

const KEY_META = 'instructor-key-sha256'
const SECRET_META = 'seat-secret'

const sha256 = (text: string) => createHash('sha256').update(text).digest()

/**
 * Makes the key when there is none (or `rotate` asks for a new one) and
 * returns it; returns undefined when a key exists already (it cannot be shown again).
 */
export function ensureInstructorKey(store: ClassStore, rotate = false): string | undefined {
  if (!rotate && store.meta(KEY_META)) return undefined
  const key = randomBytes(32).toString('base64url')
  store.setMeta(KEY_META, sha256(key).toString('hex'))
  return key
}

/** True only for the current key; the comparison takes the same time whatever the input. */
export function verifyInstructorKey(store: ClassStore, candidate: string | undefined): boolean {
  if (!candidate || candidate.length > 200) return false
  const stored = store.meta(KEY_META)
  if (!stored) return false
  return timingSafeEqual(sha256(candidate), Buffer.from(stored, 'hex'))
}

/** The instructor page's address carrying the key (after #, so it never reaches a server log). */
export function instructorUrl(baseUrl: string, key: string): string {
  return `${baseUrl.replace(/\/$/, '')}/instructor#key=${key}`
}

/** The server's secret that seat tokens and seat attempt tokens are derived from (made once). */
export function seatSecret(store: ClassStore): Buffer {
  let hex = store.meta(SECRET_META)
  if (!hex) {
    hex = randomBytes(32).toString('hex')
    store.setMeta(SECRET_META, hex)
  }
  return Buffer.from(hex, 'hex')
}
