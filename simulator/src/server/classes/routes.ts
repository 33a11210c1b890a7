// The class API under /api: the instructor's routes (each needs the
// instructor key as a Bearer token), the learners' join and seat routes (the
// seat token in the path is the key), the live streams (server-sent events)
// and the mirror WebSocket. server.ts hands over every path this module claims.

import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Duplex } from 'node:stream'
import type { ClusterSpec } from '../../seam'
import type { AttemptManager } from '../attempts'
import type { Logger } from '../log'
import type { LabCatalog } from '../ports'
import type { Store } from '../store'
import { capacityWarning, type KindCapacity } from './capacity'
import { ClassStore } from './class-store'
import { ClassError, type ClassEvent, ClassManager, type ClassManagerOptions } from './classes'
import { EXPORT_FORMATS, EXPORT_TYPES, type ExportFormat, learnerResults, renderExport } from './export'
import { ensureInstructorKey, verifyInstructorKey } from './instructor-key'
import { MIRROR_PATH, MirrorHub } from './mirror'
import { RateLimiter } from './rate-limit'
import { WebhookSender } from './webhook'

export interface ClassRoutesOptions {
  store: Store
  attempts: AttemptManager
  catalog: LabCatalog
  log: Logger
  sendJson(res: ServerResponse, status: number, body: unknown): void
  readJsonBody(req: IncomingMessage): Promise<Record<string, unknown>>
  securityHeaders: Record<string, string>
  rotateInstructorKey?: boolean
  /** Tests: grade in the background this often at most per seat. */
  gradeGapMs?: number
  tickMs?: number
  warm?: ClassManagerOptions['warm']
  /** How many learner clusters the machine holds (the kind driver); absent: no limit worth showing. */
  capacity?: (spec: ClusterSpec) => Promise<KindCapacity>
  /** The server speaks https: the seat cookie is marked Secure (never sent over plain http). */
  secureCookies?: boolean
}

const SEAT_COOKIE = 'ckalab_seat'
/** The board is sent at most this often, however fast the learners type. */
const STREAM_THROTTLE_MS = 150

export class ClassRoutes {
  readonly manager: ClassManager
  readonly classStore: ClassStore
  /** The instructor key when this start made it (shown once), undefined when one existed. */
  readonly newInstructorKey: string | undefined
  private readonly mirror: MirrorHub
  private readonly joinLimiter = new RateLimiter({ limit: 10, windowMs: 60_000 })
  private readonly streams = new Set<ServerResponse>()
  private readonly capacityCache = new Map<string, { at: number; value: Promise<KindCapacity> }>()

  constructor(private readonly o: ClassRoutesOptions) {
    this.classStore = new ClassStore(o.store.db)
    this.newInstructorKey = ensureInstructorKey(this.classStore, o.rotateInstructorKey)
    this.manager = new ClassManager({
      store: this.classStore,
      attempts: o.attempts,
      catalog: o.catalog,
      log: o.log,
      gradeGapMs: o.gradeGapMs,
      tickMs: o.tickMs,
      warm: o.warm,
      webhooks: new WebhookSender(o.log),
    })
    this.mirror = new MirrorHub(this.manager, o.attempts, o.log)
  }

  /** Whether `parts` (the path after /api) is one of ours. */
  handles(parts: string[]): boolean {
    return ['classes', 'join', 'seats', 'seat', 'instructor'].includes(parts[0] ?? '')
  }

  isMirrorPath(pathname: string): boolean {
    return pathname === MIRROR_PATH
  }

  upgradeMirror(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.mirror.upgrade(req, socket, head)
  }

  terminalRefusal(attemptId: string): string | undefined {
    return this.manager.terminalRefusal(attemptId)
  }

  close(): void {
    for (const res of this.streams) res.end()
    this.mirror.close()
    this.manager.close()
  }

  private requireInstructor(req: IncomingMessage): void {
    const auth = req.headers.authorization ?? ''
    const key = auth.startsWith('Bearer ') ? auth.slice(7).trim() : undefined
    if (!verifyInstructorKey(this.classStore, key))
      throw new ClassError(
        401,
        'this needs the instructor key; open the instructor link printed when the server started',
      )
  }

