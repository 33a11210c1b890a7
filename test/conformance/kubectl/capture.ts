// Captures the golden output of the real kubectl clients for every case of
// script.ts into golden/real-kubectl-<minor>-<suite>.json. Run after
// `bash scripts/ci/install-kubectl.sh`:
//
//   npx tsx test/conformance/kubectl/capture.ts
//
// Only the real binaries are run here, never the simulator.

import { execFileSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import path from 'node:path'
import { goldenPath, type KubectlGolden } from './golden'
import { missingKubectls, REAL_KUBECTLS, runReal, startFakeApiserver } from './realKubectl'
import { SCRIPT } from './script'

const missing = missingKubectls()
if (missing.length) {
  console.error(`capture: missing ${missing.join(', ')}; run bash scripts/ci/install-kubectl.sh`)
  process.exit(1)
}

const api = await startFakeApiserver()
try {
  for (const k of REAL_KUBECTLS) {
    const version = execFileSync(k.bin, ['version', '--client'], { encoding: 'utf8' }).split('\n')[0]
    const golden: KubectlGolden = {
      captured: {
        how: `npx tsx test/conformance/kubectl/capture.ts: ${k.bin} run once per case in a fresh HOME (the working directory) with fixtures/admin.conf as ~/.kube/config; discovery answered by the fake apiserver of realKubectl.ts through HTTPS_PROXY; HOME paths rewritten to /root`,
        binary: path.relative(process.cwd(), k.bin),
        package: `Debian ${k.suite} kubectl`,
        version,
        at: new Date().toISOString().slice(0, 10),
      },
      cases: [],
    }
    for (const c of SCRIPT) golden.cases.push({ id: c.id, args: c.args, ...(await runReal(k, c, api)) })
    mkdirSync(path.dirname(goldenPath(k)), { recursive: true })
    writeFileSync(goldenPath(k), `${JSON.stringify(golden, null, 2)}\n`)
    console.log(
      `capture: ${golden.cases.length} cases of ${version} into ${path.relative(process.cwd(), goldenPath(k))}`,
    )
  }
  if (api.unanswered.length)
    console.log(`capture: the fake apiserver did not answer ${[...new Set(api.unanswered)].join(', ')}`)
} finally {
  await api.close()
}
