// Attempts: one learner working one lab on one environment. This module owns
// their life cycle (create → ready → graded / submitted / stopped), their
// terminals, the lab triggers that watch them, and saving all of it so a
// restart (even after SIGKILL) brings every attempt back as it was.

import { type Driver, type Environment, isNodeGone, type Node, type TerminalSize } from '../seam'
import { type Debounced, debounce } from './debounce'
import type { Logger } from './log'
import type { CheckProgress, Facts, LabCatalog, LabDetail, Report, Verdict } from './ports'
import { discardedTries } from './progress'
import { SaveQueue } from './save-queue'
import { TerminalSession } from './session'
import type { AttemptMode, AttemptRow, AttemptState, AttemptStore, ScreenRow } from './store-types'
import { attemptIdOf, newToken } from './tokens'

interface EnvSaver {
  schedule(urgent?: boolean): void
  flush(): Promise<void>
  cancel(): void
  /** Changes no save has started on yet. */
  isDirty(): boolean
  /** Waits for a save under way, if any. */
  settled(): Promise<void>
}

export class AttemptError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message)
  }
}

/** One check while a grading runs, as the page shows it live. */
export interface CheckState {
  id: string
  title: string
  state: 'pending' | 'running' | Verdict
  /** What a running check waits for, e.g. the etcd container to be running, with the time waited. */
  waiting?: { what: string; waitedMs: number; withinMs: number }
}

/** A grading in progress. */
export interface GradingView {
  startedAt: number
  final: boolean
  checks: CheckState[]
}

export interface AttemptView {
  id: string
  lab: string
  title: string
  mode: AttemptMode
  driver: string
  state: AttemptState
  error: string | null
  progress: { fraction: number; step: string }
  createdAt: number
  readyAt: number | null
  deadline: number | null
  finishedAt: number | null
  nodes: string[]
  hintsShown: string[]
  hintsTotal: number
  solutionShown: boolean
  report: { at: number; final: boolean; report: Report } | null
  /** Messages lab triggers left for the learner ("a deployment appeared"). */
  notices: { message: string; at: string }[]
  /** Set while saving fails: "your work is not being saved: <why>"; null when the last save worked. */
  saveError: string | null
  /** Tries a reset threw away; an exam's clock kept running through them. */
  discarded: { readyAt: number | null; resetAt: number }[]
  /** An exam's time limit (the deadline minus this is when its clock started). */
  limitMs: number | null
  /** The checks of a grading that runs right now, each with its state (null when none runs). */
  grading: GradingView | null
  now: number
}

interface Live {
  row: AttemptRow
  lab: LabDetail | undefined
  env: Environment | undefined
  sessions: Map<string, TerminalSession>
  envSave: EnvSaver | undefined
  /** Screens waiting for the environment's next save (they show changes it has not saved yet). */
  heldScreens: ScreenRow[] | undefined
  /** When Enter was last pressed in one of this attempt's terminals. */
  lastCommandAt: number
  screenSave: Debounced | undefined
  unsubscribeEnv: (() => void) | undefined
  abort: AbortController | undefined
  /** Serializes operations that change the environment (setup, ticks, grade, reset). */
  queue: Promise<unknown>
  tickRunning: boolean
  tickSoon: Debounced | undefined
  /** The environment says when its state changed; otherwise terminal activity stands in for it. */
  envReportsChanges: boolean
  /** Why the last save failed, until one works again. */
  saveError: string | null
  /** The grading that runs right now. */
  grading: GradingView | null
}

export interface AttemptManagerOptions {
  store: AttemptStore
  driver: Driver
  catalog: LabCatalog
  log: Logger
  /** How often lab triggers look at ready attempts. */
  tickMs?: number
  screenSaveMs?: number
  /** Upper bound of live attempts, to keep one browser from exhausting the machine. */
  maxLiveAttempts?: number
}

export class AttemptManager {
  private readonly live = new Map<string, Live>()
  private readonly listeners = new Set<(id: string, what: 'state' | 'report') => void>()
  private tickTimer: ReturnType<typeof setInterval> | undefined
  private closed = false
  private readonly saves: SaveQueue
  readonly ready: Promise<void>

