// etcd 3.4 conformance: the same command script against a real etcd 3.4
// (Debian's etcd-server/etcd-client, kubeadm-style TLS) and against the
// simulator's Kubernetes 1.20 profile, compared case by case after
// normalize.ts has mapped what legitimately differs.
//
// Without etcd on the machine (or with ETCD34_USE_GOLDEN=1) the real side is
// skipped locally and the simulator is compared with the committed golden; in
// CI a missing etcd fails.

import { execFileSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { type CaseOutput, GOLDEN_PATH, type Golden, readGolden } from './golden'
import { contextFrom, type NormalizeContext, normalizeOutput, type RawOutput } from './normalize'
import { runScriptOnReal, startRealEtcd } from './realEtcd'
import { type CaseComparison, formatReport, mismatches } from './report'
import { SCRIPT, type ScriptVars, scriptLines } from './script'
import { runOnSimulator, SIM_VARS } from './simAdapter'

const IN_CI = process.env.CI === 'true' || process.env.CI === '1'
/**
 * ETCD34_USE_GOLDEN=1 compares the simulator with the committed golden
 * instead of a fresh real run: seconds instead of half a minute while working
 * on the simulator. Ignored in CI, where the real side always runs.
 */
const USE_GOLDEN = !IN_CI && process.env.ETCD34_USE_GOLDEN === '1'
const REPORT_DIR = path.resolve('test-results')

function hasEtcd(): boolean {
  try {
    execFileSync('bash', ['-c', 'command -v etcd && command -v etcdctl'], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

const ETCD_PRESENT = hasEtcd()
const MISSING_ETCD =
  'etcd/etcdctl are not installed; install Debian etcd 3.4 with: sudo bash scripts/ci/install-etcd.sh'

interface Side {
  vars: ScriptVars
  outputs: RawOutput[]
}

function contextOf(side: Side): NormalizeContext {
  const i = SCRIPT.findIndex((c) => c.id === 'member-list-json')
  return contextFrom(side.vars, side.outputs[i]?.stdout)
}

function compare(expected: Side, actual: Side): CaseComparison[] {
  const ce = contextOf(expected)
  const ca = contextOf(actual)
  return SCRIPT.map((c, i) => ({
    id: c.id,
    line: c.line,
    expected: normalizeOutput(expected.outputs[i] ?? missingOutput(), ce),
    actual: normalizeOutput(actual.outputs[i] ?? missingOutput(), ca),
  }))
}

function missingOutput(): RawOutput {
  return { stdout: '', stderr: '[no output recorded for this case]', exitCode: -1 }
}

function goldenSide(golden: Golden): Side {
  const byId = new Map<string, CaseOutput>(golden.cases.map((c) => [c.id, c]))
  return { vars: golden.vars, outputs: SCRIPT.map((c) => byId.get(c.id) ?? missingOutput()) }
}

/** Writes the full report where CI keeps artifacts, and returns a message short enough to read. */
function report(name: string, cases: CaseComparison[], names: { expected: string; actual: string }): string {
  const full = formatReport(cases, names)
  try {
    mkdirSync(REPORT_DIR, { recursive: true })
    writeFileSync(path.join(REPORT_DIR, `${name}.txt`), `${full}\n`)
  } catch {
    // The report file is a convenience; the assertion message carries the essentials.
  }
  return `${formatReport(cases, names, 12)}\n\n(full report: test-results/${name}.txt)`
}

describe('etcd 3.4 conformance', () => {
  let golden: Golden
  let real: Side | undefined
  let realError: Error | undefined

  beforeAll(async () => {
    golden = await readGolden()
    if (!ETCD_PRESENT || USE_GOLDEN) return
    try {
      const etcd = await startRealEtcd()
      try {
        const run = await runScriptOnReal(etcd, scriptLines())
        real = { vars: run.vars, outputs: run.results }
      } finally {
        await etcd.stop()
      }
    } catch (err) {
      realError = err instanceof Error ? err : new Error(String(err))
    }
  }, 110_000)

  afterAll(() => {
    real = undefined
  })

  test('the script and the golden file list the same cases', () => {
    expect(golden.cases.map((c) => c.id)).toEqual(SCRIPT.map((c) => c.id))
    expect(golden.cases.map((c) => c.line)).toEqual(SCRIPT.map((c) => c.line))
    expect(new Set(SCRIPT.map((c) => c.id)).size).toBe(SCRIPT.length)
  })

  test.skipIf((!ETCD_PRESENT && !IN_CI) || USE_GOLDEN)(
    'real etcd 3.4 still prints what golden/real.json recorded',
    () => {
      if (!ETCD_PRESENT) throw new Error(MISSING_ETCD)
      if (realError) throw realError
      expect(real, 'the real etcd run produced no results').toBeDefined()
      const cases = compare(goldenSide(golden), real!)
      // Written on success too, so an old failure report never lingers.
      const text = report('etcd34-real-vs-golden', cases, { expected: 'golden', actual: 'real now' })
      if (mismatches(cases).length > 0) {
        throw new Error(
          `${text}\n\nIf Debian's etcd changed on purpose, review and re-capture ` +
            `${path.relative(process.cwd(), GOLDEN_PATH)} with: npx tsx test/conformance/etcd34/capture.ts`,
        )
      }
      expect(mismatches(cases)).toHaveLength(0)
    },
  )

  test('the simulator prints what real etcd 3.4 prints', async () => {
    if (IN_CI && !ETCD_PRESENT) throw new Error(MISSING_ETCD)
    if (realError) throw realError
    // Locally without etcd, the committed golden stands in for the real run.
    const expected = real ?? goldenSide(golden)
    const outputs = await runOnSimulator(scriptLines(), SIM_VARS)
    expect(outputs).toHaveLength(SCRIPT.length)
    const cases = compare(expected, { vars: SIM_VARS, outputs })
    const text = report('etcd34-real-vs-simulator', cases, {
      expected: real ? 'real etcd' : 'golden',
      actual: 'simulator',
    })
    if (mismatches(cases).length > 0) throw new Error(text)
    expect(mismatches(cases)).toHaveLength(0)
  }, 60_000)
})
