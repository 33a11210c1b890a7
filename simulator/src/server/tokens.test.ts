import { describe, expect, it } from 'vitest'
import { attemptIdOf, looksLikeToken, newToken, TicketBook } from './tokens'

describe('tokens', () => {
  it('makes distinct tokens with a stable public id', () => {
    const a = newToken()
    const b = newToken()
    expect(a).not.toBe(b)
    expect(looksLikeToken(a)).toBe(true)
    expect(looksLikeToken('short')).toBe(false)
    expect(attemptIdOf(a)).toBe(attemptIdOf(a))
    expect(attemptIdOf(a)).not.toContain(a.slice(0, 10))
  })

  it('redeems a ticket once', () => {
    const book = new TicketBook()
    const { ticket } = book.issue('a1', 'controlplane')
    expect(book.redeem(ticket)).toMatchObject({ ok: true, ticket: { attemptId: 'a1', node: 'controlplane' } })
    expect(book.redeem(ticket)).toMatchObject({ ok: false, reason: expect.stringContaining('already used') })
  })

  it('refuses an expired ticket', () => {
    let now = 1000
    const book = new TicketBook(100, () => now)
    const { ticket } = book.issue('a1', 'controlplane')
    now += 101
    expect(book.redeem(ticket)).toMatchObject({ ok: false, reason: expect.stringContaining('expired') })
  })

  it('revokes every ticket of an attempt', () => {
    const book = new TicketBook()
    const a = book.issue('a1', 'n1').ticket
    const b = book.issue('a2', 'n1').ticket
    book.revokeAttempt('a1')
    expect(book.redeem(a).ok).toBe(false)
    expect(book.redeem(b).ok).toBe(true)
  })
})