  constructor(private readonly o: AttemptManagerOptions) {
    this.saves = new SaveQueue({
      run: (id) => this.saveEnv(id),
      onError: (id, err) => this.saveFailed(id, err),
    })
    this.ready = this.restoreAll()
    const tickMs = o.tickMs ?? 1000
    if (tickMs > 0) {
      this.tickTimer = setInterval(() => this.tickAll(), tickMs)
      this.tickTimer.unref?.()
    }
  }

  /** A save failed: the learner sees it on the attempt (the page shows a banner) and the log has it. */
  private saveFailed(id: string, err: unknown): void {
    const message = err instanceof Error ? err.message : String(err)
    this.o.log.error('saving the attempt failed', { attempt: id, err: message })
    const l = this.live.get(id)
    if (l) l.saveError = `your work is not being saved: ${message}`
  }

  private saveWorked(id: string): void {
    const l = this.live.get(id)
    if (l?.saveError) {
      l.saveError = null
      this.o.log.info('saving the attempt works again', { attempt: id })
    }
  }

  get driverName(): string {
    return this.o.driver.name
  }

  /**
   * Starts creating an environment; returns at once with the attempt's token.
   * A class hands in the token (derived from the learner's seat) and the
   * deadline its own clock sets.
   */
  async start(
    labId: string,
    mode: AttemptMode,
    given: { token?: string; deadline?: number | null } = {},
  ): Promise<{ token: string; id: string }> {
    const lab = await this.o.catalog.get(labId)
    if (!lab) throw new AttemptError(404, `no lab named "${labId}"; see GET /api/labs for the list`)
    const liveCount = [...this.live.values()].filter((l) => l.env || l.row.state === 'creating').length
    if (liveCount >= (this.o.maxLiveAttempts ?? 300))
      throw new AttemptError(503, 'too many attempts are running on this server; stop one and try again')
    const token = given.token ?? newToken()
    const id = attemptIdOf(token)
    if (this.live.has(id)) return { token, id }
    const row: AttemptRow = {
      id,
      lab: lab.id,
      mode,
      driver: this.o.driver.name,
      state: 'creating',
      error: null,
      progressFraction: 0,
      progressStep: 'Queued',
      createdAt: Date.now(),
      readyAt: null,
      deadline: given.deadline ?? null,
      finishedAt: null,
      envId: null,
      nodes: [],
      facts: {},
      hintsShown: 0,
      solutionShown: false,
    }
    this.o.store.insertAttempt(row)
    this.o.store.addEvent(id, 'started', { lab: lab.id, mode, driver: this.o.driver.name })
    const l = this.newLive(row, lab)
    this.live.set(id, l)
    this.o.log.info('attempt started', { attempt: id, lab: lab.id, mode })
    void this.enqueue(l, () => this.create(l))
    return { token, id }
  }

  view(id: string): AttemptView {
    const l = this.require(id)
    const r = l.row
    return {
      id: r.id,
      lab: r.lab,
      title: l.lab?.title ?? r.lab,
      mode: r.mode,
      driver: r.driver,
      state: r.state,
      error: r.error,
      progress: { fraction: r.progressFraction, step: r.progressStep },
      createdAt: r.createdAt,
      readyAt: r.readyAt,
      deadline: r.deadline,
      finishedAt: r.finishedAt,
      nodes: r.nodes,
      hintsShown: (l.lab?.hints ?? []).slice(0, r.mode === 'exam' ? 0 : r.hintsShown),
      hintsTotal: r.mode === 'exam' ? 0 : (l.lab?.hints.length ?? 0),
      solutionShown: r.solutionShown,
      report: this.visibleReport(l),
      notices: noticesOf(r.facts),
      saveError: l.saveError,
      discarded: discardedTries(this.o.store.events(r.id)),
      limitMs: r.mode === 'exam' && l.lab ? (l.lab.examMinutes ?? l.lab.minutes) * 60_000 : null,
      grading: gradingShown(l),
      now: Date.now(),
    }
  }

