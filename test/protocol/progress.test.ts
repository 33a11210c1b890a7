// The server side of the learner's progress: exam resets keep the clock and
// record the discarded try, /api/progress sums up graded tries per lab, a
// stopped attempt keeps its terminal transcript, and the page learns which
// command started the server.

import { afterEach, describe, expect, it } from 'vitest'
import { type Harness, startHarness, waitFor } from './harness'

let h: Harness | undefined
afterEach(async () => {
  await h?.close()
  h = undefined
})

describe('progress and exam resets', () => {
  it('keeps an exam deadline through a reset and records the discarded try', async () => {
    h = await startHarness()
    const token = await h.startAttempt('fake-lab', 'exam')
    const before = (await h.api('GET', `/api/attempts/${token}`)).body
    expect(before.limitMs).toBe(10 * 60_000)
    await new Promise((r) => setTimeout(r, 20))
    expect((await h.api('POST', `/api/attempts/${token}/reset`)).status).toBe(202)
    await waitFor(async () => (await h!.api('GET', `/api/attempts/${token}`)).body.state === 'ready')
    const after = (await h.api('GET', `/api/attempts/${token}`)).body
    expect(after.deadline).toBe(before.deadline)
    expect(after.readyAt).toBeGreaterThan(before.readyAt)
    expect(after.discarded).toHaveLength(1)
    expect(after.discarded[0].readyAt).toBe(before.readyAt)
  })

  it('a practice reset still starts a fresh clock', async () => {
    h = await startHarness()
    const token = await h.startAttempt('fake-lab', 'practice')
    expect((await h.api('GET', `/api/attempts/${token}`)).body).toMatchObject({
      deadline: null,
      limitMs: null,
    })
  })

  it('sums up graded tries per lab, without tokens', async () => {
    h = await startHarness()
    expect((await h.api('GET', '/api/progress')).body).toEqual({})
    const token = await h.startAttempt()
    await h.api('POST', `/api/attempts/${token}/grade`)
    const t = await h.terminal(token)
    t.type('touch /root/done\r')
    await t.waitText(/done\r\n.*# $/s)
    t.close()
    await h.api('POST', `/api/attempts/${token}/grade`)
    const p = (await h.api('GET', '/api/progress')).body
    expect(p['fake-lab']).toMatchObject({ passed: true, best: { points: 10, max: 10 } })
    expect(p['fake-lab'].history).toHaveLength(2)
    expect(p['fake-lab'].history[0].ms).toBeGreaterThanOrEqual(0)
    expect(JSON.stringify(p)).not.toContain(token)
  })

  it('keeps the terminal transcript of a stopped attempt', async () => {
    h = await startHarness()
    const token = await h.startAttempt()
    const t = await h.terminal(token)
    t.type('echo transcript-kept\r')
    await t.waitText(/transcript-kept\r\n.*# $/s)
    await h.api('POST', `/api/attempts/${token}/stop`)
    const r = await h.api('GET', `/api/attempts/${token}/transcript`)
    expect(r.status).toBe(200)
    expect(r.body.screens[0].node).toBe('controlplane')
    expect(r.body.screens[0].data).toContain('transcript-kept')
  })

  it('names the command that started it', async () => {
    h = await startHarness({ command: 'npm start' })
    expect((await h.api('GET', '/api/labs')).body.command).toBe('npm start')
    expect((await h.api('GET', '/api/health')).body.command).toBe('npm start')
  })
})
