// Classes, seats and messages in the server's SQLite database. These tables
// belong to this module alone; they are created if missing so the attempts
// schema (store.ts) and its migrations stay untouched.

import type Database from 'better-sqlite3'

export type ClassMode = 'practice' | 'exam'
/** waiting: learners join and wait; running: the clock runs; ended: every seat graded and frozen. */
export type ClassState = 'waiting' | 'running' | 'ended'

export interface ClassRow {
  id: string
  code: string
  name: string
  labs: string[]
  mode: ClassMode
  durationMin: number
  seatCap: number
  opensAt: number | null
  closesAt: number | null
  joining: boolean
  state: ClassState
  startedAt: number | null
  endedAt: number | null
  createdAt: number
  /** Where the class's events are posted (signed), or null. */
  webhook: string | null
}

export interface SeatAttempt {
  lab: string
  attemptId: string
}

export interface SeatRow {
  id: string
  classId: string
  name: string
  recoverySha: string
  attempts: SeatAttempt[]
  joinedAt: number
  extraMs: number
  needsHelp: boolean
  endedAt: number | null
}

export interface MessageRow {
  seq: number
  classId: string
  /** null: sent to the whole class. */
  seatId: string | null
  at: number
  text: string
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS class_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS classes (
  id TEXT PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  labs TEXT NOT NULL,
  mode TEXT NOT NULL,
  duration_min INTEGER NOT NULL,
  seat_cap INTEGER NOT NULL,
  opens_at INTEGER,
  closes_at INTEGER,
  joining INTEGER NOT NULL DEFAULT 1,
  state TEXT NOT NULL,
  started_at INTEGER,
  ended_at INTEGER,
  created_at INTEGER NOT NULL,
  webhook TEXT
);
CREATE TABLE IF NOT EXISTS class_seats (
  id TEXT PRIMARY KEY,
  class_id TEXT NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  recovery_sha TEXT NOT NULL UNIQUE,
  attempts TEXT NOT NULL DEFAULT '[]',
  joined_at INTEGER NOT NULL,
  extra_ms INTEGER NOT NULL DEFAULT 0,
  needs_help INTEGER NOT NULL DEFAULT 0,
  ended_at INTEGER
);
CREATE INDEX IF NOT EXISTS class_seats_class ON class_seats(class_id, joined_at);
CREATE TABLE IF NOT EXISTS class_messages (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  class_id TEXT NOT NULL REFERENCES classes(id) ON DELETE CASCADE,
  seat_id TEXT,
  at INTEGER NOT NULL,
  text TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS class_messages_class ON class_messages(class_id, seq);
`

interface RawClass {
  id: string
  code: string
  name: string
  labs: string
  mode: string
  duration_min: number
  seat_cap: number
  opens_at: number | null
  closes_at: number | null
  joining: number
  state: string
  started_at: number | null
  ended_at: number | null
  created_at: number
  webhook: string | null
}

interface RawSeat {
  id: string
  class_id: string
  name: string
  recovery_sha: string
  attempts: string
  joined_at: number
  extra_ms: number
  needs_help: number
  ended_at: number | null
}

function parseList<T>(text: string): T[] {
  try {
    const v = JSON.parse(text)
    return Array.isArray(v) ? v : []
  } catch {
    return []
  }
}

const toClass = (r: RawClass): ClassRow => ({
  id: r.id,
  code: r.code,
  name: r.name,
  labs: parseList<string>(r.labs),
  mode: r.mode === 'exam' ? 'exam' : 'practice',
  durationMin: r.duration_min,
  seatCap: r.seat_cap,
  opensAt: r.opens_at,
  closesAt: r.closes_at,
  joining: r.joining !== 0,
  state: r.state as ClassState,
  startedAt: r.started_at,
  endedAt: r.ended_at,
  createdAt: r.created_at,
  webhook: r.webhook,
})

const toSeat = (r: RawSeat): SeatRow => ({
  id: r.id,
  classId: r.class_id,
  name: r.name,
  recoverySha: r.recovery_sha,
  attempts: parseList<SeatAttempt>(r.attempts),
  joinedAt: r.joined_at,
  extraMs: r.extra_ms,
  needsHelp: r.needs_help !== 0,
  endedAt: r.ended_at,
})

const CLASS_COLUMNS: Record<keyof Omit<ClassRow, 'id'>, string> = {
  code: 'code',
  name: 'name',
  labs: 'labs',
  mode: 'mode',
  durationMin: 'duration_min',
  seatCap: 'seat_cap',
  opensAt: 'opens_at',
  closesAt: 'closes_at',
  joining: 'joining',
  state: 'state',
  startedAt: 'started_at',
  endedAt: 'ended_at',
  createdAt: 'created_at',
  webhook: 'webhook',
}

const SEAT_COLUMNS: Record<keyof Omit<SeatRow, 'id'>, string> = {
  classId: 'class_id',
  name: 'name',
  recoverySha: 'recovery_sha',
  attempts: 'attempts',
  joinedAt: 'joined_at',
  extraMs: 'extra_ms',
  needsHelp: 'needs_help',
  endedAt: 'ended_at',
}

function column(value: unknown): unknown {
  if (Array.isArray(value)) return JSON.stringify(value)
  if (typeof value === 'boolean') return value ? 1 : 0
  return value
}

export class ClassStore {
  constructor(readonly db: Database.Database) {
    db.exec(SCHEMA)
  }

  meta(key: string): string | undefined {
    const r = this.db.prepare('SELECT value FROM class_meta WHERE key = ?').get(key) as
      | { value: string }
      | undefined
    return r?.value
  }

  setMeta(key: string, value: string): void {
    this.db
      .prepare(
        'INSERT INTO class_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
      )
      .run(key, value)
  }

  insertClass(row: ClassRow): void {
    const keys = Object.keys(CLASS_COLUMNS) as (keyof typeof CLASS_COLUMNS)[]
    const cols = ['id', ...keys.map((k) => CLASS_COLUMNS[k])]
    this.db
      .prepare(`INSERT INTO classes (${cols.join(',')}) VALUES (${cols.map(() => '?').join(',')})`)
      .run(row.id, ...keys.map((k) => column(row[k])))
  }

  updateClass(id: string, patch: Partial<Omit<ClassRow, 'id'>>): void {
    const keys = (Object.keys(patch) as (keyof typeof CLASS_COLUMNS)[]).filter((k) => k in CLASS_COLUMNS)
    if (keys.length === 0) return
    this.db
      .prepare(`UPDATE classes SET ${keys.map((k) => `${CLASS_COLUMNS[k]} = ?`).join(', ')} WHERE id = ?`)
      .run(...keys.map((k) => column(patch[k])), id)
  }

  listClasses(): ClassRow[] {
    return (this.db.prepare('SELECT * FROM classes ORDER BY created_at').all() as RawClass[]).map(toClass)
  }

  classById(id: string): ClassRow | undefined {
    const r = this.db.prepare('SELECT * FROM classes WHERE id = ?').get(id) as RawClass | undefined
    return r ? toClass(r) : undefined
  }

  classByCode(code: string): ClassRow | undefined {
    const r = this.db.prepare('SELECT * FROM classes WHERE code = ?').get(code) as RawClass | undefined
    return r ? toClass(r) : undefined
  }

  insertSeat(row: SeatRow): void {
    const keys = Object.keys(SEAT_COLUMNS) as (keyof typeof SEAT_COLUMNS)[]
    const cols = ['id', ...keys.map((k) => SEAT_COLUMNS[k])]
    this.db
      .prepare(`INSERT INTO class_seats (${cols.join(',')}) VALUES (${cols.map(() => '?').join(',')})`)
      .run(row.id, ...keys.map((k) => column(row[k])))
  }

  updateSeat(id: string, patch: Partial<Omit<SeatRow, 'id'>>): void {
    const keys = (Object.keys(patch) as (keyof typeof SEAT_COLUMNS)[]).filter((k) => k in SEAT_COLUMNS)
    if (keys.length === 0) return
    this.db
      .prepare(`UPDATE class_seats SET ${keys.map((k) => `${SEAT_COLUMNS[k]} = ?`).join(', ')} WHERE id = ?`)
      .run(...keys.map((k) => column(patch[k])), id)
  }

  seats(classId: string): SeatRow[] {
    return (
      this.db
        .prepare('SELECT * FROM class_seats WHERE class_id = ? ORDER BY joined_at')
        .all(classId) as RawSeat[]
    ).map(toSeat)
  }

  allSeats(): SeatRow[] {
    return (this.db.prepare('SELECT * FROM class_seats ORDER BY joined_at').all() as RawSeat[]).map(toSeat)
  }

  seatByRecovery(sha: string): SeatRow | undefined {
    const r = this.db.prepare('SELECT * FROM class_seats WHERE recovery_sha = ?').get(sha) as
      | RawSeat
      | undefined
    return r ? toSeat(r) : undefined
  }

  addMessage(classId: string, seatId: string | null, text: string, at = Date.now()): MessageRow {
    const info = this.db
      .prepare('INSERT INTO class_messages (class_id, seat_id, at, text) VALUES (?, ?, ?, ?)')
      .run(classId, seatId, at, text)
    return { seq: Number(info.lastInsertRowid), classId, seatId, at, text }
  }

  /** The messages one seat sees: the class's broadcasts and its own. */
  messagesFor(classId: string, seatId: string): MessageRow[] {
    const rows = this.db
      .prepare(
        'SELECT seq, class_id, seat_id, at, text FROM class_messages WHERE class_id = ? AND (seat_id IS NULL OR seat_id = ?) ORDER BY seq',
      )
      .all(classId, seatId) as {
      seq: number
      class_id: string
      seat_id: string | null
      at: number
      text: string
    }[]
    return rows.map((r) => ({ seq: r.seq, classId: r.class_id, seatId: r.seat_id, at: r.at, text: r.text }))
  }
}