  has(id: string): boolean {
    return this.live.has(id)
  }

  /** Tells `fn` when an attempt's state changes or it gets a report; returns the unsubscribe. */
  subscribe(fn: (id: string, what: 'state' | 'report') => void): () => void {
    this.listeners.add(fn)
    return () => this.listeners.delete(fn)
  }

  private emit(id: string, what: 'state' | 'report'): void {
    for (const fn of this.listeners) {
      try {
        fn(id, what)
      } catch (err) {
        this.o.log.warn('an attempt listener failed', { attempt: id, err })
      }
    }
  }

  /** When Enter was last pressed in one of the attempt's terminals (0: never since the start). */
  lastCommandAt(id: string): number {
    return this.require(id).lastCommandAt
  }

  /** Moves an attempt's deadline (a class extends a learner's time or starts the exam clock). */
  setDeadline(id: string, deadline: number | null): void {
    const l = this.require(id)
    if (l.row.state === 'submitted' || l.row.state === 'stopped') return
    this.patch(l, { deadline })
  }

  /**
   * Runs the checks without recording a report (an instructor's board looks
   * over the learner's work); undefined when the environment is not ready.
   */
  peek(id: string): Promise<Report | undefined> {
    const l = this.require(id)
    return this.enqueue(l, async () => {
      if (l.row.state !== 'ready' || !l.env) return undefined
      return this.o.catalog.grade(l.row.lab, l.env, l.row.facts)
    })
  }

  lab(id: string): LabDetail | undefined {
    return this.require(id).lab
  }

  /** Throws away the environment and builds a fresh one (a retry after a failure, too). */
  reset(id: string): Promise<void> {
    const l = this.require(id)
    if (l.row.state === 'submitted')
      throw new AttemptError(409, 'this exam attempt was submitted; start a new one')
    l.abort?.abort()
    return this.enqueue(l, async () => {
      const discarded = { readyAt: l.row.readyAt, state: l.row.state }
      await this.teardown(l, 'the lab was reset')
      this.o.store.deleteEnvState(id)
      this.o.store.deleteScreens(id)
      this.patch(l, {
        state: 'creating',
        error: null,
        progressFraction: 0,
        progressStep: 'Queued',
        facts: {},
        nodes: [],
        envId: null,
        readyAt: null,
        // An exam's clock runs on through a reset, as a real exam's would.
        deadline: l.row.mode === 'exam' ? l.row.deadline : null,
        finishedAt: null,
      })
      this.o.store.addEvent(id, 'reset', { discarded })
      this.o.log.info('attempt reset', { attempt: id })
      await this.create(l)
    })
  }

  stop(id: string): Promise<void> {
    const l = this.require(id)
    l.abort?.abort()
    return this.enqueue(l, async () => {
      if (l.row.state === 'stopped' || l.row.state === 'submitted') return
      // The last screen stays readable as the attempt's transcript.
      await l.screenSave?.flush().catch(() => {})
      await this.teardown(l, 'the lab was stopped')
      this.o.store.deleteEnvState(id)
      this.patch(l, { state: 'stopped', finishedAt: Date.now() })
      this.o.store.addEvent(id, 'stopped', null)
      this.o.log.info('attempt stopped', { attempt: id })
    })
  }

