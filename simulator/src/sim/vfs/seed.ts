import { DEBIAN_GROUP, DEBIAN_PASSWD } from '../linux/users'
import { apiserverManifest, controllerManagerManifest, etcdManifest, schedulerManifest } from '../manifests'
import type { CertRegistry } from '../pki'
import type { Profile } from '../profiles'

// What a freshly kubeadm-initialised node holds on disk, as a map of path to
// content. Pure: the caller writes it into the node's filesystem.

export interface SeedNode {
  name: string
  ip: string
  role: 'control-plane' | 'worker'
}

export interface SeedInput {
  profile: Profile
  node: SeedNode
  /** Control planes that joined before this one (empty for the init node). */
  earlierControlPlanes: SeedNode[]
  /** The first control plane: where kubeconfigs point (no load balancer in the simulator). */
  apiEndpoint: SeedNode
  certs: CertRegistry
  clusterSeed: string
}

export interface SeedFile {
  content: string
  mode?: number
}

export type SeedTree = Map<string, SeedFile>

export const SEED_DIRS = [
  '/root',
  '/opt',
  '/tmp',
  '/usr/local/bin',
  '/var/lib/etcd',
  '/var/log/pods',
  '/etc/kubernetes/manifests',
  '/etc/kubernetes/pki/etcd',
  '/var/lib/kubelet',
  '/etc/profile.d',
  '/root/.kube',
  '/var/mail',
  '/var/www',
  '/var/backups',
]

/**
 * Directory modes that differ from mkdir's 0755: root's home (Debian), /tmp
 * (sticky), the etcd data dir kubeadm creates 0700, kubelet's state dir.
 */
export const SEED_DIR_MODES: Record<string, number> = {
  '/root': 0o700,
  '/tmp': 0o1777,
  '/var/lib/etcd': 0o700,
  '/var/lib/kubelet': 0o700,
  // kubeadm creates the static pod folder itself, private to root.
  '/etc/kubernetes/manifests': 0o700,
  '/var/mail': 0o2775,
}

function kubeconfig(o: { server: string; user: string; cluster?: string }): string {
  const cluster = o.cluster ?? 'kubernetes'
  const ctx = `${o.user}@${cluster}`
  return (
    'apiVersion: v1\n' +
    'clusters:\n' +
    '- cluster:\n' +
    '    certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSURCVENDQWUyZ0F3SUJBZ0lJ\n' +
    `    server: ${o.server}\n` +
    `  name: ${cluster}\n` +
    'contexts:\n' +
    '- context:\n' +
    `    cluster: ${cluster}\n` +
    `    user: ${o.user}\n` +
    `  name: ${ctx}\n` +
    `current-context: ${ctx}\n` +
    'kind: Config\n' +
    'preferences: {}\n' +
    'users:\n' +
    `- name: ${o.user}\n` +
    '  user:\n' +
    '    client-certificate-data: REDACTED\n' +
    '    client-key-data: REDACTED\n'
  )
}

const PROFILE_FILE = `# /etc/profile: system-wide .profile file for the Bourne shell (sh(1))
# and Bourne compatible shells (bash(1), ksh(1), ash(1), ...).

if [ "$(id -u)" -eq 0 ]; then
  PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
else
  PATH="/usr/local/bin:/usr/bin:/bin:/usr/local/games:/usr/games"
fi
export PATH

if [ -d /etc/profile.d ]; then
  for i in /etc/profile.d/*.sh; do
    if [ -r $i ]; then
      . $i
    fi
  done
  unset i
fi
`

const BASHRC = `# ~/.bashrc: executed by bash(1) for non-login shells.

# If not running interactively, don't do anything
case $- in
    *i*) ;;
      *) return;;
esac

HISTCONTROL=ignoreboth
HISTSIZE=1000
HISTFILESIZE=2000

alias ls='ls --color=auto'
alias ll='ls -alF'
alias la='ls -A'
alias l='ls -CF'
alias k=kubectl
`

