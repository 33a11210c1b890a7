// Records what the real etcd 3.5.16 answers at its limits: a request over
// --max-request-bytes (1.5 MiB by default) and over the client's 2 MiB send
// limit, and a write past a small backend quota (the NOSPACE alarm, alarm
// list, and disarm after compaction and defrag). Prints raw outputs as JSON:
//   npx tsx test/conformance/etcd35/probe-limits.ts
// The simulator's texts for these cases (simulator/src/sim/etcd) were taken from this output.

import { type kubeadmEtcdArgs, runShellLine, setEtcdBinDir, startRealEtcd } from '../etcd34/realEtcd'
import { ETCD35_BIN, kubeadm131EtcdArgs } from './real35'

async function main(): Promise<void> {
  setEtcdBinDir(ETCD35_BIN)
  const args: typeof kubeadmEtcdArgs = (o) => [...kubeadm131EtcdArgs(o), '--quota-backend-bytes=4194304']
  const etcd = await startRealEtcd({ args, tmpPrefix: 'ckalab-etcd35-limits-' })
  const E = `etcdctl --endpoints=${etcd.endpoint} --cacert=${etcd.pkiDir}/etcd/ca.crt --cert=${etcd.pkiDir}/etcd/server.crt --key=${etcd.pkiDir}/etcd/server.key`
  const lines = [
    // values from stdin: one argument may not exceed 128 KiB
    `head -c 1600000 /dev/zero | tr '\\0' a | ${E} put big`,
    `head -c 3000000 /dev/zero | tr '\\0' a | ${E} put huge`,
    `for i in 1 2 3 4 5 6 7 8 9 10; do head -c 1000000 /dev/zero | tr '\\0' b | ${E} put k$i || break; done`,
    `${E} alarm list`,
    `${E} put small x`,
    `${E} get small`,
    `${E} endpoint status -w table`,
    `rev=$(${E} get k1 -w json | grep -o '"revision":[0-9]*' | cut -d: -f2); ${E} compact $rev`,
    `${E} defrag`,
    `${E} alarm disarm`,
    `${E} alarm list`,
    `${E} put small y`,
  ]
  const out = []
  try {
    for (const line of lines)
      out.push({
        line: line.replaceAll(E, '$E'),
        ...(await runShellLine(line, { cwd: etcd.rootDir, env: {}, timeoutMs: 30_000 })),
      })
  } finally {
    await etcd.stop()
  }
  console.log(JSON.stringify(out, null, 2))
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
