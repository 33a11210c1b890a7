import type { Profile } from './profiles'

// The static pod manifests kubeadm writes to /etc/kubernetes/manifests, per
// profile, in kubeadm's own layout: block style, arguments sorted, the same
// field order as kubeadm's serializer. Values follow
// ../shared/reference/etcd-kubeadm-kind.md §2.

export interface ManifestNode {
  name: string
  ip: string
}

export interface EtcdManifestOptions {
  node: ManifestNode
  /** Members already in the cluster when this node joined (kubeadm join); empty for the init node. */
  existingMembers?: ManifestNode[]
}

function ts(profile: Profile): string {
  // kubeadm stopped writing `creationTimestamp: null` with the 1.34 serializer.
  return profile.etcdMinor === '3.6' ? '' : '  creationTimestamp: null\n'
}

function probe(
  indent: string,
  o: {
    host: string
    path: string
    port: string
    scheme: string
    initialDelay?: number
    failure: number
    period: number
  },
): string {
  return (
    `${indent}  failureThreshold: ${o.failure}\n` +
    `${indent}  httpGet:\n` +
    `${indent}    host: ${o.host}\n` +
    `${indent}    path: ${o.path}\n` +
    `${indent}    port: ${o.port}\n` +
    `${indent}    scheme: ${o.scheme}\n` +
    (o.initialDelay !== undefined ? `${indent}  initialDelaySeconds: ${o.initialDelay}\n` : '') +
    `${indent}  periodSeconds: ${o.period}\n` +
    `${indent}  timeoutSeconds: 15\n`
  )
}

function podFooter(volumes: Array<{ name: string; path: string; type: string }>): string {
  let s =
    '  hostNetwork: true\n' +
    '  priority: 2000001000\n' +
    '  priorityClassName: system-node-critical\n' +
    '  securityContext:\n' +
    '    seccompProfile:\n' +
    '      type: RuntimeDefault\n' +
    '  volumes:\n'
  for (const v of volumes) {
    s += `  - hostPath:\n      path: ${v.path}\n      type: ${v.type}\n    name: ${v.name}\n`
  }
  return `${s}status: {}\n`
}

function mounts(list: Array<{ path: string; name: string; readOnly?: boolean }>): string {
  let s = '    volumeMounts:\n'
  for (const m of list) {
    s += `    - mountPath: ${m.path}\n      name: ${m.name}\n`
    if (m.readOnly) s += '      readOnly: true\n'
  }
  return s
}

export function etcdFlags(profile: Profile, opts: EtcdManifestOptions): string[] {
  const { node } = opts
  const existing = opts.existingMembers ?? []
  const cluster = [...existing, node].map((m) => `${m.name}=https://${m.ip}:2380`).join(',')
  const flags = [
    `--advertise-client-urls=https://${node.ip}:2379`,
    '--cert-file=/etc/kubernetes/pki/etcd/server.crt',
    '--client-cert-auth=true',
    '--data-dir=/var/lib/etcd',
    `--initial-advertise-peer-urls=https://${node.ip}:2380`,
    `--initial-cluster=${cluster}`,
    '--key-file=/etc/kubernetes/pki/etcd/server.key',
    `--listen-client-urls=https://127.0.0.1:2379,https://${node.ip}:2379`,
    '--listen-metrics-urls=http://127.0.0.1:2381',
    `--listen-peer-urls=https://${node.ip}:2380`,
    `--name=${node.name}`,
    '--peer-cert-file=/etc/kubernetes/pki/etcd/peer.crt',
    '--peer-client-cert-auth=true',
    '--peer-key-file=/etc/kubernetes/pki/etcd/peer.key',
    '--peer-trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt',
    '--snapshot-count=10000',
    '--trusted-ca-file=/etc/kubernetes/pki/etcd/ca.crt',
  ]
  if (existing.length > 0) flags.push('--initial-cluster-state=existing')
  if (profile.etcdMinor === '3.5') {
    flags.push(
      '--experimental-initial-corrupt-check=true',
      '--experimental-watch-progress-notify-interval=5s',
    )
  } else if (profile.etcdMinor === '3.6') {
    flags.push('--feature-gates=InitialCorruptCheck=true', '--watch-progress-notify-interval=5s')
  }
  return flags.sort()
}

