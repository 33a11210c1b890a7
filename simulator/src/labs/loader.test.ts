import { mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { labsLintCommand } from './cli'
import { loadLabs, referenceSolution } from './loader'

const CHECKS = `export const checks = [
  { id: 'one', title: 'one', points: 5, run: async () => ({ verdict: 'pass', expected: '', actual: '' }) },
]
`
const LAB = (id: string) => `id: ${id}
title: A small lab
summary: Does one thing.
difficulty: easy
minutes: 5
tags: [cka-2024]
cluster: { controlPlanes: 1, kubernetes: '1.34' }
tasks:
  - id: t
    title: Task
    text: Do it.
    checks: [one]
solution: solution.sh
`

async function labsDir(labs: Record<string, Record<string, string>>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'ckalab-labs-'))
  for (const [name, files] of Object.entries(labs)) {
    await mkdir(join(root, name), { recursive: true })
    for (const [f, text] of Object.entries(files)) await writeFile(join(root, name, f), text)
  }
  return root
}

describe('loading labs', () => {
  it('loads good labs and reports broken ones with file, field and fix', async () => {
    const root = await labsDir({
      good: { 'lab.yaml': LAB('good'), 'checks.ts': CHECKS, 'solution.sh': 'true\n' },
      typo: {
        'lab.yaml': LAB('typo').replace('difficulty: easy', 'dificulty: easy'),
        'checks.ts': CHECKS,
        'solution.sh': '',
      },
      badyaml: { 'lab.yaml': 'id: [unclosed\n' },
      nocheck: {
        'lab.yaml': LAB('nocheck').replace('checks: [one]', 'checks: [two]'),
        'checks.ts': CHECKS,
        'solution.sh': 'x\n',
        'wrong-answers.yaml': '- id: w\n  title: wrong thing\n  script: "true"\n  expect: {one: maybe}\n',
      },
      throws: { 'lab.yaml': LAB('throws'), 'checks.ts': 'throw new Error("kaput")\n', 'solution.sh': 'x\n' },
    })
    const { labs, problems } = await loadLabs(root)
    expect(labs.map((l) => l.id)).toEqual(['good'])
    const find = (lab: string, field: string) =>
      problems.find((p) => p.lab === lab && p.field.startsWith(field))
    expect(find('typo', 'difficulty')).toMatchObject({ file: 'labs/typo/lab.yaml', message: 'is missing' })
    expect(find('typo', 'dificulty')?.fix).toMatch(/remove "dificulty"/)
    expect(find('badyaml', '(file)')?.message).toMatch(/not valid YAML/)
    expect(find('nocheck', 'tasks[0].checks[0]')?.fix).toContain('one')
    expect(find('nocheck', '[0].expect.one')?.fix).toMatch(/"pass"/)
    expect(find('throws', '(module)')?.message).toContain('kaput')
  })

  it('labs lint exits 3 and names every problem; 0 when all labs are valid', async () => {
    const good = await labsDir({
      good: { 'lab.yaml': LAB('good'), 'checks.ts': CHECKS, 'solution.sh': 'x\n' },
    })
    let out = ''
    let err = ''
    const io = {
      out: (t: string) => {
        out += t
      },
      err: (t: string) => {
        err += t
      },
      labsDir: good,
    }
    expect(await labsLintCommand([], io)).toBe(0)
    expect(out).toContain('1 lab(s) valid: good')
    const bad = await labsDir({ bad: { 'lab.yaml': LAB('other') } })
    expect(await labsLintCommand([bad], io)).toBe(3)
    expect(err).toContain('labs/bad/lab.yaml: id: is "other" but the folder is "bad"')
    expect(err).toContain('fix: set id: bad or rename the folder')
  })

  it('picks the reference solution per Kubernetes version and names a missing one', async () => {
    const solutions = 'solutions:\n  "1.20": solution-1.20.sh\n'
    const root = await labsDir({
      versions: {
        'lab.yaml': LAB('versions') + solutions,
        'checks.ts': CHECKS,
        'solution.sh': 'etcdutl snapshot restore x\n',
        'solution-1.20.sh': 'ETCDCTL_API=3 etcdctl snapshot restore x\n',
      },
      missing: { 'lab.yaml': LAB('missing') + solutions, 'checks.ts': CHECKS, 'solution.sh': 'x\n' },
      unknown: {
        'lab.yaml': `${LAB('unknown')}solutions:\n  "1.19": solution.sh\n`,
        'checks.ts': CHECKS,
        'solution.sh': 'x\n',
      },
    })
    const { labs, problems } = await loadLabs(root)
    const lab = labs.find((l) => l.id === 'versions')!
    expect(referenceSolution(lab)).toContain('etcdutl')
    expect(referenceSolution(lab, '1.31')).toContain('etcdutl')
    expect(referenceSolution(lab, '1.20')).toContain('ETCDCTL_API=3 etcdctl')
    expect(problems.find((p) => p.lab === 'missing')).toMatchObject({
      field: 'solutions.1.20',
      message: 'solution-1.20.sh does not exist',
    })
    expect(problems.find((p) => p.lab === 'unknown')?.field).toMatch(/^solutions/)
  })

  it('the shipped labs are all valid', async () => {
    const { problems } = await loadLabs()
    expect(problems).toEqual([])
  })
})
