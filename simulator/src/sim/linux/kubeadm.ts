import type { CommandResult, SimCommand, SimCommandContext } from '../commands/types'
import type { SimNode } from '../node'
import { certDetails, initTime } from './certs'
import { KUBEADM_CERTS_HELP, KUBEADM_ETCD_LOCAL_HELP, KUBEADM_HELP } from './kubeadm-help'
import { sockets } from './sockets'

// kubeadm on a node it already set up: version, certs check-expiration,
// config print init-defaults and the help screens; init and join stop at
// their preflight checks as on a real control plane, reset stops at its
// question when nobody answers it.

const STACK = 'To see the stack trace of this error execute with --v=5 or higher\n'
const GIT: Record<string, [string, string]> = {
  'v1.20.2': ['faecb196815e248d3ecfb03c680a4507229c2a56', '2021-01-13T13:20:00Z'],
  'v1.31.1': ['948afe5ca072329a73c8e79ed5938717a5cb3d21', '2024-09-11T21:26:49Z'],
  'v1.34.1': ['93248f9ae092f571eb870b7664c534bfc7d00f03', '2025-09-09T19:43:15Z'],
}

function modern(node: SimNode): boolean {
  return node.cluster.profile.id !== '1.20'
}

function version(ctx: SimCommandContext, args: string[]): CommandResult {
  const p = ctx.node.cluster.profile
  const v = p.kubernetesVersion
  const [major, minor] = v.replace(/^v/, '').split('.')
  const [commit, date] = GIT[v] ?? ['', '']
  let output = ''
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string
    if (a === '-o' || a === '--output') output = args[++i] ?? ''
    else if (a.startsWith('--output=') || a.startsWith('-o')) output = a.replace(/^--output=|^-o=?/, '')
    else if (a.startsWith('-'))
      return { stdout: '', stderr: `unknown flag: ${a.replace(/=.*/, '')}\n${STACK}`, exitCode: 1 }
  }
  const emul =
    p.id === '1.34'
      ? 'EmulationMajor:"", EmulationMinor:"", MinCompatibilityMajor:"", MinCompatibilityMinor:"", '
      : ''
  switch (output) {
    case '':
      return {
        stdout: `kubeadm version: &version.Info{Major:"${major}", Minor:"${minor}", ${emul}GitVersion:"${v}", GitCommit:"${commit}", GitTreeState:"clean", BuildDate:"${date}", GoVersion:"${p.goVersion}", Compiler:"gc", Platform:"linux/amd64"}\n`,
        stderr: '',
        exitCode: 0,
      }
    case 'short':
      return { stdout: `${v}\n`, stderr: '', exitCode: 0 }
    case 'json':
    case 'yaml': {
      const info: Array<[string, string]> = [
        ['major', major ?? ''],
        ['minor', minor ?? ''],
        ['gitVersion', v],
        ['gitCommit', commit],
        ['gitTreeState', 'clean'],
        ['buildDate', date],
        ['goVersion', p.goVersion],
        ['compiler', 'gc'],
        ['platform', 'linux/amd64'],
      ]
      if (output === 'yaml')
        return {
          stdout: `clientVersion:\n${info.map(([k, val]) => `  ${k}: ${/^\d+$/.test(val) ? `"${val}"` : val}`).join('\n')}\n\n`,
          stderr: '',
          exitCode: 0,
        }
      return {
        stdout: `{\n  "clientVersion": {\n${info.map(([k, val]) => `    "${k}": "${val}"`).join(',\n')}\n  }\n}\n`,
        stderr: '',
        exitCode: 0,
      }
    }
    default:
      return { stdout: '', stderr: `error: invalid output format: ${output}\n${STACK}`, exitCode: 1 }
  }
}

/** Go's ShortHumanDuration, as the RESIDUAL TIME column uses it. */
function shortDuration(ms: number): string {
  const s = Math.floor(ms / 1000)
  if (s < -1) return '<invalid>'
  if (s < 0) return '0s'
  if (s < 60) return `${s}s`
  const m = Math.floor(s / 60)
  if (m < 60) return `${m}m`
  const h = Math.floor(m / 60)
  if (h < 24) return `${h}h`
  if (h < 24 * 365) return `${Math.floor(h / 24)}d`
  return `${Math.floor(h / 24 / 365)}y`
}

function expires(at: number): string {
  const d = new Date(at)
  const mon = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][
    d.getUTCMonth()
  ]
  const p = (n: number) => String(n).padStart(2, '0')
  return `${mon} ${p(d.getUTCDate())}, ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())} UTC`
}

