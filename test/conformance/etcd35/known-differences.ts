// Cases where the simulator's 1.31 profile still prints something other than
// the real etcd 3.5.16, each with what differs. The suite fails when any other
// case differs, and also when a case listed here agrees again (so the list only
// shrinks). Every entry is a defect of the simulator still to fix, not an
// accepted variant of the real tool.

export const KNOWN_DIFFERENCES: Record<string, string> = {
  'endpoint-status-one-dead-table':
    'the retry log line of a dead endpoint names the first endpoint in its grpc target, not the dead one',
  'snapshot-save-no-certs':
    'the stream error line of the real etcdctl carries a "stacktrace" of the client\'s grpc call path; the simulator prints none (its logger already agrees)',
  'restore-cluster-without-peer-urls': 'etcdctl 3.5 logs netutil\'s "resolved URL Host" line before refusing',
  'restore-peer-urls-without-cluster': 'etcdctl 3.5 logs netutil\'s "resolved URL Host" line before refusing',
  'env-and-flag-conflict': "the fatal log carries a stack trace of the command's call path",
  'unknown-flag': 'an unknown global flag before the command: etcdctl 3.5 reports `unknown command "list"`',
  'unknown-flag-merged': 'as unknown-flag, with 2>&1',
  'etcdutl-endpoint-flag': "an unknown flag before the command words: cobra shows the found command's usage",
  'defrag-cluster': "defrag --cluster names the --endpoints URL, not the members' advertised client URLs",
}
