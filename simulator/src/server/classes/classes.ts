// Instructor-led classes: a class hands out seats to learners who join with
// its code; each seat owns its learner's attempts (one per lab, in order).
// The class's clock, the instructor's actions on seats and the live board
// (fed by a background grader at a bounded rate) live here; the attempts
// themselves stay the AttemptManager's.

import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import type { ClusterSpec } from '../../seam'
import { AttemptError, type AttemptManager } from '../attempts'
import type { Logger } from '../log'
import type { LabCatalog, Report } from '../ports'
import { attemptIdOf } from '../tokens'
import type { ClassMode, ClassRow, ClassState, ClassStore, MessageRow, SeatRow } from './class-store'
import { isJoinCode, newJoinCode, newRecoveryCode, normalizeCode } from './codes'
import { seatSecret } from './instructor-key'
import type { WarmStatus } from './warm-pool'
import { checkWebhookUrl, newWebhookSecret, type WebhookEventType, type WebhookSender } from './webhook'

export class ClassError extends AttemptError {}

export interface ClassInput {
  name?: unknown
  labs?: unknown
  mode?: unknown
  durationMin?: unknown
  seatCap?: unknown
  opensAt?: unknown
  closesAt?: unknown
  webhook?: unknown
}

export interface BoardCheck {
  id: string
  title: string
  verdict: 'pass' | 'fail' | 'unknown'
  points: number
}

export interface BoardRow {
  seatId: string
  name: string
  lab: string
  labIndex: number
  /** The environment's state (creating, ready, failed, submitted, …), "ended" once the seat is frozen. */
  state: string
  checks: BoardCheck[]
  points: number
  max: number
  gradedAt: number | null
  deadline: number | null
  lastActivity: number
  needsHelp: boolean
  watched: boolean
  takeover: boolean
  ended: boolean
}

export interface ClassView extends Omit<ClassRow, 'labs'> {
  labs: string[]
  seats: number
  joinPath: string
  /**
   * Environments prepared for the learners still to join (the first lab's):
   * ready of wanted, and failed creations. Null without a warm pool, or once joining is closed.
   */
  warm: WarmStatus | null
}

export interface Board {
  class: ClassView
  rows: BoardRow[]
  /** Per check id: how many rows pass it. */
  summary: { id: string; title: string; passed: number }[]
  /** The server's driver (the board shows the kind capacity on kind). */
  driver: string
  now: number
}

export interface SeatView {
  seatId: string
  name: string
  class: { id: string; name: string; mode: ClassMode; state: ClassState; labs: string[] }
  labIndex: number
  lab: string
  /** The attempt behind the seat; the seat holder's page drives it like any attempt. */
  attemptToken: string
  deadline: number | null
  needsHelp: boolean
  watched: boolean
  takeover: boolean
  ended: boolean
  messages: { seq: number; at: number; text: string; broadcast: boolean }[]
  now: number
}

export type ClassEvent = { classId: string; seatId?: string }

export interface ClassManagerOptions {
  store: ClassStore
  attempts: AttemptManager
  catalog: LabCatalog
  log: Logger
  /** Shortest time between two background gradings of one seat. */
  gradeGapMs?: number
  /** Background gradings running at once, for the whole server. */
  gradeConcurrency?: number
  tickMs?: number
  /** Keeps environments ready ahead of joins (a warm pool) and says how far it is; absent: none. */
  warm?: {
    want(spec: ClusterSpec, count: number): void
    status(spec: ClusterSpec): WarmStatus
    /** Told when an environment became ready (or failed), so the board's count moves. */
    subscribe?(fn: () => void): () => void
  }
  webhooks?: WebhookSender
}

const MAX_NAME = 60
const MAX_MESSAGE = 500
const MAX_SEATS = 500
/**
 * Shortest time between two background gradings of one learner: the board
 * turns green within about this (plus the grading) after the learner's work.
 */
const GRADE_GAP_MS = 1000
/** How long a command typically takes to have its effect (a touch, a kubectl apply on the simulator). */
const COMMAND_SETTLE_MS = 250
/** Before an exam class starts, its attempts wait with a deadline this far away. */
const WAITING_DEADLINE_MS = 7 * 24 * 3600_000

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex')

