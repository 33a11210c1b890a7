// Captures real etcd 3.4's output for the whole script into golden/real.json.
// Run as root on a machine with Debian's etcd (scripts/ci/install-etcd.sh):
//   npx tsx test/conformance/etcd34/capture.ts [output.json]
// Review the diff of the golden file before committing it: it is the ground
// truth the simulator's etcd 3.4 profile is held to.

import { execFileSync } from 'node:child_process'
import { GOLDEN_PATH, writeGolden } from './golden'
import { runScriptOnReal, startRealEtcd } from './realEtcd'
import { SCRIPT, scriptLines } from './script'

function firstLine(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { encoding: 'utf8' }).split('\n')[0] ?? ''
}

async function main(): Promise<void> {
  const out = process.argv[2] ?? GOLDEN_PATH
  const real = await startRealEtcd()
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