  async route(req: IncomingMessage, res: ServerResponse, parts: string[], method: string): Promise<void> {
    const { sendJson } = this.o
    const [head, id, sub, seatId, action, node, last] = parts
    if (head === 'join' && method === 'POST') {
      const ip = req.socket.remoteAddress ?? '?'
      this.joinLimiter.check(ip)
      const body = await this.o.readJsonBody(req)
      try {
        const joined =
          id === 'recover'
            ? this.manager.recover(String(body.recoveryCode ?? ''))
            : id === undefined
              ? await this.manager.join(String(body.code ?? ''), String(body.name ?? ''))
              : undefined
        if (!joined) throw new ClassError(404, `no API route POST /api/join/${id}`)
        this.setSeatCookie(res, joined.seatToken)
        return sendJson(res, id === 'recover' ? 200 : 201, joined)
      } catch (err) {
        // Only refusals count: a guesser is slowed down, a class full of people joining is not.
        if (err instanceof ClassError && (err.status === 404 || err.status === 410)) this.joinLimiter.fail(ip)
        throw err
      }
    }
    if (head === 'seat' && parts.length === 1 && method === 'GET') {
      // The seat this browser holds (the cookie), so the join page can send the learner back to it.
      const token = cookie(req, SEAT_COOKIE)
      if (!token) return sendJson(res, 200, { seatToken: null })
      try {
        this.manager.seatFromToken(token)
        return sendJson(res, 200, { seatToken: token })
      } catch {
        return sendJson(res, 200, { seatToken: null })
      }
    }
    if (head === 'seats' && id) {
      const seat = this.manager.seatFromToken(id)
      if (!sub && method === 'GET') return sendJson(res, 200, this.manager.seatView(seat))
      if (sub === 'events' && method === 'GET')
        return this.stream(
          req,
          res,
          (e) => e.classId === seat.classId && (!e.seatId || e.seatId === seat.id),
          () => this.manager.seatView(this.manager.seatFromToken(id)),
        )
      if (sub === 'help' && method === 'POST') {
        const body = await this.o.readJsonBody(req)
        this.manager.setHelp(seat, body.on !== false)
        return sendJson(res, 200, this.manager.seatView(this.manager.seatFromToken(id)))
      }
      if (sub === 'next' && method === 'POST') {
        await this.manager.nextLab(seat)
        return sendJson(res, 200, this.manager.seatView(this.manager.seatFromToken(id)))
      }
      throw new ClassError(404, `no API route ${method} /api/seats/:token/${sub ?? ''}`)
    }

    // Everything below is the instructor's.
    this.requireInstructor(req)
    if (head === 'instructor' && method === 'GET') return sendJson(res, 200, { ok: true })
    if (head !== 'classes') throw new ClassError(404, `no API route ${method} /api/${parts.join('/')}`)
    if (!id) {
      if (method === 'GET') return sendJson(res, 200, { classes: this.manager.list() })
      if (method === 'POST') {
        const created = await this.manager.create(await this.o.readJsonBody(req))
        const cap = await this.capacityFor(created.labs[0]).catch(() => undefined)
        const warning = cap ? capacityWarning(cap, created.seatCap) : undefined
        return sendJson(res, 201, { ...created, ...(warning ? { capacityWarning: warning } : {}) })
      }
    }
    if (id === 'capacity' && method === 'GET') {
      // Before a class is made (and on its board): how many learner clusters fit, for one lab and seat count.
      const query = new URL(req.url ?? '/', 'http://localhost').searchParams
      const lab = query.get('lab') ?? ''
      if (!(await this.o.catalog.get(lab))) throw new ClassError(404, `no lab named "${lab}"`)
      if (!this.o.capacity) return sendJson(res, 200, { driver: this.o.attempts.driverName, capacity: null })
      let capacity: KindCapacity
      try {
        capacity = await this.capacityFor(lab)
      } catch (err) {
        throw new ClassError(
          503,
          `the Docker engine did not say how much room it has (${err instanceof Error ? err.message : String(err)}); check that Docker runs`,
        )
      }
      const seats = Number(query.get('seats'))
      const warning = Number.isInteger(seats) && seats > 0 ? capacityWarning(capacity, seats) : undefined
      return sendJson(res, 200, { driver: 'kind', capacity, ...(warning ? { warning } : {}) })
    }
    if (!id) throw new ClassError(404, `no API route ${method} /api/classes`)
    const c = this.manager.requireClass(id)
    if (!sub && method === 'GET') return sendJson(res, 200, this.manager.board(c.id))
    if (sub === 'events' && method === 'GET')
      return this.stream(
        req,
        res,
        (e) => e.classId === c.id,
        () => this.manager.board(c.id),
      )
    if (sub?.startsWith('export.') && method === 'GET') {
      const format = sub.slice('export.'.length).replace(/^xml$/, 'junit') as ExportFormat
      if (!EXPORT_FORMATS.includes(format))
        throw new ClassError(404, 'export as export.csv, export.json or export.xml')
      return this.sendExport(res, c.id, format)
    }
    if (method === 'POST' && parts.length === 3) {
      const body = await this.o.readJsonBody(req)
      if (sub === 'start') return sendJson(res, 200, this.manager.start(c.id))
      if (sub === 'end') return sendJson(res, 200, await this.manager.end(c.id))
      if (sub === 'joining') return sendJson(res, 200, this.manager.setJoining(c.id, body.open !== false))
      if (sub === 'broadcast') {
        this.manager.message(c.id, null, String(body.text ?? ''))
        return sendJson(res, 200, { ok: true })
      }
    }
    if (sub === 'seats' && seatId) {
      if (action === 'report' && method === 'GET')
        return sendJson(res, 200, { reports: this.manager.reports(c.id, seatId) })
      if (method === 'POST' && action === 'terminals' && node && last === 'ticket') {
        try {
          return sendJson(res, 200, this.mirror.issue(c.id, seatId, decodeURIComponent(node)))
        } catch (err) {
          const status = (err as { status?: number }).status ?? 500
          throw new ClassError(status, err instanceof Error ? err.message : String(err))
        }
      }
      if (method === 'POST' && parts.length === 5) {
        const body = await this.o.readJsonBody(req)
        if (action === 'reset') {
          await this.manager.resetSeat(c.id, seatId)
          return sendJson(res, 202, { ok: true })
        }
        if (action === 'extend') {
          this.manager.extendSeat(c.id, seatId, Number(body.minutes))
          return sendJson(res, 200, { ok: true })
        }
        if (action === 'message') {
          this.manager.message(c.id, seatId, String(body.text ?? ''))
          return sendJson(res, 200, { ok: true })
        }
        if (action === 'end') {
          await this.manager.endSeat(c.id, seatId)
          return sendJson(res, 200, { ok: true })
        }
        if (action === 'takeover') {
          this.manager.setTakeover(c.id, seatId, body.on === true)
          return sendJson(res, 200, { ok: true })
        }
      }
    }
    throw new ClassError(404, `no API route ${method} /api/classes/${parts.slice(2).join('/')}`)
  }