export function etcdManifest(profile: Profile, opts: EtcdManifestOptions): string {
  const { node } = opts
  const command = ['etcd', ...etcdFlags(profile, opts)].map((a) => `    - ${a}\n`).join('')
  let probes: string
  let resources: string
  let ports = ''
  if (profile.etcdMinor === '3.4') {
    const p = { host: '127.0.0.1', port: '2381', scheme: 'HTTP' }
    probes =
      '    livenessProbe:\n' +
      probe('    ', { ...p, path: '/health', initialDelay: 10, failure: 8, period: 10 }) +
      '    name: etcd\n' +
      '    resources:\n      requests:\n        cpu: 100m\n        ephemeral-storage: 100Mi\n        memory: 100Mi\n' +
      '    startupProbe:\n' +
      probe('    ', { ...p, path: '/health', initialDelay: 10, failure: 24, period: 10 })
    resources = ''
  } else if (profile.etcdMinor === '3.5') {
    const p = { host: '127.0.0.1', port: '2381', scheme: 'HTTP' }
    probes =
      '    livenessProbe:\n' +
      probe('    ', {
        ...p,
        path: '/health?exclude=NOSPACE&serializable=true',
        initialDelay: 10,
        failure: 8,
        period: 10,
      }) +
      '    name: etcd\n' +
      '    resources:\n      requests:\n        cpu: 100m\n        memory: 100Mi\n' +
      '    startupProbe:\n' +
      probe('    ', { ...p, path: '/health?serializable=false', initialDelay: 10, failure: 24, period: 10 })
    resources = ''
  } else {
    const p = { host: '127.0.0.1', port: 'probe-port', scheme: 'HTTP' }
    ports = '    ports:\n    - containerPort: 2381\n      name: probe-port\n      protocol: TCP\n'
    probes =
      '    livenessProbe:\n' +
      probe('    ', { ...p, path: '/livez', initialDelay: 10, failure: 8, period: 10 }) +
      '    name: etcd\n' +
      ports +
      '    readinessProbe:\n' +
      probe('    ', { ...p, path: '/readyz', failure: 3, period: 1 }) +
      '    resources:\n      requests:\n        cpu: 100m\n        memory: 100Mi\n' +
      '    startupProbe:\n' +
      probe('    ', { ...p, path: '/readyz', initialDelay: 10, failure: 24, period: 10 })
    resources = ''
  }
  return (
    'apiVersion: v1\n' +
    'kind: Pod\n' +
    'metadata:\n' +
    '  annotations:\n' +
    `    kubeadm.kubernetes.io/etcd.advertise-client-urls: https://${node.ip}:2379\n` +
    ts(profile) +
    '  labels:\n' +
    '    component: etcd\n' +
    '    tier: control-plane\n' +
    '  name: etcd\n' +
    '  namespace: kube-system\n' +
    'spec:\n' +
    '  containers:\n' +
    '  - command:\n' +
    command +
    `    image: ${profile.etcdImage}\n` +
    '    imagePullPolicy: IfNotPresent\n' +
    probes +
    resources +
    mounts([
      { path: '/var/lib/etcd', name: 'etcd-data' },
      { path: '/etc/kubernetes/pki/etcd', name: 'etcd-certs' },
    ]) +
    podFooter([
      { path: '/etc/kubernetes/pki/etcd', name: 'etcd-certs', type: 'DirectoryOrCreate' },
      { path: '/var/lib/etcd', name: 'etcd-data', type: 'DirectoryOrCreate' },
    ])
  )
}

const CA_VOLUMES = [
  { path: '/etc/ssl/certs', name: 'ca-certs', type: 'DirectoryOrCreate' },
  { path: '/etc/ca-certificates', name: 'etc-ca-certificates', type: 'DirectoryOrCreate' },
]
const SHARE_VOLUMES = [
  {
    path: '/usr/local/share/ca-certificates',
    name: 'usr-local-share-ca-certificates',
    type: 'DirectoryOrCreate',
  },
  { path: '/usr/share/ca-certificates', name: 'usr-share-ca-certificates', type: 'DirectoryOrCreate' },
]