/** Go's tabwriter with padding 3, as kubeadm's tables use it. */
function table(rows: string[][]): string {
  const widths: number[] = []
  for (const r of rows)
    r.slice(0, -1).forEach((c, i) => {
      widths[i] = Math.max(widths[i] ?? 0, c.length)
    })
  return rows
    .map((r) => `${r.map((c, i) => (i < r.length - 1 ? c.padEnd((widths[i] as number) + 3) : c)).join('')}\n`)
    .join('')
}

async function checkExpiration(ctx: SimCommandContext): Promise<CommandResult> {
  const node = ctx.node
  const pki = '/etc/kubernetes/pki'
  const certs = node.cluster.certs
  const now = node.cluster.clock.now()
  const t0 = await initTime(node)
  const leafEnd = async (path: string, fallbackCa: string) => {
    const pem = await node.readText(path)
    const info = certs.lookup(pem)
    if (info?.kind === 'cert' && pem) return (await certDetails(node, info, pem)).notAfter
    return fallbackCa === 'etcd-ca' ? t0 + 4000 + 1000 + 365 * 86_400_000 : t0 + 1000 + 365 * 86_400_000
  }
  const kubeconfigEnd = t0 + 1000 + 365 * 86_400_000
  const rows: string[][] = [
    ['CERTIFICATE', 'EXPIRES', 'RESIDUAL TIME', 'CERTIFICATE AUTHORITY', 'EXTERNALLY MANAGED'],
  ]
  const add = (name: string, end: number, ca: string) =>
    rows.push([name, expires(end), shortDuration(end - now), ca, 'no      '])
  const confs = ['admin.conf', 'controller-manager.conf', 'scheduler.conf']
  if (modern(node) && node === node.cluster.controlPlanes[0]) confs.push('super-admin.conf')
  const entries: Array<[string, string, string]> = [
    ['apiserver', `${pki}/apiserver.crt`, 'ca'],
    ['apiserver-etcd-client', `${pki}/apiserver-etcd-client.crt`, 'etcd-ca'],
    ['apiserver-kubelet-client', `${pki}/apiserver-kubelet-client.crt`, 'ca'],
    ['etcd-healthcheck-client', `${pki}/etcd/healthcheck-client.crt`, 'etcd-ca'],
    ['etcd-peer', `${pki}/etcd/peer.crt`, 'etcd-ca'],
    ['etcd-server', `${pki}/etcd/server.crt`, 'etcd-ca'],
    ['front-proxy-client', `${pki}/front-proxy-client.crt`, 'front-proxy-ca'],
  ]
  const all: Array<[string, number, string]> = []
  for (const c of confs) all.push([c, kubeconfigEnd, ''])
  for (const [name, path, ca] of entries) all.push([name, await leafEnd(path, ca), ca])
  all.sort((a, b) => (a[0] < b[0] ? -1 : 1))
  for (const [name, end, ca] of all) add(name, end, ca)
  const caRows: string[][] = [['CERTIFICATE AUTHORITY', 'EXPIRES', 'RESIDUAL TIME', 'EXTERNALLY MANAGED']]
  for (const [name, offset] of [
    ['ca', 0],
    ['etcd-ca', 4000],
    ['front-proxy-ca', 2000],
  ] as const) {
    const end = t0 + offset + 3650 * 86_400_000
    caRows.push([name, expires(end), shortDuration(end - now), 'no      '])
  }
  const head =
    "[check-expiration] Reading configuration from the cluster...\n[check-expiration] FYI: You can look at this config file with 'kubectl -n kube-system get cm kubeadm-config -o yaml'\n\n"
  return { stdout: `${head}${table(rows)}\n${table(caRows)}`, stderr: '', exitCode: 0 }
}

