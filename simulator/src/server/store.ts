// The server's persistence: one SQLite file (WAL) under the data dir. This
// module alone owns the schema and its migrations; everything else calls the
// typed methods below.

import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import type { Facts, Report } from './ports'

export type AttemptState = 'creating' | 'ready' | 'failed' | 'stopped' | 'submitted'
export type AttemptMode = 'practice' | 'exam'

export interface AttemptRow {
  id: string
  lab: string
  mode: AttemptMode
  driver: string
  state: AttemptState
  error: string | null
  progressFraction: number
  progressStep: string
  createdAt: number
  readyAt: number | null
  deadline: number | null
  finishedAt: number | null
  envId: string | null
  nodes: string[]
  facts: Facts
  hintsShown: number
  solutionShown: boolean
}

export interface EventRow {
  at: number
  kind: string
  data: unknown
}

export interface ScreenRow {
  node: string
  cols: number
  rows: number
  data: string
}

// Each entry moves the schema one version forward; never edit a shipped one.
const MIGRATIONS: string[] = [
  `CREATE TABLE attempts (
     id TEXT PRIMARY KEY,
     lab TEXT NOT NULL,
     mode TEXT NOT NULL,
     driver TEXT NOT NULL,
     state TEXT NOT NULL,
     error TEXT,
     progress_fraction REAL NOT NULL DEFAULT 0,
     progress_step TEXT NOT NULL DEFAULT '',
     created_at INTEGER NOT NULL,
     ready_at INTEGER,
     deadline INTEGER,
     finished_at INTEGER,
     env_id TEXT,
     nodes TEXT NOT NULL DEFAULT '[]',
     facts TEXT NOT NULL DEFAULT '{}',
     hints_shown INTEGER NOT NULL DEFAULT 0,
     solution_shown INTEGER NOT NULL DEFAULT 0
   );
   CREATE TABLE events (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     attempt TEXT NOT NULL REFERENCES attempts(id) ON DELETE CASCADE,
     at INTEGER NOT NULL,
     kind TEXT NOT NULL,
     data TEXT NOT NULL DEFAULT 'null'
   );
   CREATE INDEX events_attempt ON events(attempt, seq);
   CREATE TABLE reports (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     attempt TEXT NOT NULL REFERENCES attempts(id) ON DELETE CASCADE,
     at INTEGER NOT NULL,
     final INTEGER NOT NULL DEFAULT 0,
     json TEXT NOT NULL
   );
   CREATE INDEX reports_attempt ON reports(attempt, seq);
   CREATE TABLE env_state (
     attempt TEXT PRIMARY KEY REFERENCES attempts(id) ON DELETE CASCADE,
     saved_at INTEGER NOT NULL,
     bytes BLOB NOT NULL
   );
   CREATE TABLE screens (
     attempt TEXT NOT NULL REFERENCES attempts(id) ON DELETE CASCADE,
     node TEXT NOT NULL,
     cols INTEGER NOT NULL,
     rows INTEGER NOT NULL,
     data TEXT NOT NULL,
     saved_at INTEGER NOT NULL,
     PRIMARY KEY (attempt, node)
   );`,
]

export const SCHEMA_VERSION = MIGRATIONS.length

interface RawAttempt {
  id: string
  lab: string
  mode: string
  driver: string
  state: string
  error: string | null
  progress_fraction: number
  progress_step: string
  created_at: number
  ready_at: number | null
  deadline: number | null
  finished_at: number | null
  env_id: string | null
  nodes: string
  facts: string
  hints_shown: number
  solution_shown: number
}

function parseJson<T>(text: string, fallback: T): T {
  try {
    return JSON.parse(text) as T
  } catch {
    return fallback
  }
}

function toRow(r: RawAttempt): AttemptRow {
  return {
    id: r.id,
    lab: r.lab,
    mode: r.mode === 'exam' ? 'exam' : 'practice',
    driver: r.driver,
    state: r.state as AttemptState,
    error: r.error,
    progressFraction: r.progress_fraction,
    progressStep: r.progress_step,
    createdAt: r.created_at,
    readyAt: r.ready_at,
    deadline: r.deadline,
    finishedAt: r.finished_at,
    envId: r.env_id,
    nodes: parseJson<string[]>(r.nodes, []),
    facts: parseJson<Facts>(r.facts, {}),
    hintsShown: r.hints_shown,
    solutionShown: r.solution_shown !== 0,
  }
}

const COLUMNS: Record<keyof Omit<AttemptRow, 'id'>, string> = {
  lab: 'lab',
  mode: 'mode',
  driver: 'driver',
  state: 'state',
  error: 'error',
  progressFraction: 'progress_fraction',
  progressStep: 'progress_step',
  createdAt: 'created_at',
  readyAt: 'ready_at',
  deadline: 'deadline',
  finishedAt: 'finished_at',
  envId: 'env_id',
  nodes: 'nodes',
  facts: 'facts',
  hintsShown: 'hints_shown',
  solutionShown: 'solution_shown',
}

function toColumn(key: keyof Omit<AttemptRow, 'id'>, value: unknown): unknown {
  if (key === 'nodes' || key === 'facts') return JSON.stringify(value)
  if (key === 'solutionShown') return value ? 1 : 0
  return value
}

export class Store {
  readonly db: Database.Database

