// The board's pure parts: which rows a filter keeps, their order, and the
// texts for time left and last activity.

import type { BoardRow } from './api'

export type BoardFilter = 'all' | 'help' | 'stuck' | 'idle' | 'done'
export type BoardSort = 'name' | 'points' | 'activity' | 'joined'

/** No command for this long: idle. */
export const IDLE_MS = 5 * 60_000
/** Working (active recently) but no check passing after this long in the class: stuck. */
export const STUCK_MS = 10 * 60_000

export function isDone(r: BoardRow): boolean {
  return r.ended || (r.max > 0 && r.points === r.max)
}

export function isIdle(r: BoardRow, now: number): boolean {
  return !isDone(r) && now - r.lastActivity > IDLE_MS
}

export function isStuck(r: BoardRow, now: number, startedAt: number | null): boolean {
  if (isDone(r) || r.state === 'failed') return r.state === 'failed'
  const since = startedAt ?? now
  return now - since > STUCK_MS && r.checks.every((c) => c.verdict !== 'pass')
}

export function filterRows(
  rows: BoardRow[],
  filter: BoardFilter,
  now: number,
  startedAt: number | null,
): BoardRow[] {
  switch (filter) {
    case 'help':
      return rows.filter((r) => r.needsHelp)
    case 'stuck':
      return rows.filter((r) => isStuck(r, now, startedAt))
    case 'idle':
      return rows.filter((r) => isIdle(r, now))
    case 'done':
      return rows.filter(isDone)
    default:
      return rows
  }
}

export function sortRows(rows: BoardRow[], sort: BoardSort): BoardRow[] {
  const out = [...rows]
  // Learners asking for help come first whatever the order.
  const help = (r: BoardRow) => (r.needsHelp ? 0 : 1)
  const by: Record<BoardSort, (a: BoardRow, b: BoardRow) => number> = {
    name: (a, b) => a.name.localeCompare(b.name),
    points: (a, b) => b.points - a.points || a.name.localeCompare(b.name),
    activity: (a, b) => b.lastActivity - a.lastActivity,
    joined: () => 0,
  }
  return out.sort((a, b) => help(a) - help(b) || by[sort](a, b))
}

export function timeLeft(deadline: number | null, now: number): string {
  if (deadline === null) return '—'
  const ms = deadline - now
  if (ms <= 0) return "time's up"
  const m = Math.floor(ms / 60_000)
  const s = Math.floor((ms % 60_000) / 1000)
  return m >= 60 ? `${Math.floor(m / 60)} h ${m % 60} min` : `${m}:${String(s).padStart(2, '0')}`
}

export function ago(at: number, now: number): string {
  const s = Math.max(0, Math.round((now - at) / 1000))
  if (s < 60) return `${s} s ago`
  if (s < 3600) return `${Math.floor(s / 60)} min ago`
  return `${Math.floor(s / 3600)} h ago`
}
