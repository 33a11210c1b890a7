import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import type { Report } from './ports'
import { type AttemptRow, SCHEMA_VERSION, Store } from './store'

const dirs: string[] = []
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'ckalab-store-'))
  dirs.push(d)
  return d
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

function attempt(id: string): AttemptRow {
  return {
    id,
    lab: 'etcd-backup-restore',
    mode: 'practice',
    driver: 'sim',
    state: 'creating',
    error: null,
    progressFraction: 0,
    progressStep: '',
    createdAt: 1000,
    readyAt: null,
    deadline: null,
    finishedAt: null,
    envId: null,
    nodes: [],
    facts: {},
    hintsShown: 0,
    solutionShown: false,
  }
}

describe('Store', () => {
  it('uses WAL and records the schema version', () => {
    const dir = tempDir()
    const store = new Store(dir)
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(store.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION)
    store.close()
  })

  it('keeps attempts, events, reports, env state and screens across reopening', () => {
    const dir = tempDir()
    const a = new Store(dir)
    a.insertAttempt(attempt('a1'))
    a.updateAttempt('a1', {
      state: 'ready',
      nodes: ['controlplane'],
      facts: { snapshotRev: 12 },
      solutionShown: true,
    })
    a.addEvent('a1', 'hint', { index: 0 })
    const report = { schema: 'ckalab.report/v1', lab: 'x', checks: [] } as unknown as Report
    a.addReport('a1', report, false)
    a.saveEnvState('a1', new Uint8Array([1, 2, 3]))
    a.saveScreen('a1', { node: 'controlplane', cols: 80, rows: 24, data: 'root@controlplane:~# ' })
    a.close()

    const b = new Store(dir)
    const row = b.getAttempt('a1')!
    expect(row).toMatchObject({
      state: 'ready',
      nodes: ['controlplane'],
      facts: { snapshotRev: 12 },
      solutionShown: true,
    })
    expect(b.events('a1')).toMatchObject([{ kind: 'hint', data: { index: 0 } }])
    expect(b.latestReport('a1')?.report).toEqual(report)
    expect([...b.loadEnvState('a1')!]).toEqual([1, 2, 3])
    expect(b.loadScreens('a1')).toEqual([
      { node: 'controlplane', cols: 80, rows: 24, data: 'root@controlplane:~# ' },
    ])
    expect(b.listAttempts(['ready']).map((r) => r.id)).toEqual(['a1'])
    expect(b.listAttempts(['failed'])).toEqual([])
    b.close()
  })

  it('refuses a database from a newer ckalab with an actionable message', () => {
    const dir = tempDir()
    const db = new Database(join(dir, 'ckalab.db'))
    db.pragma('user_version = 99')
    db.close()
    expect(() => new Store(dir)).toThrow(/newer than this ckalab/)
  })
})