function clean(text: string, max: number): string {
  return text
    .replace(/[\u0000-\u001f\u007f]/g, ' ')
    .trim()
    .slice(0, max)
}

export class ClassManager {
  private readonly secret: Buffer
  private readonly seatOfAttempt = new Map<string, string>()
  private readonly peeks = new Map<string, { report: Report; at: number; activityAt: number }>()
  private readonly watchers = new Map<string, number>()
  private readonly takeovers = new Set<string>()
  private readonly listeners = new Set<(e: ClassEvent) => void>()
  private readonly grading = new Set<string>()
  private readonly timer: ReturnType<typeof setInterval> | undefined
  private readonly unsubscribe: () => void
  private closed = false
  private warmedLabs = new Set<string>()
  /** Each warmed lab's cluster spec, so a class view can ask the pool how far it is without a lookup. */
  private readonly specs = new Map<string, ClusterSpec>()

  constructor(private readonly o: ClassManagerOptions) {
    this.secret = seatSecret(o.store)
    for (const seat of o.store.allSeats())
      for (const a of seat.attempts) this.seatOfAttempt.set(a.attemptId, seat.id)
    const offAttempts = o.attempts.subscribe((attemptId, what) => this.onAttempt(attemptId, what))
    const offWarm = o.warm?.subscribe?.(() => {
      for (const c of o.store.listClasses())
        if (c.joining && c.state !== 'ended') this.emit({ classId: c.id })
    })
    this.unsubscribe = () => {
      offAttempts()
      offWarm?.()
    }
    void this.rewarm()
    // Often enough that a command is graded soon after it ran; a tick with nothing to do costs a few queries.
    const tickMs = o.tickMs ?? 250
    if (tickMs > 0) {
      this.timer = setInterval(() => this.tick(), tickMs)
      this.timer.unref?.()
    }
  }

  close(): void {
    this.closed = true
    if (this.timer) clearInterval(this.timer)
    this.unsubscribe()
    this.listeners.clear()
  }

  /** Tells `fn` whenever something on a class's board or a seat's page changed. */
  subscribe(fn: (e: ClassEvent) => void): () => void {
    this.listeners.add(fn)
    return () => this.listeners.delete(fn)
  }

  private emit(e: ClassEvent): void {
    for (const fn of this.listeners) {
      try {
        fn(e)
      } catch (err) {
        this.o.log.warn('a class listener failed', { class: e.classId, err })
      }
    }
  }

  /**
   * Sizes the warm pool from the seats still free in every class open for
   * joining (first lab of each), and gives back what closed classes no longer need.
   */
  private async rewarm(): Promise<void> {
    const warm = this.o.warm
    if (!warm || this.closed) return
    const want = new Map<string, number>()
    for (const c of this.o.store.listClasses()) {
      if (c.state === 'ended' || !c.joining) continue
      const free = Math.max(0, c.seatCap - this.o.store.seats(c.id).length)
      want.set(c.labs[0], (want.get(c.labs[0]) ?? 0) + free)
    }
    for (const lab of this.warmedLabs) if (!want.has(lab)) want.set(lab, 0)
    this.warmedLabs = new Set([...want].filter(([, n]) => n > 0).map(([lab]) => lab))
    for (const [lab, count] of want) {
      const detail = await this.o.catalog.get(lab).catch(() => undefined)
      if (!detail) continue
      this.specs.set(lab, detail.cluster)
      warm.want(detail.cluster, count)
    }
  }

  // ---- classes ----

  /** Posts a class event to its webhook, if it has one. */
  private hook(classId: string, type: WebhookEventType, data: Record<string, unknown> = {}): void {
    const c = this.o.store.classById(classId)
    const secret = this.o.store.meta(`webhook-secret:${classId}`)
    if (!c?.webhook || !secret || !this.o.webhooks) return
    void this.o.webhooks.send(c.webhook, secret, { type, class: classId, at: new Date().toISOString(), data })
  }

