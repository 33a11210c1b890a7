// A class's results as files: CSV for spreadsheets (a row per learner, a
// column per check), JSON (every learner's ckalab.report/v1 reports with the
// class's metadata; schema in class-export.schema.json) and JUnit XML (a
// testsuite per learner and lab). Pure functions over stored rows, so the
// server and `ckalab class export` produce the same bytes. No tokens, keys
// or recovery codes ever appear here.

import { renderJunit, xmlEscape } from '../../grader/junit'
import type { Report } from '../ports'
import type { ClassRow, SeatRow } from './class-store'

export type ExportFormat = 'csv' | 'json' | 'junit'
export const EXPORT_FORMATS: ExportFormat[] = ['csv', 'json', 'junit']

export interface LearnerResult {
  seatId: string
  name: string
  joinedAt: number
  endedAt: number | null
  durationMs: number | null
  reports: { lab: string; final: boolean; report: Report | null }[]
}

export interface ClassExport {
  schema: 'ckalab.class-export/v1'
  class: {
    id: string
    name: string
    code: string
    mode: ClassRow['mode']
    labs: string[]
    durationMin: number
    seatCap: number
    state: ClassRow['state']
    createdAt: string
    startedAt: string | null
    endedAt: string | null
  }
  exportedAt: string
  learners: {
    seatId: string
    name: string
    joinedAt: string
    endedAt: string | null
    durationSeconds: number | null
    points: number
    max: number
    reports: Report[]
  }[]
}

/** Collects each seat's reports with `reportOf` (final ones once a seat has ended). */
export function learnerResults(
  c: ClassRow,
  seats: SeatRow[],
  reportOf: (attemptId: string) => { report: Report; final: boolean } | undefined,
): LearnerResult[] {
  return seats.map((s) => {
    const begin = Math.max(s.joinedAt, c.startedAt ?? s.joinedAt)
    return {
      seatId: s.id,
      name: s.name,
      joinedAt: s.joinedAt,
      endedAt: s.endedAt,
      durationMs: s.endedAt !== null ? Math.max(0, s.endedAt - begin) : null,
      reports: s.attempts.map((a) => {
        const r = reportOf(a.attemptId)
        return { lab: a.lab, final: r?.final ?? false, report: r?.report ?? null }
      }),
    }
  })
}

const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString())

export function toJson(c: ClassRow, learners: LearnerResult[], now = Date.now()): ClassExport {
  return {
    schema: 'ckalab.class-export/v1',
    class: {
      id: c.id,
      name: c.name,
      code: c.code,
      mode: c.mode,
      labs: c.labs,
      durationMin: c.durationMin,
      seatCap: c.seatCap,
      state: c.state,
      createdAt: new Date(c.createdAt).toISOString(),
      startedAt: iso(c.startedAt),
      endedAt: iso(c.endedAt),
    },
    exportedAt: new Date(now).toISOString(),
    learners: learners.map((l) => {
      const reports = l.reports.flatMap((r) => (r.report ? [r.report] : []))
      return {
        seatId: l.seatId,
        name: l.name,
        joinedAt: new Date(l.joinedAt).toISOString(),
        endedAt: iso(l.endedAt),
        durationSeconds: l.durationMs === null ? null : Math.round(l.durationMs / 1000),
        points: reports.reduce((s, r) => s + r.score.points, 0),
        max: reports.reduce((s, r) => s + r.score.max, 0),
        reports,
      }
    }),
  }
}

function csvField(value: string | number | null): string {
  if (value === null) return ''
  let text = String(value)
  // A cell starting with = + - @ is a formula to a spreadsheet; a learner's name must stay text.
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/** One row per learner; per check (lab/check) the points earned; then the total, the maximum and the seconds used. */
export function toCsv(learners: LearnerResult[]): string {
  const columns: string[] = []
  const seen = new Set<string>()
  for (const l of learners)
    for (const r of l.reports)
      for (const check of r.report?.checks ?? []) {
        const key = `${r.lab}/${check.id}`
        if (!seen.has(key)) {
          seen.add(key)
          columns.push(key)
        }
      }
  const lines = [['name', 'seat', ...columns, 'total', 'max', 'duration_seconds'].map(csvField).join(',')]
  for (const l of learners) {
    const points = new Map<string, number>()
    let total = 0
    let max = 0
    for (const r of l.reports) {
      if (!r.report) continue
      total += r.report.score.points
      max += r.report.score.max
      for (const check of r.report.checks)
        points.set(`${r.lab}/${check.id}`, check.verdict === 'pass' ? check.points : 0)
    }
    lines.push(
      [
        l.name,
        l.seatId,
        ...columns.map((k) => points.get(k) ?? null),
        total,
        max,
        l.durationMs === null ? null : Math.round(l.durationMs / 1000),
      ]
        .map(csvField)
        .join(','),
    )
  }
  return `${lines.join('\r\n')}\r\n`
}

/** A testsuite per learner and lab, named after the learner; the cases are the lab's checks. */
export function toJunit(c: ClassRow, learners: LearnerResult[]): string {
  const suites: string[] = []
  let tests = 0
  let failures = 0
  let errors = 0
  for (const l of learners)
    for (const r of l.reports) {
      if (!r.report) continue
      tests += r.report.checks.length
      failures += r.report.checks.filter((k) => k.verdict === 'fail').length
      errors += r.report.checks.filter((k) => k.verdict === 'unknown').length
      const one = renderJunit(r.report)
      const suite = one.slice(one.indexOf('  <testsuite '), one.lastIndexOf('</testsuites>'))
      suites.push(
        suite.replace(
          /<testsuite name="[^"]*"/,
          `<testsuite name="${xmlEscape(`${l.name} — ${r.lab}`)}" id="${l.seatId}"`,
        ),
      )
    }
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="${xmlEscape(`ckalab class ${c.name}`)}" tests="${tests}" failures="${failures}" errors="${errors}">`,
    ...suites.map((s) => s.trimEnd()),
    '</testsuites>',
    '',
  ].join('\n')
}

export function renderExport(format: ExportFormat, c: ClassRow, learners: LearnerResult[]): string {
  if (format === 'csv') return toCsv(learners)
  if (format === 'junit') return toJunit(c, learners)
  return `${JSON.stringify(toJson(c, learners), null, 2)}\n`
}

export const EXPORT_TYPES: Record<ExportFormat, { type: string; ext: string }> = {
  csv: { type: 'text/csv; charset=utf-8', ext: 'csv' },
  json: { type: 'application/json; charset=utf-8', ext: 'json' },
  junit: { type: 'application/xml; charset=utf-8', ext: 'xml' },
}
