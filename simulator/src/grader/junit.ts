import type { CheckResult, Report } from './types'

// JUnit XML as CI systems read it: one testsuite per report, one testcase per
// check; a failed check is a <failure>, an unknown one an <error> (the grader
// could not judge, which is not the learner's failure).

export function xmlEscape(text: string): string {
  return (
    text
      // XML 1.0 cannot carry most control characters, even escaped.
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '\ufffd')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
  )
}

function details(c: CheckResult): string {
  const parts = [`expected: ${c.evidence.expected}`, `actual: ${c.evidence.actual}`]
  if (c.evidence.note) parts.push(`note: ${c.evidence.note}`)
  if (c.hint) parts.push(`hint: ${c.hint}`)
  for (const cmd of c.evidence.commands) {
    parts.push(`$ ${cmd.command}  (on ${cmd.node}, exit ${cmd.exitCode})`)
    if (cmd.stdout) parts.push(cmd.stdout.trimEnd())
    if (cmd.stderr) parts.push(cmd.stderr.trimEnd())
  }
  return parts.join('\n')
}

export function renderJunit(report: Report): string {
  const failures = report.checks.filter((c) => c.verdict === 'fail').length
  const errors = report.checks.filter((c) => c.verdict === 'unknown').length
  const time = (ms: number) => (ms / 1000).toFixed(3)
  const total = report.checks.reduce((s, c) => s + c.durationMs, 0)
  const suite = `${report.lab} (${report.driver}, Kubernetes ${report.profile.kubernetes})`
  const out: string[] = ['<?xml version="1.0" encoding="UTF-8"?>']
  out.push(
    `<testsuites name="ckalab" tests="${report.checks.length}" failures="${failures}" errors="${errors}" time="${time(total)}">`,
  )
  out.push(
    `  <testsuite name="${xmlEscape(suite)}" tests="${report.checks.length}" failures="${failures}" errors="${errors}" skipped="0" time="${time(total)}" timestamp="${xmlEscape(report.startedAt)}">`,
  )
  out.push('    <properties>')
  out.push(`      <property name="score" value="${report.score.points}/${report.score.max}"/>`)
  out.push(`      <property name="etcd" value="${xmlEscape(report.profile.etcd)}"/>`)
  out.push('    </properties>')
  for (const c of report.checks) {
    const open = `    <testcase classname="${xmlEscape(report.lab)}" name="${xmlEscape(`${c.id}: ${c.title}`)}" time="${time(c.durationMs)}"`
    if (c.verdict === 'pass') {
      out.push(`${open}/>`)
      continue
    }
    const tag = c.verdict === 'fail' ? 'failure' : 'error'
    const message = c.verdict === 'fail' ? c.evidence.actual : (c.evidence.note ?? 'could not judge')
    out.push(`${open}>`)
    out.push(
      `      <${tag} message="${xmlEscape(message)}" type="${c.verdict}">${xmlEscape(details(c))}</${tag}>`,
    )
    out.push('    </testcase>')
  }
  out.push('  </testsuite>')
  out.push('</testsuites>')
  return `${out.join('\n')}\n`
}