  async create(input: ClassInput, now = Date.now()): Promise<ClassView & { webhookSecret?: string }> {
    const name = typeof input.name === 'string' ? clean(input.name, 80) : ''
    if (!name) throw new ClassError(400, 'give the class a name')
    const labs = Array.isArray(input.labs) ? input.labs.filter((l): l is string => typeof l === 'string') : []
    if (labs.length === 0 || labs.length > 20)
      throw new ClassError(400, 'pick one to twenty labs for the class')
    for (const lab of labs)
      if (!(await this.o.catalog.get(lab)))
        throw new ClassError(400, `no lab named "${lab}"; see GET /api/labs for the list`)
    const mode: ClassMode = input.mode === 'exam' ? 'exam' : 'practice'
    const durationMin = Number(input.durationMin ?? 60)
    if (!Number.isInteger(durationMin) || durationMin < 1 || durationMin > 24 * 60)
      throw new ClassError(400, 'the duration is a whole number of minutes from 1 to 1440')
    const seatCap = Number(input.seatCap ?? 30)
    if (!Number.isInteger(seatCap) || seatCap < 1 || seatCap > MAX_SEATS)
      throw new ClassError(400, `the seat cap is a whole number from 1 to ${MAX_SEATS}`)
    const time = (v: unknown, what: string): number | null => {
      if (v === undefined || v === null || v === '') return null
      const t = typeof v === 'number' ? v : Date.parse(String(v))
      if (!Number.isFinite(t)) throw new ClassError(400, `${what} is not a date and time`)
      return t
    }
    const opensAt = time(input.opensAt, 'the opening time')
    const closesAt = time(input.closesAt, 'the closing time')
    if (opensAt !== null && closesAt !== null && closesAt <= opensAt)
      throw new ClassError(400, 'the class must close after it opens')
    const webhook = typeof input.webhook === 'string' && input.webhook.trim() ? input.webhook.trim() : null
    if (webhook) {
      const wrong = checkWebhookUrl(webhook)
      if (wrong) throw new ClassError(400, wrong)
    }
    let code = newJoinCode()
    while (this.o.store.classByCode(code)) code = newJoinCode()
    const row: ClassRow = {
      id: randomBytes(8).toString('hex'),
      code,
      name,
      labs,
      mode,
      durationMin,
      seatCap,
      opensAt,
      closesAt,
      joining: true,
      state: 'waiting',
      startedAt: null,
      endedAt: null,
      createdAt: now,
      webhook,
    }
    this.o.store.insertClass(row)
    // The receiver checks signatures with this secret; it is shown once, here.
    const webhookSecret = webhook ? newWebhookSecret() : undefined
    if (webhookSecret) this.o.store.setMeta(`webhook-secret:${row.id}`, webhookSecret)
    this.o.log.info('class created', { class: row.id, labs, mode, seatCap })
    void this.rewarm()
    return { ...this.classView(row), ...(webhookSecret ? { webhookSecret } : {}) }
  }

  list(): ClassView[] {
    return this.o.store.listClasses().map((c) => this.classView(c))
  }

  private classView(c: ClassRow): ClassView {
    const spec = this.specs.get(c.labs[0])
    const warm = this.o.warm && spec && c.joining && c.state !== 'ended' ? this.o.warm.status(spec) : null
    return { ...c, seats: this.o.store.seats(c.id).length, joinPath: `/join/${c.code}`, warm }
  }

  requireClass(id: string): ClassRow {
    const c = /^[0-9a-f]{16}$/.test(id) ? this.o.store.classById(id) : undefined
    if (!c) throw new ClassError(404, `no class with id "${id}"`)
    return c
  }

  /** Opens or closes joining. */
  setJoining(classId: string, joining: boolean): ClassView {
    const c = this.requireClass(classId)
    if (joining && c.state === 'ended') throw new ClassError(409, 'the class has ended; create a new one')
    this.o.store.updateClass(c.id, { joining })
    void this.rewarm()
    this.emit({ classId: c.id })
    return this.classView({ ...c, joining })
  }

