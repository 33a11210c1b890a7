// The etcd 3.5 conformance script: the 3.4 script (same variables, same
// order, see ../etcd34/script.ts) plus what 3.5 adds or changes: etcdutl,
// the deprecation of etcdctl's snapshot status/restore, help texts, refusals
// in both tools, several endpoints, maintenance commands, file modes, and
// stderr merged into stdout (2>&1) where the interleaving is what a learner
// reads. Lines run in order; later lines use files earlier ones made.

import { type ConformanceCase, SCRIPT as SCRIPT_34 } from '../etcd34/script'

export type { ConformanceCase, ScriptVars } from '../etcd34/script'

const CA = '--cacert=$PKI/etcd/ca.crt'
const CERTS = `${CA} --cert=$PKI/etcd/server.crt --key=$PKI/etcd/server.key`
const E = `etcdctl --endpoints=$EP ${CERTS}`
const SHORT = '--command-timeout=2s'
/** File modes and types, which ls -R does not show. */
const MODES = "stat -c '%a %F %n'"

const ADDED: ConformanceCase[] = [
  // version and help texts
  { id: 'etcdutl-version', line: 'etcdutl version' },
  { id: 'etcdutl-version-flag', line: 'etcdutl --version' },
  { id: 'etcdctl-help', line: 'etcdctl --help' },
  { id: 'etcdctl-help-short', line: 'etcdctl -h | head -n 20' },
  { id: 'etcdutl-help', line: 'etcdutl --help' },
  { id: 'etcdutl-no-args', line: 'etcdutl' },
  { id: 'etcdctl-snapshot-save-help', line: 'etcdctl snapshot save --help' },
  { id: 'etcdctl-snapshot-status-help', line: 'etcdctl snapshot status --help' },
  { id: 'etcdutl-snapshot-help', line: 'etcdutl snapshot --help' },
  { id: 'etcdutl-snapshot-restore-help', line: 'etcdutl snapshot restore --help' },
  { id: 'etcdutl-snapshot-status-help', line: 'etcdutl snapshot status --help' },
  { id: 'etcdctl-member-help', line: 'etcdctl member --help' },
  { id: 'etcdctl-endpoint-help', line: 'etcdctl endpoint --help' },

  // unknown flags and commands, both tools, with and without 2>&1
  { id: 'unknown-flag', line: `${E} --foo member list` },
  { id: 'unknown-flag-merged', line: `${E} --foo member list 2>&1` },
  { id: 'unknown-command-merged', line: `${E} membr list 2>&1` },
  { id: 'unknown-subcommand', line: `${E} member lst` },
  { id: 'etcdutl-unknown-command', line: 'etcdutl snapshots status x.db' },
  { id: 'etcdutl-unknown-flag', line: 'etcdutl snapshot status snap.db --foo' },
  { id: 'etcdutl-endpoint-flag', line: 'etcdutl --endpoints=$EP snapshot status snap.db' },

  // several endpoints and the remaining formats
  { id: 'endpoint-status-two', line: `etcdctl --endpoints=$EP,$NODE_EP ${CERTS} endpoint status` },
  {
    id: 'endpoint-status-two-table',
    line: `etcdctl --endpoints=$EP,$NODE_EP ${CERTS} endpoint status -w table`,
  },
  { id: 'endpoint-status-fields', line: `${E} endpoint status -w fields` },
  { id: 'endpoint-status-yaml', line: `${E} endpoint status -w yaml` },
  { id: 'endpoint-status-cluster-json', line: `${E} endpoint status --cluster -w json` },
  { id: 'endpoint-status-bad-format', line: `${E} endpoint status -w xml` },
  { id: 'endpoint-health-two', line: `etcdctl --endpoints=$EP,$NODE_EP ${CERTS} endpoint health` },
  {
    id: 'endpoint-health-one-dead',
    line: `etcdctl --endpoints=$EP,$DEAD_EP ${CERTS} ${SHORT} endpoint health`,
  },
  { id: 'endpoint-health-cluster-table', line: `${E} endpoint health --cluster -w table` },
  { id: 'member-list-two-endpoints', line: `etcdctl --endpoints=$EP,$NODE_EP ${CERTS} member list` },
  { id: 'member-list-bad-format', line: `${E} member list -w xml` },

  // maintenance
  { id: 'defrag', line: `${E} defrag` },
  { id: 'defrag-cluster', line: `${E} defrag --cluster` },
  { id: 'alarm-list', line: `${E} alarm list` },
  { id: 'alarm-disarm', line: `${E} alarm disarm` },
  { id: 'alarm-no-subcommand', line: `${E} alarm` },

  // snapshots through etcdctl 3.5: modes, merged streams, deprecation banners
  { id: 'snapshot-save-merged', line: `${E} snapshot save $WORK/merged.db 2>&1` },
  { id: 'snapshot-modes', line: `${MODES} snap.db rel.db merged.db` },
  { id: 'snapshot-status-merged', line: 'etcdctl snapshot status snap.db -w table 2>&1' },
  { id: 'restore-merged', line: 'etcdctl snapshot restore snap.db --data-dir $WORK/merged-restore 2>&1' },
  {
    id: 'restore-modes',
    line: `${MODES} restored restored/member restored/member/snap restored/member/wal restored/member/snap/db`,
  },
  { id: 'restore-wal-size', line: "stat -c '%s %n' restored/member/wal/*.wal" },

  // etcdutl snapshot status / restore / save
  { id: 'etcdutl-status', line: 'etcdutl snapshot status snap.db' },
  { id: 'etcdutl-status-table', line: 'etcdutl snapshot status snap.db -w table' },
  { id: 'etcdutl-status-json', line: 'etcdutl snapshot status snap.db -w json' },
  { id: 'etcdutl-status-missing', line: 'etcdutl snapshot status nope.db' },
  { id: 'etcdutl-status-corrupt', line: 'etcdutl snapshot status corrupt.db' },
  { id: 'etcdutl-status-no-args', line: 'etcdutl snapshot status' },
  { id: 'etcdutl-restore-no-data-dir', line: 'etcdutl snapshot restore snap.db' },
  { id: 'etcdutl-restore-no-data-dir-merged', line: 'etcdutl snapshot restore snap.db 2>&1' },
  { id: 'etcdutl-restore', line: 'etcdutl snapshot restore snap.db --data-dir $WORK/u1' },
  { id: 'etcdutl-restore-ls-R', line: 'ls -R u1' },
  {
    id: 'etcdutl-restore-modes',
    line: `${MODES} u1 u1/member u1/member/snap u1/member/wal u1/member/snap/db`,
  },
  { id: 'etcdutl-restore-existing-dir', line: 'etcdutl snapshot restore snap.db --data-dir $WORK/u1' },
  { id: 'etcdutl-restore-missing', line: 'etcdutl snapshot restore nope.db --data-dir $WORK/u2' },
  { id: 'etcdutl-restore-corrupt', line: 'etcdutl snapshot restore corrupt.db --data-dir $WORK/u3' },
  {
    id: 'etcdutl-restore-full-flags',
    line:
      'etcdutl snapshot restore snap.db --data-dir $WORK/u4 --name controlplane ' +
      '--initial-cluster controlplane=https://10.0.0.5:2380 --initial-advertise-peer-urls https://10.0.0.5:2380',
  },
  {
    id: 'etcdutl-restore-name-not-in-cluster',
    line:
      'etcdutl snapshot restore snap.db --data-dir $WORK/u5 --name master ' +
      '--initial-cluster controlplane=https://10.0.0.5:2380 --initial-advertise-peer-urls https://10.0.0.5:2380',
  },
  { id: 'etcdutl-restore-member-db', line: 'etcdutl snapshot restore u1/member/snap/db --data-dir $WORK/u6' },
  {
    id: 'etcdutl-restore-member-db-skip-hash-check',
    line: 'etcdutl snapshot restore u1/member/snap/db --skip-hash-check --data-dir $WORK/u7',
  },
  { id: 'etcdutl-restore-no-args', line: 'etcdutl snapshot restore' },
  { id: 'etcdutl-save', line: 'etcdutl snapshot save $WORK/utl.db' },
  { id: 'etcdutl-save-merged', line: 'etcdutl snapshot save $WORK/utl.db 2>&1; echo "exit $?"' },
  { id: 'etcdutl-defrag-no-data-dir', line: 'etcdutl defrag' },

  // ETCDCTL_API=2 beyond version
  { id: 'api-2-member-list', line: `ETCDCTL_API=2 ${E} member list` },
  { id: 'api-2-help', line: 'ETCDCTL_API=2 etcdctl --help | head -n 5' },

  // exit codes a script would test
  { id: 'exit-code-ok', line: `${E} get /conformance/kept >/dev/null; echo "exit $?"` },
  {
    id: 'exit-code-dead',
    line: `etcdctl --endpoints=$DEAD_EP ${CERTS} ${SHORT} get x >/dev/null 2>&1; echo "exit $?"`,
  },
  { id: 'exit-code-bad-flag', line: 'etcdctl --nope >/dev/null 2>&1; echo "exit $?"' },
]

const last = SCRIPT_34[SCRIPT_34.length - 1]!
export const SCRIPT: ConformanceCase[] = [...SCRIPT_34.slice(0, -1), ...ADDED, last]

export function scriptLines(script: ConformanceCase[] = SCRIPT): string[] {
  return script.map((c) => c.line)
}
