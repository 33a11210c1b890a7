// The browser's TerminalConnection (web/src/terminal) against the real
// server, with ws standing in for the browser's WebSocket: tickets, replay on
// reconnect, acks, and giving up on an attempt that no longer exists.

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { TerminalConnection } from '../../web/src/terminal/connection'
import type { ConnectionEvent } from '../../web/src/terminal/state'
import { type Harness, startHarness, waitFor } from './harness'

let h: Harness
beforeAll(async () => {
  h = await startHarness()
})
afterAll(async () => {
  await h?.close()
})

function connect(token: string, getTicket?: () => Promise<string>) {
  const origin = h.origin
  class BrowserLikeSocket extends WebSocket {
    constructor(url: string) {
      super(url, { headers: { origin } })
    }
  }
  const screen = { text: '', resets: 0, events: [] as ConnectionEvent[], acked: 0 }
  const conn = new TerminalConnection({
    url: `${h.server.url.replace('http', 'ws')}/api/terminal`,
    getTicket: getTicket ?? (() => h.ticket(token)),
    size: () => ({ cols: 80, rows: 24 }),
    write: (data, done) => {
      screen.text += new TextDecoder().decode(data)
      screen.acked += data.length
      done()
    },
    reset: () => {
      screen.text = ''
      screen.resets++
    },
    onEvent: (e) => screen.events.push(e),
    WebSocketImpl: BrowserLikeSocket as unknown as typeof globalThis.WebSocket,
  })
  conn.start()
  return { conn, screen }
}

describe('web TerminalConnection', () => {
  it('connects, echoes, and after a dropped socket reconnects to the same screen', async () => {
    const token = await h.startAttempt()
    const { conn, screen } = connect(token)
    await waitFor(() => screen.text.includes('# '), 5000, 'the prompt')
    conn.send('echo from-web-client\r')
    await waitFor(() => screen.text.includes('from-web-client\r\n'), 5000, 'the echo')
    // Kill every socket of this server from the outside, as a network drop would.
    await h.restart()
    await waitFor(() => screen.resets >= 2 && screen.text.includes('from-web-client'), 15_000, 'the replay')
    expect(screen.events.some((e) => e.type === 'dropped')).toBe(true)
    expect(screen.events.at(-1)).toEqual({ type: 'opened' })
    conn.send('echo after-reconnect\r')
    await waitFor(() => screen.text.includes('after-reconnect\r\n'), 5000, 'the echo after reconnecting')
    conn.dispose()
  })

  it('stops retrying when the attempt is gone', async () => {
    const token = await h.startAttempt()
    const { conn, screen } = connect(token, async () => {
      const r = await h.api(
        'POST',
        '/api/attempts/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/terminals/controlplane/ticket',
      )
      throw Object.assign(new Error(r.body.error), { status: r.status })
    })
    await waitFor(() => screen.events.some((e) => e.type === 'fatal'), 5000, 'a fatal event')
    expect(screen.events.filter((e) => e.type === 'connect')).toHaveLength(1)
    conn.dispose()
    void token
  })
})
