import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { SimDriver } from '../drivers/sim'
import { loadLabs } from '../grader/loader'
import { tryLab } from '../grader/try'
import { type AttemptRecord, checksum, encodeAttemptFile, parseAttemptFile } from '../server/attempt-file'
import { gradeCommand, setAttemptSource } from './lab-commands'

function io() {
  const o = { out: '', err: '' }
  const cio = {
    out: (t: string) => {
      o.out += t
    },
    err: (t: string) => {
      o.err += t
    },
    labsDir: 'labs',
  }
  return { o, cio }
}

function recordOf(lab: string, facts: Record<string, unknown>): AttemptRecord {
  const id = 'a'.repeat(24)
  return {
    id,
    token: 't'.repeat(43),
    row: {
      id,
      lab,
      mode: 'practice',
      driver: 'sim',
      state: 'ready',
      error: null,
      progressFraction: 1,
      progressStep: 'Ready',
      createdAt: 1,
      readyAt: 2,
      deadline: null,
      finishedAt: null,
      envId: 'sim-1',
      nodes: ['controlplane'],
      facts,
      hintsShown: 0,
      solutionShown: false,
    },
    events: [],
    reports: [],
    screens: [],
  }
}

describe('ckalab grade --from-file', () => {
  it('grades an exported attempt on its saved cluster, and refuses a damaged file with the reason', async () => {
    setAttemptSource(undefined)
    const { labs } = await loadLabs()
    const lab = labs.find((l) => l.id === 'etcd-backup-restore')
    if (!lab) throw new Error('etcd-backup-restore is not loaded')
    let file = ''
    await tryLab({
      lab,
      driver: new SimDriver({ clock: 'virtual' }),
      script: lab.solution,
      inspect: async (env, facts) => {
        const bytes = await env.persistence?.serialize()
        if (!bytes) throw new Error('the simulated environment cannot be saved')
        file = encodeAttemptFile(recordOf(lab.id, facts), {
          id: 'a'.repeat(24),
          at: 3,
          bytes,
          sum: checksum(bytes),
        })
      },
    })
    const dir = await mkdtemp(join(tmpdir(), 'ckalab-attempt-file-'))
    const path = join(dir, 'attempt.json')
    await writeFile(path, file)
    expect(parseAttemptFile(await readFile(path, 'utf8')).record.row.lab).toBe('etcd-backup-restore')

    const good = io()
    expect(await gradeCommand(['--from-file', path, '--format', 'json'], good.cio)).toBe(0)
    const report = JSON.parse(good.o.out)
    expect(report.lab).toBe('etcd-backup-restore')
    expect(report.verdict).toBe('pass')

    // One changed byte in the saved cluster: refused, not graded.
    const damaged = JSON.parse(file)
    const b64: string = damaged.environment.base64
    damaged.environment.base64 = (b64[10] === 'A' ? 'B' : 'A').padStart(11, b64.slice(0, 10)) + b64.slice(11)
    await writeFile(path, JSON.stringify(damaged))
    const bad = io()
    expect(await gradeCommand(['--from-file', path], bad.cio)).toBe(3)
    expect(bad.o.err).toContain('damaged')

    const usage = io()
    expect(await gradeCommand(['a-1', '--from-file', path], usage.cio)).toBe(3)
    expect(usage.o.err).toContain('name no attempt')
  }, 120_000)
})