  constructor(dataDir: string) {
    mkdirSync(dataDir, { recursive: true })
    this.db = new Database(join(dataDir, 'ckalab.db'))
    this.db.pragma('journal_mode = WAL')
    // NORMAL keeps committed transactions across a process kill (WAL), which is
    // the crash we care about; only a power loss could drop the last commits.
    this.db.pragma('synchronous = NORMAL')
    this.db.pragma('foreign_keys = ON')
    this.db.pragma('busy_timeout = 2000')
    this.migrate()
  }

  private migrate(): void {
    const current = this.db.pragma('user_version', { simple: true }) as number
    if (current > MIGRATIONS.length) {
      throw new Error(
        `the database schema (version ${current}) is newer than this ckalab (version ${MIGRATIONS.length}); upgrade ckalab or use another --data-dir`,
      )
    }
    for (let v = current; v < MIGRATIONS.length; v++) {
      this.db.transaction(() => {
        this.db.exec(MIGRATIONS[v])
        this.db.pragma(`user_version = ${v + 1}`)
      })()
    }
  }

  insertAttempt(row: AttemptRow): void {
    const keys = Object.keys(COLUMNS) as (keyof typeof COLUMNS)[]
    const cols = ['id', ...keys.map((k) => COLUMNS[k])]
    const stmt = this.db.prepare(
      `INSERT INTO attempts (${cols.join(',')}) VALUES (${cols.map(() => '?').join(',')})`,
    )
    stmt.run(row.id, ...keys.map((k) => toColumn(k, row[k])))
  }

  updateAttempt(id: string, patch: Partial<Omit<AttemptRow, 'id'>>): void {
    const keys = (Object.keys(patch) as (keyof typeof COLUMNS)[]).filter((k) => k in COLUMNS)
    if (keys.length === 0) return
    const sets = keys.map((k) => `${COLUMNS[k]} = ?`).join(', ')
    this.db
      .prepare(`UPDATE attempts SET ${sets} WHERE id = ?`)
      .run(...keys.map((k) => toColumn(k, patch[k])), id)
  }

  getAttempt(id: string): AttemptRow | undefined {
    const raw = this.db.prepare('SELECT * FROM attempts WHERE id = ?').get(id) as RawAttempt | undefined
    return raw ? toRow(raw) : undefined
  }

  listAttempts(states?: AttemptState[]): AttemptRow[] {
    const rows = this.db.prepare('SELECT * FROM attempts ORDER BY created_at').all() as RawAttempt[]
    return rows.map(toRow).filter((r) => !states || states.includes(r.state))
  }

  addEvent(attempt: string, kind: string, data: unknown, at = Date.now()): void {
    this.db
      .prepare('INSERT INTO events (attempt, at, kind, data) VALUES (?, ?, ?, ?)')
      .run(attempt, at, kind, JSON.stringify(data ?? null))
  }

  events(attempt: string): EventRow[] {
    const rows = this.db
      .prepare('SELECT at, kind, data FROM events WHERE attempt = ? ORDER BY seq')
      .all(attempt) as {
      at: number
      kind: string
      data: string
    }[]
    return rows.map((r) => ({ at: r.at, kind: r.kind, data: parseJson<unknown>(r.data, null) }))
  }

  addReport(attempt: string, report: Report, final: boolean, at = Date.now()): void {
    this.db
      .prepare('INSERT INTO reports (attempt, at, final, json) VALUES (?, ?, ?, ?)')
      .run(attempt, at, final ? 1 : 0, JSON.stringify(report))
  }

  latestReport(attempt: string): { at: number; final: boolean; report: Report } | undefined {
    const r = this.db
      .prepare('SELECT at, final, json FROM reports WHERE attempt = ? ORDER BY seq DESC LIMIT 1')
      .get(attempt) as { at: number; final: number; json: string } | undefined
    if (!r) return undefined
    return { at: r.at, final: r.final !== 0, report: parseJson<Report>(r.json, {} as Report) }
  }

  saveEnvState(attempt: string, bytes: Uint8Array, at = Date.now()): void {
    this.db
      .prepare(
        'INSERT INTO env_state (attempt, saved_at, bytes) VALUES (?, ?, ?) ON CONFLICT(attempt) DO UPDATE SET saved_at = excluded.saved_at, bytes = excluded.bytes',
      )
      .run(attempt, at, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength))
  }

  loadEnvState(attempt: string): Uint8Array | undefined {
    const r = this.db.prepare('SELECT bytes FROM env_state WHERE attempt = ?').get(attempt) as
      | { bytes: Buffer }
      | undefined
    return r ? new Uint8Array(r.bytes) : undefined
  }

  deleteEnvState(attempt: string): void {
    this.db.prepare('DELETE FROM env_state WHERE attempt = ?').run(attempt)
  }

  saveScreen(attempt: string, screen: ScreenRow, at = Date.now()): void {
    this.db
      .prepare(
        `INSERT INTO screens (attempt, node, cols, rows, data, saved_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT(attempt, node) DO UPDATE SET cols = excluded.cols, rows = excluded.rows, data = excluded.data, saved_at = excluded.saved_at`,
      )
      .run(attempt, screen.node, screen.cols, screen.rows, screen.data, at)
  }

  loadScreens(attempt: string): ScreenRow[] {
    return this.db
      .prepare('SELECT node, cols, rows, data FROM screens WHERE attempt = ?')
      .all(attempt) as ScreenRow[]
  }

  deleteScreens(attempt: string): void {
    this.db.prepare('DELETE FROM screens WHERE attempt = ?').run(attempt)
  }

  close(): void {
    if (this.db.open) this.db.close()
  }
}