function controlPlanePod(
  profile: Profile,
  o: {
    component: string
    annotations?: string
    flags: string[]
    probeHost: string
    probePort: string
    probeScheme: string
    readiness: boolean
    cpu: string
    volumes: Array<{ path: string; name: string; type: string; readOnly?: boolean }>
    extraMountOrder?: string[]
  },
): string {
  const command = [o.component, ...o.flags.sort()].map((a) => `    - ${a}\n`).join('')
  const p = { host: o.probeHost, port: o.probePort, scheme: o.probeScheme }
  const livez = o.component === 'kube-apiserver' ? '/livez' : '/healthz'
  let s =
    'apiVersion: v1\n' +
    'kind: Pod\n' +
    'metadata:\n' +
    (o.annotations ? `  annotations:\n${o.annotations}` : '') +
    ts(profile) +
    '  labels:\n' +
    `    component: ${o.component}\n` +
    '    tier: control-plane\n' +
    `  name: ${o.component}\n` +
    '  namespace: kube-system\n' +
    'spec:\n' +
    '  containers:\n' +
    '  - command:\n' +
    command +
    `    image: ${profile.registry}/${o.component}:${profile.kubernetesVersion}\n` +
    '    imagePullPolicy: IfNotPresent\n' +
    '    livenessProbe:\n' +
    probe('    ', { ...p, path: livez, initialDelay: 10, failure: 8, period: 10 }) +
    `    name: ${o.component}\n`
  if (profile.etcdMinor === '3.6') {
    s += `    ports:\n    - containerPort: ${o.component === 'kube-apiserver' ? 6443 : o.component === 'kube-scheduler' ? 10259 : 10257}\n      name: probe-port\n      protocol: TCP\n`
  }
  if (o.readiness) {
    s += '    readinessProbe:\n' + probe('    ', { ...p, path: '/readyz', failure: 3, period: 1 })
  }
  s += `    resources:\n      requests:\n        cpu: ${o.cpu}\n`
  s += '    startupProbe:\n' + probe('    ', { ...p, path: livez, initialDelay: 10, failure: 24, period: 10 })
  const sorted = [...o.volumes].sort((a, b) => a.path.localeCompare(b.path))
  s += mounts(sorted.map((v) => ({ path: v.path, name: v.name, readOnly: v.readOnly })))
  s += podFooter([...o.volumes].sort((a, b) => a.name.localeCompare(b.name)))
  return s
}

export function apiserverManifest(profile: Profile, node: ManifestNode): string {
  const flags = [
    `--advertise-address=${node.ip}`,
    '--allow-privileged=true',
    '--authorization-mode=Node,RBAC',
    '--client-ca-file=/etc/kubernetes/pki/ca.crt',
    '--enable-admission-plugins=NodeRestriction',
    '--enable-bootstrap-token-auth=true',
    '--etcd-cafile=/etc/kubernetes/pki/etcd/ca.crt',
    '--etcd-certfile=/etc/kubernetes/pki/apiserver-etcd-client.crt',
    '--etcd-keyfile=/etc/kubernetes/pki/apiserver-etcd-client.key',
    '--etcd-servers=https://127.0.0.1:2379',
    '--kubelet-client-certificate=/etc/kubernetes/pki/apiserver-kubelet-client.crt',
    '--kubelet-client-key=/etc/kubernetes/pki/apiserver-kubelet-client.key',
    '--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname',
    '--proxy-client-cert-file=/etc/kubernetes/pki/front-proxy-client.crt',
    '--proxy-client-key-file=/etc/kubernetes/pki/front-proxy-client.key',
    '--requestheader-allowed-names=front-proxy-client',
    '--requestheader-client-ca-file=/etc/kubernetes/pki/front-proxy-ca.crt',
    '--requestheader-extra-headers-prefix=X-Remote-Extra-',
    '--requestheader-group-headers=X-Remote-Group',
    '--requestheader-username-headers=X-Remote-User',
    '--secure-port=6443',
    '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
    '--service-account-key-file=/etc/kubernetes/pki/sa.pub',
    '--service-account-signing-key-file=/etc/kubernetes/pki/sa.key',
    '--service-cluster-ip-range=10.96.0.0/12',
    '--tls-cert-file=/etc/kubernetes/pki/apiserver.crt',
    '--tls-private-key-file=/etc/kubernetes/pki/apiserver.key',
  ]
  if (profile.id === '1.20') flags.push('--insecure-port=0')
  const volumes = [
    ...CA_VOLUMES.map((v) => ({ ...v, readOnly: true })),
    { path: '/etc/kubernetes/pki', name: 'k8s-certs', type: 'DirectoryOrCreate', readOnly: true },
    ...SHARE_VOLUMES.map((v) => ({ ...v, readOnly: true })),
  ]
  return controlPlanePod(profile, {
    component: 'kube-apiserver',
    annotations: `    kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint: ${node.ip}:6443\n`,
    flags,
    probeHost: node.ip,
    probePort: profile.etcdMinor === '3.6' ? 'probe-port' : '6443',
    probeScheme: 'HTTPS',
    readiness: true,
    cpu: '250m',
    volumes,
  })
}

