// Helpers for the terminal protocol suites: a server on a fake driver in a
// temp data dir, and a small terminal client speaking the binary protocol.

import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import WebSocket from 'ws'
import type { Driver } from '../../simulator/src/seam'
import { silentLogger } from '../../simulator/src/server/log'
import type { LabCatalog } from '../../simulator/src/server/ports'
import {
  decodeFrame,
  encodeAck,
  encodeHello,
  encodeInput,
  type Frame,
} from '../../simulator/src/server/protocol'
import { type RunningServer, type ServerOptions, startServer } from '../../simulator/src/server/server'
import { FakeCatalog, FakeDriver } from '../../simulator/src/server/testing/fakes'

export interface Harness {
  server: RunningServer
  driver: Driver
  dataDir: string
  origin: string
  api<T = any>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>
  startAttempt(lab?: string, mode?: 'practice' | 'exam'): Promise<string>
  ticket(token: string, node?: string): Promise<string>
  terminal(token: string, node?: string): Promise<TermClient>
  restart(): Promise<void>
  close(): Promise<void>
}

export async function startHarness(
  opts: { driver?: Driver; catalog?: LabCatalog; dataDir?: string } & Partial<ServerOptions> = {},
): Promise<Harness> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'ckalab-proto-'))
  const driver = opts.driver ?? new FakeDriver()
  const catalog = opts.catalog ?? new FakeCatalog()
  const boot = (port = 0) =>
    startServer({
      ...opts,
      port,
      host: '127.0.0.1',
      driver,
      catalog,
      dataDir,
      log: opts.log ?? silentLogger,
    })
  let server = await boot()
  const h: Harness = {
    get server() {
      return server
    },
    driver,
    dataDir,
    get origin() {
      return server.url
    },
    async api(method, path, body) {
      const send = () =>
        fetch(server.url + path, {
          method,
          headers: body === undefined ? {} : { 'content-type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
        })
      // after restart() a pooled keep-alive socket may still point at the old process: once more, fresh
      const res = await send().catch((e) => {
        if ((e as { cause?: { code?: string } }).cause?.code !== 'UND_ERR_SOCKET') throw e
        return send()
      })
      const text = await res.text()
      let parsed: any = text
      try {
        parsed = JSON.parse(text)
      } catch {
        /* not JSON */
      }
      return { status: res.status, body: parsed }
    },
    async startAttempt(lab = 'fake-lab', mode = 'practice') {
      const r = await h.api('POST', '/api/attempts', { lab, mode })
      if (r.status !== 201) throw new Error(`start failed: ${r.status} ${JSON.stringify(r.body)}`)
      const token = r.body.token as string
      await waitFor(async () => (await h.api('GET', `/api/attempts/${token}`)).body.state === 'ready', 10_000)
      return token
    },
    async ticket(token, node = 'controlplane') {
      const r = await h.api('POST', `/api/attempts/${token}/terminals/${node}/ticket`)
      if (r.status !== 200) throw new Error(`ticket failed: ${r.status} ${JSON.stringify(r.body)}`)
      return r.body.ticket as string
    },
    async terminal(token, node = 'controlplane') {
      const t = await TermClient.connect(server.url, h.origin)
      t.hello(await h.ticket(token, node))
      return t
    },
    async restart() {
      // Same port, so open pages (and reconnecting clients) find the new process.
      const port = server.port
      await server.close()
      server = await boot(port)
    },
    async close() {
      await server.close()
      if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true })
    },
  }
  return h
}

export async function waitFor(cond: () => boolean | Promise<boolean>, timeoutMs = 5000, what = 'condition') {
  const until = Date.now() + timeoutMs
  for (;;) {
    if (await cond()) return
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 10))
  }
}

const dec = new TextDecoder()

export class TermClient {
  frames: Frame[] = []
  text = ''
  closed: { code: number; reason: string } | undefined
  autoAck = true
  received = 0

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (raw: Buffer) => {
      const d = decodeFrame(new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength))
      if (!d.ok) throw new Error(`server sent a bad frame: ${d.message}`)
      this.frames.push(d.frame)
      if (d.frame.op === 'output') {
        this.text += dec.decode(d.frame.data, { stream: true })
        this.received += d.frame.data.length
        if (this.autoAck) this.send(encodeAck(d.frame.data.length))
      }
    })
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() }
    })
  }

  /** A client over a socket opened elsewhere (e.g. the class mirror's). */
  static wrap(ws: WebSocket): TermClient {
    return new TermClient(ws)
  }

  static connect(url: string, origin: string | undefined): Promise<TermClient> {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/api/terminal`, {
      headers: origin ? { origin } : {},
    })
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new TermClient(ws)))
      ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)))
      ws.once('error', reject)
    })
  }

  send(bytes: Uint8Array | string): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(bytes, { binary: typeof bytes !== 'string' })
  }

  hello(ticket: string, cols = 80, rows = 24): void {
    this.send(encodeHello(cols, rows, ticket))
  }

  type(text: string): void {
    this.send(encodeInput(text))
  }

  errors(): { code: number; message: string }[] {
    return this.frames.flatMap((f) => (f.op === 'error' ? [{ code: f.code, message: f.message }] : []))
  }

  async waitText(pattern: RegExp | string, timeoutMs = 5000): Promise<void> {
    const test = () => (typeof pattern === 'string' ? this.text.includes(pattern) : pattern.test(this.text))
    await waitFor(test, timeoutMs, `terminal text ${pattern} (have ${JSON.stringify(this.text.slice(-200))})`)
  }

  async waitClosed(timeoutMs = 5000): Promise<{ code: number; reason: string }> {
    await waitFor(() => this.closed !== undefined, timeoutMs, 'socket close')
    return this.closed!
  }

  close(): void {
    this.ws.close()
  }

  terminate(): void {
    this.ws.terminate()
  }
}
