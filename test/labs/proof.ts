import { describe, expect, it } from 'vitest'
import { SimDriver } from '../../simulator/src/drivers/sim'
import { loadLabs } from '../../simulator/src/grader/loader'
import { type TryResult, tryLab } from '../../simulator/src/grader/try'
import type { Lab, Verdict } from '../../simulator/src/grader/types'
import type { ProfileId } from '../../simulator/src/seam'

// The proof every lab ships with, replayed on the simulator: the reference
// solution passes every check, and each entry of the wrong-answer catalogue
// (the untouched lab included) gets exactly its expected verdicts.

export async function getLab(id: string): Promise<Lab> {
  const { labs, problems } = await loadLabs()
  const lab = labs.find((l) => l.id === id)
  if (!lab) throw new Error(`lab ${id} did not load: ${JSON.stringify(problems.filter((p) => p.lab === id))}`)
  return lab
}

export async function replay(lab: Lab, script: string, kubernetes?: ProfileId): Promise<TryResult> {
  return tryLab({
    lab,
    driver: new SimDriver({ clock: 'virtual' }),
    script,
    kubernetes,
    lineTimeoutMs: 20_000,
  })
}

export function verdicts(r: TryResult): Record<string, Verdict> {
  return Object.fromEntries(r.report.checks.map((c) => [c.id, c.verdict]))
}

/** A readable failure: which checks differ, with their evidence and the end of the transcript. */
export function explain(r: TryResult, expected: Record<string, Verdict>): string {
  const lines: string[] = []
  for (const c of r.report.checks) {
    if (c.verdict === expected[c.id]) continue
    lines.push(`${c.id}: expected ${expected[c.id]}, got ${c.verdict}`)
    lines.push(`  expected: ${c.evidence.expected}`, `  actual: ${c.evidence.actual}`)
    if (c.evidence.note) lines.push(`  note: ${c.evidence.note}`)
    for (const cmd of c.evidence.commands.slice(-6))
      lines.push(
        `  $ ${cmd.command} → ${cmd.exitCode} ${(cmd.stdout + cmd.stderr).slice(0, 300).replace(/\n/g, '⏎')}`,
      )
  }
  if (r.stuckAt) lines.push(`script stuck at line ${r.stuckAt.index + 1}: ${r.stuckAt.line}`)
  lines.push('--- transcript (end) ---', r.transcript.slice(-2500))
  return lines.join('\n')
}

export function proveLab(
  id: string,
  extra: Array<{ title: string; script: string; kubernetes?: ProfileId }> = [],
): void {
  describe(`lab ${id} on the simulator`, async () => {
    const lab = await getLab(id)
    const allPass = Object.fromEntries(lab.module.checks.map((c) => [c.id, 'pass' as Verdict]))

    it('the reference solution passes every check', async () => {
      const r = await replay(lab, lab.solution)
      expect(verdicts(r), explain(r, allPass)).toEqual(allPass)
      expect(r.report.score.points).toBe(r.report.score.max)
    })

    for (const v of extra) {
      it(`accepts a valid variant: ${v.title}`, async () => {
        const r = await replay(lab, v.script, v.kubernetes)
        expect(verdicts(r), explain(r, allPass)).toEqual(allPass)
      })
    }

    for (const w of lab.wrongAnswers) {
      it(`wrong answer ${w.id}: ${w.title}`, async () => {
        const r = await replay(lab, w.script, w.kubernetes)
        expect(verdicts(r), explain(r, w.expect)).toEqual(w.expect)
      })
    }
  })
}
