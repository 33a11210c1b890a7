import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { SimDriver } from '../drivers/sim'
import { LabError } from '../grader/lifecycle'
import { parseAttemptFile } from '../server/attempt-file'
import type { AttemptHandle, AttemptSource } from './lab-commands'

// `ckalab grade --from-file FILE`: an attempt exported from ckalab in the
// browser, graded on a copy of the simulated cluster saved in the file (with
// the facts the lab's triggers recorded), exactly as the page grades it.

export function fileAttemptSource(): AttemptSource {
  return {
    async open(path) {
      let text: string
      try {
        text = await readFile(resolve(path), 'utf8')
      } catch (err) {
        throw new LabError(`cannot read the attempt file ${path}: ${(err as Error).message}`)
      }
      const { record, env } = parseAttemptFile(text)
      if (!env)
        throw new LabError(
          `the attempt in ${path} is ${record.row.state} and holds no saved cluster to grade; ` +
            'export it while the lab is still running',
        )
      const restored = await new SimDriver({ clock: 'virtual' }).restore(env.bytes)
      const handle: AttemptHandle = {
        lab: record.row.lab,
        env: restored,
        facts: structuredClone(record.row.facts),
      }
      return handle
    },
    async close(handle) {
      await handle.env.dispose()
    },
  }
}
