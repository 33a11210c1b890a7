// Regression snapshots per profile: every etcdctl/etcdutl command learners
// use, with their error paths, run on a fresh simulated node; full stdout,
// stderr and exit code are compared with the simulator's own earlier output in
// test/etcd/regression-snapshots/. These files are NOT real etcd output: they
// only catch unintended changes. What real etcd prints is held in
// test/conformance/ (etcd34: real 3.4.23, etcd35: real 3.5.16).
// Only the etcd part of the simulator is loaded (its static boot starts etcd),
// so other parts' data does not move these outputs.
import { describe, expect, test } from 'vitest'
import type { ProfileId } from '../../simulator/src/seam'
import { VirtualClock } from '../../simulator/src/sim/clock'
import { createSimCluster } from '../../simulator/src/sim/cluster'
import { etcdCommands, etcdStaticBootPlugin } from '../../simulator/src/sim/etcd/index'

// etcd alone: its commands, and members started from their manifests at creation (no kubelet).
const ETCD_ONLY = { plugins: [etcdStaticBootPlugin], commands: etcdCommands }

const PKI = '/etc/kubernetes/pki'
const CERTS = `--cacert=${PKI}/etcd/ca.crt --cert=${PKI}/etcd/server.crt --key=${PKI}/etcd/server.key`
const E = `etcdctl --endpoints=https://127.0.0.1:2379 ${CERTS}`

