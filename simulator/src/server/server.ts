// ckalab's HTTP and WebSocket server: the JSON API for labs and attempts, one
// WebSocket per terminal, and the built web app. Loopback by default; every
// attempt is reachable only with its own token; browsers from other origins
// can neither open terminals nor post to the API.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import { type RawData, type WebSocket, WebSocketServer } from 'ws'
import type { Driver } from '../seam'
import { AccessKey, checkStateChange, isLoopbackHost } from './access'
import { AttemptError, AttemptManager } from './attempts'
import { runnableOn } from './catalog'
import { ClassRoutes } from './classes/routes'
import { WarmPool } from './classes/warm-pool'
import { FrameGate, type GateLimits } from './frame-gate'
import { createLogger, type Logger } from './log'
import type { LabCatalog } from './ports'
import { progressFrom } from './progress'
import { decodeFrame, ErrorCode, encodeError, encodeHello, MAX_FRAME_BYTES } from './protocol'
import type { SessionClient, TerminalSession } from './session'
import { createStaticHandler, defaultWebDir } from './static'
import { Store } from './store'
import { attemptIdOf, looksLikeToken, TicketBook } from './tokens'

export interface ServerOptions {
  port?: number
  host?: string
  driver: Driver
  dataDir: string
  catalog: LabCatalog
  log?: Logger
  /** Extra origins allowed to use the API and terminals (e.g. a Vite dev server). */
  allowedOrigins?: string[]
  webDir?: string
  ticketTtlMs?: number
  /** How often the driver's reaper looks for orphaned environments (driver default: 5 min). */
  reapIntervalMs?: number
  tickMs?: number
  /** How the person started this server ("npm start", "ckalab serve"); the page names it in its messages. */
  command?: string
  /** Replace the instructor key with a new one (shown once in `instructorKey`). */
  rotateInstructorKey?: boolean
  /** Classes: shortest time between background gradings of one learner (default 3 s). */
  classGradeGapMs?: number
  /**
   * The key every state-changing request needs when the server listens beyond
   * loopback (required there; ignored on loopback, where only this machine connects).
   */
  accessKey?: string
  /** Per-terminal limits on input and resize frames (tests tighten them). */
  gate?: Partial<GateLimits>
}

export interface RunningServer {
  url: string
  port: number
  /** True when state-changing requests need the access key (listening beyond loopback). */
  keyRequired: boolean
  manager: AttemptManager
  classes: ClassRoutes
  /** The instructor key when this start made (or rotated) it; it is never shown again. */
  instructorKey: string | undefined
  close(): Promise<void>
}

const MAX_BODY_BYTES = 16 * 1024
/** ws closes the socket above this; frames between MAX_FRAME_BYTES and this get a protocol error frame. */
const WS_MAX_PAYLOAD = 1024 * 1024
const HELLO_TIMEOUT_MS = 5000
const MAX_PROTOCOL_ERRORS = 50

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message)
  }
}

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  // The attempt token is in the page URL; never leak it to another site.
  'referrer-policy': 'no-referrer',
  'content-security-policy':
    "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
  })
  res.end(text)
}

async function readJsonBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const type = req.headers['content-type'] ?? ''
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > MAX_BODY_BYTES) throw new HttpError(413, `request body is larger than ${MAX_BODY_BYTES} bytes`)
    chunks.push(chunk as Buffer)
  }
  if (size === 0) return {}
  // Requiring JSON keeps plain cross-site form posts out (they cannot set this type).
  if (!type.startsWith('application/json'))
    throw new HttpError(415, 'send the request body as application/json')
  try {
    const value = JSON.parse(Buffer.concat(chunks).toString('utf8'))
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not an object')
    return value as Record<string, unknown>
  } catch {
    throw new HttpError(400, 'the request body is not a JSON object')
  }
}