  /** Starts the clock for every seat (an exam starts for everyone at once). */
  start(classId: string, now = Date.now()): ClassView {
    const c = this.requireClass(classId)
    if (c.state !== 'waiting') throw new ClassError(409, `the class is ${c.state}, it can start only once`)
    this.o.store.updateClass(c.id, { state: 'running', startedAt: now })
    const started = { ...c, state: 'running' as const, startedAt: now }
    for (const seat of this.o.store.seats(c.id)) this.syncDeadline(started, seat)
    this.o.log.info('class started', { class: c.id })
    this.hook(c.id, 'started')
    this.emit({ classId: c.id })
    return this.classView(started)
  }

  /** Ends the class: every seat graded (final) and frozen, joining closed. */
  async end(classId: string, now = Date.now()): Promise<ClassView> {
    const c = this.requireClass(classId)
    if (c.state === 'ended') return this.classView(c)
    this.o.store.updateClass(c.id, { state: 'ended', endedAt: now, joining: false })
    void this.rewarm()
    await Promise.all(this.o.store.seats(c.id).map((s) => this.endSeat(c.id, s.id).catch(() => undefined)))
    this.o.log.info('class ended', { class: c.id })
    this.hook(c.id, 'ended')
    this.emit({ classId: c.id })
    return this.classView(this.requireClass(c.id))
  }

  // ---- seats ----

  private seatToken(seatId: string): string {
    return `${seatId}.${createHmac('sha256', this.secret).update(`seat:${seatId}`).digest('base64url')}`
  }

  private attemptToken(seatId: string, index: number): string {
    return createHmac('sha256', this.secret).update(`attempt:${seatId}:${index}`).digest('base64url')
  }

  /** The seat a token opens, or a 404 that says nothing about other seats. */
  seatFromToken(token: string): SeatRow {
    const [id, mac] = token.split('.')
    const refuse = () =>
      new ClassError(404, 'no such seat; join again with the class code or your recovery code')
    if (!id || !mac || !/^[0-9a-f]{16}$/.test(id)) throw refuse()
    const want = Buffer.from(this.seatToken(id))
    const got = Buffer.from(token)
    if (want.length !== got.length || !timingSafeEqual(want, got)) throw refuse()
    const seat = this.o.store.allSeats().find((s) => s.id === id)
    if (!seat) throw refuse()
    return seat
  }

  private requireSeat(classId: string, seatId: string): SeatRow {
    const seat = this.o.store.seats(classId).find((s) => s.id === seatId)
    if (!seat) throw new ClassError(404, `no seat "${seatId}" in this class`)
    return seat
  }

  /** A learner takes a seat: checks the code, the class's window and cap, then creates their environment. */
  async join(
    typedCode: string,
    typedName: string,
    now = Date.now(),
  ): Promise<{ seatToken: string; recoveryCode: string; seatId: string }> {
    const code = normalizeCode(typedCode)
    const c = isJoinCode(code) ? this.o.store.classByCode(code) : undefined
    if (!c) throw new ClassError(404, 'no class has that code; check it with your instructor')
    if (c.state === 'ended')
      throw new ClassError(410, 'this class has ended; ask your instructor for a new code')
    if (!c.joining) throw new ClassError(403, 'joining this class is closed; ask your instructor to open it')
    if (c.opensAt !== null && now < c.opensAt)
      throw new ClassError(403, `this class opens at ${new Date(c.opensAt).toISOString()}; join then`)
    if (c.closesAt !== null && now >= c.closesAt)
      throw new ClassError(410, 'this class has closed; ask your instructor for a new code')
    const name = clean(typedName, MAX_NAME)
    if (!name) throw new ClassError(400, 'type the name the instructor will see')
    const seats = this.o.store.seats(c.id)
    if (seats.length >= c.seatCap)
      throw new ClassError(409, `this class is full (${c.seatCap} seats); ask your instructor for room`)
    const recoveryCode = newRecoveryCode()
    const seat: SeatRow = {
      id: randomBytes(8).toString('hex'),
      classId: c.id,
      name,
      recoverySha: sha256(normalizeCode(recoveryCode)),
      attempts: [],
      joinedAt: now,
      extraMs: 0,
      needsHelp: false,
      endedAt: null,
    }
    this.o.store.insertSeat(seat)
    await this.openAttempt(c, seat, 0)
    void this.rewarm()
    this.o.log.info('learner joined', { class: c.id, seat: seat.id })
    this.hook(c.id, 'joined', { seat: seat.id, name: seat.name })
    this.emit({ classId: c.id, seatId: seat.id })
    return { seatToken: this.seatToken(seat.id), recoveryCode, seatId: seat.id }
  }