const ROOT_PROFILE = `# ~/.profile: executed by Bourne-compatible login shells.

if [ "$BASH" ]; then
  if [ -f ~/.bashrc ]; then
    . ~/.bashrc
  fi
fi

mesg n 2> /dev/null || true
`

export function seedNode(input: SeedInput): SeedTree {
  const { profile, node, certs, clusterSeed } = input
  const files: SeedTree = new Map()
  const put = (path: string, content: string, mode?: number) => files.set(path, { content, mode })
  const server = `https://${input.apiEndpoint.ip}:6443`

  put('/etc/hostname', `${node.name}\n`)
  put('/etc/passwd', DEBIAN_PASSWD)
  put('/etc/group', DEBIAN_GROUP)
  put(
    '/etc/hosts',
    `127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nff00::0\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n${node.ip}\t${node.name}\n`,
  )
  put(
    '/etc/os-release',
    'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nVERSION="12 (bookworm)"\nVERSION_CODENAME=bookworm\nID=debian\nHOME_URL="https://www.debian.org/"\n',
  )
  put('/etc/profile', PROFILE_FILE)
  put('/etc/bash.bashrc', '# System-wide .bashrc file for interactive bash(1) shells.\n')
  put('/root/.bashrc', BASHRC)
  put('/root/.profile', ROOT_PROFILE)
  put('/etc/crictl.yaml', 'runtime-endpoint: unix:///run/containerd/containerd.sock\n')
  put(
    '/var/lib/kubelet/config.yaml',
    'apiVersion: kubelet.config.k8s.io/v1beta1\nauthentication:\n  anonymous:\n    enabled: false\n  webhook:\n    cacheTTL: 0s\n    enabled: true\n  x509:\n    clientCAFile: /etc/kubernetes/pki/ca.crt\nauthorization:\n  mode: Webhook\ncgroupDriver: systemd\nclusterDNS:\n- 10.96.0.10\nclusterDomain: cluster.local\nfileCheckFrequency: 0s\nhealthzBindAddress: 127.0.0.1\nhealthzPort: 10248\nkind: KubeletConfiguration\nstaticPodPath: /etc/kubernetes/manifests\n',
  )
  // kubeadm writes every kubeconfig and static pod manifest 0600, keys 0600, certificates 0644.
  put('/etc/kubernetes/kubelet.conf', kubeconfig({ server, user: `system:node:${node.name}` }), 0o600)

  // Cluster-wide CAs are the same bytes on every control plane (kubeadm copies them at join).
  const ca = certs.issue(`${clusterSeed}/ca`, {
    id: 'kubernetes-ca',
    commonName: 'kubernetes',
    issuer: 'kubernetes-ca',
    isCA: true,
    sans: [],
    usages: [],
  })
  put('/etc/kubernetes/pki/ca.crt', ca.cert)
  if (node.role === 'worker') return files

  const etcdCa = certs.issue(`${clusterSeed}/etcd-ca`, {
    id: 'etcd-ca',
    commonName: 'etcd-ca',
    issuer: 'etcd-ca',
    isCA: true,
    sans: [],
    usages: [],
  })
  const fpCa = certs.issue(`${clusterSeed}/front-proxy-ca`, {
    id: 'front-proxy-ca',
    commonName: 'front-proxy-ca',
    issuer: 'front-proxy-ca',
    isCA: true,
    sans: [],
    usages: [],
  })
  put('/etc/kubernetes/pki/ca.key', ca.key, 0o600)
  put('/etc/kubernetes/pki/etcd/ca.crt', etcdCa.cert)
  put('/etc/kubernetes/pki/etcd/ca.key', etcdCa.key, 0o600)
  put('/etc/kubernetes/pki/front-proxy-ca.crt', fpCa.cert)
  put('/etc/kubernetes/pki/front-proxy-ca.key', fpCa.key, 0o600)
  const sa = certs.issue(`${clusterSeed}/sa`, {
    id: 'sa',
    commonName: 'sa',
    issuer: 'sa',
    isCA: false,
    sans: [],
    usages: [],
  })
  put('/etc/kubernetes/pki/sa.key', sa.key, 0o600)
  put('/etc/kubernetes/pki/sa.pub', sa.cert.replace(/CERTIFICATE/g, 'PUBLIC KEY'), 0o600)

  const nodeSans = [node.name, 'localhost', node.ip, '127.0.0.1', '::1']
  const leaf = (
    file: string,
    id: string,
    cn: string,
    issuer: string,
    sans: string[],
    usages: Array<'server' | 'client'>,
  ) => {
    const c = certs.issue(`${clusterSeed}/${node.name}/${id}`, {
      id: `${id}@${node.name}`,
      commonName: cn,
      issuer,
      isCA: false,
      sans,
      usages,
    })
    put(`${file}.crt`, c.cert)
    put(`${file}.key`, c.key, 0o600)
  }
  leaf('/etc/kubernetes/pki/etcd/server', 'etcd-server', node.name, 'etcd-ca', nodeSans, ['server', 'client'])
  leaf('/etc/kubernetes/pki/etcd/peer', 'etcd-peer', node.name, 'etcd-ca', nodeSans, ['server', 'client'])
  leaf(
    '/etc/kubernetes/pki/etcd/healthcheck-client',
    'etcd-healthcheck',
    'kube-etcd-healthcheck-client',
    'etcd-ca',
    [],
    ['client'],
  )
  leaf(
    '/etc/kubernetes/pki/apiserver-etcd-client',
    'apiserver-etcd-client',
    'kube-apiserver-etcd-client',
    'etcd-ca',
    [],
    ['client'],
  )
  leaf(
    '/etc/kubernetes/pki/apiserver',
    'apiserver',
    'kube-apiserver',
    'kubernetes-ca',
    [
      node.name,
      'kubernetes',
      'kubernetes.default',
      'kubernetes.default.svc',
      'kubernetes.default.svc.cluster.local',
      '10.96.0.1',
      node.ip,
    ],
    ['server'],
  )
  leaf(
    '/etc/kubernetes/pki/apiserver-kubelet-client',
    'apiserver-kubelet-client',
    'kube-apiserver-kubelet-client',
    'kubernetes-ca',
    [],
    ['client'],
  )
  leaf(
    '/etc/kubernetes/pki/front-proxy-client',
    'front-proxy-client',
    'front-proxy-client',
    'front-proxy-ca',
    [],
    ['client'],
  )

  put('/etc/kubernetes/admin.conf', kubeconfig({ server, user: 'kubernetes-admin' }), 0o600)
  if (profile.id !== '1.20')
    put('/etc/kubernetes/super-admin.conf', kubeconfig({ server, user: 'kubernetes-super-admin' }), 0o600)
  put(
    '/etc/kubernetes/controller-manager.conf',
    kubeconfig({ server, user: 'system:kube-controller-manager' }),
    0o600,
  )
  put('/etc/kubernetes/scheduler.conf', kubeconfig({ server, user: 'system:kube-scheduler' }), 0o600)
  put('/root/.kube/config', kubeconfig({ server, user: 'kubernetes-admin' }), 0o600)

  const me = { name: node.name, ip: node.ip }
  put(
    '/etc/kubernetes/manifests/etcd.yaml',
    etcdManifest(profile, {
      node: me,
      existingMembers: input.earlierControlPlanes.map((n) => ({ name: n.name, ip: n.ip })),
    }),
    0o600,
  )
  put('/etc/kubernetes/manifests/kube-apiserver.yaml', apiserverManifest(profile, me), 0o600)
  put('/etc/kubernetes/manifests/kube-controller-manager.yaml', controllerManagerManifest(profile), 0o600)
  put('/etc/kubernetes/manifests/kube-scheduler.yaml', schedulerManifest(profile), 0o600)
  return files
}
