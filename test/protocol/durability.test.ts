import { mkdtempSync, rmSync, statSync, truncateSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { silentLogger } from '../../simulator/src/server/log'
import { startServer } from '../../simulator/src/server/server'
import { FakeCatalog, FakeDriver } from '../../simulator/src/server/testing/fakes'
import { type Harness, startHarness, waitFor } from './harness'

// Saved work is never lost silently: a failing save shows on the attempt, a
// damaged saved part fails the attempt's restore with the reason instead of
// bringing it back with less, a lost database stops the server from starting
// empty, and a damaged report answers 500 with why.

let h: Harness | undefined
let dir: string | undefined
afterEach(async () => {
  await h?.close()
  h = undefined
  if (dir) rmSync(dir, { recursive: true, force: true })
  dir = undefined
})

async function savedAttempt(): Promise<{ h: Harness; token: string; id: string }> {
  dir = mkdtempSync(join(tmpdir(), 'ckalab-durable-'))
  const harness = await startHarness({ dataDir: dir })
  h = harness
  const token = await harness.startAttempt()
  const t = await harness.terminal(token)
  t.type('echo kept > /root/note\r')
  await t.waitText('root@controlplane:~# ')
  const id = (await harness.api('GET', `/api/attempts/${token}`)).body.id as string
  const store = harness.server.manager as unknown as { o: { store: { loadScreens(id: string): unknown[] } } }
  await waitFor(() => store.o.store.loadScreens(id).length > 0, 5000, 'a saved screen')
  t.close()
  return { h: harness, token, id }
}

/** Changes the database behind a stopped server, then starts it again. */
async function tamper(harness: Harness, sql: string, ...args: unknown[]): Promise<void> {
  await harness.server.close()
  const db = new Database(join(dir!, 'ckalab.db'))
  db.prepare(sql).run(...args)
  db.close()
  await harness.restart().catch(() => {})
}

describe('durability', () => {
  it('a save that fails (a full disk) is shown on the attempt and in the log, and clears when saving works again', async () => {
    const errors: string[] = []
    dir = mkdtempSync(join(tmpdir(), 'ckalab-durable-'))
    h = await startHarness({
      dataDir: dir,
      log: { ...silentLogger, error: (msg: string) => errors.push(msg) },
    })
    const token = await h.startAttempt()
    const manager = h.server.manager as unknown as {
      o: { store: { saveEnvState: (...a: unknown[]) => void } }
    }
    const store = manager.o.store
    const real = store.saveEnvState.bind(store)
    store.saveEnvState = () => {
      throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' })
    }
    const t = await h.terminal(token)
    t.type('echo hello > /root/file\r')
    await waitFor(
      async () => (await h!.api('GET', `/api/attempts/${token}`)).body.saveError !== null,
      5000,
      'the save error on the attempt',
    )
    const view = (await h.api('GET', `/api/attempts/${token}`)).body
    expect(view.saveError).toBe('your work is not being saved: database or disk is full')
    expect(errors).toContain('saving the attempt failed')
    store.saveEnvState = real
    t.type('echo again > /root/file2\r')
    await waitFor(
      async () => (await h!.api('GET', `/api/attempts/${token}`)).body.saveError === null,
      5000,
      'the save error to clear',
    )
    t.close()
  })

  for (const [part, sql] of [
    ['saved environment', "UPDATE env_state SET bytes = X'00ff00ff'"],
    ['saved screen', "UPDATE screens SET data = 'garbage'"],
    ['attempt record', "UPDATE attempts SET facts = '{not json'"],
  ] as const) {
    it(`garbage in the ${part} makes the restore fail with the reason, never "ready" with less`, async () => {
      const { h: harness, token } = await savedAttempt()
      await tamper(harness, sql)
      const view = (await harness.api('GET', `/api/attempts/${token}`)).body
      expect(view.state).toBe('failed')
      expect(view.error).toMatch(
        /^failed: restore of the saved lab did not work \(.*damaged.*\); press Retry\/Reset/,
      )
    })
  }

  it('a zero-length or missing database next to earlier attempt data refuses to start', async () => {
    const { h: harness } = await savedAttempt()
    await harness.server.close()
    const dbPath = join(dir!, 'ckalab.db')
    for (const f of [`${dbPath}-wal`, `${dbPath}-shm`]) rmSync(f, { force: true })
    truncateSync(dbPath, 0)
    const boot = () =>
      startServer({
        port: 0,
        driver: new FakeDriver(),
        catalog: new FakeCatalog(),
        dataDir: dir!,
        log: silentLogger,
      })
    await expect(boot()).rejects.toThrow(/ckalab\.db is empty but .* held attempts before/)
    rmSync(dbPath)
    await expect(boot()).rejects.toThrow(/ckalab\.db is missing but .* held attempts before/)
    h = undefined
  })

  it('the database and the data dir are private to the user (0600 / 0700)', async () => {
    const { h: harness } = await savedAttempt()
    expect(statSync(join(dir!, 'ckalab.db')).mode & 0o777).toBe(0o600)
    expect(statSync(dir!).mode & 0o077).toBe(0)
    void harness
  })

  it('a damaged stored report answers 500 with the reason', async () => {
    dir = mkdtempSync(join(tmpdir(), 'ckalab-durable-'))
    h = await startHarness({ dataDir: dir })
    const token = await h.startAttempt()
    expect((await h.api('POST', `/api/attempts/${token}/grade`)).status).toBe(200)
    expect((await h.api('GET', `/api/attempts/${token}/report.xml`)).status).toBe(200)
    const manager = h.server.manager as unknown as { o: { store: { db: Database.Database } } }
    manager.o.store.db.prepare("UPDATE reports SET json = ''").run()
    for (const file of ['report.xml', 'report.json']) {
      const r = await h.api('GET', `/api/attempts/${token}/${file}`)
      expect(r.status).toBe(500)
      expect(r.body.error).toMatch(/saved report is damaged/)
    }
    expect((await h.api('GET', `/api/attempts/${token}`)).status).toBe(200)
  })
})
