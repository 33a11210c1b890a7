import { cp, mkdtemp, symlink } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DEFAULT_LABS_DIR, loadLabs, referenceSolution } from './loader'
import { CHECKS, LAB, labsDir } from './testing/lab-folders'

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

  it('rejects files outside the lab folder and never reads them', async () => {
    const root = await labsDir({
      escape: {
        'lab.yaml': LAB('escape')
          .replace('solution: solution.sh', 'solution: ../../../../etc/passwd')
          .replace('    text: Do it.', '    file: /etc/hostname')
          .concat('setup:\n  - on: cp1\n    file: ../other/setup.sh\n'),
        'checks.ts': CHECKS,
      },
      linked: { 'lab.yaml': LAB('linked'), 'checks.ts': CHECKS },
      outsidechecks: {
        'lab.yaml': `${LAB('outsidechecks')}checks: ../escape/checks.ts\n`,
        'solution.sh': 'x\n',
      },
    })
    await symlink('/etc/passwd', join(root, 'linked', 'solution.sh'))
    const { labs, problems } = await loadLabs(root)
    expect(labs).toEqual([])
    const of = (lab: string, field: string) => problems.find((p) => p.lab === lab && p.field === field)
    expect(of('escape', 'solution')?.message).toBe('../../../../etc/passwd is outside the lab folder')
    expect(of('escape', 'solution')?.fix).toMatch(/inside its folder/)
    expect(of('escape', 'tasks[0].file')?.message).toBe('/etc/hostname is outside the lab folder')
    expect(of('escape', 'setup[0].file')?.message).toBe('../other/setup.sh is outside the lab folder')
    expect(of('linked', 'solution')?.message).toMatch(/leads outside the lab folder/)
    expect(of('outsidechecks', 'checks')?.message).toBe('../escape/checks.ts is outside the lab folder')
    // Nothing of /etc/passwd reaches a message.
    expect(JSON.stringify(problems)).not.toContain('root:x:0')
  })

  it('a shipped lab copied anywhere still loads: its checks get the running ckalab kit', async () => {
    const root = await mkdtemp(join(tmpdir(), 'ckalab-copy-'))
    for (const id of ['etcd-inspect', 'etcd-backup-restore'])
      await cp(join(DEFAULT_LABS_DIR, id), join(root, id), { recursive: true })
    const { labs, problems } = await loadLabs(root)
    expect(problems).toEqual([])
    expect(labs.map((l) => l.id).sort()).toEqual(['etcd-backup-restore', 'etcd-inspect'])
    expect(labs[0].module.checks.every((c) => typeof c.run === 'function')).toBe(true)
  })

  it('a check importing a part of ckalab other than the kit is told what it may import', async () => {
    const root = await labsDir({
      reach: {
        'lab.yaml': LAB('reach'),
        'solution.sh': 'x\n',
        'checks.ts': `import { SimDriver } from '../../simulator/src/drivers/sim'\n${CHECKS}export const d = SimDriver\n`,
      },
    })
    const { problems } = await loadLabs(root)
    expect(problems.find((p) => p.field === '(module)')?.message).toMatch(/may import only ckalab\/kit\/etcd/)
  })
})
