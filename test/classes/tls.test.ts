// The server's own TLS (--tls-cert/--tls-key): with an openssl-made
// self-signed certificate, the API answers over https, a learner joins (the
// seat cookie is Secure), a terminal and the instructor's mirror work over
// wss, and plain http on the same port gets no page. The CLI's pairing rule
// and its start lines are checked here too.

import { mkdtempSync, rmSync } from 'node:fs'
import { request } from 'node:https'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import {
  certificateNameWarnings,
  exposureLines,
  instructorLine,
  parseServeArgs,
  startLine,
} from '../../simulator/src/server/cli'
import { silentLogger } from '../../simulator/src/server/log'
import { decodeFrame, encodeAck, encodeHello, encodeInput } from '../../simulator/src/server/protocol'
import { type RunningServer, startServer } from '../../simulator/src/server/server'
import { FakeCatalog, FakeDriver } from '../../simulator/src/server/testing/fakes'
import { selfSigned } from '../../simulator/src/server/testing/self-signed'
import { loadTls } from '../../simulator/src/server/tls'

let dir: string
let ca: string
let server: RunningServer

function call(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: any; headers: Record<string, unknown> }> {
  const url = new URL(server.url + path)
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        ca,
        headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
      },
      (res) => {
        let text = ''
        res.on('data', (d) => {
          text += d
        })
        res.on('end', () => {
          let parsed: any = text
          try {
            parsed = JSON.parse(text)
          } catch {
            /* not JSON */
          }
          resolve({ status: res.statusCode ?? 0, body: parsed, headers: res.headers })
        })
      },
    )
    req.on('error', reject)
    req.end(body === undefined ? undefined : JSON.stringify(body))
  })
}

/** Opens a terminal-protocol socket over wss (trusting only our certificate) and says hello. */
async function wssTerminal(path: string, ticket: string) {
  const ws = new WebSocket(`${server.url.replace(/^https/, 'wss')}${path}`, {
    ca,
    headers: { origin: server.url },
  })
  const t = { ws, text: '' }
  ws.on('message', (raw: Buffer) => {
    const d = decodeFrame(new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength))
    if (!d.ok || d.frame.op !== 'output') return
    t.text += new TextDecoder().decode(d.frame.data)
    ws.send(encodeAck(d.frame.data.length))
  })
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve())
    ws.once('error', reject)
  })
  ws.send(encodeHello(80, 24, ticket))
  return t
}

