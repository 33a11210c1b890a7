import type { CheckResult, Report, Verdict } from './types'

// Turning check results into the ckalab.report/v1 document, its overall
// verdict, the process exit code and a text rendering for a terminal.

export const EXIT = { pass: 0, fail: 1, unknown: 2, usage: 3 } as const

export function overallVerdict(checks: CheckResult[]): Verdict {
  if (checks.some((c) => c.verdict === 'fail')) return 'fail'
  if (checks.some((c) => c.verdict === 'unknown')) return 'unknown'
  return 'pass'
}

/** 0 all pass, 1 any fail, 2 no fail but some unknown. An empty report is a lab error (3). */
export function exitCodeFor(report: Pick<Report, 'checks'>): number {
  if (report.checks.length === 0) return EXIT.usage
  return EXIT[overallVerdict(report.checks)]
}

export interface ReportInput {
  lab: string
  driver: string
  profile: { kubernetes: string; etcd: string }
  startedAt: Date
  finishedAt: Date
  checks: CheckResult[]
}

export function buildReport(i: ReportInput): Report {
  const max = i.checks.reduce((s, c) => s + c.points, 0)
  const points = i.checks.reduce((s, c) => s + (c.verdict === 'pass' ? c.points : 0), 0)
  return {
    schema: 'ckalab.report/v1',
    lab: i.lab,
    driver: i.driver,
    profile: i.profile,
    startedAt: i.startedAt.toISOString(),
    finishedAt: i.finishedAt.toISOString(),
    score: { points, max },
    verdict: overallVerdict(i.checks),
    checks: i.checks,
  }
}

const MARK: Record<Verdict, string> = { pass: 'PASS', fail: 'FAIL', unknown: '????' }

function indent(text: string, by: string): string {
  return text
    .trimEnd()
    .split('\n')
    .map((l) => by + l)
    .join('\n')
}

/** A compact report for a terminal; `verbose` adds every command and its output. */
export function renderText(report: Report, verbose = false): string {
  const lines: string[] = []
  lines.push(
    `${report.lab} on ${report.driver} (Kubernetes ${report.profile.kubernetes}, etcd ${report.profile.etcd})`,
  )
  for (const c of report.checks) {
    lines.push(
      `  [${MARK[c.verdict]}] ${c.id} (${c.verdict === 'pass' ? c.points : 0}/${c.points}) ${c.title}`,
    )
    if (c.verdict !== 'pass' || verbose) {
      lines.push(`         expected: ${c.evidence.expected}`)
      lines.push(`         actual:   ${c.evidence.actual}`)
      if (c.evidence.note) lines.push(`         note:     ${c.evidence.note}`)
      if (c.hint) lines.push(`         hint:     ${c.hint}`)
    }
    if (verbose) {
      for (const cmd of c.evidence.commands) {
        lines.push(`         $ ${cmd.command}   (on ${cmd.node}, exit ${cmd.exitCode})`)
        if (cmd.stdout) lines.push(indent(cmd.stdout, '           '))
        if (cmd.stderr) lines.push(indent(cmd.stderr, '           ! '))
      }
    }
  }
  const label = report.verdict === 'unknown' ? 'COULD NOT JUDGE EVERYTHING' : report.verdict.toUpperCase()
  lines.push(`score ${report.score.points}/${report.score.max}: ${label}`)
  return `${lines.join('\n')}\n`
}
