// A class on the fake driver through the HTTP API: create, join by code,
// the board over server-sent events turning green, the mirror (read-only,
// then takeover), the instructor's actions, the end and the exports, and a
// restart that brings the class back.

import { createHmac } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import Ajv from 'ajv'
import { afterEach, describe, expect, it } from 'vitest'
import { classExportCommand } from '../../simulator/src/server/classes/cli'
import { type ClassHarness, encodeInput, readStream, startClassHarness, waitFor } from './harness'

let h: ClassHarness | undefined
afterEach(async () => {
  await h?.close()
  h = undefined
})

const ready = async (h: ClassHarness, token: string) =>
  waitFor(async () => (await h.api('GET', `/api/attempts/${token}`)).body.state === 'ready', 10_000, 'ready')

describe('a class on the fake driver', () => {
  it('runs from creation to export', async () => {
    h = await startClassHarness()
    const c = await h.createClass()
    expect(c.code).toMatch(/^[34679ACDEFGHJKMNPQRTWXY]{6}$/)
    const board = readStream(`${h.server.url}/api/classes/${c.id}/events`, {
      authorization: `Bearer ${h.key}`,
    })
    const ada = await h.join(c.code.toLowerCase(), 'Ada')
    const bob = await h.join(c.code, 'Bob')
    expect(ada.recoveryCode).toMatch(/^[A-Z0-9]{5}(-[A-Z0-9]{5}){3}$/)

    const adaSeat = (await h.api('GET', `/api/seats/${ada.seatToken}`)).body
    expect(adaSeat.name).toBe('Ada')
    await ready(h, adaSeat.attemptToken)
    // Before the class starts, terminals stay shut.
    const early = await h.api('POST', `/api/attempts/${adaSeat.attemptToken}/terminals/controlplane/ticket`)
    expect(early.status).toBe(409)
    expect(early.body.error).toMatch(/not started/)

    await h.instructor('POST', `/api/classes/${c.id}/start`, {})
    const term = await h.terminal(adaSeat.attemptToken)
    await term.waitText('root@controlplane')

    // The mirror replays the screen, refuses keys, then types once takeover is on.
    const seatEvents = readStream(`${h.server.url}/api/seats/${ada.seatToken}/events`)
    const mirror = await h.mirror(c.id, ada.seatId)
    await mirror.waitText('root@controlplane')
    await waitFor(() => seatEvents.latest()?.watched === true, 5000, 'watched')
    term.type('echo hi-from-ada\r')
    await mirror.waitText('hi-from-ada')
    mirror.send(encodeInput('echo sneaky\r'))
    await waitFor(() => mirror.errors().some((e) => /read-only/.test(e.message)), 5000, 'read-only refusal')
    expect(term.text).not.toContain('sneaky')
    await h.instructor('POST', `/api/classes/${c.id}/seats/${ada.seatId}/takeover`, { on: true })
    await waitFor(() => seatEvents.latest()?.takeover === true, 5000, 'takeover announced')
    mirror.send(encodeInput('echo helped\r'))
    await term.waitText('helped')

    // The learner's work turns the check green on the board, pushed without a reload.
    term.type('touch /root/done\r')
    await waitFor(
      () => board.latest()?.rows.find((r: any) => r.seatId === ada.seatId)?.checks[0]?.verdict === 'pass',
      10_000,
      'the board showing the check passing',
    )
    expect(board.latest().summary).toEqual([{ id: 'marker-exists', title: expect.any(String), passed: 1 }])

    await h.api('POST', `/api/seats/${bob.seatToken}/help`, { on: true })
    await waitFor(() => board.latest()?.rows.find((r: any) => r.seatId === bob.seatId)?.needsHelp === true)

    await h.instructor('POST', `/api/classes/${c.id}/seats/${bob.seatId}/extend`, { minutes: 10 })
    const rows = (await h.instructor('GET', `/api/classes/${c.id}`)).body.rows
    const [a, b] = [ada.seatId, bob.seatId].map((id) => rows.find((r: any) => r.seatId === id))
    expect(b.deadline - a.deadline).toBe(10 * 60_000)

    await h.instructor('POST', `/api/classes/${c.id}/broadcast`, { text: 'ten minutes left' })
    await h.instructor('POST', `/api/classes/${c.id}/seats/${bob.seatId}/message`, {
      text: 'look at the manifest',
    })
    const adaView = (await h.api('GET', `/api/seats/${ada.seatToken}`)).body
    const bobView = (await h.api('GET', `/api/seats/${bob.seatToken}`)).body
    expect(adaView.messages.map((m: any) => m.text)).toEqual(['ten minutes left'])
    expect(bobView.messages.map((m: any) => m.text)).toEqual(['ten minutes left', 'look at the manifest'])

    await h.instructor('POST', `/api/classes/${c.id}/end`, {})
    const ended = (await h.instructor('GET', `/api/classes/${c.id}`)).body
    expect(ended.class.state).toBe('ended')
    expect(ended.rows.every((r: any) => r.ended)).toBe(true)
    expect((await h.api('GET', `/api/attempts/${adaSeat.attemptToken}`)).body.state).toBe('submitted')

    const csv = await fetch(`${h.server.url}/api/classes/${c.id}/export.csv`, {
      headers: { authorization: `Bearer ${h.key}` },
    }).then((r) => r.text())
    const lines = csv.trim().split('\r\n')
    expect(lines[0]).toBe('name,seat,fake-lab/marker-exists,total,max,duration_seconds')
    expect(lines[1]).toMatch(new RegExp(`^Ada,${ada.seatId},10,10,10,\\d+$`))
    expect(lines[2]).toMatch(new RegExp(`^Bob,${bob.seatId},0,0,10,\\d+$`))

    const json = (await h.instructor('GET', `/api/classes/${c.id}/export.json`)).body
    const ajv = new Ajv({ strict: false, validateFormats: false })
    ajv.addSchema(JSON.parse(readFileSync('simulator/src/grader/report.schema.json', 'utf8')))
    const validate = ajv.compile(
      JSON.parse(readFileSync('simulator/src/server/classes/class-export.schema.json', 'utf8')),
    )
    expect(validate(json), JSON.stringify(validate.errors)).toBe(true)
    const adaReport = (await h.api('GET', `/api/attempts/${adaSeat.attemptToken}/report.json`)).body
    expect(json.learners[0].reports).toEqual([adaReport])

    const xml = await fetch(`${h.server.url}/api/classes/${c.id}/export.xml`, {
      headers: { authorization: `Bearer ${h.key}` },
    }).then((r) => r.text())
    expect(xml.match(/<testsuite /g)?.length).toBe(2)
    expect(xml).toContain('<testsuite name="Ada — fake-lab"')
    // The headless export reads the same data dir (while the server runs) and writes the same files.
    for (const [format, http] of [
      ['csv', csv],
      ['junit', xml],
    ] as const) {
      let out = ''
      const status = await classExportCommand([c.code, '--format', format, '--data-dir', h.dataDir], {
        out: (t) => {
          out += t
        },
        err: (t) => {
          throw new Error(t)
        },
      })
      expect(status).toBe(0)
      expect(out).toBe(http)
    }
    let missing = ''
    const status = await classExportCommand(['NOSUCH', '--data-dir', h.dataDir], {
      out: () => {},
      err: (t) => {
        missing += t
      },
    })
    expect(status).toBe(1)
    expect(missing).toMatch(/no class "NOSUCH".*\n.*Tuesday etcd/)
    for (const text of [csv, JSON.stringify(json), xml]) {
      expect(text).not.toContain(h.key)
      expect(text).not.toContain(ada.recoveryCode)
      expect(text).not.toContain(ada.seatToken)
    }
    await board.stop()
    await seatEvents.stop()
    mirror.close()
    term.close()
  })

  it('comes back after a restart: class, seats, environments and reports', async () => {
    h = await startClassHarness()
    const c = await h.createClass()
    const ada = await h.join(c.code, 'Ada')
    await h.instructor('POST', `/api/classes/${c.id}/start`, {})
    const seat = (await h.api('GET', `/api/seats/${ada.seatToken}`)).body
    await ready(h, seat.attemptToken)
    const term = await h.terminal(seat.attemptToken)
    await term.waitText('root@controlplane')
    term.type('touch /root/done\r')
    await waitFor(
      async () =>
        (await h!.instructor('GET', `/api/classes/${c.id}`)).body.rows[0].checks[0]?.verdict === 'pass',
      10_000,
    )
    term.close()
    await h.restart()
    // The key is not shown again after a restart, and the old one still works.
    expect(h.server.instructorKey).toBeUndefined()
    const board = (await h.instructor('GET', `/api/classes/${c.id}`)).body
    expect(board.class.state).toBe('running')
    expect(board.rows.map((r: any) => r.name)).toEqual(['Ada'])
    // The recovery code from another browser opens the same seat and the same environment.
    const again = (await h.api('POST', '/api/join/recover', { recoveryCode: ada.recoveryCode })).body
    expect(again.seatToken).toBe(ada.seatToken)
    await ready(h, seat.attemptToken)
    await waitFor(
      async () =>
        (await h!.instructor('GET', `/api/classes/${c.id}`)).body.rows[0].checks[0]?.verdict === 'pass',
      10_000,
      'the board grading the restored environment',
    )
  })

  it('runs an exam class: no checks for the learner, the board still grades, submitting ends the seat', async () => {
    h = await startClassHarness()
    const c = await h.createClass({ mode: 'exam', durationMin: 20 })
    const ada = await h.join(c.code, 'Ada')
    const seat = (await h.api('GET', `/api/seats/${ada.seatToken}`)).body
    await ready(h, seat.attemptToken)
    await h.instructor('POST', `/api/classes/${c.id}/start`, {})
    const board = (await h.instructor('GET', `/api/classes/${c.id}`)).body
    const attempt = (await h.api('GET', `/api/attempts/${seat.attemptToken}`)).body
    // The attempt's own clock is the class's.
    expect(attempt.deadline).toBe(board.rows[0].deadline)
    expect(board.rows[0].deadline).toBe(board.class.startedAt + 20 * 60_000)
    const term = await h.terminal(seat.attemptToken)
    await term.waitText('root@controlplane')
    term.type('touch /root/done\r')
    expect((await h.api('POST', `/api/attempts/${seat.attemptToken}/grade`)).status).toBe(403)
    await waitFor(
      async () =>
        (await h!.instructor('GET', `/api/classes/${c.id}`)).body.rows[0].checks[0]?.verdict === 'pass',
      10_000,
      'the board grading an exam',
    )
    expect((await h.api('POST', `/api/attempts/${seat.attemptToken}/submit`)).status).toBe(200)
    await waitFor(
      async () => (await h!.instructor('GET', `/api/classes/${c.id}`)).body.rows[0].ended === true,
    )
    term.close()
  })

  it('posts signed events to the class webhook', async () => {
    const got: { type: string; body: string; signature: string }[] = []
    const receiver = createServer((req, res) => {
      let body = ''
      req.on('data', (d) => {
        body += d
      })
      req.on('end', () => {
        got.push({
          type: String(req.headers['x-ckalab-event']),
          body,
          signature: String(req.headers['x-ckalab-signature']),
        })
        res.end('ok')
      })
    })
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()))
    try {
      h = await startClassHarness()
      const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`
      const bad = await h.instructor('POST', '/api/classes', {
        name: 'x',
        labs: ['fake-lab'],
        webhook: 'ftp://x',
      })
      expect(bad.status).toBe(400)
      const c = await h.createClass({ webhook: url })
      const secret = (c as { webhookSecret?: string }).webhookSecret!
      expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/)
      // Shown once: neither the list nor the board carries it.
      expect(JSON.stringify((await h.instructor('GET', '/api/classes')).body)).not.toContain(secret)
      expect(JSON.stringify((await h.instructor('GET', `/api/classes/${c.id}`)).body)).not.toContain(secret)
      const ada = await h.join(c.code, 'Ada')
      await h.instructor('POST', `/api/classes/${c.id}/start`, {})
      const seat = (await h.api('GET', `/api/seats/${ada.seatToken}`)).body
      await ready(h, seat.attemptToken)
      const term = await h.terminal(seat.attemptToken)
      await term.waitText('root@controlplane')
      term.type('touch /root/done\r')
      await waitFor(
        () => got.some((e) => e.type === 'check-changed' && e.body.includes('"pass"')),
        10_000,
        'check-changed',
      )
      await h.instructor('POST', `/api/classes/${c.id}/end`, {})
      await waitFor(() => got.some((e) => e.type === 'ended'), 5000, 'ended')
      term.close()
      expect(got.map((e) => e.type).filter((t, i, all) => all.indexOf(t) === i)).toEqual([
        'joined',
        'started',
        'check-changed',
        'submitted',
        'ended',
      ])
      for (const e of got) {
        expect(e.signature).toBe(`sha256=${createHmac('sha256', secret).update(e.body).digest('hex')}`)
        expect(JSON.parse(e.body)).toMatchObject({ type: e.type, class: c.id })
        expect(e.body).not.toContain(ada.seatToken)
      }
      const submitted = JSON.parse(got.find((e) => e.type === 'submitted')!.body)
      expect(submitted.data).toMatchObject({ name: 'Ada', points: 10, max: 10 })
    } finally {
      receiver.close()
    }
  })

  it('refuses a full class, a closed one, and an ended one with clear messages', async () => {
    h = await startClassHarness()
    const c = await h.createClass({ seatCap: 1 })
    await h.join(c.code, 'Ada')
    const full = await h.api('POST', '/api/join', { code: c.code, name: 'Bob' })
    expect(full.status).toBe(409)
    expect(full.body.error).toMatch(/full \(1 seats\)/)
    const d = await h.createClass()
    await h.instructor('POST', `/api/classes/${d.id}/joining`, { open: false })
    const closed = await h.api('POST', '/api/join', { code: d.code, name: 'Bob' })
    expect(closed.status).toBe(403)
    await h.instructor('POST', `/api/classes/${d.id}/end`, {})
    const over = await h.api('POST', '/api/join', { code: d.code, name: 'Bob' })
    expect(over.status).toBe(410)
    const noName = await h.api('POST', '/api/join', { code: c.code, name: '  ' })
    expect(noName.status).toBe(400)
    expect(noName.body.error).toMatch(/type the name/)
  })
})