function lines(profile: ProfileId): Array<[string, string]> {
  const util = profile === '1.20' ? 'etcdctl' : 'etcdutl'
  const c: Array<[string, string]> = [
    ['version', 'etcdctl version'],
    ['help', 'etcdctl --help'],
    ['member-list', `${E} member list`],
    ['member-list-table', `${E} member list -w table`],
    ['member-list-json', `${E} member list -w json`],
    ['endpoint-status', `${E} endpoint status`],
    ['endpoint-status-table', `${E} endpoint status --cluster -w table`],
    ['endpoint-status-json', `${E} endpoint status -w json`],
    [
      'endpoint-status-dead',
      `etcdctl --endpoints=https://127.0.0.1:2379,https://127.0.0.1:2399 ${CERTS} endpoint status -w table`,
    ],
    ['endpoint-health', `${E} endpoint health`],
    ['endpoint-health-no-certs', 'etcdctl --endpoints=https://127.0.0.1:2379 endpoint health'],
    ['put', `${E} put /golden/a 1`],
    [
      'put-space-flags',
      `etcdctl --endpoints https://127.0.0.1:2379 --cacert ${PKI}/etcd/ca.crt --cert ${PKI}/etcd/server.crt --key ${PKI}/etcd/server.key put /golden/b two`,
    ],
    ['get-prefix', `${E} get /golden --prefix`],
    ['get-keys-only', `${E} get /golden --prefix --keys-only`],
    ['get-json', `${E} get /golden/a -w json`],
    ['del', `${E} del /golden/b`],
    ['snapshot-save', `${E} snapshot save /opt/snap.db`],
    [
      'snapshot-save-two-endpoints',
      `etcdctl --endpoints=https://127.0.0.1:2379,https://172.30.1.2:2379 ${CERTS} snapshot save /opt/x.db`,
    ],
    ['snapshot-save-missing-dir', `${E} snapshot save /nope/x.db`],
    [
      'snapshot-save-no-certs-timeout',
      'etcdctl --endpoints=https://127.0.0.1:2379 --command-timeout=3s snapshot save /opt/n.db',
    ],
    ['ls-opt', 'ls -l /opt'],
    ['snapshot-status', `${util} snapshot status /opt/snap.db -w table`],
    ['snapshot-status-missing', `${util} snapshot status /opt/missing.db`],
    ['snapshot-status-corrupt', `echo garbage > /opt/bad.db; ${util} snapshot status /opt/bad.db`],
    ['restore', `${util} snapshot restore /opt/snap.db --data-dir /var/lib/etcd-from-backup`],
    ['restore-ls', 'ls -R /var/lib/etcd-from-backup'],
    ['restore-existing', `${util} snapshot restore /opt/snap.db --data-dir /var/lib/etcd`],
    [
      'restore-empty-dir',
      `mkdir -p /var/lib/empty && ${util} snapshot restore /opt/snap.db --data-dir /var/lib/empty`,
    ],
    [
      'restore-default-dir',
      `cd /root && ${util} snapshot restore /opt/snap.db && ls /root/default.etcd/member`,
    ],
    [
      'restore-full-flags',
      `${util} snapshot restore /opt/snap.db --data-dir=/var/lib/full --name controlplane --initial-cluster controlplane=https://172.30.1.2:2380 --initial-advertise-peer-urls https://172.30.1.2:2380`,
    ],
    [
      'flags-before-command',
      `${util} --data-dir /var/lib/flags-first snapshot restore /opt/snap.db && ls /var/lib/flags-first/member`,
    ],
    [
      'get-flag-first',
      `etcdctl --prefix --endpoints=https://127.0.0.1:2379 ${CERTS} get /golden --keys-only`,
    ],
    ['tls-no-certs', 'etcdctl --endpoints=https://127.0.0.1:2379 member list'],
    [
      'tls-wrong-ca',
      `etcdctl --endpoints=https://127.0.0.1:2379 --cacert=${PKI}/ca.crt --cert=${PKI}/etcd/server.crt --key=${PKI}/etcd/server.key member list`,
    ],
    ['tls-http', `etcdctl --endpoints=http://127.0.0.1:2379 ${CERTS} member list`],
    [
      'tls-missing-file',
      `etcdctl --endpoints=https://127.0.0.1:2379 --cacert=${PKI}/etcd/ca.crt --cert=${PKI}/etcd/nope.crt --key=${PKI}/etcd/server.key member list`,
    ],
    ['api-3', `ETCDCTL_API=3 ${E} member list`],
    ['api-4', 'ETCDCTL_API=4 etcdctl version'],
    [
      'env-certs',
      `ETCDCTL_CACERT=${PKI}/etcd/ca.crt ETCDCTL_CERT=${PKI}/etcd/server.crt ETCDCTL_KEY=${PKI}/etcd/server.key etcdctl member list`,
    ],
    ['unknown-command', 'etcdctl membr list'],
    ['unknown-flag', `${E} member list --bogus`],
    ['etcdctl-snapshot-status', 'etcdctl snapshot status /opt/snap.db -w table'],
    ['etcdctl-snapshot-restore', 'etcdctl snapshot restore /opt/snap.db --data-dir /var/lib/via-etcdctl'],
  ]
  c.push(
    ['alarm-list', `${E} alarm list`],
    ['compaction', `${E} compaction 3`],
    ['compaction-again', `${E} compaction 2`],
    ['defrag', `${E} defrag`],
    ['member-remove-unknown', `${E} member remove 1234`],
    ['member-add-learner', `${E} member add extra --peer-urls=https://10.0.0.9:2380 --learner`],
    ['member-list-after-learner', `${E} member list`],
    ['member-add-voter', `${E} member add extra2 --peer-urls=https://10.0.0.10:2380`],
    ['member-list-without-quorum', `${E} member list`],
    ['put-without-quorum', `${E} put /golden/c 3`],
  )
  if (profile !== '1.20') c.push(['etcdutl-version', 'etcdutl version'])
  return c
}

for (const profile of ['1.20', '1.31', '1.34'] as ProfileId[]) {
  describe(`etcd regression snapshot of the simulator (not real output), profile ${profile}`, () => {
    test('every command, as committed', async () => {
      const cluster = await createSimCluster(
        { controlPlanes: 1, kubernetes: profile },
        { ...ETCD_ONLY, clock: new VirtualClock(), seed: 'golden' },
      )
      try {
        const node = cluster.nodes[0]
        if (!node) throw new Error('no node')
        let text = ''
        for (const [id, line] of lines(profile)) {
          const r = await node.exec(line, { timeoutMs: 10_000 })
          text += `### ${id}\n$ ${line}\n[exit ${r.exitCode}]\n--- stdout\n${r.stdout}--- stderr\n${r.stderr}\n`
        }
        await expect(text).toMatchFileSnapshot(`regression-snapshots/simulator-etcd-${profile}.txt`)
      } finally {
        await cluster.dispose()
      }
    })
  })
}