  /** Practice: runs the checks. Exam: `final` submits, and only then is the report shown. */
  grade(id: string, final: boolean): Promise<Report> {
    const l = this.require(id)
    if (l.row.mode === 'exam' && !final)
      throw new AttemptError(403, 'exam mode has no intermediate checks; submit when you are done')
    return this.enqueue(l, async () => {
      if (l.row.state !== 'ready' || !l.env)
        throw new AttemptError(409, `the lab is ${l.row.state}, not ready; wait for it or reset it`)
      const started = Date.now()
      const grading: GradingView = { startedAt: started, final, checks: [] }
      l.grading = grading
      let report: Report
      try {
        await this.flushSaves(l)
        report = await this.o.catalog
          .grade(l.row.lab, l.env, l.row.facts, (p) => followProgress(grading, p))
          .catch((err) => {
            if (!isNodeGone(err)) throw err
            this.markBroken(l, err)
            throw new AttemptError(409, String(err.message))
          })
      } finally {
        if (l.grading === grading) l.grading = null
      }
      const isFinal = final || l.row.mode === 'exam'
      this.o.store.addReport(id, report, isFinal)
      this.emit(id, 'report')
      this.o.store.addEvent(id, 'graded', {
        final: isFinal,
        score: report.score,
        verdict: report.verdict,
        checks: report.checks.map((c) => ({ id: c.id, verdict: c.verdict })),
      })
      this.o.log.info('attempt graded', {
        attempt: id,
        verdict: report.verdict,
        score: report.score,
        ms: Date.now() - started,
      })
      if (isFinal) {
        this.patch(l, { state: 'submitted', finishedAt: Date.now() })
        await this.teardown(l, 'the exam was submitted')
        this.o.store.deleteEnvState(id)
      }
      return report
    })
  }

  hint(id: string): string[] {
    const l = this.require(id)
    if (l.row.mode === 'exam') throw new AttemptError(403, 'hints are not available in exam mode')
    const total = l.lab?.hints.length ?? 0
    if (l.row.hintsShown < total) {
      this.patch(l, { hintsShown: l.row.hintsShown + 1 })
      this.o.store.addEvent(id, 'hint-shown', { index: l.row.hintsShown - 1 })
    }
    return (l.lab?.hints ?? []).slice(0, l.row.hintsShown)
  }

  async solution(id: string): Promise<string> {
    const l = this.require(id)
    if (l.row.mode === 'exam' && l.row.state !== 'submitted')
      throw new AttemptError(403, 'the reference solution is shown after the exam is submitted')
    const text = await this.o.catalog.solution(l.row.lab)
    if (!l.row.solutionShown) {
      this.patch(l, { solutionShown: true })
      this.o.store.addEvent(id, 'solution-shown', null)
    }
    return text
  }

  /** The saved terminal screens of an attempt (read-only; a finished attempt's transcript). */
  transcript(id: string): { node: string; cols: number; rows: number; data: string }[] {
    this.require(id)
    return this.o.store.loadScreens(id)
  }

  /** Writes the attempt's screens and environment to the store now (before an export). */
  async flush(id: string): Promise<void> {
    await this.flushSaves(this.require(id))
  }

  /** Throws CorruptPartError when the stored report is damaged. */
  latestReport(id: string): Report | undefined {
    const l = this.require(id)
    this.o.store.latestReport(id)
    return this.visibleReport(l)?.report
  }

  junit(report: Report): string {
    return this.o.catalog.junit(report)
  }

  /** The terminal for one node, created on first use. */
  terminal(id: string, nodeName: string, size: TerminalSize): TerminalSession {
    const l = this.require(id)
    if (l.row.state !== 'ready' || !l.env)
      throw new AttemptError(409, `the lab is ${l.row.state}; terminals open once it is ready`)
    const existing = l.sessions.get(nodeName)
    if (existing) return existing
    const node = l.env.nodes.find((n) => n.name === nodeName)
    if (!node) throw new AttemptError(404, `this lab has no node named "${nodeName}"`)
    const saved = this.o.store.loadScreens(id).find((s) => s.node === nodeName)
    const session = this.openSession(l, node, size, saved)
    l.sessions.set(nodeName, session)
    return session
  }

  private openSession(
    l: Live,
    node: Node,
    size: TerminalSize,
    saved?: { cols: number; rows: number; data: string },
  ): TerminalSession {
    return new TerminalSession({
      node,
      size,
      saved,
      onOutput: () => {
        l.screenSave?.schedule()
        if (!l.envReportsChanges) l.envSave?.schedule()
      },
      onCommand: () => {
        l.lastCommandAt = Date.now()
        // A command may have done what a lab trigger waits for; look soon rather than at the next tick.
        l.tickSoon?.schedule()
        if (!l.envReportsChanges) l.envSave?.schedule()
      },
      // A shell also ends when its node goes away (a kind node container killed or stopped).
      onExit: () => void this.checkNode(l, node),
      onError: (err) => {
        this.o.log.warn('terminal error', { attempt: l.row.id, node: node.name, err })
        if (isNodeGone(err)) this.markBroken(l, err)
      },
    })
  }

