// Capabilities: an attempt is reachable only with its token (32 random bytes).
// The database and the logs hold the token's hash-derived id, never the token.
// Terminal tickets are short-lived, single-use and bound to one terminal.

// Web Crypto and @noble/hashes rather than node:crypto: the browser edition
// issues and hashes tokens with this same module.
import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js'

function randomBase64url(bytes: number): string {
  const buf = globalThis.crypto.getRandomValues(new Uint8Array(bytes))
  let bin = ''
  for (const b of buf) bin += String.fromCharCode(b)
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

export function newToken(): string {
  return randomBase64url(32)
}

/** The public id of an attempt: derived from its token, useless for access. */
export function attemptIdOf(token: string): string {
  return bytesToHex(sha256(utf8ToBytes(token))).slice(0, 24)
}

/** Tokens are 43 base64url characters; anything else is not worth hashing. */
export function looksLikeToken(value: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(value)
}

export interface Ticket {
  attemptId: string
  node: string
  expiresAt: number
}

export class TicketBook {
  private readonly tickets = new Map<string, Ticket>()

  constructor(
    private readonly ttlMs = 30_000,
    private readonly now: () => number = Date.now,
  ) {}

  issue(attemptId: string, node: string): { ticket: string; expiresAt: number } {
    this.sweep()
    const ticket = randomBase64url(24)
    const expiresAt = this.now() + this.ttlMs
    this.tickets.set(ticket, { attemptId, node, expiresAt })
    return { ticket, expiresAt }
  }

  /** Returns the ticket's terminal once; a second call, or a late one, gets an error. */
  redeem(ticket: string): { ok: true; ticket: Ticket } | { ok: false; reason: string } {
    const t = this.tickets.get(ticket)
    if (!t) return { ok: false, reason: 'unknown or already used ticket; ask the server for a new one' }
    this.tickets.delete(ticket)
    if (t.expiresAt < this.now()) return { ok: false, reason: 'ticket expired; ask the server for a new one' }
    return { ok: true, ticket: t }
  }

  revokeAttempt(attemptId: string): void {
    for (const [k, t] of this.tickets) if (t.attemptId === attemptId) this.tickets.delete(k)
  }

  private sweep(): void {
    const now = this.now()
    for (const [k, t] of this.tickets) if (t.expiresAt < now) this.tickets.delete(k)
  }
}