  /** Another browser takes the same seat with the recovery code. */
  recover(typed: string): { seatToken: string; seatId: string } {
    const seat = this.o.store.seatByRecovery(sha256(normalizeCode(typed)))
    if (!seat)
      throw new ClassError(404, 'that recovery code opens no seat; check it, or join as a new learner')
    return { seatToken: this.seatToken(seat.id), seatId: seat.id }
  }

  private async openAttempt(c: ClassRow, seat: SeatRow, index: number): Promise<void> {
    const lab = c.labs[index]
    const token = this.attemptToken(seat.id, index)
    const attemptId = attemptIdOf(token)
    this.seatOfAttempt.set(attemptId, seat.id)
    seat.attempts = [...seat.attempts, { lab, attemptId }]
    this.o.store.updateSeat(seat.id, { attempts: seat.attempts })
    await this.o.attempts.start(lab, c.mode, { token, deadline: this.attemptDeadline(c, seat) })
  }

  /** The seat's clock: the class's start plus its duration plus the seat's extra time. */
  seatDeadline(c: ClassRow, seat: SeatRow): number | null {
    return c.startedAt === null ? null : c.startedAt + c.durationMin * 60_000 + seat.extraMs
  }

  private attemptDeadline(c: ClassRow, seat: SeatRow): number | null {
    if (c.mode !== 'exam') return null
    return this.seatDeadline(c, seat) ?? Date.now() + WAITING_DEADLINE_MS
  }

  private syncDeadline(c: ClassRow, seat: SeatRow): void {
    const current = seat.attempts.at(-1)
    if (!current || c.mode !== 'exam' || !this.o.attempts.has(current.attemptId)) return
    this.o.attempts.setDeadline(current.attemptId, this.attemptDeadline(c, seat))
  }

  seatView(seat: SeatRow, now = Date.now()): SeatView {
    const c = this.requireClass(seat.classId)
    const index = Math.max(0, seat.attempts.length - 1)
    return {
      seatId: seat.id,
      name: seat.name,
      class: { id: c.id, name: c.name, mode: c.mode, state: c.state, labs: c.labs },
      labIndex: index,
      lab: c.labs[index],
      attemptToken: this.attemptToken(seat.id, index),
      deadline: this.seatDeadline(c, seat),
      needsHelp: seat.needsHelp,
      watched: (this.watchers.get(seat.id) ?? 0) > 0,
      takeover: this.takeovers.has(seat.id),
      ended: seat.endedAt !== null,
      messages: this.o.store.messagesFor(c.id, seat.id).map((m: MessageRow) => ({
        seq: m.seq,
        at: m.at,
        text: m.text,
        broadcast: m.seatId === null,
      })),
      now,
    }
  }

  setHelp(seat: SeatRow, needsHelp: boolean): void {
    this.o.store.updateSeat(seat.id, { needsHelp })
    this.emit({ classId: seat.classId, seatId: seat.id })
  }

  /** The learner moves on to the class's next lab (a fresh environment). */
  async nextLab(seat: SeatRow): Promise<void> {
    const c = this.requireClass(seat.classId)
    if (seat.endedAt !== null || c.state === 'ended') throw new ClassError(409, 'your seat has ended')
    if (seat.attempts.length >= c.labs.length) throw new ClassError(409, 'this was the last lab of the class')
    const current = seat.attempts.at(-1)
    if (current) await this.o.attempts.grade(current.attemptId, true).catch(() => undefined)
    await this.openAttempt(c, seat, seat.attempts.length)
    this.emit({ classId: c.id, seatId: seat.id })
  }

