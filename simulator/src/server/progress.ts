// Progress per lab as the server knows it, derived from the attempts' event
// history (nothing new is stored): passed or not, the best score, the
// quickest pass and every graded try, including tries a reset discarded.
// Attempts are named by their public id here, never by their token.

import type { AttemptMode, AttemptRow, EventRow } from './store-types'

export interface AttemptRecord {
  /** The attempt's public id. */
  attempt: string
  mode: AttemptMode
  /** When the report was made. */
  at: number
  points: number
  max: number
  verdict: string
  /** Time from the environment being ready to this report. */
  ms: number | null
  final: boolean
}

export interface LabProgress {
  lab: string
  passed: boolean
  best: { points: number; max: number } | null
  /** Quickest passing try. */
  bestMs: number | null
  history: AttemptRecord[]
}

export type ProgressMap = Record<string, LabProgress>

const MAX_HISTORY = 30

interface GradedData {
  final?: boolean
  score?: { points?: number; max?: number }
  verdict?: string
  checks?: { verdict?: string }[]
}

/** Every graded try of one attempt, with the time it took from its own "ready". */
export function triesOf(row: Pick<AttemptRow, 'id' | 'mode'>, events: EventRow[]): AttemptRecord[] {
  const out: AttemptRecord[] = []
  let readyAt: number | null = null
  for (const e of events) {
    if (e.kind === 'ready') readyAt = e.at
    if (e.kind === 'reset') readyAt = null
    if (e.kind !== 'graded') continue
    const d = (e.data ?? {}) as GradedData
    const points = Number(d.score?.points ?? 0)
    const max = Number(d.score?.max ?? 0)
    const verdict =
      d.verdict ??
      (Array.isArray(d.checks) && d.checks.length > 0 && d.checks.every((c) => c.verdict === 'pass')
        ? 'pass'
        : 'fail')
    out.push({
      attempt: row.id,
      mode: row.mode,
      at: e.at,
      points,
      max,
      verdict,
      ms: readyAt === null ? null : Math.max(0, e.at - readyAt),
      final: d.final === true,
    })
  }
  return out
}

export function progressFrom(attempts: { row: AttemptRow; events: EventRow[] }[]): ProgressMap {
  const out: ProgressMap = {}
  for (const { row, events } of attempts) {
    const p = out[row.lab] ?? { lab: row.lab, passed: false, best: null, bestMs: null, history: [] }
    out[row.lab] = p
    for (const t of triesOf(row, events)) {
      p.history.push(t)
      const ratio = t.max > 0 ? t.points / t.max : 0
      const bestRatio = p.best && p.best.max > 0 ? p.best.points / p.best.max : -1
      if (ratio > bestRatio) p.best = { points: t.points, max: t.max }
      if (t.verdict === 'pass') {
        p.passed = true
        if (t.ms !== null && (p.bestMs === null || t.ms < p.bestMs)) p.bestMs = t.ms
      }
    }
  }
  for (const p of Object.values(out)) p.history = p.history.sort((a, b) => b.at - a.at).slice(0, MAX_HISTORY)
  // Labs that were started but never graded say nothing yet.
  for (const [lab, p] of Object.entries(out)) if (p.history.length === 0) delete out[lab]
  return out
}

/** Tries a reset threw away (exam resets keep the clock running; the try is still on record). */
export function discardedTries(events: EventRow[]): { readyAt: number | null; resetAt: number }[] {
  const out: { readyAt: number | null; resetAt: number }[] = []
  let readyAt: number | null = null
  for (const e of events) {
    if (e.kind === 'ready') readyAt = e.at
    if (e.kind === 'reset') {
      // The reset event carries the discarded try's own readyAt (older ones do not).
      const own = (e.data as { discarded?: { readyAt?: unknown } } | null)?.discarded?.readyAt
      out.push({ readyAt: typeof own === 'number' || own === null ? own : readyAt, resetAt: e.at })
      readyAt = null
    }
  }
  return out
}
