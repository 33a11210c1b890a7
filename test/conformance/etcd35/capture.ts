// Captures the real etcd 3.5.16's output for the whole script into
// golden/real-etcd-3.5.16.json. Needs the cached binaries
// (bash scripts/ci/install-etcd35.sh):
//   npx tsx test/conformance/etcd35/capture.ts [output.json]
// Review the diff before committing: it is the ground truth the simulator's
// Kubernetes 1.31 profile (etcd 3.5) is held to.

import { execFileSync } from 'node:child_process'
import path from 'node:path'
import { writeGolden } from '../etcd34/golden'
import { runScriptOnReal } from '../etcd34/realEtcd'
import { GOLDEN35_PATH } from './golden35'
import { ETCD35_BIN, INSTALL_HINT, missingBinaries, startRealEtcd35 } from './real35'
import { SCRIPT, scriptLines } from './script'

function firstLine(bin: string, args: string[]): string {
  return execFileSync(path.join(ETCD35_BIN, bin), args, { encoding: 'utf8' }).split('\n')[0] ?? ''
}

async function main(): Promise<void> {
  if (missingBinaries().length > 0) throw new Error(INSTALL_HINT)
  const out = process.argv[2] ?? GOLDEN35_PATH
  const real = await startRealEtcd35()
  try {
    const started = Date.now()
    const { vars, results } = await runScriptOnReal(real, scriptLines())
    await writeGolden(
      {
        etcdVersion: firstLine('etcd', ['--version']),
        etcdctlVersion: firstLine('etcdctl', ['version']),
        vars,
        cases: SCRIPT.map((c, i) => ({ id: c.id, line: c.line, ...results[i]! })),
      },
      out,
    )
    console.log(
      `captured ${SCRIPT.length} cases in ${((Date.now() - started) / 1000).toFixed(1)} s into ${out}`,
    )
  } finally {
    await real.stop()
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err)
  process.exit(1)
})