function initDefaults(ctx: SimCommandContext): CommandResult {
  const p = ctx.node.cluster.profile
  if (p.id === '1.20')
    return {
      stdout: `apiVersion: kubeadm.k8s.io/v1beta2
bootstrapTokens:
- groups:
  - system:bootstrappers:kubeadm:default-node-token
  token: abcdef.0123456789abcdef
  ttl: 24h0m0s
  usages:
  - signing
  - authentication
kind: InitConfiguration
localAPIEndpoint:
  advertiseAddress: 1.2.3.4
  bindPort: 6443
nodeRegistration:
  criSocket: /var/run/dockershim.sock
  name: ${ctx.node.name}
  taints:
  - effect: NoSchedule
    key: node-role.kubernetes.io/master
---
apiServer:
  timeoutForControlPlane: 4m0s
apiVersion: kubeadm.k8s.io/v1beta2
certificatesDir: /etc/kubernetes/pki
clusterName: kubernetes
controllerManager: {}
dns:
  type: CoreDNS
etcd:
  local:
    dataDir: /var/lib/etcd
imageRepository: k8s.gcr.io
kind: ClusterConfiguration
kubernetesVersion: v1.20.0
networking:
  dnsDomain: cluster.local
  serviceSubnet: 10.96.0.0/12
scheduler: {}
`,
      stderr: `W${klogStamp(ctx)}    2265 kubelet.go:200] cannot automatically set CgroupDriver when starting the Kubelet: cannot execute 'docker info -f {{.CgroupDriver}}': executable file not found in $PATH\n`,
      exitCode: 0,
    }
  // v1beta4 (kubeadm 1.31+), from the upstream defaults.
  const [, minor] = p.kubernetesVersion.replace(/^v/, '').split('.')
  return {
    stdout: `apiVersion: kubeadm.k8s.io/v1beta4
bootstrapTokens:
- groups:
  - system:bootstrappers:kubeadm:default-node-token
  token: abcdef.0123456789abcdef
  ttl: 24h0m0s
  usages:
  - signing
  - authentication
kind: InitConfiguration
localAPIEndpoint:
  advertiseAddress: 1.2.3.4
  bindPort: 6443
nodeRegistration:
  criSocket: unix:///var/run/containerd/containerd.sock
  imagePullPolicy: IfNotPresent
  imagePullSerial: true
  name: node
  taints: null
timeouts:
  controlPlaneComponentHealthCheck: 4m0s
  discovery: 5m0s
  etcdAPICall: 2m0s
  kubeletHealthCheck: 4m0s
  kubernetesAPICall: 1m0s
  tlsBootstrap: 5m0s
  upgradeManifests: 5m0s
---
apiServer: {}
apiVersion: kubeadm.k8s.io/v1beta4
caCertificateValidityPeriod: 87600h0m0s
certificateValidityPeriod: 8760h0m0s
certificatesDir: /etc/kubernetes/pki
clusterName: kubernetes
controllerManager: {}
dns: {}
encryptionAlgorithm: RSA-2048
etcd:
  local:
    dataDir: /var/lib/etcd
imageRepository: registry.k8s.io
kind: ClusterConfiguration
kubernetesVersion: 1.${minor}.0
networking:
  dnsDomain: cluster.local
  serviceSubnet: 10.96.0.0/12
proxy: {}
scheduler: {}
`,
    stderr: '',
    exitCode: 0,
  }
}

function klogStamp(ctx: SimCommandContext): string {
  const d = new Date(ctx.node.cluster.clock.now())
  const p = (n: number, w = 2) => String(n).padStart(w, '0')
  return `${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}.${p(d.getUTCMilliseconds(), 3)}000`
}

async function preflight(ctx: SimCommandContext, verb: 'init' | 'join'): Promise<CommandResult> {
  const node = ctx.node
  const inUse = new Set(
    sockets(node)
      .filter((s) => s.state === 'LISTEN')
      .map((s) => s.localPort),
  )
  const errors: string[] = []
  const port = (n: number) => {
    if (inUse.has(n)) errors.push(`\t[ERROR Port-${n}]: Port ${n} is in use`)
  }
  const file = async (path: string) => {
    if (await ctx.fs.exists(path))
      errors.push(`\t[ERROR FileAvailable-${path.replace(/\//g, '-')}]: ${path} already exists`)
  }
  const m = '/etc/kubernetes/manifests'
  if (verb === 'init') {
    port(6443)
    port(10259)
    port(10257)
    for (const f of ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'etcd'])
      await file(`${m}/${f}.yaml`)
    port(10250)
    port(2379)
    port(2380)
    const etcdDir = await ctx.fs.readdir('/var/lib/etcd').catch(() => [])
    if (etcdDir.length) errors.push('\t[ERROR DirAvailable--var-lib-etcd]: /var/lib/etcd is not empty')
  } else {
    await file('/etc/kubernetes/kubelet.conf')
    port(10250)
    await file('/etc/kubernetes/pki/ca.crt')
  }
  const v = node.cluster.profile.kubernetesVersion
  let out = verb === 'init' ? `[init] Using Kubernetes version: ${v}\n` : ''
  out += '[preflight] Running pre-flight checks\n'
  if (verb === 'join' && !ctx.args.some((a) => !a.startsWith('-') && a.includes(':')))
    return {
      stdout: '',
      stderr: `discovery.bootstrapToken: Invalid value: "": using token-based discovery without caCertHashes can be unsafe. Set unsafeSkipCAVerification as true in your kubeadm config file or pass --discovery-token-unsafe-skip-ca-verification flag to continue\n${STACK}`,
      exitCode: 1,
    }
  const err = `error execution phase preflight: [preflight] Some fatal errors occurred:\n${errors.join('\n')}\n[preflight] If you know what you are doing, you can make a check non-fatal with \`--ignore-preflight-errors=...\`\n${STACK}`
  const warn =
    verb === 'init'
      ? `W${klogStamp(ctx)}    2277 version.go:101] could not fetch a Kubernetes version from the internet: unable to get URL "https://dl.k8s.io/release/stable-1.txt": Get "https://dl.k8s.io/release/stable-1.txt": dial tcp: lookup dl.k8s.io on 127.0.0.53:53: server misbehaving\nW${klogStamp(ctx)}    2277 version.go:102] falling back to the local client version: ${v}\n`
      : ''
  return { stdout: out, stderr: warn + err, exitCode: 1, shown: warn + out + err }
}

