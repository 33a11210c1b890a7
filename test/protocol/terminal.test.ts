import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ErrorCode, encodeResize, MAX_FRAME_BYTES, Op } from '../../simulator/src/server/protocol'
import type { FakeDriver } from '../../simulator/src/server/testing/fakes'
import { type Harness, startHarness, TermClient, waitFor } from './harness'

let h: Harness
let token: string
/** A second terminal in another attempt that every refusal must leave working. */
let bystander: TermClient

async function bystanderStillWorks(): Promise<void> {
  const marker = `alive-${Math.random().toString(36).slice(2, 8)}`
  bystander.type(`echo ${marker}\r`)
  await bystander.waitText(new RegExp(`\\r\\n${marker}\\r\\n`))
}

beforeAll(async () => {
  h = await startHarness({ ticketTtlMs: 300 })
  token = await h.startAttempt()
  const other = await h.startAttempt()
  bystander = await h.terminal(other)
  await bystander.waitText('root@controlplane:~# ')
})

afterAll(async () => {
  bystander?.close()
  await h?.close()
})

describe('terminal protocol over a WebSocket', () => {
  it('greets with hello, prints the prompt and echoes input', async () => {
    const t = await h.terminal(token)
    await t.waitText('root@controlplane:~# ')
    expect(t.frames[0]).toMatchObject({ op: 'hello', text: 'controlplane' })
    await new Promise((r) => setTimeout(r, 50))
    expect(t.text.split('root@controlplane:~# ').length - 1).toBe(1)
    t.type('echo hi\r')
    await t.waitText('echo hi\r\nhi\r\n')
    t.close()
  })

  it('survives a dropped connection and replays the screen on reconnect', async () => {
    const t = await h.terminal(token)
    await t.waitText('# ')
    t.type('touch /root/survivor\r')
    t.type('echo before-drop\r')
    await t.waitText('before-drop\r\n')
    t.terminate() // no close handshake, as when a laptop lid closes
    await t.waitClosed()

    const again = await h.terminal(token)
    await again.waitText('before-drop')
    expect(again.text).toContain('touch /root/survivor')
    again.type('cat /root/survivor\r')
    again.type('echo after-drop\r')
    await again.waitText('after-drop\r\n')
    expect(again.text).not.toContain('No such file')
    again.close()
  })

  it('refuses an unknown opcode with an error frame and keeps the terminal', async () => {
    const t = await h.terminal(token)
    await t.waitText('# ')
    t.send(new Uint8Array([0x42, 1, 2, 3]))
    await waitFor(() => t.errors().length > 0)
    expect(t.errors()[0]).toMatchObject({ code: ErrorCode.unknownOpcode })
    t.type('echo still-here\r')
    await t.waitText('still-here\r\n')
    await bystanderStillWorks()
    t.close()
  })

  it('refuses a truncated frame', async () => {
    const t = await h.terminal(token)
    await t.waitText('# ')
    t.send(new Uint8Array([Op.resize, 0]))
    await waitFor(() => t.errors().length > 0)
    expect(t.errors()[0]).toMatchObject({ code: ErrorCode.truncated })
    await bystanderStillWorks()
    t.close()
  })

  it('refuses an oversized frame', async () => {
    const t = await h.terminal(token)
    await t.waitText('# ')
    const big = new Uint8Array(MAX_FRAME_BYTES + 100).fill(0x61)
    big[0] = Op.input
    t.send(big)
    await waitFor(() => t.errors().length > 0)
    expect(t.errors()[0]).toMatchObject({ code: ErrorCode.tooLarge })
    // Beyond the socket's own limit the connection is closed, and only this one.
    const t2 = await h.terminal(token)
    await t2.waitText('# ')
    const huge = new Uint8Array(2 * 1024 * 1024 + 1)
    huge[0] = Op.input
    t2.send(huge)
    const closed = await t2.waitClosed()
    expect(closed.code).toBe(1009)
    await bystanderStillWorks()
    t.type('echo after-big\r')
    await t.waitText('after-big\r\n')
    t.close()
  })

  it('refuses a reused ticket', async () => {
    const ticket = await h.ticket(token)
    const first = await TermClient.connect(h.server.url, h.origin)
    first.hello(ticket)
    await first.waitText('# ')
    const second = await TermClient.connect(h.server.url, h.origin)
    second.hello(ticket)
    await second.waitClosed()
    expect(second.errors()[0]).toMatchObject({ code: ErrorCode.unauthorized })
    expect(second.text).toBe('')
    await bystanderStillWorks()
    first.close()
  })

  it('refuses an expired ticket', async () => {
    const ticket = await h.ticket(token)
    await new Promise((r) => setTimeout(r, 400))
    const t = await TermClient.connect(h.server.url, h.origin)
    t.hello(ticket)
    await t.waitClosed()
    expect(t.errors()[0].message).toMatch(/expired/)
    await bystanderStillWorks()
  })

  it('refuses a made-up ticket and input before hello', async () => {
    const t = await TermClient.connect(h.server.url, h.origin)
    t.hello('not-a-ticket')
    await t.waitClosed()
    expect(t.errors()[0]).toMatchObject({ code: ErrorCode.unauthorized })
    const u = await TermClient.connect(h.server.url, h.origin)
    u.type('echo sneaky\r')
    await u.waitClosed()
    expect(u.errors()[0]).toMatchObject({ code: ErrorCode.badState })
    await bystanderStillWorks()
  })

  it('refuses a foreign Origin at the upgrade', async () => {
    await expect(TermClient.connect(h.server.url, 'https://evil.example')).rejects.toThrow(/403/)
    await expect(TermClient.connect(h.server.url, undefined)).rejects.toThrow(/403/)
    await bystanderStillWorks()
  })

  it('refuses text messages', async () => {
    const t = await h.terminal(token)
    await t.waitText('# ')
    t.send('hello as text')
    await waitFor(() => t.errors().length > 0)
    expect(t.errors()[0]).toMatchObject({ code: ErrorCode.badValue })
    t.close()
  })

  it('applies resize frames', async () => {
    const t = await h.terminal(token)
    await t.waitText('# ')
    t.send(encodeResize(132, 43))
    const driver = h.driver as FakeDriver
    await waitFor(() =>
      driver.created.some((e) => e.nodes[0].shells.some((s) => s.size.cols === 132 && s.size.rows === 43)),
    )
    t.close()
  })

  it('pauses the source above the high-water mark until the client acks', async () => {
    const t = await h.terminal(token)
    await t.waitText('# ')
    t.autoAck = false
    t.type('yes\r')
    const driver = h.driver as FakeDriver
    const shell = () =>
      driver.created.flatMap((e) => e.nodes[0].shells).find((s) => !s.disposed && s.isPaused)
    await waitFor(() => shell() !== undefined, 5000, 'the source to pause')
    const at = t.received
    await new Promise((r) => setTimeout(r, 200))
    // Paused: at most one more batch arrives.
    expect(t.received - at).toBeLessThan(128 * 1024)
    t.autoAck = true
    t.send(new Uint8Array([Op.ack, 0x7f, 0xff, 0xff, 0xff]))
    await waitFor(() => t.received > at + 256 * 1024, 5000, 'output to resume')
    t.type('\x03')
    t.close()
    await bystanderStillWorks()
  })
})