  /**
   * Looks whether the node is still there after its shell ended; a dead node
   * breaks the attempt. A node that is going down may still take an exec for
   * a moment, so anything but a clean `true` is asked again shortly after.
   */
  private async checkNode(l: Live, node: Node): Promise<void> {
    const env = l.env
    for (let attempt = 0; attempt < 4; attempt++) {
      if (!env || l.env !== env || l.row.state !== 'ready') return
      try {
        if ((await node.exec('true', { timeoutMs: 15_000 })).exitCode === 0) return
      } catch (err) {
        if (isNodeGone(err)) return this.markBroken(l, err)
      }
      await new Promise((r) => setTimeout(r, 1000))
    }
  }

  /**
   * A node of the environment is gone: the attempt cannot go on, so it ends
   * as failed with the reason (the page offers a reset) instead of leaving a
   * terminal that never answers; what is left of the environment is removed.
   */
  private markBroken(l: Live, err: unknown): void {
    if (l.row.state !== 'ready') return
    const env = l.env
    const message = err instanceof Error ? err.message : String(err)
    void this.enqueue(l, async () => {
      if (l.row.state !== 'ready' || l.env !== env) return
      this.o.log.warn('attempt broken: a node is gone', { attempt: l.row.id, err: message })
      // the page learns at once; removing the rest of the cluster can take a while
      this.patch(l, {
        state: 'failed',
        error: `the lab environment broke: ${message}`,
        progressStep: 'Broken',
        finishedAt: Date.now(),
      })
      this.o.store.addEvent(l.row.id, 'broken', { error: message })
      await this.teardown(l, 'a node of this lab stopped')
      this.o.store.deleteEnvState(l.row.id)
    }).catch((e) => this.o.log.error('ending a broken attempt failed', { attempt: l.row.id, err: e }))
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    if (this.tickTimer) clearInterval(this.tickTimer)
    await this.ready.catch(() => {})
    for (const l of this.live.values()) {
      l.abort?.abort()
      l.tickSoon?.cancel()
      await this.flushSaves(l).catch(() => {})
      for (const s of l.sessions.values()) s.dispose('the server is shutting down')
      l.sessions.clear()
      l.unsubscribeEnv?.()
      // Keep a kind cluster for the next start (adopt); the simulator lives in the saved state.
      if (l.env?.persistence) await l.env.dispose().catch(() => {})
    }
    await this.saves.close()
  }

  private newLive(row: AttemptRow, lab: LabDetail | undefined): Live {
    return {
      row,
      lab,
      env: undefined,
      sessions: new Map(),
      envSave: undefined,
      heldScreens: undefined,
      lastCommandAt: 0,
      screenSave: undefined,
      unsubscribeEnv: undefined,
      abort: undefined,
      queue: Promise.resolve(),
      tickRunning: false,
      tickSoon: undefined,
      envReportsChanges: false,
      saveError: null,
      grading: null,
    }
  }

  private require(id: string): Live {
    const l = this.live.get(id)
    if (!l) throw new AttemptError(404, 'no such attempt; it may have been removed or the link is wrong')
    return l
  }

  private visibleReport(l: Live): AttemptView['report'] {
    let r: ReturnType<AttemptStore['latestReport']>
    try {
      r = this.o.store.latestReport(l.row.id)
    } catch {
      // The attempt stays usable; the download of the report answers with the reason.
      return null
    }
    if (!r) return null
    // A report about an environment that a reset threw away is history, not status.
    if (l.row.state === 'creating' || (l.row.readyAt !== null && r.at < l.row.readyAt)) return null
    if (l.row.mode === 'exam' && !r.final) return null
    return r
  }

