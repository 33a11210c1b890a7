import type Docker from 'dockerode'
import type { ExecOptions, ExecResult } from '../../seam'

// `ssh <node>` and `scp` between the nodes of a kind cluster, as on an exam
// machine: one root key pair per cluster, authorized on every node, a client
// config that neither prompts nor prints "Permanently added", and sshd
// running on every node. The prepared image brings the ssh packages; this
// only configures them, and is safe to run again on a cluster that has it.

export interface AccessNode {
  readonly name: string
  exec(cmd: string, opts?: ExecOptions): Promise<ExecResult>
}

export interface NodeAddress {
  name: string
  /** The node's address on kind's network (what `kubectl get nodes -o wide` shows). */
  ip?: string
}

export type NodeAccessResult = { ok: true; nodes: string[] } | { ok: false; reason: string }

const KEY = '/root/.ssh/id_ed25519'
const EXEC_MS = 60_000

/** The client config written on every node: the cluster's names and addresses, no prompts. */
export function sshClientConfig(nodes: NodeAddress[]): string {
  const hosts = nodes.flatMap((n) => (n.ip ? [n.name, n.ip] : [n.name]))
  return [
    "# ckalab: this cluster's nodes, reached as root with the cluster's key, without prompts",
    `Host ${hosts.join(' ')}`,
    '  User root',
    `  IdentityFile ${KEY}`,
    '  StrictHostKeyChecking no',
    '  UserKnownHostsFile /dev/null',
    // hides "Warning: Permanently added ... to the list of known hosts"
    '  LogLevel ERROR',
    '',
  ].join('\n')
}

/** Single-quotes a word for bash. */
function q(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`
}

/** Exit status of the scripts below when the node has no ssh (the prepared image was not used). */
export const NO_SSH_EXIT = 3

/** Fails with NO_SSH_EXIT and names what is missing when ssh is not installed. */
const TOOLS_CHECK = `missing=""
command -v ssh >/dev/null 2>&1 || missing="$missing ssh"
command -v ssh-keygen >/dev/null 2>&1 || missing="$missing ssh-keygen"
[ -x /usr/sbin/sshd ] || missing="$missing sshd"
if [ -n "$missing" ]; then echo "missing:$missing" >&2; exit ${NO_SSH_EXIT}; fi`

const END_PRIVATE = '-----END OPENSSH PRIVATE KEY-----'

/** Makes the cluster's key pair on the first node unless it has one; prints the private, then the public key. */
export const KEY_PAIR_SCRIPT = `set -e
${TOOLS_CHECK}
umask 077
mkdir -p /root/.ssh
[ -s ${KEY} ] || ssh-keygen -q -t ed25519 -N '' -C "root@$(hostname)" -f ${KEY}
[ -s ${KEY}.pub ] || ssh-keygen -y -f ${KEY} > ${KEY}.pub
cat ${KEY} ${KEY}.pub`

/** Splits KEY_PAIR_SCRIPT's output into the two keys. */
export function parseKeyPair(out: string): { privateKey: string; publicKey: string } | undefined {
  const i = out.indexOf(END_PRIVATE)
  if (i < 0) return undefined
  const privateKey = `${out.slice(0, i + END_PRIVATE.length).trim()}\n`
  const publicKey =
    out
      .slice(i + END_PRIVATE.length)
      .trim()
      .split('\n')[0] ?? ''
  if (!privateKey.startsWith('-----BEGIN OPENSSH PRIVATE KEY-----') || !/^ssh-\S+ \S+/.test(publicKey))
    return undefined
  return { privateKey, publicKey }
}

/**
 * Installs the key pair (private key on stdin), authorizes the public key,
 * writes the client config, and starts sshd: through systemd where it runs
 * (a real kind node), else as a daemon of its own (no init system).
 */
export function nodeSetupScript(publicKey: string, clientConfig: string): string {
  return `set -e
${TOOLS_CHECK}
umask 077
mkdir -p /root/.ssh
cat > ${KEY}.new && mv ${KEY}.new ${KEY}
printf '%s\\n' ${q(publicKey)} > ${KEY}.pub
chmod 644 ${KEY}.pub
touch /root/.ssh/authorized_keys
grep -qxF ${q(publicKey)} /root/.ssh/authorized_keys || printf '%s\\n' ${q(publicKey)} >> /root/.ssh/authorized_keys
printf '%s' ${q(clientConfig)} > /root/.ssh/config
# one host key per node (the image carries none); ed25519 only, generating RSA is slow
[ -s /etc/ssh/ssh_host_ed25519_key ] || ssh-keygen -q -t ed25519 -N '' -f /etc/ssh/ssh_host_ed25519_key
mkdir -p /etc/ssh/sshd_config.d
# sessions get the node's KUBECONFIG, so kubectl works after ssh as it does in the node's terminal
if [ -n "\${KUBECONFIG:-}" ]; then printf 'SetEnv KUBECONFIG=%s\\n' "$KUBECONFIG" > /etc/ssh/sshd_config.d/ckalab-env.conf; fi
if [ -d /run/systemd/system ] && systemctl cat ssh.service >/dev/null 2>&1; then
  systemctl enable ssh.service >/dev/null 2>&1 || true
  systemctl restart ssh.service
else
  mkdir -p /run/sshd
  pid=$(cat /run/sshd.pid 2>/dev/null || true)
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -HUP "$pid"; else /usr/sbin/sshd; fi
fi`
}

/** From the first node to every other node, by name, all at once: retried while sshd comes up. */
export function verifyScript(names: string[]): string {
  return `try() {
  for i in 1 2 3 4 5 6 7 8 9 10; do
    out=$(ssh -o BatchMode=yes -o ConnectTimeout=5 "$1" hostname 2>&1 </dev/null) && return 0
    sleep 1
  done
  echo "ssh $1: $out" >&2
  return 1
}
pids=""
for n in ${names.map(q).join(' ')}; do try "$n" & pids="$pids $!"; done
rc=0
for p in $pids; do wait "$p" || rc=1; done
exit $rc`
}

function lastLine(text: string): string {
  return text.trim().split('\n').pop() ?? ''
}

function noSsh(node: string, stderr: string): NodeAccessResult {
  return {
    ok: false,
    reason: `ssh is not installed on ${node} (${lastLine(stderr)}), so \`ssh <node>\` and \`scp\` between the nodes will not work; the node image was not prepared: check that Docker can build images and reach the package mirror, then create the cluster again`,
  }
}

