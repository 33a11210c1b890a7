// Compares two sides' normalized outputs case by case and writes a diff a
// person can read: which case, which stream, which lines.

import type { RawOutput } from './normalize'

export interface CaseComparison {
  id: string
  line: string
  expected: RawOutput
  actual: RawOutput
}

/** Line diff (longest common subsequence): "  same", "- only expected", "+ only actual". */
export function diffLines(expected: string, actual: string): string[] {
  const a = expected.split('\n')
  const b = actual.split('\n')
  // Bounded work: outputs here are a few hundred lines at most.
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0))
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!)
    }
  }
  const out: string[] = []
  let i = 0
  let j = 0
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      out.push(`  ${a[i]}`)
      i++
      j++
    } else if (i < a.length && (j === b.length || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) {
      out.push(`- ${a[i]}`)
      i++
    } else {
      out.push(`+ ${b[j]}`)
      j++
    }
  }
  return out
}

function visible(s: string): string {
  return s.replace(/\t/g, '→').replace(/ +$/gm, (m) => '·'.repeat(m.length))
}

/** The cases whose normalized outputs differ. */
export function mismatches(cases: CaseComparison[]): CaseComparison[] {
  return cases.filter(
    (c) =>
      c.expected.exitCode !== c.actual.exitCode ||
      c.expected.stdout !== c.actual.stdout ||
      c.expected.stderr !== c.actual.stderr,
  )
}

/** One block per differing case; `-` lines are the expected side, `+` the actual one. */
export function formatMismatch(c: CaseComparison, names: { expected: string; actual: string }): string {
  const parts = [`✗ ${c.id}\n  $ ${c.line}`]
  if (c.expected.exitCode !== c.actual.exitCode) {
    parts.push(`  exit code: ${names.expected} ${c.expected.exitCode}, ${names.actual} ${c.actual.exitCode}`)
  }
  for (const stream of ['stdout', 'stderr'] as const) {
    if (c.expected[stream] === c.actual[stream]) continue
    const diff = diffLines(visible(c.expected[stream]), visible(c.actual[stream]))
    parts.push(
      `  ${stream} (- ${names.expected}, + ${names.actual}):\n${diff.map((l) => `    ${l}`).join('\n')}`,
    )
  }
  return parts.join('\n')
}

export function formatReport(
  cases: CaseComparison[],
  names: { expected: string; actual: string },
  limit = Number.POSITIVE_INFINITY,
): string {
  const bad = mismatches(cases)
  if (bad.length === 0) return `all ${cases.length} cases agree`
  const head = `${bad.length} of ${cases.length} cases differ: ${bad.map((c) => c.id).join(', ')}`
  const shown = bad.slice(0, limit).map((c) => formatMismatch(c, names))
  const more = bad.length > limit ? [`… and ${bad.length - limit} more (see the full report file)`] : []
  return [head, ...shown, ...more].join('\n\n')
}
