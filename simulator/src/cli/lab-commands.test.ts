import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CHECKS, LAB, labsDir } from '../grader/testing/lab-folders'
import { gradeCommand, labsLintCommand, setAttemptSource, tryCommand } from './lab-commands'

function io() {
  const o = { out: '', err: '' }
  return {
    o,
    io: {
      out: (t: string) => {
        o.out += t
      },
      err: (t: string) => {
        o.err += t
      },
      labsDir: 'labs',
    },
  }
}

describe('command line', () => {
  it.each([
    [[], 'name exactly one lab'],
    [['etcd-backup-restore'], '--script FILE is required'],
    [['etcd-backup-restore', '--script', 'x', '--format', 'xml'], 'unknown --format "xml"'],
    [['etcd-backup-restore', '--script', 'x', '--kubernetes', '1.99'], 'unknown --kubernetes "1.99"'],
    [['etcd-backup-restore', '--bogus'], "Unknown option '--bogus'"],
    [['etcd-backup-restore', '--script', '/nonexistent/file'], 'cannot read the script'],
  ])('try %j is a usage error (exit 3)', async (argv, message) => {
    const { o, io: cio } = io()
    expect(await tryCommand(argv, cio)).toBe(3)
    expect(o.err).toContain(message)
    expect(o.err).toContain('usage: ckalab try')
  })

  it('grade says clearly that there is no such attempt', async () => {
    setAttemptSource(undefined)
    const { o, io: cio } = io()
    const empty = await mkdtemp(join(tmpdir(), 'ckalab-data-'))
    expect(await gradeCommand(['a-123', '--data-dir', empty], cio)).toBe(3)
    expect(o.err).toContain('no such attempt "a-123"')
    setAttemptSource({ open: async () => undefined })
    expect(await gradeCommand(['a-124'], cio)).toBe(3)
    expect(o.err).toContain('no such attempt "a-124"')
    setAttemptSource({
      open: async () => {
        throw new Error('attempt "k1" runs on the kind driver')
      },
    })
    expect(await gradeCommand(['k1'], cio)).toBe(3)
    expect(o.err).toContain('ckalab: attempt "k1" runs on the kind driver')
    setAttemptSource(undefined)
  })
})

describe('ckalab labs lint', () => {
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
})
