// The browser edition's attempt store: the attempt manager reads and writes
// an in-memory copy synchronously (as it does SQLite on the server), and
// every change is written through to IndexedDB shortly after. A failed write
// (storage full, private mode) is kept as a message for the learner and tried
// again with the next change; nothing in memory is lost by it.

import { type AttemptRecord, checksum, type EnvRecord } from '../../../../simulator/src/server/attempt-file'
import type { Report } from '../../../../simulator/src/server/ports'

export type { AttemptRecord, EnvRecord }

import {
  type AttemptRow,
  type AttemptState,
  type AttemptStore,
  CorruptPartError,
  type EventRow,
  type ScreenRow,
} from '../../../../simulator/src/server/store-types'

/** Where records persist; IndexedDB in the page, a Map in tests. */
export interface RecordBackend {
  loadAll(): Promise<{ attempts: unknown[]; envs: unknown[] }>
  write(
    attempts: AttemptRecord[],
    envs: EnvRecord[],
    deletedEnvs: string[],
    deletedAttempts: string[],
  ): Promise<void>
  clear(): Promise<void>
}

const STATES: AttemptState[] = ['creating', 'ready', 'failed', 'stopped', 'submitted']

/** Is this stored value an attempt record this version can use? Returns why not. */
export function recordProblem(value: unknown): string | undefined {
  const r = value as Partial<AttemptRecord> | null
  if (!r || typeof r !== 'object') return 'it is not an object'
  if (typeof r.id !== 'string' || typeof r.token !== 'string') return 'it has no id or token'
  const row = r.row as Partial<AttemptRow> | undefined
  if (!row || typeof row !== 'object' || row.id !== r.id) return 'its attempt row is missing'
  if (typeof row.lab !== 'string' || !STATES.includes(row.state as AttemptState))
    return 'its attempt row is incomplete'
  if (!Array.isArray(row.nodes) || typeof row.facts !== 'object' || row.facts === null)
    return 'its attempt row is incomplete'
  if (!Array.isArray(r.events) || !Array.isArray(r.reports) || !Array.isArray(r.screens))
    return 'its events, reports or screens are missing'
  return undefined
}

export class BrowserStore implements AttemptStore {
  private readonly records = new Map<string, AttemptRecord>()
  private readonly envs = new Map<string, EnvRecord>()
  private readonly dirty = new Set<string>()
  private readonly dirtyEnv = new Set<string>()
  private readonly deletedEnv = new Set<string>()
  private readonly deletedAttempts = new Set<string>()
  private timer: ReturnType<typeof setTimeout> | undefined
  private writing: Promise<void> = Promise.resolve()
  /** Why the last write failed; null once one works. */
  error: string | null = null
  /** Stored attempts that could not be read, with why; they are left in storage untouched. */
  readonly unreadable: { id: string; why: string }[] = []
  onError: (error: string | null) => void = () => {}

  constructor(
    private readonly backend: RecordBackend,
    private readonly delayMs = 50,
  ) {}

  /** Reads everything stored; a record that cannot be used is listed in `unreadable`, never deleted. */
  async load(): Promise<void> {
    const { attempts, envs } = await this.backend.loadAll()
    for (const a of attempts) {
      const why = recordProblem(a)
      if (why) {
        const id = (a as { id?: unknown } | null)?.id
        this.unreadable.push({ id: typeof id === 'string' ? id : '?', why })
        continue
      }
      const rec = a as AttemptRecord
      this.records.set(rec.id, rec)
    }
    for (const e of envs) {
      const env = e as Partial<EnvRecord> | null
      if (!env || typeof env.id !== 'string') continue
      if (!(env.bytes instanceof Uint8Array) || typeof env.sum !== 'string') {
        const rec = this.records.get(env.id)
        if (rec) rec.row.damaged = 'environment'
        continue
      }
      this.envs.set(env.id, env as EnvRecord)
    }
  }

  tokenOf(id: string): string | undefined {
    return this.records.get(id)?.token
  }

  record(id: string): AttemptRecord | undefined {
    return this.records.get(id)
  }

  env(id: string): EnvRecord | undefined {
    return this.envs.get(id)
  }

  /** An attempt brought in from a file (it replaces one with the same id). */
  put(rec: AttemptRecord, env: EnvRecord | undefined): void {
    this.records.set(rec.id, rec)
    this.touch(rec.id)
    if (env) {
      this.envs.set(rec.id, env)
      this.dirtyEnv.add(rec.id)
      this.deletedEnv.delete(rec.id)
    }
  }

  setToken(id: string, token: string): void {
    const r = this.need(id)
    r.token = token
    this.touch(id)
  }

  insertAttempt(row: AttemptRow): void {
    this.records.set(row.id, { id: row.id, token: '', row: { ...row }, events: [], reports: [], screens: [] })
    this.deletedAttempts.delete(row.id)
    this.touch(row.id)
  }

  updateAttempt(id: string, patch: Partial<Omit<AttemptRow, 'id'>>): void {
    const r = this.records.get(id)
    if (!r) return
    Object.assign(r.row, structuredClone(patch))
    this.touch(id)
  }

  getAttempt(id: string): AttemptRow | undefined {
    const r = this.records.get(id)
    return r ? structuredClone(r.row) : undefined
  }

  listAttempts(states?: AttemptState[]): AttemptRow[] {
    return [...this.records.values()]
      .map((r) => structuredClone(r.row))
      .filter((r) => !states || states.includes(r.state))
      .sort((a, b) => a.createdAt - b.createdAt)
  }

