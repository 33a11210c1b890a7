import { describe, expect, it } from 'vitest'
import type { AttemptRow } from '../../../../simulator/src/server/store-types'
import { type AttemptRecord, BrowserStore, type EnvRecord, type RecordBackend } from './store'

function memory(): RecordBackend & {
  attempts: Map<string, unknown>
  envs: Map<string, unknown>
  fail?: Error
} {
  const b = {
    attempts: new Map<string, unknown>(),
    envs: new Map<string, unknown>(),
    fail: undefined as Error | undefined,
    async loadAll() {
      return { attempts: [...b.attempts.values()], envs: [...b.envs.values()] }
    },
    async write(
      attempts: AttemptRecord[],
      envs: EnvRecord[],
      deletedEnvs: string[],
      deletedAttempts: string[],
    ) {
      if (b.fail) throw b.fail
      for (const a of attempts) b.attempts.set(a.id, structuredClone(a))
      for (const e of envs) b.envs.set(e.id, structuredClone(e))
      for (const id of deletedEnvs) b.envs.delete(id)
      for (const id of deletedAttempts) {
        b.attempts.delete(id)
        b.envs.delete(id)
      }
    },
    async clear() {
      b.attempts.clear()
      b.envs.clear()
    },
  }
  return b
}

const row = (id: string): AttemptRow => ({
  id,
  lab: 'etcd-backup-restore',
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
  facts: { a: 1 },
  hintsShown: 0,
  solutionShown: false,
})

describe('BrowserStore', () => {
  it('writes attempts and environments through, and a new store reads them back', async () => {
    const backend = memory()
    const s = new BrowserStore(backend, 0)
    s.insertAttempt(row('a1'))
    s.setToken('a1', 'tok')
    s.addEvent('a1', 'started', { lab: 'x' })
    s.saveScreen('a1', { node: 'controlplane', cols: 80, rows: 24, data: 'root@controlplane:~# ' })
    s.saveEnvState('a1', new Uint8Array([1, 2, 3]))
    await s.flush()
    const t = new BrowserStore(backend, 0)
    await t.load()
    expect(t.listAttempts().map((r) => r.id)).toEqual(['a1'])
    expect(t.tokenOf('a1')).toBe('tok')
    expect(t.loadScreens('a1')[0].data).toContain('root@')
    expect([...(t.loadEnvState('a1') ?? [])]).toEqual([1, 2, 3])
  })

  it('keeps a failed write to try again and says why; the next write that works clears it', async () => {
    const backend = memory()
    const s = new BrowserStore(backend, 0)
    const seen: (string | null)[] = []
    s.onError = (e) => seen.push(e)
    backend.fail = Object.assign(new Error('quota'), { name: 'QuotaExceededError' })
    s.insertAttempt(row('a1'))
    await expect(s.flush()).rejects.toThrow('quota')
    expect(s.error).toContain('no room left')
    backend.fail = undefined
    await s.flush()
    expect(s.error).toBeNull()
    expect(backend.attempts.has('a1')).toBe(true)
    expect(seen).toEqual([expect.stringContaining('no room left'), null])
  })

  it('lists a record it cannot read without touching it, and refuses a damaged environment', async () => {
    const backend = memory()
    backend.attempts.set('bad', { id: 'bad', row: 'not a row' })
    const s = new BrowserStore(backend, 0)
    s.insertAttempt(row('a1'))
    s.saveEnvState('a1', new Uint8Array([1, 2, 3]))
    await s.flush()
    const env = backend.envs.get('a1') as EnvRecord
    env.bytes[0] = 9
    const t = new BrowserStore(backend, 0)
    await t.load()
    expect(t.unreadable).toEqual([{ id: 'bad', why: expect.any(String) }])
    expect(backend.attempts.has('bad')).toBe(true)
    expect(() => t.loadEnvState('a1')).toThrow('damaged')
  })
})
