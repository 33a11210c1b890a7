// The capture routine both conformance suites' capture scripts share: run the
// script on a real etcd, write what it printed as the golden file.

import { execFileSync } from 'node:child_process'
import { writeGolden } from './golden'
import { type RealEtcd, runScriptOnReal } from './realEtcd'
import type { ConformanceCase } from './script'

export interface CaptureOptions {
  start: () => Promise<RealEtcd>
  /** The etcd and etcdctl executables whose version lines the golden file records. */
  etcd: string
  etcdctl: string
  script: ConformanceCase[]
  /** The script as the shell runs it (each suite's own `scriptLines()`). */
  lines: string[]
  out: string
}

function firstLine(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { encoding: 'utf8' }).split('\n')[0] ?? ''
}

export async function captureGolden(o: CaptureOptions): Promise<void> {
  const real = await o.start()
  try {
    const started = Date.now()
    const { vars, results } = await runScriptOnReal(real, o.lines)
    await writeGolden(
      {
        etcdVersion: firstLine(o.etcd, ['--version']),
        etcdctlVersion: firstLine(o.etcdctl, ['version']),
        vars,
        cases: o.script.map((c, i) => ({ id: c.id, line: c.line, ...results[i]! })),
      },
      o.out,
    )
    console.log(
      `captured ${o.script.length} cases in ${((Date.now() - started) / 1000).toFixed(1)} s into ${o.out}`,
    )
  } finally {
    await real.stop()
  }
}

/** Runs a capture script's main and exits 1 with the message when it fails. */
export function runCapture(main: () => Promise<void>): void {
  main().catch((err) => {
    console.error(err instanceof Error ? err.message : err)
    process.exit(1)
  })
}