  addEvent(attempt: string, kind: string, data: unknown, at = Date.now()): void {
    const r = this.records.get(attempt)
    if (!r) return
    r.events.push({ at, kind, data: structuredClone(data ?? null) })
    this.touch(attempt)
  }

  events(attempt: string): EventRow[] {
    return structuredClone(this.records.get(attempt)?.events ?? [])
  }

  addReport(attempt: string, report: Report, final: boolean, at = Date.now()): void {
    const r = this.records.get(attempt)
    if (!r) return
    r.reports.push({ at, final, report: structuredClone(report), sum: checksum(JSON.stringify(report)) })
    this.touch(attempt)
  }

  latestReport(attempt: string): { at: number; final: boolean; report: Report } | undefined {
    const list = this.records.get(attempt)?.reports ?? []
    const r = list[list.length - 1]
    if (!r) return undefined
    if (
      !r.report ||
      typeof r.report !== 'object' ||
      !Array.isArray((r.report as { checks?: unknown }).checks) ||
      r.sum !== checksum(JSON.stringify(r.report))
    )
      throw new CorruptPartError('report')
    return { at: r.at, final: r.final, report: structuredClone(r.report) }
  }

  saveEnvState(attempt: string, bytes: Uint8Array, at = Date.now()): void {
    const copy = bytes.slice()
    this.envs.set(attempt, { id: attempt, at, bytes: copy, sum: checksum(copy) })
    this.deletedEnv.delete(attempt)
    this.dirtyEnv.add(attempt)
    this.schedule()
  }

  loadEnvState(attempt: string): Uint8Array | undefined {
    const e = this.envs.get(attempt)
    if (!e) return undefined
    if (checksum(e.bytes) !== e.sum) throw new CorruptPartError('environment')
    return e.bytes.slice()
  }

  deleteEnvState(attempt: string): void {
    this.envs.delete(attempt)
    this.dirtyEnv.delete(attempt)
    this.deletedEnv.add(attempt)
    this.schedule()
  }

  saveScreen(attempt: string, screen: ScreenRow, _at = Date.now()): void {
    const r = this.records.get(attempt)
    if (!r) return
    r.screens = r.screens.filter((s) => s.node !== screen.node)
    r.screens.push({ ...screen, sum: checksum(screen.data) })
    this.touch(attempt)
  }

  loadScreens(attempt: string): ScreenRow[] {
    return (this.records.get(attempt)?.screens ?? []).map(({ sum, ...row }) => {
      if (typeof row.data !== 'string' || sum !== checksum(row.data))
        throw new CorruptPartError(`screen of ${row.node}`)
      return { ...row }
    })
  }

  deleteScreens(attempt: string): void {
    const r = this.records.get(attempt)
    if (!r) return
    r.screens = []
    this.touch(attempt)
  }

  /** Forgets every attempt, here and in storage. */
  async clear(): Promise<void> {
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
    await this.writing.catch(() => {})
    this.records.clear()
    this.envs.clear()
    this.dirty.clear()
    this.dirtyEnv.clear()
    this.deletedEnv.clear()
    this.deletedAttempts.clear()
    this.unreadable.length = 0
    await this.backend.clear()
  }

  /** Writes what changed now; resolves once storage has it (or rejects with why not). */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer)
    this.timer = undefined
    this.writing = this.writing.catch(() => {}).then(() => this.writeNow())
    return this.writing
  }

  close(): void {
    void this.flush().catch(() => {})
  }

  private need(id: string): AttemptRecord {
    const r = this.records.get(id)
    if (!r) throw new Error(`no stored attempt ${id}`)
    return r
  }

  private touch(id: string): void {
    this.dirty.add(id)
    this.schedule()
  }

  private schedule(): void {
    if (this.timer) return
    this.timer = setTimeout(() => {
      this.timer = undefined
      void this.flush().catch(() => {})
    }, this.delayMs)
  }

  private async writeNow(): Promise<void> {
    const ids = [...this.dirty]
    const envIds = [...this.dirtyEnv]
    const gone = [...this.deletedEnv]
    const goneAttempts = [...this.deletedAttempts]
    if (ids.length + envIds.length + gone.length + goneAttempts.length === 0) return
    this.dirty.clear()
    this.dirtyEnv.clear()
    this.deletedEnv.clear()
    this.deletedAttempts.clear()
    const attempts = ids.flatMap((id) => {
      const r = this.records.get(id)
      return r ? [r] : []
    })
    const envs = envIds.flatMap((id) => {
      const e = this.envs.get(id)
      return e ? [e] : []
    })
    try {
      await this.backend.write(attempts, envs, gone, goneAttempts)
      if (this.error !== null) {
        this.error = null
        this.onError(null)
      }
    } catch (err) {
      // Kept to be written with the next change (or the next flush).
      for (const id of ids) this.dirty.add(id)
      for (const id of envIds) this.dirtyEnv.add(id)
      for (const id of gone) this.deletedEnv.add(id)
      for (const id of goneAttempts) this.deletedAttempts.add(id)
      this.error = storageMessage(err)
      this.onError(this.error)
      throw err
    }
  }
}

/** What a failed write means to a learner. */
export function storageMessage(err: unknown): string {
  const name = (err as { name?: string } | null)?.name
  const message = err instanceof Error ? err.message : String(err)
  if (name === 'QuotaExceededError')
    return 'this browser has no room left for ckalab (storage is full); export your attempt to a file, then free space or delete old attempts'
  return `this browser did not save your work (${message}); export your attempt to a file to keep it`
}
