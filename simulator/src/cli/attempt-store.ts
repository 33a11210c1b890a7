import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { SimDriver } from '../drivers/sim'
import { LabError } from '../grader/lifecycle'
import { defaultDataDir, Store } from '../server/store'
import type { AttemptHandle, AttemptSource } from './lab-commands'

// `ckalab grade <attempt>` reads attempts where the web server keeps them (its
// SQLite store) and grades a copy of the saved simulated environment, so the
// learner's live attempt is never touched.

export { defaultDataDir }

export function storeAttemptSource(dataDir = defaultDataDir()): AttemptSource {
  const open = new Map<AttemptHandle, Store>()
  return {
    async open(id) {
      // Opening a Store creates the database; a missing one simply has no attempts.
      if (!existsSync(join(dataDir, 'ckalab.db'))) return undefined
      const store = new Store(dataDir)
      try {
        const row = store.getAttempt(id)
        if (!row) return undefined
        if (row.driver !== 'sim')
          throw new LabError(
            `attempt "${id}" runs on the ${row.driver} driver; grade it from its lab page (the command line grades simulated attempts)`,
          )
        const bytes = store.loadEnvState(id)
        if (!bytes)
          throw new LabError(`attempt "${id}" is ${row.state} and has no saved environment to grade`)
        const env = await new SimDriver({ clock: 'virtual' }).restore(bytes)
        const handle: AttemptHandle = { lab: row.lab, env, facts: structuredClone(row.facts) }
        open.set(handle, store)
        return handle
      } catch (err) {
        store.close()
        throw err
      }
    },
    async close(handle) {
      await handle.env.dispose()
      open.get(handle)?.close()
      open.delete(handle)
    },
  }
}
