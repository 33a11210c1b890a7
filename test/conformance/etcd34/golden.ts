// The committed record of what real etcd 3.4 printed for each case of the
// script: raw output plus the variables in force, so it can be normalized
// later exactly like a fresh run.

import { readFile, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ScriptVars } from './script'

export interface CaseOutput {
  id: string
  line: string
  exitCode: number
  stdout: string
  stderr: string
}

export interface Golden {
  /** `etcd --version`'s first line, e.g. "etcd Version: 3.4.23". */
  etcdVersion: string
  /** `etcdctl version`'s first line. */
  etcdctlVersion: string
  vars: ScriptVars
  cases: CaseOutput[]
}

export const GOLDEN_PATH = path.join(path.dirname(fileURLToPath(import.meta.url)), 'golden', 'real.json')

export async function readGolden(file = GOLDEN_PATH): Promise<Golden> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (err) {
    throw new Error(
      `cannot read the etcd 3.4 golden file ${file} (${(err as Error).message}); ` +
        'capture it with: npx tsx test/conformance/etcd34/capture.ts',
    )
  }
  const golden = JSON.parse(text) as Golden
  if (!Array.isArray(golden.cases) || !golden.vars) throw new Error(`${file} is not an etcd 3.4 golden file`)
  return golden
}

export async function writeGolden(golden: Golden, file = GOLDEN_PATH): Promise<void> {
  await writeFile(file, `${JSON.stringify(golden, null, 2)}\n`)
}
