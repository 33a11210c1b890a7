// kubectl conformance: what kubectl prints on its own side (version --client,
// create/run --dry-run=client, config, flag and client-side errors, help
// excerpts), held against the real clients from Debian's packages — kubectl
// 1.32 (trixie) for the simulator's 1.31 profile, 1.36 (sid) for 1.34 —
// after ./normalize.ts has masked the version numbers.
//
// Two checks per client: the real binary still prints its committed capture
// (golden/), and the simulator prints the capture, except the cases listed in
// known-differences.ts, which must still differ. In CI a missing binary fails
// with the reason; elsewhere the suite says what to install and compares the
// simulator with the capture only.

import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { readGolden } from './golden'
import { KNOWN_DIFFERENCES } from './known-differences'
import { normalize, versionFacts } from './normalize'
import {
  type FakeApiserver,
  INSTALL_HINT,
  missingKubectls,
  REAL_KUBECTLS,
  runReal,
  startFakeApiserver,
} from './realKubectl'
import { type KubectlCase, type RawOutput, SCRIPT } from './script'
import { runSim } from './simKubectl'

const IN_CI = process.env.CI === 'true' || process.env.CI === '1'
const PRESENT = missingKubectls().length === 0
if (!PRESENT && !IN_CI)
  console.warn(`kubectl conformance: ${INSTALL_HINT}; comparing with the committed capture`)

async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length)
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const i = next++
      out[i] = await fn(items[i])
    }
  }
  await Promise.all(Array.from({ length: limit }, worker))
  return out
}

function show(o: RawOutput): string {
  return `exit ${o.exitCode}\n--- stdout\n${o.stdout}--- stderr\n${o.stderr}`
}

function diffReport(
  rows: { c: KubectlCase; expected: RawOutput; actual: RawOutput }[],
  names: [string, string],
): string {
  return rows
    .map(
      ({ c, expected, actual }) =>
        `## ${c.id}: kubectl ${c.args.join(' ')}\n=== ${names[0]}: ${show(expected)}\n=== ${names[1]}: ${show(actual)}`,
    )
    .join('\n\n')
}

function writeReport(name: string, text: string): void {
  try {
    mkdirSync('test-results', { recursive: true })
    writeFileSync(path.join('test-results', `${name}.txt`), `${text}\n`)
  } catch {
    // The report file is a convenience; the assertion names the cases.
  }
}

const same = (a: RawOutput, b: RawOutput) =>
  a.stdout === b.stdout && a.stderr === b.stderr && a.exitCode === b.exitCode

let api: FakeApiserver | undefined
beforeAll(async () => {
  if (PRESENT) api = await startFakeApiserver()
})
afterAll(async () => {
  await api?.close()
})

for (const real of REAL_KUBECTLS) {
  describe(`kubectl conformance: real kubectl ${real.minor} (Debian ${real.suite}) against the simulator's ${real.profile} profile`, () => {
    const golden = readGolden(real)
    const byId = new Map(golden.cases.map((g) => [g.id, g]))
    const goldenOf = (c: KubectlCase): RawOutput =>
      byId.get(c.id) ?? { stdout: '', stderr: '[not in the capture: run capture.ts]', exitCode: -1 }
    const goldenFacts = versionFacts(goldenOf(SCRIPT.find((c) => c.id === 'version-client-json')!).stdout)
    const known = KNOWN_DIFFERENCES[real.profile]

    test('the capture covers every case of the script', () => {
      expect(SCRIPT.length).toBeGreaterThanOrEqual(60)
      expect(SCRIPT.filter((c) => !byId.has(c.id)).map((c) => c.id)).toEqual([])
    })

    test.runIf(PRESENT || IN_CI)(
      'the real binary still prints its capture',
      { timeout: 300_000 },
      async () => {
        if (!PRESENT) throw new Error(`kubectl conformance: ${INSTALL_HINT}`)
        const outputs = await mapLimit(SCRIPT, 4, (c) => runReal(real, c, api as FakeApiserver))
        const nowFacts = versionFacts(outputs[SCRIPT.findIndex((c) => c.id === 'version-client-json')].stdout)
        const rows = SCRIPT.map((c, i) => ({
          c,
          expected: normalize(goldenOf(c), goldenFacts),
          actual: normalize(outputs[i], nowFacts),
        })).filter((r) => !same(r.expected, r.actual))
        if (rows.length)
          writeReport(`kubectl-${real.minor}-real-vs-capture`, diffReport(rows, ['capture', 'real now']))
        expect(
          rows.map((r) => r.c.id),
          'the package changed: re-run capture.ts and review the diff',
        ).toEqual([])
      },
    )

    test(`the simulator's ${real.profile} kubectl prints what the real ${real.minor} does`, async () => {
      const outputs = await mapLimit(SCRIPT, 4, (c) => runSim(real.profile, c))
      const simFacts = versionFacts(outputs[SCRIPT.findIndex((c) => c.id === 'version-client-json')].stdout)
      const rows = SCRIPT.map((c, i) => ({
        c,
        expected: normalize(goldenOf(c), goldenFacts, c),
        actual: normalize(outputs[i], simFacts, c),
      }))
      const differing = rows.filter((r) => !same(r.expected, r.actual))
      writeReport(
        `kubectl-${real.profile}-sim-vs-real-${real.minor}`,
        diffReport(differing, [`real ${real.minor}`, `simulator ${real.profile}`]),
      )
      const unexpected = differing.filter((r) => !known[r.c.id])
      const nowAgreeing = Object.keys(known).filter((id) => !differing.some((r) => r.c.id === id))
      expect(
        unexpected.map((r) => r.c.id),
        `differences (full report: test-results/kubectl-${real.profile}-sim-vs-real-${real.minor}.txt)\n${diffReport(unexpected.slice(0, 5), [`real ${real.minor}`, `simulator ${real.profile}`])}`,
      ).toEqual([])
      expect(nowAgreeing, 'known differences that agree now: delete them from known-differences.ts').toEqual(
        [],
      )
    })
  })
}