async function until(cond: () => boolean, what: string, ms = 10_000) {
  const end = Date.now() + ms
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ckalab-class-tls-'))
  const files = selfSigned(dir, 'server')
  const tls = loadTls(files.cert, files.key)
  ca = tls.cert
  server = await startServer({
    port: 0,
    host: '127.0.0.1',
    driver: new FakeDriver(),
    catalog: new FakeCatalog(),
    dataDir: join(dir, 'data'),
    log: silentLogger,
    tls: { cert: tls.cert, key: tls.key },
    classGradeGapMs: 200,
  })
})
afterAll(async () => {
  await server?.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('serving https and wss', () => {
  it('answers the API over https and says https in its URL and start lines', async () => {
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/)
    const labs = await call('GET', '/api/labs')
    expect(labs.status).toBe(200)
    expect(labs.body.labs.map((l: { id: string }) => l.id)).toContain('fake-lab')
    expect(startLine(server.url, 'sim', 'sim')).toContain(
      `open ${server.url.replace('127.0.0.1', 'localhost')}`,
    )
    expect(startLine(server.url, 'sim', 'sim')).toMatch(/open https:\/\/localhost:\d+ /)
    expect(instructorLine(server.url, 'k'.repeat(43))).toMatch(
      /https:\/\/localhost:\d+\/instructor#key=k{43}/,
    )
    // Beyond loopback with TLS: the key is still required, but no warning about clear text.
    const lan = server.url.replace('127.0.0.1', '192.0.2.7')
    const exposure = exposureLines(lan, '0.0.0.0', 'k'.repeat(43))
    expect(exposure).toContain(`${lan}/?key=`)
    expect(exposure).not.toContain('without TLS')
    expect(exposureLines(lan.replace('https', 'http'), '0.0.0.0', 'k'.repeat(43))).toContain('without TLS')
  })

  it('gives nothing to plain http on the same port', async () => {
    const plain = server.url.replace('https:', 'http:')
    const outcome = await fetch(`${plain}/api/labs`).then(
      (r) => `status ${r.status}`,
      () => 'refused',
    )
    expect(outcome === 'refused' || /status 4\d\d/.test(outcome)).toBe(true)
  })

  it('runs a class over https: join (Secure seat cookie), a terminal and the mirror over wss', async () => {
    const key = server.instructorKey!
    const auth = { authorization: `Bearer ${key}` }
    const created = await call(
      'POST',
      '/api/classes',
      { name: 'TLS class', labs: ['fake-lab'], durationMin: 30, seatCap: 3 },
      auth,
    )
    expect(created.status).toBe(201)
    const c = created.body
    expect((await call('POST', `/api/classes/${c.id}/start`, {}, auth)).status).toBe(200)
    const joined = await call('POST', '/api/join', { code: c.code, name: 'Ada' }, { origin: server.url })
    expect(joined.status).toBe(201)
    expect(String(joined.headers['set-cookie'])).toMatch(/ckalab_seat=[^;]+;.*HttpOnly.*; Secure/)
    const seat = (await call('GET', `/api/seats/${joined.body.seatToken}`)).body
    for (let i = 0; i < 200; i++) {
      const a = await call('GET', `/api/attempts/${seat.attemptToken}`)
      if (a.body.state === 'ready') break
      await new Promise((r) => setTimeout(r, 50))
    }
    const ticket = await call('POST', `/api/attempts/${seat.attemptToken}/terminals/controlplane/ticket`)
    expect(ticket.status).toBe(200)
    const term = await wssTerminal('/api/terminal', ticket.body.ticket)
    await until(() => term.text.includes('root@controlplane'), 'the prompt over wss')
    const mirrorTicket = await call(
      'POST',
      `/api/classes/${c.id}/seats/${joined.body.seatId}/terminals/controlplane/ticket`,
      {},
      auth,
    )
    expect(mirrorTicket.status).toBe(200)
    const mirror = await wssTerminal('/api/class-mirror', mirrorTicket.body.ticket)
    await until(() => mirror.text.includes('root@controlplane'), 'the mirror over wss')
    term.ws.send(encodeInput('echo over-tls\r'))
    await until(() => term.text.includes('over-tls'), 'the echo over wss')
    await until(() => mirror.text.includes('over-tls'), "the learner's typing in the mirror")
    term.ws.close()
    mirror.ws.close()
  })
})

describe('the --tls-cert/--tls-key options', () => {
  it('take both files, from flags or the environment', () => {
    const o = parseServeArgs(['--tls-cert', '/etc/c.pem', '--tls-key', '/etc/k.pem'])
    expect(o).toMatchObject({ tlsCert: '/etc/c.pem', tlsKey: '/etc/k.pem' })
    process.env.CKALAB_TLS_CERT = '/x/c.pem'
    process.env.CKALAB_TLS_KEY = '/x/k.pem'
    try {
      expect(parseServeArgs([])).toMatchObject({ tlsCert: '/x/c.pem', tlsKey: '/x/k.pem' })
    } finally {
      delete process.env.CKALAB_TLS_CERT
      delete process.env.CKALAB_TLS_KEY
    }
    expect(parseServeArgs([]).tlsCert).toBeUndefined()
  })

  it('warn when learners are sent to an address the certificate does not name', () => {
    expect(certificateNameWarnings('https://localhost:4173', ['localhost', '127.0.0.1'])).toEqual([])
    expect(certificateNameWarnings('https://lab.school.example:4173', ['*.school.example'])).toEqual([])
    const [w] = certificateNameWarnings('https://192.0.2.7:4173', ['localhost', '127.0.0.1'])
    expect(w).toMatch(
      /certificate is for localhost, 127\.0\.0\.1, not 192\.0\.2\.7: browsers opening .* will warn/,
    )
    expect(certificateNameWarnings('https://a.b.school.example:1', ['*.school.example'])).toHaveLength(1)
  })

  it('refuse one without the other, saying which is missing', () => {
    const err = process.stderr.write
    let said = ''
    process.stderr.write = ((s: string) => {
      said += s
      return true
    }) as typeof process.stderr.write
    try {
      expect(() => parseServeArgs(['--tls-cert', '/etc/c.pem'])).toThrow(/--tls-key <file>.*is missing/)
      expect(() => parseServeArgs(['--tls-key', '/etc/k.pem'])).toThrow(/--tls-cert <file>.*is missing/)
    } finally {
      process.stderr.write = err
    }
    expect(said).toContain('--tls-cert and --tls-key go together')
  })
})
