import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { gradeCommand } from '../../simulator/src/cli/lab-commands'
import { SimDriver } from '../../simulator/src/drivers/sim'
import { runSetup } from '../../simulator/src/grader/lifecycle'
import { Store } from '../../simulator/src/server/store'
import { getLab } from './proof'

// `ckalab grade <attempt>` on an attempt the web server saved: a copy of its
// simulated environment is graded, with the attempt's facts.

describe('ckalab grade', () => {
  it('grades a saved simulated attempt from the data directory', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'ckalab-grade-'))
    const lab = await getLab('etcd-backup-restore')
    const env = await new SimDriver({ clock: 'virtual' }).create(lab.cluster)
    const facts: Record<string, unknown> = {}
    await runSetup(lab, env, facts)
    const store = new Store(dataDir)
    store.insertAttempt({
      id: 'a1',
      lab: lab.id,
      mode: 'practice',
      driver: 'sim',
      state: 'ready',
      error: null,
      progressFraction: 1,
      progressStep: 'ready',
      createdAt: Date.now(),
      readyAt: Date.now(),
      deadline: null,
      finishedAt: null,
      envId: env.id,
      nodes: env.nodes.map((n) => n.name),
      facts,
      hintsShown: 0,
      solutionShown: false,
    })
    store.saveEnvState('a1', await SimDriver.serialize(env))
    store.close()
    await env.dispose()

    let out = ''
    let err = ''
    const io = {
      out: (t: string) => {
        out += t
      },
      err: (t: string) => {
        err += t
      },
      labsDir: lab.dir.replace(/[\\/][^\\/]+$/, ''),
    }
    const code = await gradeCommand(['a1', '--data-dir', dataDir, '--format', 'json'], io)
    expect(err).toBe('')
    const report = JSON.parse(out)
    expect(report.lab).toBe('etcd-backup-restore')
    expect(
      Object.fromEntries(report.checks.map((c: { id: string; verdict: string }) => [c.id, c.verdict])),
    ).toEqual({
      'snapshot-saved': 'fail',
      'restored-data-dir': 'fail',
      'etcd-uses-restored-data': 'fail',
      // an untouched lab earns nothing: health counts only on the restored data
      'cluster-healthy': 'fail',
      'post-snapshot-change-undone': 'fail',
    })
    expect(code).toBe(1)
    expect(await gradeCommand(['nope', '--data-dir', dataDir], io)).toBe(3)
    expect(err).toContain('no such attempt "nope"')
  })
})
