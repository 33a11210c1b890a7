import { describe, expect, it } from 'vitest'
import { decodeFrame } from './protocol'
import { type SessionClient, TerminalSession } from './session'
import { FakeEnvironment } from './testing/fakes'

const dec = new TextDecoder()

function client() {
  const c = {
    text: '',
    frames: 0,
    closed: undefined as string | undefined,
    send(bytes: Uint8Array) {
      const d = decodeFrame(bytes)
      if (d.ok && d.frame.op === 'output') {
        c.text += dec.decode(d.frame.data)
        c.frames++
      }
    },
    close(_code: number, reason: string) {
      c.closed = reason
    },
  }
  return c satisfies SessionClient
}

const tick = (ms = 20) => new Promise((r) => setTimeout(r, ms))

function node() {
  return new FakeEnvironment('e1', { controlPlanes: 1, kubernetes: '1.34' }).nodes[0]
}

describe('TerminalSession', () => {
  it('shows the prompt once to the first client and replays the screen to the next', async () => {
    const s = new TerminalSession({ node: node(), size: { cols: 80, rows: 24 } })
    const a = client()
    await s.attach(a, { cols: 80, rows: 24 })
    await tick()
    expect(a.text.match(/root@controlplane:~# /g)?.length).toBe(1)
    s.input(new TextEncoder().encode('echo one\r'))
    await tick()
    const b = client()
    await s.attach(b, { cols: 80, rows: 24 })
    await tick()
    expect(b.text).toContain('one')
    expect(b.text.match(/echo one/g)?.length).toBe(1)
    s.dispose()
    expect(a.closed).toBeTruthy()
  })

  it('keeps keys typed before the shell is open', async () => {
    const s = new TerminalSession({ node: node(), size: { cols: 80, rows: 24 } })
    const a = client()
    const attaching = s.attach(a, { cols: 80, rows: 24 })
    s.input(new TextEncoder().encode('echo early\r'))
    await attaching
    await tick()
    expect(a.text).toContain('\r\nearly\r\n')
    s.dispose()
  })

  it('restores a saved screen and starts the new prompt on its own line', async () => {
    const s = new TerminalSession({
      node: node(),
      size: { cols: 80, rows: 24 },
      saved: { cols: 100, rows: 30, data: 'root@controlplane:~# ls\r\nold-output' },
    })
    const a = client()
    await s.attach(a, { cols: 100, rows: 30 })
    await tick()
    expect(a.text).toContain('old-output')
    expect(a.text.indexOf('old-output')).toBeLessThan(a.text.lastIndexOf('root@controlplane:~# '))
    const snap = await s.snapshot()
    expect(snap).toMatchObject({ cols: 100, rows: 30 })
    expect(snap.data).toContain('old-output')
    s.dispose()
  })

  it('pauses above the high-water mark and resumes below the low one', async () => {
    const n = node()
    const s = new TerminalSession({
      node: n,
      size: { cols: 80, rows: 24 },
      flow: { high: 10_000, low: 1000 },
    })
    const a = client()
    await s.attach(a, { cols: 80, rows: 24 })
    s.input(new TextEncoder().encode('yes\r'))
    await tick(50)
    expect(s.isPaused).toBe(true)
    expect(n.shells[0].isPaused).toBe(true)
    // Stop the flood first: what it produced while paused is still held and
    // may, when released, pause the session again at once.
    s.input(new TextEncoder().encode('\x03'))
    const before = n.shells[0].resumes
    s.ack(a, Number.MAX_SAFE_INTEGER)
    expect(n.shells[0].resumes).toBe(before + 1)
    for (let i = 0; i < 50 && s.isPaused; i++) {
      s.ack(a, Number.MAX_SAFE_INTEGER)
      await tick(5)
    }
    expect(s.isPaused).toBe(false)
    s.dispose()
  })

  it('drops a client that falls too far behind', async () => {
    const s = new TerminalSession({
      node: node(),
      size: { cols: 80, rows: 24 },
      flow: { high: 1_000_000, low: 1000, hard: 20_000 },
    })
    const a = client()
    await s.attach(a, { cols: 80, rows: 24 })
    s.input(new TextEncoder().encode('yes\r'))
    for (let i = 0; i < 100 && !a.closed; i++) await tick(20)
    expect(a.closed).toMatch(/fell too far behind/)
    expect(s.clientCount).toBe(0)
    s.input(new TextEncoder().encode('\x03'))
    s.dispose()
  })
})
