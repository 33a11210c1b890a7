import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Ajv } from 'ajv'
import { describe, expect, it } from 'vitest'
import { tryCommand } from '../../simulator/src/cli/lab-commands'
import { DEFAULT_LABS_DIR } from '../../simulator/src/grader/loader'

// `ckalab try` end to end on the simulator: report formats, transcript, exit codes.

const schema = JSON.parse(
  await readFile(new URL('../../simulator/src/grader/report.schema.json', import.meta.url), 'utf8'),
)
const ajv = new Ajv({ strict: false, allErrors: true })
ajv.addFormat('date-time', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/)
const validate = ajv.compile(schema)

async function run(argv: string[]) {
  const o = { out: '', err: '' }
  const io = {
    out: (t: string) => {
      o.out += t
    },
    err: (t: string) => {
      o.err += t
    },
    labsDir: DEFAULT_LABS_DIR,
  }
  const code = await tryCommand(argv, io)
  return { code, ...o }
}

describe('ckalab try on the simulator', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ckalab-try-'))
  const solution = join(dir, 'solution.sh')
  await writeFile(solution, await readFile(join(DEFAULT_LABS_DIR, 'etcd-backup-restore', 'solution.sh')))
  const nothing = join(dir, 'nothing.sh')
  await writeFile(nothing, 'kubectl get deploy\n')

  it('prints a schema-valid JSON report, writes the transcript and exits 0 when every check passes', async () => {
    const transcript = join(dir, 'transcript.txt')
    const r = await run([
      'etcd-backup-restore',
      '--script',
      solution,
      '--format',
      'json',
      '--transcript',
      transcript,
    ])
    const report = JSON.parse(r.out)
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true)
    expect(report).toMatchObject({
      lab: 'etcd-backup-restore',
      driver: 'sim',
      verdict: 'pass',
      score: { points: 100, max: 100 },
    })
    expect(report.profile).toEqual({ kubernetes: 'v1.34.1', etcd: '3.6.4' })
    expect(r.code).toBe(0)
    const shown = await readFile(transcript, 'utf8')
    expect(shown).toContain('root@controlplane:~# etcdutl snapshot restore')
    expect(shown).toContain('[ckalab] Your snapshot is in place')
  })

  it('exits 1 with a JUnit failure per failed check on the untouched lab', async () => {
    const r = await run(['etcd-backup-restore', '--script', nothing, '--format', 'junit'])
    expect(r.code).toBe(1)
    // every check fails: "healthy" counts only once etcd runs on the restored data
    expect(r.out).toMatch(/<testsuite [^>]*tests="5" failures="5" errors="0"/)
  })

  it('prints a text report on another profile', async () => {
    const r = await run(['etcd-backup-restore', '--script', nothing, '--kubernetes', '1.31'])
    expect(r.code).toBe(1)
    expect(r.out).toContain('etcd-backup-restore on sim (Kubernetes v1.31.1, etcd 3.5.15)')
    expect(r.out).toContain('[FAIL] snapshot-saved')
  })

  it('names an unknown lab and lists the ones there are (exit 3)', async () => {
    const r = await run(['no-such-lab', '--script', nothing])
    expect(r.code).toBe(3)
    expect(r.err).toContain('no lab "no-such-lab"; available: etcd-backup-restore')
  })
})
