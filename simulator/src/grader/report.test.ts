import { readFileSync } from 'node:fs'
import { Ajv } from 'ajv'
import { describe, expect, it } from 'vitest'
import { renderJunit } from './junit'
import { buildReport, exitCodeFor, renderText } from './report'
import type { CheckResult, Verdict } from './types'

const schema = JSON.parse(readFileSync(new URL('./report.schema.json', import.meta.url), 'utf8'))
const ajv = new Ajv({ strict: false, allErrors: true })
ajv.addFormat('date-time', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/)
const validate = ajv.compile(schema)

function check(id: string, verdict: Verdict, points = 10): CheckResult {
  return {
    id,
    title: `check ${id}`,
    points,
    verdict,
    evidence: {
      expected: 'x <b>',
      actual: 'y & "z"',
      commands: [
        { node: 'cp', command: 'echo <x>', exitCode: 0, stdout: 'out\u0007', stderr: '', durationMs: 1 },
      ],
    },
    ...(verdict !== 'pass' ? { hint: 'try again' } : {}),
    durationMs: 3,
  }
}

function report(verdicts: Verdict[]) {
  return buildReport({
    lab: 'demo',
    driver: 'sim',
    profile: { kubernetes: 'v1.34.1', etcd: '3.6.4' },
    startedAt: new Date(0),
    finishedAt: new Date(1000),
    checks: verdicts.map((v, i) => check(`c${i}`, v)),
  })
}

describe('reports', () => {
  it('validate against the published schema', () => {
    const r = report(['pass', 'fail', 'unknown'])
    expect(validate(r), JSON.stringify(validate.errors)).toBe(true)
    expect(r.score).toEqual({ points: 10, max: 30 })
    expect(validate({ ...r, verdict: 'maybe' })).toBe(false)
    expect(validate({ ...r, profile: '1.34' })).toBe(false)
  })

  it.each([
    [['pass', 'pass'], 'pass', 0],
    [['pass', 'fail', 'unknown'], 'fail', 1],
    [['pass', 'unknown'], 'unknown', 2],
    [[], 'pass', 3],
  ] as const)('%j → verdict %s, exit %d', (verdicts, verdict, code) => {
    const r = report([...verdicts])
    expect(r.verdict).toBe(verdict)
    expect(exitCodeFor(r)).toBe(code)
  })

  it('renders JUnit with one testcase per check: fail → failure, unknown → error', () => {
    const xml = renderJunit(report(['pass', 'fail', 'unknown']))
    expect(xml.match(/<testcase /g)).toHaveLength(3)
    expect(xml).toMatch(/<testsuite [^>]*tests="3" failures="1" errors="1"/)
    expect(xml).toContain('<failure message="y &amp; &quot;z&quot;" type="fail">')
    expect(xml).toContain('<error message=')
    expect(xml).not.toContain('\u0007')
    expect(xml).toContain('$ echo &lt;x&gt;')
  })

  it('renders text with marks, evidence and hints for what did not pass', () => {
    const text = renderText(report(['pass', 'fail']))
    expect(text).toContain('[PASS] c0')
    expect(text).toContain('[FAIL] c1')
    expect(text).toContain('hint:     try again')
    expect(text).toContain('score 10/20: FAIL')
  })
})
