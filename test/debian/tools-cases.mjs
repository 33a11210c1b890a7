// The cases of test/debian/corpus/tools/: where each is captured, the
// command, and what legitimately varies between the real system and the
// simulator (see NORMALIZERS in tools-corpus.test.ts).
const P = '/etc/kubernetes/pki'
const ETCD = `--cacert ${P}/etcd/ca.crt --cert ${P}/etcd/healthcheck-client.crt --key ${P}/etcd/healthcheck-client.key`
const PORTS = "grep -E ':(2379|2380|2381|6443|10248|10250|10257|10259) '"

export const CASES = [
  // uname, uptime, df, free: shapes and errors
  { id: 'uname-s', where: 'host', command: 'uname' },
  { id: 'uname-som', where: 'host', command: 'uname -s -o -m' },
  { id: 'uname-invalid-option', where: 'host', command: 'uname -z' },
  { id: 'uname-extra-operand', where: 'host', command: 'uname x' },
  { id: 'uname-n', where: 'node', command: 'uname -n' },
  { id: 'uptime', where: 'host', command: 'uptime', normalize: ['uptime'] },
  { id: 'uptime-invalid-option', where: 'host', command: 'uptime -z' },
  { id: 'df-header', where: 'host', command: 'df / | head -1', normalize: ['spaces'] },
  { id: 'df-h-header', where: 'host', command: 'df -h / | head -1' },
  { id: 'df-i-header', where: 'host', command: 'df -i / | head -1', normalize: ['spaces'] },
  { id: 'df-missing-file', where: 'host', command: 'df /nonexistent' },
  { id: 'df-invalid-option', where: 'host', command: 'df -z' },
  { id: 'free-m', where: 'host', command: 'free -m', normalize: ['numbers'] },
  { id: 'free-h', where: 'host', command: 'free -h', normalize: ['numbers'] },
  { id: 'free-invalid-option', where: 'host', command: 'free -z' },
  // sockets and processes on the control plane
  {
    id: 'ss-tlnp-control-plane',
    where: 'node',
    command: `ss -tlnp | ${PORTS}`,
    normalize: ['pids', 'node-ip', 'trailing-space', 'sort-lines'],
  },
  { id: 'ss-tln-header', where: 'node', command: 'ss -tln | head -1' },
  { id: 'pgrep-no-criteria', where: 'host', command: 'pgrep' },
  { id: 'pgrep-no-match', where: 'host', command: 'pgrep nosuchprocess' },
  { id: 'pkill-no-criteria', where: 'host', command: 'pkill' },
  { id: 'pgrep-etcd', where: 'node', command: 'pgrep -l etcd', normalize: ['pids'] },
  { id: 'pgrep-count', where: 'node', command: 'pgrep -c kube-apiserver' },
  // pagers, man, watch when stdout is not a terminal
  { id: 'less-missing-file', where: 'host', command: 'less /nonexistent' },
  { id: 'more-missing-file', where: 'host', command: 'more /nonexistent' },
  {
    id: 'less-piped-copy',
    where: 'host',
    command: 'printf "a\\nb\\n" > /tmp/i11-less.txt; less /tmp/i11-less.txt | cat',
  },
  { id: 'man-no-entry', where: 'host', command: 'man kubeadm' },
  { id: 'man-no-args', where: 'host', command: 'man' },
  { id: 'watch-usage', where: 'host', command: 'watch' },
  // openssl on the kubeadm PKI
  {
    id: 'openssl-subject-issuer',
    where: 'node',
    command: `openssl x509 -in ${P}/apiserver-etcd-client.crt -noout -subject -issuer`,
  },
  {
    id: 'openssl-etcd-server-subject',
    where: 'node',
    command: `openssl x509 -in ${P}/etcd/server.crt -noout -subject -issuer`,
  },
  {
    id: 'openssl-dates',
    where: 'node',
    command: `openssl x509 -in ${P}/etcd/ca.crt -noout -dates`,
    normalize: ['dates'],
  },
  {
    id: 'openssl-san',
    where: 'node',
    command: `openssl x509 -in ${P}/etcd/server.crt -noout -ext subjectAltName`,
    normalize: ['node-ip'],
  },
  { id: 'openssl-ca-serial', where: 'node', command: `openssl x509 -in ${P}/ca.crt -noout -serial` },
  {
    id: 'openssl-verify-ok',
    where: 'node',
    command: `openssl verify -CAfile ${P}/etcd/ca.crt ${P}/etcd/server.crt`,
  },
  {
    id: 'openssl-verify-wrong-ca',
    where: 'node',
    command: `cd ${P} && openssl verify -CAfile ca.crt etcd/server.crt`,
  },
  {
    id: 'openssl-missing-file',
    where: 'node',
    command: 'openssl x509 -in /nonexistent -noout -subject',
    normalize: ['openssl-errors'],
  },
  {
    id: 'openssl-key-not-cert',
    where: 'node',
    command: `openssl x509 -in ${P}/ca.key -noout -subject`,
    normalize: ['openssl-errors'],
  },
  { id: 'openssl-invalid-command', where: 'node', command: 'openssl foo' },
  {
    id: 'openssl-text-etcd-server',
    where: 'node',
    command: `openssl x509 -in ${P}/etcd/server.crt -noout -text | grep -v '^                    \\|^        [0-9a-f][0-9a-f]:'`,
    normalize: ['dates', 'node-ip', 'serial', 'key-ids'],
  },
  // curl against the apiserver and etcd
  { id: 'curl-apiserver-healthz-k', where: 'node', command: 'curl -sk https://127.0.0.1:6443/healthz' },
  {
    id: 'curl-apiserver-livez-progress',
    where: 'node',
    command: 'curl -k https://127.0.0.1:6443/livez',
    normalize: ['curl-progress'],
  },
  { id: 'curl-apiserver-untrusted', where: 'node', command: 'curl -sS https://127.0.0.1:6443/healthz' },
  {
    id: 'curl-apiserver-name-mismatch',
    where: 'node',
    command: `curl -sS --cacert ${P}/ca.crt https://127.0.0.1:6443/livez`,
  },
  {
    id: 'curl-apiserver-wrong-ca',
    where: 'node',
    command: `curl -sS --cacert ${P}/etcd/ca.crt https://127.0.0.1:6443/healthz`,
  },
  { id: 'curl-apiserver-anonymous-api', where: 'node', command: 'curl -sk https://127.0.0.1:6443/api' },
  { id: 'curl-apiserver-fail-403', where: 'node', command: 'curl -skf https://127.0.0.1:6443/api' },
  {
    id: 'curl-write-out-code',
    where: 'node',
    command: "curl -sk -o /dev/null -w '%{http_code}\\n' https://127.0.0.1:6443/healthz",
  },
  { id: 'curl-http-to-https-port', where: 'node', command: 'curl -s http://127.0.0.1:6443/' },
  {
    id: 'curl-etcd-no-client-cert',
    where: 'node',
    command: `curl -sS --cacert ${P}/etcd/ca.crt https://127.0.0.1:2379/health`,
    normalize: ['openssl-errors'],
  },
  { id: 'curl-etcd-health', where: 'node', command: `curl -s ${ETCD} https://127.0.0.1:2379/health` },
  {
    id: 'curl-etcd-version',
    where: 'node',
    command: `curl -s ${ETCD} https://127.0.0.1:2379/version`,
    normalize: ['etcd-version'],
  },
  { id: 'curl-etcd-metrics-health', where: 'node', command: 'curl -s http://127.0.0.1:2381/health' },
  {
    id: 'curl-etcd-has-leader',
    where: 'node',
    command: 'curl -s http://127.0.0.1:2381/metrics | grep "^etcd_server_has_leader"',
  },
  { id: 'curl-etcd-plain-http', where: 'node', command: 'curl -sS http://127.0.0.1:2379/health' },
  {
    id: 'curl-https-to-http-port',
    where: 'node',
    command: 'curl -sS https://127.0.0.1:2381/health',
    normalize: ['openssl-errors'],
  },
  {
    id: 'curl-missing-cacert',
    where: 'node',
    command: 'curl -sS --cacert /nonexistent https://127.0.0.1:6443/healthz',
  },
  {
    id: 'curl-missing-client-cert',
    where: 'node',
    command: `curl -sS --cacert ${P}/etcd/ca.crt --cert /nope.crt --key /nope.key https://127.0.0.1:2379/health`,
  },
  {
    id: 'curl-wrong-key',
    where: 'node',
    command: `curl -sS --cacert ${P}/etcd/ca.crt --cert ${P}/etcd/healthcheck-client.crt --key ${P}/etcd/server.key https://127.0.0.1:2379/health`,
  },
  { id: 'curl-refused', where: 'node', command: 'curl -sS http://127.0.0.1:1/', normalize: ['ms'] },
  { id: 'curl-unknown-host', where: 'host', command: 'curl -sS https://nosuchhost.invalid/' },
  { id: 'curl-no-url', where: 'host', command: 'curl' },
  { id: 'curl-unknown-option', where: 'host', command: 'curl --foo' },
  // kubeadm, kubelet, etcd, ctr
  { id: 'kubeadm-version-short', where: 'node', command: 'kubeadm version -o short' },
  { id: 'kubeadm-version', where: 'node', command: 'kubeadm version', normalize: ['go-version'] },
  { id: 'kubeadm-unknown-command', where: 'node', command: 'kubeadm foo' },
  { id: 'kubeadm-unknown-flag', where: 'node', command: 'kubeadm version --foo' },
  {
    id: 'kubeadm-certs-check-expiration',
    where: 'node',
    command: 'kubeadm certs check-expiration 2>/dev/null',
    normalize: ['kubeadm-dates'],
  },
  { id: 'kubeadm-etcd-local-help', where: 'node', command: 'kubeadm init phase etcd local --help' },
  { id: 'kubeadm-init-preflight', where: 'node', command: 'kubeadm init 2>&1 | grep -v "^W"' },
  { id: 'kubelet-version', where: 'node', command: 'kubelet --version' },
  { id: 'etcd-not-on-host', where: 'node', command: 'etcd --version', normalize: ['bash-line'] },
  { id: 'ctr-containers-header', where: 'node', command: 'ctr -n k8s.io containers ls | head -1' },
  // nc and apt
  { id: 'nc-refused', where: 'host', command: 'nc -zv 127.0.0.1 1' },
  { id: 'nc-usage', where: 'host', command: 'nc' },
  { id: 'apt-get-install-offline', where: 'offline', command: 'apt-get install -y tree' },
  { id: 'apt-unknown-package', where: 'offline', command: 'apt install nosuchpkg' },
  { id: 'apt-get-update-offline', where: 'offline', command: 'apt-get update' },
]
