// Who can reach what in a class: a second learner and a stranger try another
// learner's seat, terminal and report, the instructor API without the key,
// guessed and reused join codes, and requests from a foreign Origin. Every
// try is refused, and the class goes on untouched.

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { encodeHello } from '../../simulator/src/server/protocol'
import { type ClassHarness, startClassHarness, waitFor } from './harness'

let h: ClassHarness
let c: { id: string; code: string }
let ada: { seatToken: string; recoveryCode: string; seatId: string }
let bob: { seatToken: string; recoveryCode: string; seatId: string }
let adaAttempt: string

beforeAll(async () => {
  h = await startClassHarness()
  c = await h.createClass()
  ada = await h.join(c.code, 'Ada')
  bob = await h.join(c.code, 'Bob')
  await h.instructor('POST', `/api/classes/${c.id}/start`, {})
  adaAttempt = (await h.api('GET', `/api/seats/${ada.seatToken}`)).body.attemptToken
  await waitFor(
    async () => (await h.api('GET', `/api/attempts/${adaAttempt}`)).body.state === 'ready',
    10_000,
  )
})
afterAll(async () => {
  await h?.close()
})

describe('class access control', () => {
  it("keeps a learner out of another learner's seat, terminal and report", async () => {
    const [, bobMac] = bob.seatToken.split('.')
    // Bob's own token with Ada's seat id, and a made-up one
    for (const token of [
      `${ada.seatId}.${bobMac}`,
      `${ada.seatId}.${'A'.repeat(43)}`,
      ada.seatId,
      'x'.repeat(60),
    ]) {
      const r = await h.api('GET', `/api/seats/${encodeURIComponent(token)}`)
      expect(r.status).toBe(404)
      expect(JSON.stringify(r.body)).not.toContain('Ada')
      expect((await h.api('POST', `/api/seats/${encodeURIComponent(token)}/help`, { on: true })).status).toBe(
        404,
      )
    }
    // Bob's seat token does not open instructor routes (Ada's report, a mirror of Ada)
    for (const [method, path] of [
      ['GET', `/api/classes/${c.id}/seats/${ada.seatId}/report`],
      ['POST', `/api/classes/${c.id}/seats/${ada.seatId}/terminals/controlplane/ticket`],
    ] as const) {
      expect((await h.as(bob.seatToken, method, path)).status).toBe(401)
      expect((await h.as(undefined, method, path)).status).toBe(401)
    }
    // Ada's attempt is reachable only with its token, which only Ada's seat view carries
    const bobView = (await h.api('GET', `/api/seats/${bob.seatToken}`)).body
    expect(bobView.attemptToken).not.toBe(adaAttempt)
    expect(JSON.stringify(bobView)).not.toContain(adaAttempt)
    expect((await h.api('GET', `/api/attempts/${'B'.repeat(43)}`)).status).toBe(404)
    // the seat stream of a wrong token is refused too
    expect((await fetch(`${h.server.url}/api/seats/${ada.seatId}.${bobMac}/events`)).status).toBe(404)
    // nothing changed for Ada
    const adaView = (await h.api('GET', `/api/seats/${ada.seatToken}`)).body
    expect(adaView.needsHelp).toBe(false)
  })

  it('refuses every instructor route without the key, or with a wrong or truncated one', async () => {
    const routes: [string, string][] = [
      ['GET', '/api/instructor'],
      ['GET', '/api/classes'],
      ['POST', '/api/classes'],
      ['GET', `/api/classes/${c.id}`],
      ['GET', `/api/classes/${c.id}/events`],
      ['GET', `/api/classes/${c.id}/export.csv`],
      ['GET', `/api/classes/${c.id}/export.json`],
      ['POST', `/api/classes/${c.id}/start`],
      ['POST', `/api/classes/${c.id}/end`],
      ['POST', `/api/classes/${c.id}/broadcast`],
      ['POST', `/api/classes/${c.id}/joining`],
      ['POST', `/api/classes/${c.id}/seats/${ada.seatId}/reset`],
      ['POST', `/api/classes/${c.id}/seats/${ada.seatId}/extend`],
      ['POST', `/api/classes/${c.id}/seats/${ada.seatId}/end`],
      ['POST', `/api/classes/${c.id}/seats/${ada.seatId}/takeover`],
    ]
    for (const key of [undefined, 'wrong', `${h.key}x`, h.key.slice(0, -1)])
      for (const [method, path] of routes) {
        const r = await h.as(
          key,
          method,
          path,
          method === 'POST' ? { text: 'x', minutes: 5, on: true } : undefined,
        )
        expect(r.status, `${method} ${path} with key ${key}`).toBe(401)
        expect(r.body.error).toMatch(/instructor key/)
      }
    const board = (await h.instructor('GET', `/api/classes/${c.id}`)).body
    expect(board.class.state).toBe('running')
    expect(board.rows.every((r: any) => !r.ended && !r.takeover)).toBe(true)
  })

  it('rate-limits guessed join codes and refuses reused ones, without touching the class', async () => {
    const ended = await h.createClass({ name: 'Monday' })
    await h.instructor('POST', `/api/classes/${ended.id}/end`, {})
    const reused = await h.api('POST', '/api/join', { code: ended.code, name: 'Eve' })
    expect(reused.status).toBe(410)
    let limited = 0
    for (let i = 0; i < 12; i++) {
      const r = await h.api('POST', '/api/join', { code: `GUESS${i}`, name: 'Eve' })
      if (r.status === 429) limited++
      else expect(r.status).toBe(404)
    }
    expect(limited).toBeGreaterThan(0)
    // Now even the right code waits, from this address; seats already taken are untouched.
    const blocked = await h.api('POST', '/api/join', { code: c.code, name: 'Eve' })
    expect(blocked.status).toBe(429)
    expect(blocked.body.error).toMatch(/too many wrong codes/)
    const board = (await h.instructor('GET', `/api/classes/${c.id}`)).body
    expect(board.rows.map((r: any) => r.name)).toEqual(['Ada', 'Bob'])
    expect((await h.api('GET', `/api/seats/${ada.seatToken}`)).status).toBe(200)
  })

  it('refuses state changes and the mirror from a foreign Origin', async () => {
    const evil = 'http://evil.example'
    expect((await h.as(undefined, 'POST', '/api/join', { code: c.code, name: 'Eve' }, evil)).status).toBe(403)
    expect((await h.as(h.key, 'POST', `/api/classes/${c.id}/end`, {}, evil)).status).toBe(403)
    expect(
      (await h.as(h.key, 'POST', `/api/classes/${c.id}/seats/${ada.seatId}/reset`, {}, evil)).status,
    ).toBe(403)
    expect(
      (await h.as(undefined, 'POST', `/api/seats/${ada.seatToken}/help`, { on: true }, evil)).status,
    ).toBe(403)
    const ticket = (
      await h.instructor('POST', `/api/classes/${c.id}/seats/${ada.seatId}/terminals/controlplane/ticket`)
    ).body.ticket
    const refused = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`${h.server.url.replace(/^http/, 'ws')}/api/class-mirror`, {
        headers: { origin: evil },
      })
      ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0))
      ws.once('open', () => resolve(101))
      ws.once('error', () => {})
    })
    expect(refused).toBe(403)
    // The ticket was not spent by the refused socket; it works once, then never again.
    const open = async () => {
      const ws = new WebSocket(`${h.server.url.replace(/^http/, 'ws')}/api/class-mirror`, {
        headers: { origin: h.origin },
      })
      await new Promise((r) => ws.once('open', r))
      const closed = new Promise<number>((r) => ws.once('close', (code) => r(code)))
      const output = new Promise<void>((r) => ws.once('message', () => r()))
      ws.send(encodeHello(80, 24, ticket))
      return { ws, closed, output }
    }
    const first = await open()
    await first.output
    const second = await open()
    expect(await second.closed).toBe(1008)
    first.ws.close()
    const board = (await h.instructor('GET', `/api/classes/${c.id}`)).body
    expect(board.class.state).toBe('running')
    expect(board.rows.find((r: any) => r.seatId === ada.seatId).state).toBe('ready')
  })
})
