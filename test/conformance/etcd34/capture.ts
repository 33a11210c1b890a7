// Captures real etcd 3.4's output for the whole script into golden/real.json.
// Run as root on a machine with Debian's etcd (scripts/ci/install-etcd.sh):
//   npx tsx test/conformance/etcd34/capture.ts [output.json]
// Review the diff of the golden file before committing it: it is the ground
// truth the simulator's etcd 3.4 profile is held to.

import { captureGolden, runCapture } from './capture-golden'
import { GOLDEN_PATH } from './golden'
import { startRealEtcd } from './realEtcd'
import { SCRIPT, scriptLines } from './script'

runCapture(() =>
  captureGolden({
    start: () => startRealEtcd(),
    etcd: 'etcd',
    etcdctl: 'etcdctl',
    script: SCRIPT,
    lines: scriptLines(),
    out: process.argv[2] ?? GOLDEN_PATH,
  }),
)
