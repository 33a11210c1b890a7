import { describe, expect, it } from 'vitest'
import { decodeFrame, encodeHello } from '../../../simulator/src/server/protocol'
import { MAX_QUEUED_BYTES, TerminalConnection } from './connection'
import type { ConnectionEvent } from './state'

// A WebSocket stand-in the test drives by hand.
class FakeSocket {
  static all: FakeSocket[] = []
  readyState = 0
  binaryType = ''
  sent: Uint8Array[] = []
  onopen: (() => void) | null = null
  onmessage: ((ev: { data: ArrayBuffer }) => void) | null = null
  onclose: ((ev: { reason: string }) => void) | null = null
  onerror: (() => void) | null = null
  constructor(readonly url: string) {
    FakeSocket.all.push(this)
  }
  send(b: Uint8Array) {
    this.sent.push(b)
  }
  close() {
    this.readyState = 3
    this.onclose?.({ reason: '' })
  }
  serverOpens() {
    this.readyState = 1
    this.onopen?.()
    const hello = encodeHello(80, 24, 'controlplane')
    this.onmessage?.({
      data: hello.buffer.slice(hello.byteOffset, hello.byteOffset + hello.byteLength) as ArrayBuffer,
    })
  }
  inputs(): string {
    return this.sent
      .map((b) => decodeFrame(b))
      .flatMap((d) => (d.ok && d.frame.op === 'input' ? [new TextDecoder().decode(d.frame.data)] : []))
      .join('')
  }
}

const tick = () => new Promise((r) => setTimeout(r, 0))

function connect(getTicket: () => Promise<string> = async () => 't') {
  FakeSocket.all = []
  const events: ConnectionEvent[] = []
  const c = new TerminalConnection({
    url: 'ws://x/api/terminal',
    getTicket,
    size: () => ({ cols: 80, rows: 24 }),
    write: (_d, done) => done(),
    reset: () => {},
    onEvent: (e) => events.push(e),
    WebSocketImpl: FakeSocket as unknown as typeof WebSocket,
  })
  return { c, events }
}

describe('TerminalConnection input while disconnected', () => {
  it('keeps keys typed before the connection opens and sends them, in order, once it does', async () => {
    const { c, events } = connect()
    c.start()
    c.send('ls ')
    c.send('-l\r')
    expect(events).toContainEqual({ type: 'queued', bytes: 6 })
    await tick()
    const ws = FakeSocket.all[0]
    ws.serverOpens()
    expect(ws.inputs()).toBe('ls -l\r')
    expect(c.pendingInput).toBe(0)
    c.dispose()
  })

  it('keeps keys typed during a reconnect', async () => {
    const { c } = connect()
    c.start()
    await tick()
    FakeSocket.all[0].serverOpens()
    c.send('a')
    FakeSocket.all[0].close() // the server went away
    c.send('echo back\r')
    c.reconnect()
    await tick()
    const second = FakeSocket.all[1]
    second.serverOpens()
    expect(FakeSocket.all[0].inputs()).toBe('a')
    expect(second.inputs()).toBe('echo back\r')
    c.dispose()
  })

  it('refuses out loud what it cannot keep', async () => {
    const { c, events } = connect()
    c.start()
    c.send('x'.repeat(MAX_QUEUED_BYTES + 1))
    expect(events.some((e) => e.type === 'refused')).toBe(true)
    c.dispose()
    c.send('y')
    expect(events.filter((e) => e.type === 'refused')).toHaveLength(2)
  })

  it('sends a huge paste in frames the server accepts', async () => {
    const { c } = connect()
    c.start()
    await tick()
    const ws = FakeSocket.all[0]
    ws.serverOpens()
    const before = ws.sent.length
    c.send('z'.repeat(100_000))
    const frames = ws.sent.slice(before)
    expect(frames.length).toBeGreaterThan(1)
    for (const f of frames) expect(decodeFrame(f).ok).toBe(true)
    expect(ws.inputs().length).toBe(100_000)
    c.dispose()
  })
})
