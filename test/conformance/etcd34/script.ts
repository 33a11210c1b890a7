// The etcd 3.4 conformance script: shell lines written once and run, in this
// order, against a real etcd 3.4 and against the simulator. Each line runs on
// its own (a fresh `bash -c` on the real side, one node.exec on the
// simulator), with the working directory $WORK and these variables set:
//   PKI      dir holding etcd/ca.crt, etcd/server.crt, … (/etc/kubernetes/pki on the simulator)
//   EP       the https client endpoint of the local member (https://127.0.0.1:2379 on the simulator)
//   EP_HTTP  the same with http:// (plaintext to the TLS port)
//   EP_BARE  the same without a scheme (127.0.0.1:2379)
//   NODE_EP  the member's advertised client URL, https://<node IP>:2379 (kubeadm's --advertise-client-urls)
//   DEAD_EP  an https endpoint on 127.0.0.1 where nothing listens
//   WORK     a writable scratch dir, empty at the start
// Lines depend on earlier ones (a snapshot saved here is restored later), so
// the order matters. Keys live under /conformance/, which a Kubernetes
// cluster's etcd does not use, so the simulator's own data stays out of it.

export interface ConformanceCase {
  /** Stable, unique name; golden files and diffs are keyed by it. */
  id: string
  line: string
}

export interface ScriptVars {
  PKI: string
  EP: string
  EP_HTTP: string
  EP_BARE: string
  NODE_EP: string
  DEAD_EP: string
  WORK: string
}

const CA = '--cacert=$PKI/etcd/ca.crt'
const CERTS = `${CA} --cert=$PKI/etcd/server.crt --key=$PKI/etcd/server.key`
/** etcdctl talking to the local member with kubeadm's server cert, like most CKA answers do. */
const E = `etcdctl --endpoints=$EP ${CERTS}`
/** Cases that must fail to connect are cut short, or each would take 5 s. */
const SHORT = '--command-timeout=2s'
const ENV_CERTS =
  'ETCDCTL_CACERT=$PKI/etcd/ca.crt ETCDCTL_CERT=$PKI/etcd/server.crt ETCDCTL_KEY=$PKI/etcd/server.key'