function reset(ctx: SimCommandContext): CommandResult {
  const out =
    "[reset] Reading configuration from the cluster...\n[reset] FYI: You can look at this config file with 'kubectl -n kube-system get cm kubeadm-config -o yaml'\n[reset] WARNING: Changes made to this host by 'kubeadm init' or 'kubeadm join' will be reverted.\n[reset] Are you sure you want to proceed? [y/N]: "
  // Resetting would take the lab's control plane away: only an explicit answer other than y gets past the question here.
  const answer = ctx.stdin.trim()
  if (answer === '' || !/^[yY]$/.test(answer))
    return {
      stdout: out,
      stderr: `error execution phase preflight: aborted reset operation\n${STACK}`,
      exitCode: 1,
      shown: `${out}error execution phase preflight: aborted reset operation\n${STACK}`,
    }
  return {
    stdout: out,
    stderr:
      'error execution phase preflight: kubeadm reset is not available on this practice node: it would remove the control plane the lab needs\n',
    exitCode: 1,
  }
}

function adjust(ctx: SimCommandContext, text: string): string {
  if (!modern(ctx.node)) return text
  return text
    .replace(/\(default "k8s\.gcr\.io"\)/g, '(default "registry.k8s.io")')
    .replace(/--experimental-patches/g, '--patches')
}

async function kubeadm(ctx: SimCommandContext): Promise<CommandResult> {
  const args = ctx.args.filter((a) => !/^(-v|--v)(=\d+)?$/.test(a) && !/^--v=/.test(a))
  const words = args.filter((a) => !a.startsWith('-'))
  const help = args.includes('-h') || args.includes('--help')
  const [cmd, sub, third] = words
  if (!cmd) return { stdout: adjust(ctx, KUBEADM_HELP), stderr: '', exitCode: 0 }
  if (cmd === 'help' && !sub) return { stdout: adjust(ctx, KUBEADM_HELP), stderr: '', exitCode: 0 }
  switch (cmd) {
    case 'version':
      return version(ctx, args.slice(1))
    case 'certs':
    case 'certificates':
      if (sub === 'check-expiration') return checkExpiration(ctx)
      if (!sub || help) return { stdout: adjust(ctx, KUBEADM_CERTS_HELP), stderr: '', exitCode: 0 }
      if (sub === 'renew' || sub === 'certificate-key' || sub === 'generate-csr')
        return {
          stdout: '',
          stderr: `error: kubeadm certs ${sub} is not available on this practice node; the lab's certificates stay as kubeadm init made them\n`,
          exitCode: 1,
        }
      return { stdout: adjust(ctx, KUBEADM_CERTS_HELP), stderr: '', exitCode: 0 }
    case 'config':
      if (sub === 'print' && third === 'init-defaults') return initDefaults(ctx)
      return {
        stdout: '',
        stderr: `error: kubeadm config ${sub ?? ''} is not available on this practice node; try 'kubeadm config print init-defaults' or 'kubectl -n kube-system get cm kubeadm-config -o yaml'\n`,
        exitCode: 1,
      }
    case 'init':
      if (sub === 'phase' && words[2] === 'etcd' && words[3] === 'local' && help)
        return { stdout: adjust(ctx, KUBEADM_ETCD_LOCAL_HELP), stderr: '', exitCode: 0 }
      if (sub === 'phase')
        return {
          stdout: '',
          stderr: `error: kubeadm init phase ${words.slice(2).join(' ')} is not available on this practice node; the control plane is already set up (see /etc/kubernetes/manifests)\n`,
          exitCode: 1,
        }
      return preflight(ctx, 'init')
    case 'join':
      return preflight(ctx, 'join')
    case 'reset':
      return reset(ctx)
    case 'upgrade':
    case 'token':
    case 'alpha':
    case 'completion':
    case 'kubeconfig':
      return {
        stdout: '',
        stderr: `error: kubeadm ${cmd} is not available on this practice node\n`,
        exitCode: 1,
      }
    default:
      return { stdout: '', stderr: `unknown command "${cmd}" for "kubeadm"\n${STACK}`, exitCode: 1 }
  }
}

export const kubeadmCommands: SimCommand[] = [{ name: 'kubeadm', run: kubeadm }]
