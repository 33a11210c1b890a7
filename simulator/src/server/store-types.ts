// What attempts keep and the store interface the attempt manager uses. The
// server implements it with SQLite (store.ts); the browser edition with
// IndexedDB behind an in-memory copy. Free of Node.

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
  /** Set when a JSON column of the saved row could not be read (e.g. "facts"). */
  damaged?: string
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

/** A saved part whose bytes do not match the checksum written with them. */
export class CorruptPartError extends Error {
  constructor(readonly part: string) {
    super(`the saved ${part} is damaged (its checksum does not match)`)
    this.name = 'CorruptPartError'
  }
}

/** The attempt manager's storage. Reads and writes are synchronous; a store may persist behind them. */
export interface AttemptStore {
  insertAttempt(row: AttemptRow): void
  updateAttempt(id: string, patch: Partial<Omit<AttemptRow, 'id'>>): void
  getAttempt(id: string): AttemptRow | undefined
  listAttempts(states?: AttemptState[]): AttemptRow[]
  addEvent(attempt: string, kind: string, data: unknown, at?: number): void
  events(attempt: string): EventRow[]
  addReport(attempt: string, report: Report, final: boolean, at?: number): void
  /** Throws CorruptPartError when the stored report is damaged. */
  latestReport(attempt: string): { at: number; final: boolean; report: Report } | undefined
  saveEnvState(attempt: string, bytes: Uint8Array, at?: number): void
  /** Throws CorruptPartError when the saved environment fails its checksum. */
  loadEnvState(attempt: string): Uint8Array | undefined
  deleteEnvState(attempt: string): void
  saveScreen(attempt: string, screen: ScreenRow, at?: number): void
  /** Throws CorruptPartError when a saved screen fails its checksum. */
  loadScreens(attempt: string): ScreenRow[]
  deleteScreens(attempt: string): void
  close(): void
}