  /** Whether a seat's terminal may be opened now (not before the class starts, not after the seat ends). */
  terminalRefusal(attemptId: string): string | undefined {
    const seatId = this.seatOfAttempt.get(attemptId)
    if (!seatId) return undefined
    const seat = this.o.store.allSeats().find((s) => s.id === seatId)
    if (!seat) return undefined
    const c = this.o.store.classById(seat.classId)
    if (!c) return undefined
    if (c.state === 'waiting') return 'the class has not started yet; your instructor starts it'
    if (seat.endedAt !== null || c.state === 'ended') return 'your attempt in this class has ended'
    return undefined
  }

  // ---- the instructor's actions on a seat ----

  async resetSeat(classId: string, seatId: string): Promise<void> {
    const seat = this.requireSeat(classId, seatId)
    if (seat.endedAt !== null)
      throw new ClassError(409, `${seat.name}'s attempt has ended; it cannot be reset`)
    const current = seat.attempts.at(-1)
    if (!current) throw new ClassError(409, `${seat.name} has no environment yet`)
    this.peeks.delete(seat.id)
    void this.o.attempts
      .reset(current.attemptId)
      .catch((err) => this.o.log.warn('resetting a seat failed', { seat: seat.id, err: String(err) }))
    this.emit({ classId, seatId })
  }

  extendSeat(classId: string, seatId: string, minutes: number): void {
    if (!Number.isFinite(minutes) || minutes === 0 || Math.abs(minutes) > 600)
      throw new ClassError(400, 'extend by a number of minutes from -600 to 600 (not 0)')
    const c = this.requireClass(classId)
    const seat = this.requireSeat(classId, seatId)
    if (seat.endedAt !== null)
      throw new ClassError(409, `${seat.name}'s attempt has ended; it cannot be extended`)
    seat.extraMs += Math.round(minutes * 60_000)
    this.o.store.updateSeat(seat.id, { extraMs: seat.extraMs })
    this.syncDeadline(c, seat)
    this.emit({ classId, seatId })
  }

  message(classId: string, seatId: string | null, text: string): void {
    const c = this.requireClass(classId)
    if (seatId !== null) this.requireSeat(classId, seatId)
    const body = clean(text, MAX_MESSAGE)
    if (!body) throw new ClassError(400, 'the message is empty')
    this.o.store.addMessage(c.id, seatId, body)
    this.emit({ classId, ...(seatId ? { seatId } : {}) })
  }

  /** Grades the seat's current attempt as final and freezes the seat. Idempotent. */
  async endSeat(classId: string, seatId: string, now = Date.now()): Promise<void> {
    const seat = this.requireSeat(classId, seatId)
    if (seat.endedAt !== null) return
    this.o.store.updateSeat(seat.id, { endedAt: now })
    this.takeovers.delete(seat.id)
    const current = seat.attempts.at(-1)
    if (current && this.o.attempts.has(current.attemptId)) {
      const view = this.o.attempts.brief(current.attemptId)
      if (view.state === 'ready')
        await this.o.attempts
          .grade(current.attemptId, true)
          .catch((err) => this.o.log.warn('final grading failed', { seat: seat.id, err: String(err) }))
      if (view.state === 'creating' || view.state === 'failed')
        await this.o.attempts.stop(current.attemptId).catch(() => undefined)
    }
    this.submitted(seat, current?.attemptId)
    this.emit({ classId, seatId })
  }

  private submitted(seat: SeatRow, attemptId: string | undefined): void {
    const report =
      attemptId && this.o.attempts.has(attemptId) ? this.o.attempts.latestReport(attemptId) : undefined
    this.hook(seat.classId, 'submitted', {
      seat: seat.id,
      name: seat.name,
      points: report?.score.points ?? 0,
      max: report?.score.max ?? 0,
    })
  }

  /** The seat's reports: final ones where the attempt was submitted, the board's latest otherwise. */
  reports(classId: string, seatId: string): { lab: string; final: boolean; report: Report | null }[] {
    const seat = this.requireSeat(classId, seatId)
    return seat.attempts.map((a, i) => {
      const last = i === seat.attempts.length - 1
      const stored = this.o.attempts.has(a.attemptId) ? this.o.attempts.latestReport(a.attemptId) : undefined
      const final =
        this.o.attempts.has(a.attemptId) && this.o.attempts.brief(a.attemptId).state === 'submitted'
      const peek = last ? this.peeks.get(seat.id)?.report : undefined
      return {
        lab: a.lab,
        final: final && stored !== undefined,
        report: (final ? stored : (peek ?? stored)) ?? null,
      }
    })
  }

