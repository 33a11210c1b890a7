import type { EtcdProcess } from '../etcd/server'
import type { ApiServer } from '../k8s/apiserver'
import type { SimNode } from '../node'
import type { CertInfo } from '../pki'
import { sockets } from './sockets'

// What answers an HTTP(S) request on the simulated network, shared by curl,
// nc and openssl s_client: which process listens on host:port, which
// certificate it presents, whether it wants a client certificate, and the
// responses of the endpoints learners probe.

export interface Endpoint {
  node: SimNode
  port: number
  tls: boolean
  /** PEM the server presents (TLS only). */
  serverCert?: string
  /** …or the node's file that holds it. */
  serverCertPath?: string
  /** The server asks for a client certificate signed by this CA (etcd's --client-cert-auth). */
  clientCA?: string
  requireClientCert: boolean
  /** A self-signed serving certificate nobody's CA file holds (kubelet, scheduler, controller-manager). */
  selfSigned?: 'leaf' | 'chain'
  handle(path: string, client: CertInfo | undefined): Promise<HttpResponse>
}

export interface HttpResponse {
  status: number
  body: string
  contentType: string
  /** Close without a response (HTTP to etcd's TLS port). */
  empty?: boolean
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]'])

const text = (status: number, body: string): HttpResponse => ({
  status,
  body,
  contentType: 'text/plain; charset=utf-8',
})
const json = (status: number, body: string): HttpResponse => ({
  status,
  body,
  contentType: 'application/json',
})

/** The process listening on host:port as seen from `from`, or undefined (connection refused). */
export function endpointAt(from: SimNode, host: string, port: number): Endpoint | undefined {
  const node = from.cluster.nodeByAddress(from, host)
  if (!node) return undefined
  const loop = LOOPBACK.has(host)
  const s = sockets(node).find(
    (x) =>
      x.state === 'LISTEN' &&
      x.localPort === port &&
      (x.local === '0.0.0.0' ||
        x.local === '*' ||
        x.local === '[::]' ||
        (loop ? x.local === '127.0.0.1' : x.local === node.ip)),
  )
  if (!s) return undefined
  const name = s.process?.name
  if (name === 'etcd') {
    const l = node.cluster.network.connect(from.name, host === 'localhost' ? '127.0.0.1' : host, port)
    const proc = l?.service as EtcdProcess | undefined
    if (!proc) return undefined
    return etcdEndpoint(node, port, proc, l?.scheme === 'https', l?.kind === 'etcd-peer')
  }
  if (name === 'kube-apiserver') {
    const l = node.cluster.network.connect(from.name, host === 'localhost' ? '127.0.0.1' : host, port)
    return apiEndpoint(node, port, l?.service as ApiServer | undefined)
  }
  if (name === 'kubelet' && port === 10248)
    return plain(node, port, async (p) =>
      p === '/healthz' ? text(200, 'ok') : text(404, '404 page not found\n'),
    )
  if (name === 'kubelet')
    return {
      ...plain(node, port, async () => text(401, 'Unauthorized')),
      tls: true,
      selfSigned: 'leaf',
      requireClientCert: false,
    }
  if (name === 'kube-scheduler' || name === 'kube-controller') {
    const h = async (p: string) =>
      ['/healthz', '/livez', '/readyz'].includes(p)
        ? text(200, 'ok')
        : json(403, forbidden('system:anonymous', p))
    return { ...plain(node, port, h), tls: true, selfSigned: 'chain', requireClientCert: false }
  }
  if (name === 'kube-proxy' && port === 10249)
    return plain(node, port, async (p) =>
      p === '/healthz' ? text(200, 'ok') : text(404, '404 page not found\n'),
    )
  // Something that is not HTTP (sshd, containerd's stream server): it closes on us.
  return {
    ...plain(node, port, async () => text(200, '')),
    handle: async () => ({ status: 0, body: '', contentType: '', empty: true }),
  }
}

function plain(node: SimNode, port: number, handle: Endpoint['handle']): Endpoint {
  return { node, port, tls: false, requireClientCert: false, handle }
}

function forbidden(user: string, path: string): string {
  return `{
  "kind": "Status",
  "apiVersion": "v1",
  "metadata": {
    
  },
  "status": "Failure",
  "message": "forbidden: User \\"${user}\\" cannot get path \\"${path}\\"",
  "reason": "Forbidden",
  "details": {
    
  },
  "code": 403
}`
}