  /** The capacity for a lab's cluster; asking Docker takes a moment, so an answer is reused for 15 s. */
  private async capacityFor(lab: string): Promise<KindCapacity> {
    if (!this.o.capacity) throw new Error('no capacity probe')
    const detail = await this.o.catalog.get(lab)
    if (!detail) throw new ClassError(404, `no lab named "${lab}"`)
    const key = JSON.stringify(detail.cluster)
    const cached = this.capacityCache.get(key)
    if (cached && Date.now() - cached.at < 15_000) return cached.value
    const value = this.o.capacity(detail.cluster)
    this.capacityCache.set(key, { at: Date.now(), value })
    value.catch(() => this.capacityCache.delete(key))
    return value
  }

  private sendExport(res: ServerResponse, classId: string, format: ExportFormat): void {
    const c = this.manager.requireClass(classId)
    const text = renderExport(format, c, this.results(classId))
    const { type, ext } = EXPORT_TYPES[format]
    const safe = c.name.replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 60) || 'class'
    res.writeHead(200, {
      ...this.o.securityHeaders,
      'content-type': type,
      'cache-control': 'no-store',
      'content-disposition': `attachment; filename="${safe}-${format}.${ext}"`,
    })
    res.end(text)
  }

  results(classId: string) {
    const c = this.manager.requireClass(classId)
    return learnerResults(c, this.classStore.seats(c.id), (attemptId) => {
      const r = this.o.store.latestReport(attemptId)
      return r ? { report: r.report, final: r.final } : undefined
    })
  }

  /** Server-sent events: the snapshot now, then again (throttled) after every change that concerns it. */
  private stream(
    req: IncomingMessage,
    res: ServerResponse,
    concerns: (e: ClassEvent) => boolean,
    snapshot: () => unknown,
  ): void {
    res.writeHead(200, {
      ...this.o.securityHeaders,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-accel-buffering': 'no',
    })
    this.streams.add(res)
    let timer: ReturnType<typeof setTimeout> | undefined
    let last = 0
    const push = () => {
      timer = undefined
      last = Date.now()
      try {
        res.write(`data: ${JSON.stringify(snapshot())}\n\n`)
      } catch (err) {
        res.write(
          `event: error\ndata: ${JSON.stringify({ error: err instanceof Error ? err.message : String(err) })}\n\n`,
        )
        res.end()
      }
    }
    const off = this.manager.subscribe((e) => {
      if (!concerns(e) || timer) return
      timer = setTimeout(push, Math.max(0, STREAM_THROTTLE_MS - (Date.now() - last)))
    })
    // Time left and last activity move on their own; a beat keeps the page's clock honest.
    const beat = setInterval(() => {
      if (!timer) timer = setTimeout(push, 0)
    }, 5000)
    push()
    const done = () => {
      off()
      clearInterval(beat)
      if (timer) clearTimeout(timer)
      this.streams.delete(res)
    }
    req.on('close', done)
    res.on('close', done)
  }

  private setSeatCookie(res: ServerResponse, token: string): void {
    res.setHeader(
      'set-cookie',
      `${SEAT_COOKIE}=${token}; Path=/api/seat; HttpOnly; SameSite=Strict; Max-Age=2592000${this.o.secureCookies ? '; Secure' : ''}`,
    )
  }
}

function cookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=')
    if (k === name) return v.join('=')
  }
  return undefined
}