  // ---- mirror bookkeeping ----

  /** The attempt an instructor's mirror of this seat opens (its current lab). */
  mirrorTarget(classId: string, seatId: string): { attemptId: string } {
    const seat = this.requireSeat(classId, seatId)
    const current = seat.attempts.at(-1)
    if (!current) throw new ClassError(409, `${seat.name} has no environment yet`)
    return { attemptId: current.attemptId }
  }

  watch(seatId: string, classId: string): () => void {
    this.watchers.set(seatId, (this.watchers.get(seatId) ?? 0) + 1)
    this.emit({ classId, seatId })
    let done = false
    return () => {
      if (done) return
      done = true
      const n = (this.watchers.get(seatId) ?? 1) - 1
      if (n <= 0) {
        this.watchers.delete(seatId)
        // Takeover ends with the last watcher: nobody is at the keyboard any more.
        this.takeovers.delete(seatId)
      } else this.watchers.set(seatId, n)
      this.emit({ classId, seatId })
    }
  }

  setTakeover(classId: string, seatId: string, on: boolean): void {
    const seat = this.requireSeat(classId, seatId)
    if (on && seat.endedAt !== null) throw new ClassError(409, `${seat.name}'s attempt has ended`)
    if (on) this.takeovers.add(seatId)
    else this.takeovers.delete(seatId)
    this.emit({ classId, seatId })
  }

  isTakeover(seatId: string): boolean {
    return this.takeovers.has(seatId)
  }

  // ---- the board ----

  board(classId: string, now = Date.now()): Board {
    const c = this.requireClass(classId)
    const rows = this.o.store.seats(c.id).map((seat) => this.row(c, seat))
    const summary = new Map<string, { id: string; title: string; passed: number }>()
    for (const r of rows)
      for (const check of r.checks) {
        const s = summary.get(check.id) ?? { id: check.id, title: check.title, passed: 0 }
        if (check.verdict === 'pass') s.passed++
        summary.set(check.id, s)
      }
    return {
      class: this.classView(c),
      rows,
      summary: [...summary.values()],
      driver: this.o.attempts.driverName,
      now,
    }
  }

  private row(c: ClassRow, seat: SeatRow): BoardRow {
    const current = seat.attempts.at(-1)
    const has = current !== undefined && this.o.attempts.has(current.attemptId)
    const view = has ? this.o.attempts.brief(current.attemptId) : undefined
    const peek = this.peeks.get(seat.id)
    const stored =
      has && view?.state === 'submitted' ? this.o.attempts.latestReport(current.attemptId) : undefined
    const report = stored ?? peek?.report
    const ended = seat.endedAt !== null
    const lastCommand = has ? this.o.attempts.lastCommandAt(current.attemptId) : 0
    return {
      seatId: seat.id,
      name: seat.name,
      lab: current?.lab ?? c.labs[0],
      labIndex: Math.max(0, seat.attempts.length - 1),
      state: ended ? 'ended' : (view?.state ?? 'creating'),
      checks: (report?.checks ?? []).map((k) => ({
        id: k.id,
        title: k.title,
        verdict: k.verdict,
        points: k.points,
      })),
      points: report?.score.points ?? 0,
      max: report?.score.max ?? 0,
      gradedAt: stored ? (view?.finishedAt ?? null) : (peek?.at ?? null),
      deadline: this.seatDeadline(c, seat),
      lastActivity: Math.max(seat.joinedAt, lastCommand, view?.readyAt ?? 0),
      needsHelp: seat.needsHelp,
      watched: (this.watchers.get(seat.id) ?? 0) > 0,
      takeover: this.takeovers.has(seat.id),
      ended,
    }
  }