export const SCRIPT: ConformanceCase[] = [
  // version: needs no server
  { id: 'version', line: 'etcdctl version' },
  { id: 'version-flag', line: 'etcdctl --version' },

  // member list
  { id: 'member-list', line: `${E} member list` },
  { id: 'member-list-table', line: `${E} member list -w table` },
  { id: 'member-list-json', line: `${E} member list -w json` },
  { id: 'member-list-hex-json', line: `${E} member list --hex -w json` },
  { id: 'member-list-fields', line: `${E} member list -w fields` },
  { id: 'member-list-yaml', line: `${E} member list -w yaml` },
  { id: 'member-list-node-endpoint', line: `etcdctl --endpoints=$NODE_EP ${CERTS} member list` },
  {
    id: 'member-list-space-flags',
    line: 'etcdctl --endpoints $EP --cacert $PKI/etcd/ca.crt --cert $PKI/etcd/server.crt --key $PKI/etcd/server.key member list',
  },
  { id: 'command-typo', line: `${E} membr list` },

  // endpoint status
  { id: 'endpoint-status', line: `${E} endpoint status` },
  { id: 'endpoint-status-table', line: `${E} endpoint status -w table` },
  { id: 'endpoint-status-json', line: `${E} endpoint status -w json` },
  { id: 'endpoint-status-cluster', line: `${E} endpoint status --cluster` },
  { id: 'endpoint-status-cluster-table', line: `${E} endpoint status --cluster -w table` },
  {
    id: 'endpoint-status-one-dead-table',
    line: `etcdctl --endpoints=$EP,$DEAD_EP ${CERTS} ${SHORT} endpoint status -w table`,
  },
  {
    id: 'endpoint-status-dead-first',
    line: `etcdctl --endpoints=$DEAD_EP,$EP ${CERTS} ${SHORT} endpoint status`,
  },

  // endpoint health
  { id: 'endpoint-health', line: `${E} endpoint health` },
  { id: 'endpoint-health-table', line: `${E} endpoint health -w table` },
  { id: 'endpoint-health-json', line: `${E} endpoint health -w json` },
  { id: 'endpoint-health-cluster', line: `${E} endpoint health --cluster` },
  { id: 'endpoint-health-no-certs', line: `etcdctl --endpoints=$EP ${SHORT} endpoint health` },

  // keys
  { id: 'put', line: `${E} put /conformance/a 1` },
  { id: 'put-again', line: `${E} put /conformance/a one` },
  { id: 'put-quoted', line: `${E} put /conformance/b "two words"` },
  { id: 'put-json', line: `${E} put /conformance/c 3 -w json` },
  { id: 'put-no-args', line: `${E} put` },
  { id: 'get', line: `${E} get /conformance/a` },
  { id: 'get-print-value-only', line: `${E} get /conformance/a --print-value-only` },
  { id: 'get-prefix', line: `${E} get /conformance/ --prefix` },
  { id: 'get-prefix-keys-only', line: `${E} get /conformance/ --prefix --keys-only` },
  { id: 'get-json', line: `${E} get /conformance/a -w json` },
  { id: 'get-table', line: `${E} get /conformance/a -w table` },
  { id: 'get-missing', line: `${E} get /conformance/missing` },
  { id: 'get-missing-json', line: `${E} get /conformance/missing -w json` },
  { id: 'get-no-args', line: `${E} get` },
  { id: 'del', line: `${E} del /conformance/a` },
  { id: 'del-missing', line: `${E} del /conformance/missing` },
  { id: 'del-prefix', line: `${E} del /conformance/ --prefix` },
  { id: 'get-prefix-after-del', line: `${E} get /conformance/ --prefix` },
  { id: 'put-for-snapshot', line: `${E} put /conformance/kept before-snapshot` },

  // snapshot save
  { id: 'snapshot-save', line: `${E} snapshot save $WORK/snap.db` },
  { id: 'snapshot-save-relative', line: `${E} snapshot save rel.db` },
  { id: 'snapshot-save-overwrite', line: `${E} snapshot save rel.db` },
  { id: 'snapshot-save-into-directory', line: `mkdir savedir && ${E} snapshot save $WORK/savedir` },
  { id: 'snapshot-save-missing-dir', line: `${E} snapshot save $WORK/missing/snap.db` },
  {
    id: 'snapshot-save-two-endpoints',
    line: `etcdctl --endpoints=$EP,$DEAD_EP ${CERTS} snapshot save $WORK/two.db`,
  },
  { id: 'snapshot-save-no-args', line: `${E} snapshot save` },
  { id: 'snapshot-save-no-certs', line: `etcdctl --endpoints=$EP ${SHORT} snapshot save $WORK/nocerts.db` },
  { id: 'ls-after-save', line: 'ls' },

  // snapshot status
  { id: 'snapshot-status', line: 'etcdctl snapshot status $WORK/snap.db' },
  { id: 'snapshot-status-table', line: 'etcdctl snapshot status $WORK/snap.db -w table' },
  { id: 'snapshot-status-json', line: 'etcdctl snapshot status $WORK/snap.db -w json' },
  { id: 'snapshot-status-missing', line: 'etcdctl snapshot status $WORK/nope.db' },
  {
    id: 'snapshot-status-corrupt',
    line: 'printf "not a snapshot\\n" > corrupt.db && etcdctl snapshot status corrupt.db',
  },
  { id: 'snapshot-status-empty-file', line: ': > empty.db && etcdctl snapshot status empty.db' },
  { id: 'snapshot-status-no-args', line: 'etcdctl snapshot status' },
  { id: 'snapshot-help', line: 'etcdctl snapshot' },
  { id: 'snapshot-typo-subcommand', line: 'etcdctl snapshot safe x.db' },
  { id: 'snapshot-restore-help', line: 'etcdctl snapshot restore --help' },

  // snapshot restore
  { id: 'restore-new-dir', line: 'etcdctl snapshot restore $WORK/snap.db --data-dir $WORK/restored' },
  { id: 'restore-ls-R', line: 'ls -R restored' },
  { id: 'restore-existing-dir', line: 'etcdctl snapshot restore $WORK/snap.db --data-dir $WORK/restored' },
  {
    id: 'restore-existing-empty-dir',
    line: 'mkdir emptydir && etcdctl snapshot restore $WORK/snap.db --data-dir $WORK/emptydir',
  },
  {
    id: 'restore-missing-snapshot',
    line: 'etcdctl snapshot restore $WORK/nope.db --data-dir $WORK/from-nope',
  },
  { id: 'restore-missing-snapshot-no-dir', line: 'ls -d from-nope' },
  {
    id: 'restore-corrupt-snapshot',
    line: 'etcdctl snapshot restore corrupt.db --data-dir $WORK/from-corrupt',
  },
  { id: 'restore-directory', line: 'etcdctl snapshot restore savedir --data-dir $WORK/from-dir' },
  {
    id: 'restore-member-db',
    line: 'etcdctl snapshot restore restored/member/snap/db --data-dir $WORK/from-db',
  },
  { id: 'restore-member-db-leftover', line: 'ls -R from-db' },
  {
    id: 'restore-member-db-skip-hash-check',
    line: 'etcdctl snapshot restore restored/member/snap/db --skip-hash-check --data-dir $WORK/from-db2',
  },
  { id: 'restore-default-data-dir', line: 'etcdctl snapshot restore snap.db' },
  { id: 'restore-default-data-dir-ls-R', line: 'ls -R default.etcd' },
  {
    id: 'restore-full-flags',
    line:
      'etcdctl snapshot restore $WORK/snap.db --data-dir $WORK/full --name controlplane ' +
      '--initial-cluster controlplane=https://10.0.0.5:2380 --initial-advertise-peer-urls https://10.0.0.5:2380 ' +
      '--initial-cluster-token etcd-cluster-1',
  },
  {
    id: 'restore-full-flags-equals',
    line:
      'etcdctl snapshot restore snap.db --data-dir=full2 --name=controlplane ' +
      '--initial-cluster=controlplane=https://10.0.0.5:2380 --initial-advertise-peer-urls=https://10.0.0.5:2380',
  },
  {
    id: 'restore-name-not-in-cluster',
    line:
      'etcdctl snapshot restore $WORK/snap.db --data-dir $WORK/bad1 --name master ' +
      '--initial-cluster controlplane=https://10.0.0.5:2380 --initial-advertise-peer-urls https://10.0.0.5:2380',
  },
  {
    id: 'restore-cluster-without-peer-urls',
    line:
      'etcdctl snapshot restore $WORK/snap.db --data-dir $WORK/bad2 --name controlplane ' +
      '--initial-cluster controlplane=https://10.0.0.5:2380',
  },
  {
    id: 'restore-peer-urls-without-cluster',
    line: 'etcdctl snapshot restore $WORK/snap.db --data-dir $WORK/bad3 --initial-advertise-peer-urls https://10.0.0.5:2380',
  },
  { id: 'restore-no-args', line: 'etcdctl snapshot restore' },
  { id: 'ls-after-restore', line: 'ls' },

  // TLS and connection errors
  { id: 'tls-no-certs', line: `etcdctl --endpoints=$EP ${SHORT} member list` },
  { id: 'tls-only-cacert', line: `etcdctl --endpoints=$EP ${CA} ${SHORT} member list` },
  {
    id: 'tls-wrong-ca',
    line: `etcdctl --endpoints=$EP --cacert=$PKI/ca.crt --cert=$PKI/etcd/server.crt --key=$PKI/etcd/server.key ${SHORT} member list`,
  },
  {
    id: 'tls-cert-missing-file',
    line: `etcdctl --endpoints=$EP ${CA} --cert=$PKI/etcd/nope.crt --key=$PKI/etcd/server.key member list`,
  },
  { id: 'tls-cacert-missing-file', line: `etcdctl --endpoints=$EP --cacert=$WORK/nope/ca.crt member list` },
  {
    id: 'tls-cacert-not-a-certificate',
    line: `etcdctl --endpoints=$EP --cacert=$PKI/etcd/server.key member list`,
  },
  {
    id: 'tls-cert-empty',
    line: `etcdctl --endpoints=$EP ${CA} --cert= --key=$PKI/etcd/server.key member list`,
  },
  {
    id: 'tls-cert-without-key',
    line: `etcdctl --endpoints=$EP ${CA} --cert=$PKI/etcd/server.crt member list`,
  },
  {
    id: 'tls-key-mismatch',
    line: `etcdctl --endpoints=$EP ${CA} --cert=$PKI/apiserver-etcd-client.crt --key=$PKI/etcd/server.key member list`,
  },
  {
    id: 'tls-apiserver-client-cert',
    line: `etcdctl --endpoints=$EP ${CA} --cert=$PKI/apiserver-etcd-client.crt --key=$PKI/apiserver-etcd-client.key member list`,
  },
  {
    id: 'tls-healthcheck-client-cert',
    line: `etcdctl --endpoints=$EP ${CA} --cert=$PKI/etcd/healthcheck-client.crt --key=$PKI/etcd/healthcheck-client.key member list`,
  },
  {
    id: 'tls-insecure-skip-verify',
    line: `etcdctl --endpoints=$EP --insecure-skip-tls-verify --cert=$PKI/etcd/server.crt --key=$PKI/etcd/server.key member list`,
  },
  { id: 'tls-http-scheme', line: `etcdctl --endpoints=$EP_HTTP ${CERTS} ${SHORT} member list` },
  { id: 'tls-no-scheme', line: `etcdctl --endpoints=$EP_BARE ${CERTS} member list` },
  { id: 'tls-wrong-port', line: `etcdctl --endpoints=$DEAD_EP ${CERTS} ${SHORT} member list` },

  // ETCDCTL_API
  { id: 'api-3', line: 'ETCDCTL_API=3 etcdctl version' },
  { id: 'api-empty', line: 'ETCDCTL_API= etcdctl version' },
  { id: 'api-4', line: 'ETCDCTL_API=4 etcdctl version' },
  { id: 'api-2-version', line: 'ETCDCTL_API=2 etcdctl version' },
  { id: 'api-2-version-flag', line: 'ETCDCTL_API=2 etcdctl --version' },
  { id: 'api-2-snapshot-save', line: `ETCDCTL_API=2 ${E} snapshot save $WORK/v2.db` },
  { id: 'api-2-exported', line: 'export ETCDCTL_API=2; etcdctl snapshot status $WORK/snap.db' },

  // flags from the environment
  { id: 'env-all', line: `ETCDCTL_ENDPOINTS=$EP ${ENV_CERTS} etcdctl member list` },
  { id: 'env-certs-flag-endpoint', line: `${ENV_CERTS} etcdctl --endpoints=$EP endpoint status` },
  { id: 'env-snapshot-save', line: `ETCDCTL_ENDPOINTS=$EP ${ENV_CERTS} etcdctl snapshot save $WORK/env.db` },
  { id: 'env-and-flag-conflict', line: `ETCDCTL_CACERT=$PKI/etcd/ca.crt ${E} member list` },
  { id: 'env-unknown-variable', line: `ETCDCTL_FOO=bar ${E} member list` },
  { id: 'env-exported', line: `export ETCDCTL_ENDPOINTS=$EP ${ENV_CERTS}; etcdctl get /conformance/kept` },

  { id: 'ls-final', line: 'ls' },
]

export function scriptLines(script: ConformanceCase[] = SCRIPT): string[] {
  return script.map((c) => c.line)
}
