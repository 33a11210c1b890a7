import { afterEach, describe, expect, it } from 'vitest'
import { SimDriver } from '../../simulator/src/drivers/sim'
import type { TerminalSize, TerminalStream } from '../../simulator/src/seam'
import { ErrorCode, encodeInput, encodeResize } from '../../simulator/src/server/protocol'
import { FakeDriver } from '../../simulator/src/server/testing/fakes'
import type { ShellTerminal } from '../../simulator/src/sim/shell/terminal'
import { type Harness, startHarness, waitFor } from './harness'

// What one terminal's client sends is bounded: resize floods are coalesced,
// input the shell has not taken is capped and the excess refused with a
// message, and a shell whose reader stopped acknowledging stops running
// queued commands instead of holding their output.

let h: Harness | undefined
afterEach(async () => {
  await h?.close()
  h = undefined
})

/** A fake driver whose terminals count resizes, and can stop taking input (a shell busy elsewhere). */
class InstrumentedDriver extends FakeDriver {
  resizes: TerminalSize[] = []
  stuck = false
  private queued: Uint8Array[] = []
  private queuedBytes = 0
  received = 0

  override async create(...args: Parameters<FakeDriver['create']>) {
    const env = await super.create(...args)
    for (const node of env.nodes) {
      const open = node.openTerminal.bind(node)
      node.openTerminal = async (size) => {
        const t = await open(size)
        const d = this
        return Object.assign(Object.create(t) as TerminalStream, {
          write(data: Uint8Array | string) {
            const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data
            if (d.stuck) {
              d.queued.push(bytes.slice())
              d.queuedBytes += bytes.length
            } else {
              d.received += bytes.length
              t.write(bytes)
            }
          },
          resize(s: TerminalSize) {
            d.resizes.push(s)
            t.resize(s)
          },
          inputBacklog: () => d.queuedBytes,
        })
      }
    }
    return env
  }

  release(): void {
    this.stuck = false
    // Counted as taken; not echoed (the fake shell echoes a key at a time, far too slowly for 256 KB).
    for (const q of this.queued.splice(0)) this.received += q.length
    this.queuedBytes = 0
  }

  get backlog(): number {
    return this.queuedBytes
  }
}

describe('bounded terminal traffic', () => {
  it('a resize flood reaches the shell as a few resizes to the last size, and the server keeps answering', async () => {
    const driver = new InstrumentedDriver()
    h = await startHarness({ driver })
    const token = await h.startAttempt()
    const t = await h.terminal(token)
    await t.waitText('# ')
    for (let i = 0; i < 1000; i++) t.send(encodeResize(40 + (i % 100), 10 + (i % 30)))
    t.send(encodeResize(123, 45))
    const started = Date.now()
    expect((await h.api('GET', '/api/health')).status).toBe(200)
    expect(Date.now() - started).toBeLessThan(1000)
    await waitFor(() => driver.resizes.at(-1)?.cols === 123, 3000, 'the last size')
    expect(driver.resizes.at(-1)).toEqual({ cols: 123, rows: 45 })
    // Without the gate every frame reaches the shell (1001 resizes).
    expect(driver.resizes.length).toBeLessThan(20)
  })

  it('input the shell has not taken is capped: the excess is refused with a message, nothing accepted is lost', async () => {
    const driver = new InstrumentedDriver()
    h = await startHarness({ driver })
    const token = await h.startAttempt()
    const t = await h.terminal(token)
    await t.waitText('# ')
    driver.stuck = true
    // 300 frames of 60 KB: 18 MB the server must not queue.
    const chunk = new Uint8Array(60_000).fill(120)
    for (let i = 0; i < 300; i++) t.send(encodeInput(chunk))
    // Generous waits: on a shared CI machine 18 MB over loopback can take seconds.
    await waitFor(() => t.errors().some((e) => e.code === ErrorCode.inputRefused), 20_000, 'a refusal')
    // Every frame has left the client and been read by the server.
    await waitFor(() => t.ws.bufferedAmount === 0, 20_000, 'the flood to be sent')
    await new Promise((r) => setTimeout(r, 500))
    expect(driver.backlog).toBeLessThanOrEqual(256 * 1024)
    expect(driver.backlog).toBeGreaterThan(100_000)
    const refusal = t.errors().find((e) => e.code === ErrorCode.inputRefused)!
    expect(refusal.message).toMatch(/not accepted: the terminal still has \d+ KiB of earlier input/)
    expect(t.closed).toBeUndefined()
    // The shell takes what was accepted; then typing works again.
    const accepted = driver.backlog
    driver.release()
    expect(driver.received).toBeGreaterThanOrEqual(accepted)
    t.type('\x03')
    t.type('echo after\r')
    await t.waitText('after\r\n', 20_000)
  })

  it('a shell whose reader stops acknowledging pauses its commands instead of holding their output', async () => {
    const sim = new SimDriver()
    const env = await sim.create({ controlPlanes: 1, kubernetes: '1.31' })
    try {
      const shell = (await env.nodes[0]!.openTerminal({ cols: 80, rows: 24 })) as ShellTerminal
      let text = ''
      const dec = new TextDecoder()
      shell.onData((b) => {
        text += dec.decode(b, { stream: true })
      })
      await waitFor(() => text.includes('# '), 20_000, 'a prompt')
      shell.pause?.()
      for (let i = 0; i < 10; i++) shell.write('seq 1 99999\r')
      await new Promise((r) => setTimeout(r, 3000))
      // One command's output (~590 KB) may wait; ten (~5.9 MB) must not.
      expect(shell.heldBytes).toBeLessThan(1_500_000)
      expect(shell.inputBacklog()).toBeGreaterThan(0)
      shell.resume?.()
      await waitFor(() => (text.match(/99999\r\n/g) ?? []).length === 10, 60_000, 'all ten outputs')
      expect(shell.inputBacklog()).toBe(0)
    } finally {
      await env.dispose()
    }
  }, 90_000)
})