  private onAttempt(attemptId: string, what: 'state' | 'report'): void {
    const seatId = this.seatOfAttempt.get(attemptId)
    if (!seatId) return
    const seat = this.o.store.allSeats().find((s) => s.id === seatId)
    if (!seat) return
    if (what === 'report') {
      // The learner pressed Check (or submitted): that report is the board's newest verdict.
      const report = this.o.attempts.latestReport(attemptId)
      if (report) this.setPeek(seat, report, Date.now())
    }
    // An exam submitted by the learner on the class's last lab ends their seat (their time stops).
    const c = this.o.store.classById(seat.classId)
    const last = seat.attempts.at(-1)
    if (
      c &&
      seat.endedAt === null &&
      last?.attemptId === attemptId &&
      seat.attempts.length === c.labs.length &&
      this.o.attempts.brief(attemptId).state === 'submitted'
    ) {
      this.o.store.updateSeat(seat.id, { endedAt: Date.now() })
      this.takeovers.delete(seat.id)
      this.submitted(seat, attemptId)
    }
    this.emit({ classId: seat.classId, seatId })
  }

  /** The class clock (seats whose time is up end) and the background grader. */
  private tick(now = Date.now()): void {
    if (this.closed) return
    const candidates: { seat: SeatRow; attemptId: string; since: number }[] = []
    for (const c of this.o.store.listClasses()) {
      if (c.state === 'ended') continue
      for (const seat of this.o.store.seats(c.id)) {
        if (seat.endedAt !== null) continue
        const deadline = this.seatDeadline(c, seat)
        if (deadline !== null && now >= deadline) {
          void this.endSeat(c.id, seat.id).catch((err) =>
            this.o.log.warn('ending a seat at its deadline failed', { seat: seat.id, err: String(err) }),
          )
          continue
        }
        // Nothing to judge before the class starts; the machine's time goes to the learners joining.
        if (c.state !== 'running') continue
        const current = seat.attempts.at(-1)
        if (!current || !this.o.attempts.has(current.attemptId) || this.grading.has(seat.id)) continue
        const view = this.o.attempts.brief(current.attemptId)
        if (view.state !== 'ready') continue
        const peek = this.peeks.get(seat.id)
        const activity = Math.max(this.o.attempts.lastCommandAt(current.attemptId), view.readyAt ?? 0)
        if (peek && (peek.activityAt >= activity || now - peek.at < (this.o.gradeGapMs ?? GRADE_GAP_MS)))
          continue
        candidates.push({ seat, attemptId: current.attemptId, since: peek?.at ?? 0 })
      }
    }
    candidates.sort((a, b) => a.since - b.since)
    const free = (this.o.gradeConcurrency ?? 2) - this.grading.size
    for (const cand of candidates.slice(0, Math.max(0, free)))
      void this.gradeInBackground(cand.seat, cand.attemptId)
  }

  private async gradeInBackground(seat: SeatRow, attemptId: string): Promise<void> {
    this.grading.add(seat.id)
    // A command entered just before may not have run yet: this grading covers only the ones
    // entered a moment earlier, and a later look follows for the rest.
    const activityAt = Date.now() - COMMAND_SETTLE_MS
    try {
      const report = await this.o.attempts.peek(attemptId)
      if (!report || this.closed) return
      this.setPeek(seat, report, activityAt)
      this.emit({ classId: seat.classId, seatId: seat.id })
    } catch (err) {
      this.o.log.debug('background grading failed', { seat: seat.id, err: String(err) })
    } finally {
      this.grading.delete(seat.id)
    }
  }

  /** The board's newest verdicts for a seat; the webhook hears when they changed. */
  private setPeek(seat: SeatRow, report: Report, activityAt: number): void {
    const verdicts = (r: Report | undefined) =>
      JSON.stringify(r?.checks.map((k) => [k.id, k.verdict]) ?? null)
    const before = this.peeks.get(seat.id)?.report
    this.peeks.set(seat.id, { report, at: Date.now(), activityAt })
    if (verdicts(before) !== verdicts(report))
      this.hook(seat.classId, 'check-changed', {
        seat: seat.id,
        name: seat.name,
        lab: report.lab,
        checks: report.checks.map((k) => ({ id: k.id, verdict: k.verdict })),
        points: report.score.points,
        max: report.score.max,
      })
  }

  /** Runs the clock and the grader now (tests). */
  tickNow(now?: number): void {
    this.tick(now)
  }
}