export function controllerManagerManifest(profile: Profile): string {
  const flags = [
    '--allocate-node-cidrs=true',
    '--authentication-kubeconfig=/etc/kubernetes/controller-manager.conf',
    '--authorization-kubeconfig=/etc/kubernetes/controller-manager.conf',
    '--bind-address=127.0.0.1',
    '--client-ca-file=/etc/kubernetes/pki/ca.crt',
    '--cluster-cidr=10.244.0.0/16',
    '--cluster-name=kubernetes',
    '--cluster-signing-cert-file=/etc/kubernetes/pki/ca.crt',
    '--cluster-signing-key-file=/etc/kubernetes/pki/ca.key',
    '--controllers=*,bootstrapsigner,tokencleaner',
    '--kubeconfig=/etc/kubernetes/controller-manager.conf',
    '--leader-elect=true',
    '--requestheader-client-ca-file=/etc/kubernetes/pki/front-proxy-ca.crt',
    '--root-ca-file=/etc/kubernetes/pki/ca.crt',
    '--service-account-private-key-file=/etc/kubernetes/pki/sa.key',
    '--service-cluster-ip-range=10.96.0.0/12',
    '--use-service-account-credentials=true',
  ]
  if (profile.id === '1.20') flags.push('--port=0')
  const volumes = [
    ...CA_VOLUMES.map((v) => ({ ...v, readOnly: true })),
    {
      path: '/usr/libexec/kubernetes/kubelet-plugins/volume/exec',
      name: 'flexvolume-dir',
      type: 'DirectoryOrCreate',
    },
    { path: '/etc/kubernetes/pki', name: 'k8s-certs', type: 'DirectoryOrCreate', readOnly: true },
    {
      path: '/etc/kubernetes/controller-manager.conf',
      name: 'kubeconfig',
      type: 'FileOrCreate',
      readOnly: true,
    },
    ...SHARE_VOLUMES.map((v) => ({ ...v, readOnly: true })),
  ]
  return controlPlanePod(profile, {
    component: 'kube-controller-manager',
    flags,
    probeHost: '127.0.0.1',
    probePort: profile.etcdMinor === '3.6' ? 'probe-port' : '10257',
    probeScheme: 'HTTPS',
    readiness: false,
    cpu: '200m',
    volumes,
  })
}

export function schedulerManifest(profile: Profile): string {
  const flags = [
    '--authentication-kubeconfig=/etc/kubernetes/scheduler.conf',
    '--authorization-kubeconfig=/etc/kubernetes/scheduler.conf',
    '--bind-address=127.0.0.1',
    '--kubeconfig=/etc/kubernetes/scheduler.conf',
    '--leader-elect=true',
  ]
  if (profile.id === '1.20') flags.push('--port=0')
  return controlPlanePod(profile, {
    component: 'kube-scheduler',
    flags,
    probeHost: '127.0.0.1',
    probePort: profile.etcdMinor === '3.6' ? 'probe-port' : '10259',
    probeScheme: 'HTTPS',
    readiness: false,
    cpu: '100m',
    volumes: [
      { path: '/etc/kubernetes/scheduler.conf', name: 'kubeconfig', type: 'FileOrCreate', readOnly: true },
    ],
  })
}
