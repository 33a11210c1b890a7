// The server's persistence: one SQLite file (WAL) under the data dir. This
// module alone owns the schema and its migrations; everything else calls the
// typed methods below.

import { createHash } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import type { Facts, Report } from './ports'
import {
  type AttemptRow,
  type AttemptState,
  type AttemptStore,
  CorruptPartError,
  type EventRow,
  type ScreenRow,
} from './store-types'

export type { AttemptMode, AttemptRow, AttemptState, AttemptStore, EventRow, ScreenRow } from './store-types'
export { CorruptPartError } from './store-types'

/** Where the server keeps its data unless told otherwise (`--data-dir`, CKALAB_DATA_DIR). */
export function defaultDataDir(): string {
  return process.env.CKALAB_DATA_DIR ?? join(homedir(), '.ckalab')
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
  // A checksum per saved part: a part that fails it is reported, never restored as something less.
  `ALTER TABLE env_state ADD COLUMN sha256 TEXT;
   ALTER TABLE screens ADD COLUMN sha256 TEXT;
   ALTER TABLE reports ADD COLUMN sha256 TEXT;`,
]

function sha256(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex')
}

/** Marks a data dir that has held a database, so a lost database is noticed instead of starting empty. */
const MARKER = 'ckalab-data.json'
const DB_FILE = 'ckalab.db'

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
  const damaged = ['nodes', 'facts'].find((k) => {
    try {
      const v = JSON.parse(r[k as 'nodes' | 'facts'])
      return k === 'nodes' ? !Array.isArray(v) : typeof v !== 'object' || v === null || Array.isArray(v)
    } catch {
      return true
    }
  })
  return {
    ...(damaged ? { damaged: `${damaged} record` } : {}),
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

const COLUMNS: Record<keyof Omit<AttemptRow, 'id' | 'damaged'>, string> = {
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

function toColumn(key: keyof typeof COLUMNS, value: unknown): unknown {
  if (key === 'nodes' || key === 'facts') return JSON.stringify(value)
  if (key === 'solutionShown') return value ? 1 : 0
  return value
}

export class Store implements AttemptStore {
  readonly db: Database.Database

  constructor(dataDir: string) {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 })
    const dbPath = join(dataDir, DB_FILE)
    const marker = join(dataDir, MARKER)
    const dbSize = existsSync(dbPath) ? statSync(dbPath).size : -1
    if (existsSync(marker) && dbSize <= 0) {
      throw new Error(
        `the database ${dbPath} is ${dbSize < 0 ? 'missing' : 'empty'} but ${dataDir} held attempts before; ` +
          'restore it from a backup, or move the data dir away to start afresh (nothing was changed)',
      )
    }
    // Attempt tokens, reports and saved work are private to the user running ckalab.
    if (dbSize < 0) writeFileSync(dbPath, '', { mode: 0o600, flag: 'wx' })
    this.db = new Database(dbPath)
    this.db.pragma('journal_mode = WAL')
    // NORMAL keeps committed transactions across a process kill (WAL), which is
    // the crash we care about; only a power loss could drop the last commits.
    this.db.pragma('synchronous = NORMAL')
    this.db.pragma('foreign_keys = ON')
    this.db.pragma('busy_timeout = 2000')
    this.migrate()
    for (const f of [dbPath, `${dbPath}-wal`, `${dbPath}-shm`]) if (existsSync(f)) chmodSync(f, 0o600)
    if (!existsSync(marker))
      writeFileSync(
        marker,
        `${JSON.stringify({ database: DB_FILE, createdAt: new Date().toISOString() })}\n`,
        {
          mode: 0o600,
        },
      )
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
      .prepare('INSERT INTO reports (attempt, at, final, json, sha256) VALUES (?, ?, ?, ?, ?)')
      .run(attempt, at, final ? 1 : 0, JSON.stringify(report), sha256(JSON.stringify(report)))
  }

  /** Throws CorruptPartError when the stored report is damaged. */
  latestReport(attempt: string): { at: number; final: boolean; report: Report } | undefined {
    const r = this.db
      .prepare('SELECT at, final, json, sha256 FROM reports WHERE attempt = ? ORDER BY seq DESC LIMIT 1')
      .get(attempt) as { at: number; final: number; json: string; sha256: string | null } | undefined
    if (!r) return undefined
    const report = parseJson<Report | undefined>(r.json, undefined)
    if (
      (r.sha256 !== null && r.sha256 !== sha256(r.json)) ||
      !report ||
      typeof report !== 'object' ||
      !Array.isArray((report as { checks?: unknown }).checks)
    )
      throw new CorruptPartError('report')
    return { at: r.at, final: r.final !== 0, report }
  }

  saveEnvState(attempt: string, bytes: Uint8Array, at = Date.now()): void {
    this.db
      .prepare(
        'INSERT INTO env_state (attempt, saved_at, bytes, sha256) VALUES (?, ?, ?, ?) ON CONFLICT(attempt) DO UPDATE SET saved_at = excluded.saved_at, bytes = excluded.bytes, sha256 = excluded.sha256',
      )
      .run(attempt, at, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), sha256(bytes))
  }

  /** Throws CorruptPartError when the saved environment fails its checksum. */
  loadEnvState(attempt: string): Uint8Array | undefined {
    const r = this.db.prepare('SELECT bytes, sha256 FROM env_state WHERE attempt = ?').get(attempt) as
      | { bytes: Buffer | string; sha256: string | null }
      | undefined
    if (!r) return undefined
    const bytes = typeof r.bytes === 'string' ? new TextEncoder().encode(r.bytes) : new Uint8Array(r.bytes)
    if (r.sha256 !== null && r.sha256 !== sha256(bytes)) throw new CorruptPartError('environment')
    return bytes
  }

  deleteEnvState(attempt: string): void {
    this.db.prepare('DELETE FROM env_state WHERE attempt = ?').run(attempt)
  }

  saveScreen(attempt: string, screen: ScreenRow, at = Date.now()): void {
    this.db
      .prepare(
        `INSERT INTO screens (attempt, node, cols, rows, data, saved_at, sha256) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(attempt, node) DO UPDATE SET cols = excluded.cols, rows = excluded.rows, data = excluded.data, saved_at = excluded.saved_at, sha256 = excluded.sha256`,
      )
      .run(attempt, screen.node, screen.cols, screen.rows, screen.data, at, sha256(screen.data))
  }

  /** Throws CorruptPartError when a saved screen fails its checksum. */
  loadScreens(attempt: string): ScreenRow[] {
    const rows = this.db
      .prepare('SELECT node, cols, rows, data, sha256 FROM screens WHERE attempt = ?')
      .all(attempt) as (ScreenRow & { sha256: string | null })[]
    return rows.map(({ sha256: sum, ...row }) => {
      if (sum !== null && (typeof row.data !== 'string' || sum !== sha256(row.data)))
        throw new CorruptPartError(`screen of ${row.node}`)
      return row
    })
  }

  deleteScreens(attempt: string): void {
    this.db.prepare('DELETE FROM screens WHERE attempt = ?').run(attempt)
  }

  close(): void {
    if (this.db.open) this.db.close()
  }
}
