// What the learner achieved per lab, kept in this browser: passed or not, the
// best score, the quickest passing time and the history of graded attempts.
// The server keeps the same facts (GET /api/progress); the catalogue shows
// the union, so clearing one side loses nothing the other still knows.

import type { AttemptRecord, LabProgress, ProgressMap } from '../../simulator/src/server/progress'

export type { AttemptRecord, LabProgress, ProgressMap }

const KEY = 'ckalab.progress'
const MAX_HISTORY = 30

export function emptyProgress(lab: string): LabProgress {
  return { lab, passed: false, best: null, bestMs: null, history: [] }
}

function better(a: { points: number; max: number } | null, b: { points: number; max: number }): boolean {
  if (!a) return true
  const ra = a.max > 0 ? a.points / a.max : 0
  const rb = b.max > 0 ? b.points / b.max : 0
  return rb > ra
}

/** Adds one graded report; the same report recorded twice counts once. */
export function recordAttempt(all: ProgressMap, lab: string, rec: AttemptRecord): ProgressMap {
  const p = all[lab] ?? emptyProgress(lab)
  if (p.history.some((h) => h.attempt === rec.attempt && h.at === rec.at)) return all
  const passed = rec.verdict === 'pass'
  const next: LabProgress = {
    lab,
    passed: p.passed || passed,
    best: better(p.best, rec) ? { points: rec.points, max: rec.max } : p.best,
    bestMs: passed && rec.ms !== null && (p.bestMs === null || rec.ms < p.bestMs) ? rec.ms : p.bestMs,
    history: [rec, ...p.history].slice(0, MAX_HISTORY),
  }
  return { ...all, [lab]: next }
}

/** Browser and server progress together. */
export function mergeProgress(a: ProgressMap, b: ProgressMap): ProgressMap {
  const out: ProgressMap = { ...a }
  for (const [lab, q] of Object.entries(b)) {
    const p = out[lab]
    if (!p) {
      out[lab] = q
      continue
    }
    const seen = new Set(p.history.map((h) => `${h.attempt}@${h.at}`))
    const bestMs = [p.bestMs, q.bestMs].filter((x): x is number => x !== null)
    out[lab] = {
      lab,
      passed: p.passed || q.passed,
      best: q.best && better(p.best, q.best) ? q.best : p.best,
      bestMs: bestMs.length ? Math.min(...bestMs) : null,
      history: [...p.history, ...q.history.filter((h) => !seen.has(`${h.attempt}@${h.at}`))]
        .sort((x, y) => y.at - x.at)
        .slice(0, MAX_HISTORY),
    }
  }
  return out
}

export function parseProgress(text: string | null): ProgressMap {
  if (!text) return {}
  try {
    const v = JSON.parse(text)
    if (!v || typeof v !== 'object' || Array.isArray(v)) return {}
    const out: ProgressMap = {}
    for (const [lab, p] of Object.entries(v as Record<string, Partial<LabProgress>>)) {
      if (!p || typeof p !== 'object' || !Array.isArray(p.history)) continue
      out[lab] = {
        lab,
        passed: p.passed === true,
        best: p.best && typeof p.best.points === 'number' ? p.best : null,
        bestMs: typeof p.bestMs === 'number' ? p.bestMs : null,
        history: p.history.filter((h) => h && typeof h.attempt === 'string' && typeof h.at === 'number'),
      }
    }
    return out
  } catch {
    return {}
  }
}

export function loadProgress(): ProgressMap {
  try {
    return parseProgress(localStorage.getItem(KEY))
  } catch {
    return {}
  }
}

export function saveProgress(all: ProgressMap): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(all))
  } catch {
    /* the server keeps the same facts */
  }
}