function etcdEndpoint(node: SimNode, port: number, proc: EtcdProcess, tls: boolean, peer: boolean): Endpoint {
  const v = node.cluster.profile.etcdVersion
  const minor = node.cluster.profile.etcdMinor
  const modern = node.cluster.profile.etcd.healthReasons
  return {
    node,
    port,
    tls,
    serverCert: proc.tls.cert,
    clientCA: proc.tls.ca,
    requireClientCert: tls && (peer || proc.config.clientCertAuth),
    handle: async (path) => {
      const p = path.replace(/\?.*$/, '')
      const healthy = proc.leaderId !== 0n
      if (p === '/health' || p === '/livez' || p === '/readyz') {
        if (p !== '/health' && !modern) return text(404, '404 page not found\n')
        if (p !== '/health')
          return healthy ? text(200, 'ok') : text(503, '[-]serializable_read failed: reason withheld\n')
        const reason = modern ? `,"reason":"${healthy ? '' : 'RAFT NO LEADER'}"` : ''
        return json(healthy ? 200 : 503, `{"health":"${healthy}"${reason}}`)
      }
      if (p === '/version') return json(200, `{"etcdserver":"${v}","etcdcluster":"${minor}.0"}`)
      if (p === '/metrics') return text(200, etcdMetrics(proc, v))
      return text(404, '404 page not found\n')
    },
  }
}

function etcdMetrics(proc: EtcdProcess, version: string): string {
  const lines = [
    [
      'etcd_cluster_version',
      "Which version is running. 1 for 'cluster_version' label with current cluster version",
      'gauge',
      `{cluster_version="${version.split('.').slice(0, 2).join('.')}"} 1`,
    ],
    [
      'etcd_mvcc_db_total_size_in_bytes',
      'Total size of the underlying database physically allocated in bytes.',
      'gauge',
      ` ${proc.dbBytes().length}`,
    ],
    [
      'etcd_server_has_leader',
      'Whether or not a leader exists. 1 is existence, 0 is not.',
      'gauge',
      ` ${proc.leaderId !== 0n ? 1 : 0}`,
    ],
    [
      'etcd_server_id',
      "Server or member ID in hexadecimal format. 1 for 'server_id' label with current ID.",
      'gauge',
      `{server_id="${proc.memberId.toString(16)}"} 1`,
    ],
    [
      'etcd_server_is_leader',
      'Whether or not this member is a leader. 1 if is, 0 otherwise.',
      'gauge',
      ` ${proc.isLeader ? 1 : 0}`,
    ],
    ['etcd_server_leader_changes_seen_total', 'The number of leader changes seen.', 'counter', ' 1'],
    [
      'etcd_server_version',
      "Which version is running. 1 for 'server_version' label with current version.",
      'gauge',
      `{server_version="${version}"} 1`,
    ],
  ]
  return lines.map(([n, help, type, v]) => `# HELP ${n} ${help}\n# TYPE ${n} ${type}\n${n}${v}\n`).join('')
}

function apiEndpoint(node: SimNode, port: number, api: ApiServer | undefined): Endpoint {
  return {
    node,
    port,
    tls: true,
    serverCertPath: '/etc/kubernetes/pki/apiserver.crt',
    requireClientCert: false,
    handle: async (path, client) => {
      const p = path.replace(/\?.*$/, '')
      const user = client?.commonName ?? 'system:anonymous'
      if (api?.state !== 'ready') return text(503, '')
      if (p === '/healthz' || p === '/livez' || p === '/readyz') {
        try {
          return text(200, await api.raw(p))
        } catch {
          const checks = [
            'ping',
            'log',
            'etcd',
            'poststarthook/start-apiserver-admission-initializer',
            'poststarthook/generic-apiserver-start-informers',
          ]
          const lines = checks.map((c) => (c === 'etcd' ? '[-]etcd failed: reason withheld' : `[+]${c} ok`))
          return text(500, `${lines.join('\n')}\n${p.slice(1)} check failed\n`)
        }
      }
      if (p === '/version') return json(200, versionJson(node))
      return json(403, forbidden(user, p === '' ? '/' : p))
    },
  }
}

const GIT: Record<string, [string, string]> = {
  'v1.20.2': ['faecb196815e248d3ecfb03c680a4507229c2a56', '2021-01-13T13:20:00Z'],
  'v1.31.1': ['948afe5ca072329a73c8e79ed5938717a5cb3d21', '2024-09-11T21:22:08Z'],
  'v1.34.1': ['93248f9ae092f571eb870b7664c534bfc7d00f03', '2025-09-09T19:37:23Z'],
}

/** The apiserver's /version document. */
export function versionJson(node: SimNode): string {
  const p = node.cluster.profile
  const v = p.kubernetesVersion
  const [major, minor] = v.replace(/^v/, '').split('.')
  const [commit, date] = GIT[v] ?? ['0000000000000000000000000000000000000000', '1970-01-01T00:00:00Z']
  const fields: Array<[string, string]> = [
    ['major', major ?? ''],
    ['minor', minor ?? ''],
  ]
  if (p.id === '1.34')
    fields.push(
      ['emulationMajor', major ?? ''],
      ['emulationMinor', minor ?? ''],
      ['minCompatibilityMajor', major ?? ''],
      ['minCompatibilityMinor', String(Number(minor) - 1)],
    )
  fields.push(
    ['gitVersion', v],
    ['gitCommit', commit],
    ['gitTreeState', 'clean'],
    ['buildDate', date],
    ['goVersion', p.goVersion],
    ['compiler', 'gc'],
    ['platform', 'linux/amd64'],
  )
  return `{\n${fields.map(([k, val]) => `  "${k}": "${val}"`).join(',\n')}\n}`
}