  private patch(l: Live, patch: Partial<Omit<AttemptRow, 'id'>>): void {
    Object.assign(l.row, patch)
    this.o.store.updateAttempt(l.row.id, patch)
    if ('state' in patch) this.emit(l.row.id, 'state')
  }

  private enqueue<T>(l: Live, fn: () => Promise<T>): Promise<T> {
    const next = l.queue.then(fn, fn)
    l.queue = next.catch(() => {})
    return next
  }

  private async create(l: Live): Promise<void> {
    const lab = l.lab
    if (!lab) {
      this.patch(l, { state: 'failed', error: `the lab "${l.row.lab}" is no longer in the catalogue` })
      return
    }
    const abort = new AbortController()
    l.abort = abort
    const started = Date.now()
    let lastWrite = 0
    try {
      const env = await this.o.driver.create(
        lab.cluster,
        (p) => {
          // Progress is frequent for kind; the row only needs a few updates a second.
          l.row.progressFraction = Math.max(0, Math.min(1, p.fraction)) * 0.9
          l.row.progressStep = p.step.slice(0, 200)
          const now = Date.now()
          if (now - lastWrite > 200) {
            lastWrite = now
            this.o.store.updateAttempt(l.row.id, {
              progressFraction: l.row.progressFraction,
              progressStep: l.row.progressStep,
            })
          }
        },
        abort.signal,
      )
      if (abort.signal.aborted || this.closed) {
        await env.dispose().catch(() => {})
        return
      }
      this.attachEnv(l, env)
      this.patch(l, { progressFraction: 0.92, progressStep: 'Setting up the lab', envId: env.id })
      const facts: Facts = {}
      await this.o.catalog.setup(l.row.lab, env, facts)
      const now = Date.now()
      this.patch(l, {
        state: 'ready',
        progressFraction: 1,
        progressStep: 'Ready',
        facts,
        nodes: env.nodes.map((n) => n.name),
        readyAt: now,
        deadline:
          l.row.mode === 'exam' ? (l.row.deadline ?? now + (lab.examMinutes ?? lab.minutes) * 60_000) : null,
      })
      this.o.store.addEvent(l.row.id, 'ready', { ms: now - started }, now)
      this.o.log.info('attempt ready', { attempt: l.row.id, ms: now - started, env: env.id })
      l.envSave?.schedule()
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err)
      this.o.log.warn('attempt creation failed', { attempt: l.row.id, err: message })
      await this.teardown(l, 'creation failed')
      this.patch(l, {
        state: 'failed',
        error: abort.signal.aborted
          ? 'creation was cancelled'
          : `could not create the lab environment: ${message}`,
        progressStep: 'Failed',
      })
      this.o.store.addEvent(l.row.id, 'failed', { error: message })
    } finally {
      if (l.abort === abort) l.abort = undefined
    }
  }

  private attachEnv(l: Live, env: Environment): void {
    l.env = env
    const id = l.row.id
    const persistence = env.persistence
    if (persistence) {
      l.envSave = {
        schedule: (urgent = true) => this.saves.mark(id, urgent),
        flush: () => this.saves.flush(id),
        cancel: () => this.saves.forget(id),
        isDirty: () => this.saves.isDirty(id),
        settled: () => this.saves.settled(id),
      }
      // Saving costs a full serialization, so it follows the environment's own change
      // signals (its onChange, and each node's filesystem watch when it has one).
      // Changes soon after a command are the learner's work; others (leases, heartbeats) can wait.
      const save = () => l.envSave?.schedule(Date.now() - l.lastCommandAt < 5000)
      const offs: (() => void)[] = []
      offs.push(persistence.onChange(save))
      for (const node of env.nodes) {
        if (node.onFileChange)
          offs.push(node.onFileChange((path) => (isVolatilePath(path) ? undefined : save())))
      }
      l.envReportsChanges = offs.length > 0
      l.unsubscribeEnv = () => {
        for (const off of offs) off()
      }
    }
    l.screenSave = debounce(
      async () => {
        // A screen is written only once the files it shows are saved: a command's effects
        // happen before its output, so screens snapshotted before a save of the environment
        // starts never run ahead of it, and a restart never replays a command whose file is
        // gone (a kill between the two writes leaves the files ahead, which is harmless).
        const screens: ScreenRow[] = []
        for (const [node, s] of l.sessions) screens.push({ node, ...(await s.snapshot()) })
        if (l.envSave?.isDirty()) {
          // Their files are not saved yet: the screens go with the environment's next save
          // (asked for now, and run by the save queue, so typing never forces a serialization
          // of its own; on a busy server the queue is what keeps saves from taking the CPU).
          l.heldScreens = screens
          l.envSave.schedule(true)
          return
        }
        await l.envSave?.settled()
        l.heldScreens = undefined
        for (const screen of screens) this.o.store.saveScreen(id, screen)
        if (!l.envSave) this.saveWorked(id)
      },
      this.o.screenSaveMs ?? 300,
      // Typing without a pause is saved at least this often: what a kill can lose.
      800,
      (err) => this.saveFailed(id, err),
    )
    l.tickSoon = debounce(
      () => this.tick(l),
      200,
      1000,
      (err) => this.o.log.warn('lab trigger failed', { attempt: id, err }),
    )
  }

  private async saveEnv(id: string): Promise<void> {
    const l = this.live.get(id)
    const env = l?.env
    if (!l || !env || l.row.state !== 'ready' || !env.persistence) return
    // Screens snapshotted before this serialization starts show nothing it misses.
    const screens = l.heldScreens
    l.heldScreens = undefined
    let bytes: Uint8Array
    try {
      bytes = await env.persistence.serialize()
    } catch (err) {
      l.heldScreens ??= screens
      throw err
    }
    // The attempt may have been reset or stopped while serializing.
    if (l.env === env && l.row.state === 'ready') {
      this.o.store.saveEnvState(id, bytes)
      for (const screen of screens ?? []) this.o.store.saveScreen(id, screen)
      this.saveWorked(id)
    }
  }

  private async flushSaves(l: Live): Promise<void> {
    await l.screenSave?.flush()
    await l.envSave?.flush()
  }

  private async teardown(l: Live, reason: string): Promise<void> {
    l.tickSoon?.cancel()
    l.screenSave?.cancel()
    l.envSave?.cancel()
    for (const s of l.sessions.values()) s.dispose(reason)
    l.sessions.clear()
    l.unsubscribeEnv?.()
    l.unsubscribeEnv = undefined
    const env = l.env
    l.env = undefined
    l.envSave = undefined
    l.heldScreens = undefined
    l.screenSave = undefined
    l.tickSoon = undefined
    if (env) await env.dispose().catch((err) => this.o.log.warn('disposing an environment failed', { err }))
  }

  private tickAll(): void {
    for (const l of this.live.values()) {
      if (l.row.state !== 'ready' || !l.env) continue
      if (l.row.deadline && Date.now() > l.row.deadline) {
        // Time is up: the exam is submitted as it stands.
        void this.grade(l.row.id, true).catch((err) =>
          this.o.log.warn('auto-submit at the deadline failed', { attempt: l.row.id, err }),
        )
        continue
      }
      void this.tick(l).catch((err) => {
        if (isNodeGone(err)) this.markBroken(l, err)
        else this.o.log.warn('lab trigger failed', { attempt: l.row.id, err })
      })
    }
  }

  private async tick(l: Live): Promise<void> {
    const onTick = this.o.catalog.onTick
    if (!onTick || l.tickRunning || l.row.state !== 'ready' || !l.env) return
    l.tickRunning = true
    try {
      await this.enqueue(l, async () => {
        if (!l.env || l.row.state !== 'ready') return
        const facts = l.row.facts
        const changed = await onTick.call(this.o.catalog, l.row.lab, l.env, facts)
        if (changed) {
          this.patch(l, { facts })
          this.o.store.addEvent(l.row.id, 'trigger', { facts: Object.keys(facts) })
          l.envSave?.schedule()
        }
      })
    } finally {
      l.tickRunning = false
    }
  }

  /**
   * Environments attempts own right now (re-attached after a restart, too);
   * the driver's reaper spares these. One being created is the driver's to guard.
   */
  liveEnvIds(): string[] {
    return [...this.live.values()].flatMap((l) => (l.env ? [l.env.id] : []))
  }

  private async restoreAll(): Promise<void> {
    const labs = new Map<string, LabDetail | undefined>()
    for (const row of this.o.store.listAttempts()) {
      if (!labs.has(row.lab)) labs.set(row.lab, await this.o.catalog.get(row.lab).catch(() => undefined))
      const l = this.newLive(row, labs.get(row.lab))
      this.live.set(row.id, l)
      if (row.state === 'creating') {
        this.patch(l, {
          state: 'failed',
          error: 'the server stopped while the lab was being created; press Retry',
        })
        continue
      }
      if (row.state !== 'ready') continue
      try {
        const env = await this.reattach(row)
        if (!env) {
          this.patch(l, {
            state: 'failed',
            error: 'the lab environment did not survive the server restart; press Retry for a fresh one',
          })
          continue
        }
        this.attachEnv(l, env)
        this.o.log.info('attempt restored', { attempt: row.id, env: env.id })
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err)
        this.o.log.error('restoring an attempt failed', { attempt: row.id, err: message })
        this.patch(l, {
          state: 'failed',
          error: `failed: restore of the saved lab did not work (${message}); press Retry/Reset for a fresh lab`,
        })
      }
    }
  }

  private async reattach(row: AttemptRow): Promise<Environment | undefined> {
    if (row.driver !== this.o.driver.name) return undefined
    if (row.damaged) throw new Error(`the saved ${row.damaged} of the attempt is damaged`)
    // Every saved part is checked before anything is restored (each throws when damaged).
    this.o.store.loadScreens(row.id)
    const bytes = this.o.store.loadEnvState(row.id)
    if (bytes && this.o.driver.restore) return this.o.driver.restore(bytes)
    if (row.envId && this.o.driver.adopt) return this.o.driver.adopt(row.envId)
    return undefined
  }
}

