// Who may change things on this server. On loopback only this machine's
// users reach it, and each attempt's token is the key to that attempt. Served
// beyond loopback, anyone on the network could create attempts, so every
// state-changing request must also carry an access key, and must come from
// this server's own pages (Origin). Generic on purpose: a feature with keys
// of its own (an instructor key, a learner's seat) asks the same two questions.

import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { isIP } from 'node:net'

/** Header a script or `curl` can send the key in; the page uses the cookie. */
export const KEY_HEADER = 'x-ckalab-key'
/** Cookie the page stores the key in (set by the page from `?key=`). */
export const KEY_COOKIE = 'ckalab_key'

/** 127.0.0.0/8, ::1 and `localhost`: only this machine can connect. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase()
  if (h === 'localhost' || h === '::1' || h === '0:0:0:0:0:0:0:1') return true
  if (h.startsWith('::ffff:')) return isLoopbackHost(h.slice(7))
  return isIP(h) === 4 && h.startsWith('127.')
}

/** A long random key (256 bits), safe in a URL and a cookie. */
export function generateKey(): string {
  return randomBytes(32).toString('base64url')
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest()
}

/**
 * A key kept only as its SHA-256, compared in constant time: the plain key
 * is printed once and is not kept in memory or on disk.
 */
export class AccessKey {
  private readonly hash: Buffer

  constructor(key: string) {
    if (key.length < 16) throw new Error('an access key needs at least 16 characters; use a long random one')
    this.hash = digest(key)
  }

  matches(presented: string | undefined): boolean {
    if (!presented) return false
    return timingSafeEqual(this.hash, digest(presented))
  }
}

function cookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const eq = part.indexOf('=')
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim())
      } catch {
        return undefined
      }
    }
  }
  return undefined
}

/** The key a request carries: the header first, then the page's cookie. */
export function presentedKey(req: IncomingMessage): string | undefined {
  const header = req.headers[KEY_HEADER]
  if (typeof header === 'string' && header) return header
  const auth = req.headers.authorization
  if (typeof auth === 'string' && /^bearer /i.test(auth)) return auth.slice(7).trim()
  return cookie(req, KEY_COOKIE)
}

export interface OriginPolicy {
  /** Origins always allowed (this server's own loopback names, `--allow-origin`). */
  allowed: ReadonlySet<string>
  /**
   * Also allow an Origin naming the same host as the Host header (a page
   * loaded from this server under a LAN name or address). Only safe where a
   * key is required too: a rebound DNS name passes this check but has no key.
   */
  sameHost: boolean
}

/** Does a request's Origin say it comes from one of this server's pages? Absent counts as yes. */
export function originAllowed(req: IncomingMessage, policy: OriginPolicy): boolean {
  const origin = req.headers.origin
  // Non-browser clients (curl, tests) send none; browsers send it on every cross-origin write.
  if (origin === undefined) return true
  if (policy.allowed.has(origin)) return true
  if (!policy.sameHost) return false
  try {
    const u = new URL(origin)
    return (
      (u.protocol === 'http:' || u.protocol === 'https:') && u.host === (req.headers.host ?? '').toLowerCase()
    )
  } catch {
    return false
  }
}

export type AccessDecision = { ok: true } | { ok: false; status: 401 | 403; reason: string }

export interface AccessOptions {
  origins: OriginPolicy
  /** Keys any one of which admits a state-changing request; none means no key is needed. */
  keys: readonly AccessKey[]
}

/**
 * The check a router runs before anything that changes state (every POST,
 * the terminal upgrade): first the Origin, then a key when keys are set.
 */
export function checkStateChange(req: IncomingMessage, o: AccessOptions): AccessDecision {
  if (!originAllowed(req, o.origins))
    return { ok: false, status: 403, reason: `requests from ${req.headers.origin} are not allowed` }
  if (o.keys.length === 0) return { ok: true }
  const key = presentedKey(req)
  if (o.keys.some((k) => k.matches(key))) return { ok: true }
  return {
    ok: false,
    status: 401,
    reason: key
      ? 'the access key is wrong (a restarted server without --access-key has a new one); open the link printed when the server started'
      : 'this server needs an access key; open the link printed when the server started (it ends in ?key=…) or send the x-ckalab-key header',
  }
}

/** The address to share: the server's URL with the key, which the page stores and strips. */
export function keyUrl(url: string, key: string): string {
  return `${url}/?key=${encodeURIComponent(key)}`
}