export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const log = opts.log ?? createLogger()
  const host = opts.host ?? '127.0.0.1'
  const keyRequired = !isLoopbackHost(host)
  if (keyRequired && !opts.accessKey)
    throw new Error(`listening on ${host} (beyond this machine) needs an access key; pass --access-key <key>`)
  const accessKeys = keyRequired && opts.accessKey ? [new AccessKey(opts.accessKey)] : []
  const store = new Store(opts.dataDir)
  // Classes keep environments ready for learners still to join; kind has its own warm pool.
  const pool = new WarmPool(opts.driver, log)
  const manager = new AttemptManager({
    store,
    driver: pool.driver,
    catalog: opts.catalog,
    log,
    tickMs: opts.tickMs,
  })
  await manager.ready
  // After the restore, so clusters kept for adoption count as owned.
  const stopReaper = opts.driver.startReaper?.(
    () => manager.liveEnvIds(),
    opts.reapIntervalMs,
    (err) => log.warn('removing orphaned lab environments failed', { err: String(err) }),
  )
  const tickets = new TicketBook(opts.ticketTtlMs ?? 30_000)
  const serveStatic = createStaticHandler(opts.webDir ?? defaultWebDir())
  const allowedOrigins = new Set<string>(opts.allowedOrigins ?? [])
  const allowedHosts = new Set<string>()
  const command = opts.command ?? 'ckalab serve'
  const probe = await opts.driver.probe().catch((err) => ({ ok: false, reason: String(err) }))

  const classes = new ClassRoutes({
    store,
    attempts: manager,
    catalog: opts.catalog,
    log,
    sendJson,
    readJsonBody,
    securityHeaders: SECURITY_HEADERS,
    rotateInstructorKey: opts.rotateInstructorKey,
    gradeGapMs: opts.classGradeGapMs,
    ...(opts.driver.name === 'kind' ? {} : { warm: (spec, count) => pool.want(spec, count) }),
  })

  // Beyond loopback the page is loaded under a name or address this server cannot list
  // (its LAN address, a DNS name); an Origin naming the request's own Host is its page.
  const access = { origins: { allowed: allowedOrigins, sameHost: keyRequired }, keys: accessKeys }

  const attemptFrom = (token: string): string => {
    if (!looksLikeToken(token)) throw new HttpError(404, 'no such attempt; check the link')
    const id = attemptIdOf(token)
    if (!manager.has(id)) throw new HttpError(404, 'no such attempt; check the link')
    return id
  }

  const route = async (req: IncomingMessage, res: ServerResponse, path: string): Promise<void> => {
    const method = req.method ?? 'GET'
    const parts = path.split('/').filter(Boolean).slice(1) // drop "api"
    if (method !== 'GET' && method !== 'HEAD') {
      // Every state change: from this server's pages only, and with the key beyond loopback.
      const decision = checkStateChange(req, access)
      if (!decision.ok) throw new HttpError(decision.status, decision.reason)
    }
    if (classes.handles(parts)) return classes.route(req, res, parts, method)
    if (parts[0] === 'health' && method === 'GET') {
      return sendJson(res, 200, { ok: true, driver: opts.driver.name, command })
    }
    if (parts[0] === 'progress' && parts.length === 1 && method === 'GET') {
      const rows = store.listAttempts()
      return sendJson(res, 200, progressFrom(rows.map((row) => ({ row, events: store.events(row.id) }))))
    }
    if (parts[0] === 'labs' && parts.length === 1 && method === 'GET') {
      const { labs, errors } = await opts.catalog.list()
      return sendJson(res, 200, {
        driver: { name: opts.driver.name, ok: probe.ok, reason: probe.reason ?? null },
        command,
        labs: labs.map((l) => ({ ...l, runnableHere: runnableOn(l.drivers, opts.driver.name) })),
        errors,
      })
    }
    if (parts[0] === 'labs' && parts.length === 2 && method === 'GET') {
      const lab = await opts.catalog.get(parts[1])
      if (!lab) throw new HttpError(404, `no lab named "${parts[1]}"`)
      const { hints, ...rest } = lab
      return sendJson(res, 200, { ...rest, hintsTotal: hints.length })
    }
    if (parts[0] === 'attempts' && parts.length === 1 && method === 'POST') {
      const body = await readJsonBody(req)
      const lab = typeof body.lab === 'string' ? body.lab : ''
      const mode = body.mode === 'exam' ? 'exam' : 'practice'
      if (!lab) throw new HttpError(400, 'say which lab to start: {"lab": "<id>", "mode": "practice"|"exam"}')
      const started = await manager.start(lab, mode)
      return sendJson(res, 201, started)
    }
    if (parts[0] === 'attempts' && parts.length >= 2) {
      const id = attemptFrom(parts[1])
      const action = parts[2]
      if (!action && method === 'GET') return sendJson(res, 200, manager.view(id))
      if (action === 'transcript' && parts.length === 3 && method === 'GET')
        return sendJson(res, 200, { screens: manager.transcript(id) })
      if (method === 'POST') {
        if (action === 'reset' && parts.length === 3) {
          void manager.reset(id).catch((err) => log.warn('reset failed', { attempt: id, err }))
          tickets.revokeAttempt(id)
          return sendJson(res, 202, manager.view(id))
        }
        if (action === 'stop' && parts.length === 3) {
          await manager.stop(id)
          tickets.revokeAttempt(id)
          return sendJson(res, 200, manager.view(id))
        }
        if (action === 'grade' && parts.length === 3) {
          const report = await manager.grade(id, false)
          return sendJson(res, 200, report)
        }
        if (action === 'submit' && parts.length === 3) {
          const report = await manager.grade(id, true)
          tickets.revokeAttempt(id)
          return sendJson(res, 200, report)
        }
        if (action === 'hint' && parts.length === 3) return sendJson(res, 200, { hints: manager.hint(id) })
        if (action === 'solution' && parts.length === 3)
          return sendJson(res, 200, { markdown: await manager.solution(id) })
        if (action === 'terminals' && parts.length === 5 && parts[4] === 'ticket') {
          let node: string
          try {
            node = decodeURIComponent(parts[3])
          } catch {
            throw new HttpError(400, 'the node name in the path is not valid percent-encoding')
          }
          const view = manager.view(id)
          if (view.state !== 'ready')
            throw new HttpError(409, `the lab is ${view.state}; terminals open once it is ready`)
          if (!view.nodes.includes(node)) throw new HttpError(404, `this lab has no node named "${node}"`)
          const refusal = classes.terminalRefusal(id)
          if (refusal) throw new HttpError(409, refusal)
          return sendJson(res, 200, tickets.issue(id, node))
        }
      }
      if (method === 'GET' && (action === 'report.json' || action === 'report.xml') && parts.length === 3) {
        const report = manager.latestReport(id)
        if (!report) throw new HttpError(404, 'there is no report yet; run "Check my work" (or submit) first')
        const lab = manager.view(id).lab
        if (action === 'report.json') {
          res.writeHead(200, {
            ...SECURITY_HEADERS,
            'content-type': 'application/json; charset=utf-8',
            'content-disposition': `attachment; filename="${lab}-report.json"`,
          })
          res.end(`${JSON.stringify(report, null, 2)}\n`)
        } else {
          res.writeHead(200, {
            ...SECURITY_HEADERS,
            'content-type': 'application/xml; charset=utf-8',
            'content-disposition': `attachment; filename="${lab}-junit.xml"`,
          })
          res.end(manager.junit(report))
        }
        return
      }
    }
    throw new HttpError(404, `no API route ${method} ${path}`)
  }

  const server = createServer((req, res) => {
    const started = Date.now()
    let pathname = '/'
    try {
      pathname = new URL(req.url ?? '/', 'http://localhost').pathname
    } catch {
      /* keep "/" */
    }
    const hostHeader = req.headers.host ?? ''
    if (allowedHosts.size > 0 && !allowedHosts.has(hostHeader.toLowerCase())) {
      // A page on another site that rebinds its DNS name to 127.0.0.1 arrives with its own Host.
      sendJson(res, 421, { error: `this server does not answer to host "${hostHeader}"` })
      return
    }
    const done = (status: number) => {
      if (pathname.startsWith('/api/'))
        log.debug('request', {
          method: req.method,
          route: pathname.replace(/\/(attempts|seats)\/[^/]+/, '/$1/:token'),
          status,
          ms: Date.now() - started,
        })
    }
    if (pathname.startsWith('/api/')) {
      route(req, res, pathname)
        .then(() => done(res.statusCode))
        .catch((err) => {
          const status = err instanceof HttpError || err instanceof AttemptError ? err.status : 500
          if (status === 500) log.error('request failed', { method: req.method, err })
          if (!res.headersSent)
            sendJson(res, status, { error: err instanceof Error ? err.message : String(err) })
          else res.end()
          done(status)
        })
      return
    }
    res.setHeader('x-content-type-options', 'nosniff')
    res.setHeader('x-frame-options', 'DENY')
    res.setHeader('referrer-policy', 'no-referrer')
    res.setHeader('content-security-policy', SECURITY_HEADERS['content-security-policy'])
    serveStatic(req, res, pathname).catch((err) => {
      log.error('static file failed', { err })
      if (!res.headersSent) res.writeHead(500).end()
    })
  })
  server.headersTimeout = 20_000
  server.requestTimeout = 60_000

  const wss = new WebSocketServer({ noServer: true, maxPayload: WS_MAX_PAYLOAD, perMessageDeflate: false })
  const sockets = new Set<WebSocket>()

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const refuse = (status: number, text: string) => {
      socket.end(`HTTP/1.1 ${status} ${text}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`)
    }
    socket.on('error', () => {})
    let pathname = ''
    try {
      pathname = new URL(req.url ?? '/', 'http://localhost').pathname
    } catch {
      /* refused below */
    }
    if (pathname !== '/api/terminal' && !classes.isMirrorPath(pathname)) return refuse(404, 'Not Found')
    // A browser always sends Origin on a WebSocket upgrade; without one it is no page of ours.
    if (req.headers.origin === undefined || !checkStateChange(req, { ...access, keys: [] }).ok) {
      log.warn('terminal refused: origin not allowed', { origin: req.headers.origin ?? null })
      return refuse(403, 'Forbidden')
    }
    if (classes.isMirrorPath(pathname)) return classes.upgradeMirror(req, socket, head)
    wss.handleUpgrade(req, socket, head, (ws) => handleTerminalSocket(ws))
  })

  function handleTerminalSocket(ws: WebSocket): void {
    sockets.add(ws)
    let session: TerminalSession | undefined
    let gate: FrameGate | undefined
    let lastRefusal = 0
    let attemptId = ''
    let errors = 0
    let helloPending = false
    const send = (bytes: Uint8Array) => {
      if (ws.readyState === ws.OPEN) ws.send(bytes, { binary: true })
    }
    const client: SessionClient = {
      send,
      close(code, reason) {
        send(encodeError(ErrorCode.gone, reason))
        ws.close(code === 1001 ? 1001 : 4000, reason.slice(0, 120))
      },
    }
    const protocolError = (code: number, message: string, fatal = false) => {
      errors++
      send(encodeError(code, message))
      if (fatal || errors > MAX_PROTOCOL_ERRORS) ws.close(1008, message.slice(0, 120))
    }
    const helloTimer = setTimeout(() => {
      if (!session)
        protocolError(ErrorCode.badState, 'no hello within 5 s; send a hello frame with a ticket first', true)
    }, HELLO_TIMEOUT_MS)

    ws.on('message', (raw: RawData, isBinary: boolean) => {
      if (!isBinary)
        return protocolError(ErrorCode.badValue, 'text messages are not part of the terminal protocol')
      const bytes = Array.isArray(raw) ? Buffer.concat(raw) : Buffer.isBuffer(raw) ? raw : Buffer.from(raw)
      const decoded = decodeFrame(
        new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength),
        MAX_FRAME_BYTES,
      )
      if (!decoded.ok) return protocolError(decoded.code, decoded.message)
      const frame = decoded.frame
      if (!session) {
        if (frame.op !== 'hello' || helloPending)
          return protocolError(ErrorCode.badState, 'the first frame must be a hello carrying a ticket', true)
        helloPending = true
        const redeemed = tickets.redeem(frame.text)
        if (!redeemed.ok) return protocolError(ErrorCode.unauthorized, redeemed.reason, true)
        attemptId = redeemed.ticket.attemptId
        let s: TerminalSession
        try {
          s = manager.terminal(attemptId, redeemed.ticket.node, { cols: frame.cols, rows: frame.rows })
        } catch (err) {
          return protocolError(ErrorCode.gone, err instanceof Error ? err.message : String(err), true)
        }
        clearTimeout(helloTimer)
        session = s
        gate = new FrameGate(
          { input: (d) => s.input(d), resize: (size) => s.resize(size), backlog: () => s.backlog() },
          (bytes, queued) => {
            // One message per second is enough to be seen; a flood of refusals is not sent back as a flood.
            if (Date.now() - lastRefusal < 1000) return
            lastRefusal = Date.now()
            send(
              encodeError(
                ErrorCode.inputRefused,
                `${bytes} bytes of input were not accepted: the terminal still has ${Math.round(queued / 1024)} KiB of earlier input its shell has not read. Wait for it (or press Ctrl-C), then type or paste again.`,
              ),
            )
          },
          opts.gate,
        )
        send(encodeHello(frame.cols, frame.rows, redeemed.ticket.node))
        s.attach(client, { cols: frame.cols, rows: frame.rows }).then(
          () => {
            if (ws.readyState !== ws.OPEN) s.detach(client)
          },
          (err) => protocolError(ErrorCode.internal, `could not open the terminal: ${String(err)}`, true),
        )
        return
      }
      try {
        switch (frame.op) {
          case 'input':
            gate!.input(frame.data)
            return
          case 'resize':
            gate!.resize({ cols: frame.cols, rows: frame.rows })
            return
          case 'ack':
            session.ack(client, frame.bytes)
            return
          default:
            return protocolError(ErrorCode.badState, `a client may not send ${frame.op} frames`)
        }
      } catch (err) {
        // A fault in one terminal's source must not take the server (or other terminals) down.
        log.error('terminal frame failed', { attempt: attemptId, op: frame.op, err })
        protocolError(ErrorCode.internal, 'the terminal could not handle that input; try again or reconnect')
      }
    })
    ws.on('close', () => {
      clearTimeout(helloTimer)
      gate?.close()
      sockets.delete(ws)
      session?.detach(client)
    })
    ws.on('error', (err) => log.debug('terminal socket error', { attempt: attemptId, err }))
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const port = (server.address() as AddressInfo).port
  const shownHost = host.includes(':') ? `[${host}]` : host
  const url = `http://${shownHost}:${port}`
  for (const h of new Set([shownHost, 'localhost', '127.0.0.1', '[::1]'])) {
    allowedOrigins.add(`http://${h}:${port}`)
    allowedHosts.add(`${h}:${port}`)
  }
  if (host === '0.0.0.0' || host === '::') allowedHosts.clear() // reachable by any name; rely on tokens and Origin
  log.info('ckalab server listening', { url, driver: opts.driver.name, dataDir: opts.dataDir, keyRequired })

  let closing: Promise<void> | undefined
  return {
    url,
    port,
    keyRequired,
    manager,
    classes,
    instructorKey: classes.newInstructorKey,
    close() {
      closing ??= (async () => {
        classes.close()
        for (const ws of sockets) ws.close(1001, 'the server is shutting down')
        wss.close()
        await new Promise<void>((resolve) => {
          server.close(() => resolve())
          server.closeAllConnections?.()
        })
        stopReaper?.()
        await pool.close()
        await manager.close()
        await opts.driver
          .close?.()
          .catch((err) => log.warn('closing the driver failed', { err: String(err) }))
        store.close()
        log.info('ckalab server stopped')
      })()
      return closing
    },
  }
}