/** Folds one progress event of the grader into the live list of checks. */
export function followProgress(g: GradingView, p: CheckProgress): void {
  const at = Number.isInteger(p.index) && p.index >= 0 && p.index < 200 ? p.index : g.checks.length
  const prev = g.checks[at]
  const state: CheckState['state'] =
    p.phase === 'done' ? (p.verdict ?? 'unknown') : p.phase === 'running' ? 'running' : 'pending'
  g.checks[at] = {
    id: String(p.id ?? prev?.id ?? at),
    title: String(p.title ?? prev?.title ?? ''),
    state,
    ...(p.phase === 'running' && p.waiting
      ? {
          waiting: {
            what: String(p.waiting.what).slice(0, 300),
            waitedMs: Number(p.waiting.waitedMs) || 0,
            withinMs: Number(p.waiting.withinMs) || 0,
          },
        }
      : {}),
  }
  // Holes (an index told out of order) read as pending.
  for (let i = 0; i < at; i++) g.checks[i] ??= { id: String(i), title: '', state: 'pending' }
}

/** A copy for the page. (An exam grades only when it is submitted, so its verdicts may show as they come.) */
function gradingShown(l: Live): GradingView | null {
  const g = l.grading
  return g ? { ...g, checks: g.checks.map((c) => ({ ...c })) } : null
}

function noticesOf(facts: Facts): { message: string; at: string }[] {
  const list = facts.notices
  if (!Array.isArray(list)) return []
  return list
    .filter((n) => n && typeof n.message === 'string' && n.message !== '')
    .map((n) => ({ message: String(n.message), at: String(n.at ?? '') }))
}

/** Writes here (every `> /dev/null`, process files) change nothing worth saving. */
export function isVolatilePath(path: string | undefined): boolean {
  return path !== undefined && /^\/(dev|proc|sys|run)(\/|$)/.test(path)
}