/**
 * Sets up ssh between the given nodes (the first one makes the key pair).
 * Never throws: a node without ssh, or an sshd that does not answer, is
 * reported in the result.
 */
export async function setUpNodeAccess(
  nodes: AccessNode[],
  addresses: NodeAddress[],
): Promise<NodeAccessResult> {
  const first = nodes[0]
  if (!first) return { ok: false, reason: 'the cluster has no nodes' }
  try {
    const kp = await first.exec(KEY_PAIR_SCRIPT, { timeoutMs: EXEC_MS })
    if (kp.exitCode === NO_SSH_EXIT) return noSsh(first.name, kp.stderr)
    const keys = kp.exitCode === 0 ? parseKeyPair(kp.stdout) : undefined
    if (!keys) {
      return {
        ok: false,
        reason: `could not make a key pair on ${first.name}: ${lastLine(kp.stderr) || `exit ${kp.exitCode}`}`,
      }
    }
    const script = nodeSetupScript(keys.publicKey, sshClientConfig(addresses))
    const results = await Promise.all(
      nodes.map((n) => n.exec(script, { stdin: keys.privateKey, timeoutMs: EXEC_MS })),
    )
    for (const [i, r] of results.entries()) {
      const name = nodes[i]?.name ?? '?'
      if (r.exitCode === NO_SSH_EXIT) return noSsh(name, r.stderr)
      if (r.exitCode !== 0) {
        return {
          ok: false,
          reason: `could not set up ssh on ${name}: ${lastLine(r.stderr) || `exit ${r.exitCode}`}`,
        }
      }
    }
    const names = nodes.map((n) => n.name)
    const v = await first.exec(verifyScript(names.slice(1)), { timeoutMs: 90_000 })
    if (v.exitCode !== 0)
      return { ok: false, reason: `ssh from ${first.name} did not work: ${lastLine(v.stderr)}` }
    return { ok: true, nodes: names }
  } catch (e) {
    return { ok: false, reason: `could not set up ssh between the nodes: ${(e as Error).message}` }
  }
}

/** Each container's address on kind's network (else its first network), by container id. */
export async function nodeAddresses(
  docker: Docker,
  nodes: Array<{ name: string; containerId: string }>,
): Promise<NodeAddress[]> {
  return Promise.all(
    nodes.map(async (n) => {
      try {
        const info = await docker.getContainer(n.containerId).inspect()
        const nets = info.NetworkSettings?.Networks ?? {}
        const net = nets.kind ?? Object.values(nets)[0]
        return { name: n.name, ip: net?.IPAddress || undefined }
      } catch {
        return { name: n.name }
      }
    }),
  )
}
