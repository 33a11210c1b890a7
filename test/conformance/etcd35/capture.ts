// Captures the real etcd 3.5.16's output for the whole script into
// golden/real-etcd-3.5.16.json. Needs the cached binaries
// (bash scripts/ci/install-etcd35.sh):
//   npx tsx test/conformance/etcd35/capture.ts [output.json]
// Review the diff before committing: it is the ground truth the simulator's
// Kubernetes 1.31 profile (etcd 3.5) is held to.

import path from 'node:path'
import { captureGolden, runCapture } from '../etcd34/capture-golden'
import { GOLDEN35_PATH } from './golden35'
import { ETCD35_BIN, INSTALL_HINT, missingBinaries, startRealEtcd35 } from './real35'
import { SCRIPT, scriptLines } from './script'

runCapture(async () => {
  if (missingBinaries().length > 0) throw new Error(INSTALL_HINT)
  await captureGolden({
    start: () => startRealEtcd35(),
    etcd: path.join(ETCD35_BIN, 'etcd'),
    etcdctl: path.join(ETCD35_BIN, 'etcdctl'),
    script: SCRIPT,
    lines: scriptLines(),
    out: process.argv[2] ?? GOLDEN35_PATH,
  })
})
