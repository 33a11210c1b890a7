// The etcd server's command line, parsed the way etcd's flag set reads it
// (`--flag=value` or `--flag value`, booleans bare or `=true|false`), and the
// bootstrap checks etcd runs on the --initial-* flags (server/config's
// VerifyBootstrap), shared by the server and by `snapshot restore`.

export interface EtcdConfig {
  name: string
  dataDir: string
  walDir?: string
  listenClientUrls: string[]
  advertiseClientUrls: string[]
  listenPeerUrls: string[]
  initialAdvertisePeerUrls: string[]
  initialCluster: string
  initialClusterState: 'new' | 'existing'
  initialClusterToken: string
  certFile?: string
  keyFile?: string
  trustedCaFile?: string
  clientCertAuth: boolean
  peerCertFile?: string
  peerKeyFile?: string
  peerTrustedCaFile?: string
  peerClientCertAuth: boolean
  listenMetricsUrls: string[]
  quotaBackendBytes: number
  /** --max-request-bytes: the largest request the member accepts (etcd's default 1.5 MiB). */
  maxRequestBytes: number
  /** Flags etcd would reject. */
  unknown: string[]
}

const BOOL_FLAGS = new Set([
  'client-cert-auth',
  'peer-client-cert-auth',
  'experimental-initial-corrupt-check',
  'strict-reconfig-check',
  'enable-v2',
  'force-new-cluster',
  'debug',
])

export function parseFlags(args: string[]): { flags: Map<string, string>; positional: string[] } {
  const flags = new Map<string, string>()
  const positional: string[] = []
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string
    if (!a.startsWith('-') || a === '-') {
      positional.push(a)
      continue
    }
    const body = a.replace(/^--?/, '')
    const eq = body.indexOf('=')
    if (eq >= 0) flags.set(body.slice(0, eq), body.slice(eq + 1))
    else if (BOOL_FLAGS.has(body)) flags.set(body, 'true')
    else flags.set(body, args[++i] ?? '')
  }
  return { flags, positional }
}

function urls(v: string | undefined, dflt: string): string[] {
  return (v ?? dflt)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
}

const KNOWN = new Set([
  'name',
  'data-dir',
  'wal-dir',
  'listen-client-urls',
  'advertise-client-urls',
  'listen-peer-urls',
  'initial-advertise-peer-urls',
  'initial-cluster',
  'initial-cluster-state',
  'initial-cluster-token',
  'cert-file',
  'key-file',
  'trusted-ca-file',
  'client-cert-auth',
  'peer-cert-file',
  'peer-key-file',
  'peer-trusted-ca-file',
  'peer-client-cert-auth',
  'listen-metrics-urls',
  'quota-backend-bytes',
  'snapshot-count',
  'experimental-initial-corrupt-check',
  'experimental-watch-progress-notify-interval',
  'watch-progress-notify-interval',
  'feature-gates',
  'logger',
  'log-level',
  'heartbeat-interval',
  'election-timeout',
  'auto-compaction-retention',
  'auto-compaction-mode',
  'max-request-bytes',
  'enable-v2',
  'debug',
  'force-new-cluster',
  'strict-reconfig-check',
  'cipher-suites',
])

export function parseEtcdArgs(args: string[]): EtcdConfig {
  const rest = args[0] === 'etcd' || args[0]?.endsWith('/etcd') ? args.slice(1) : args
  const { flags } = parseFlags(rest)
  const name = flags.get('name') ?? 'default'
  const iapu = urls(flags.get('initial-advertise-peer-urls'), 'http://localhost:2380')
  const state = flags.get('initial-cluster-state') === 'existing' ? 'existing' : 'new'
  return {
    name,
    dataDir: flags.get('data-dir') || `${name}.etcd`,
    walDir: flags.get('wal-dir') || undefined,
    listenClientUrls: urls(flags.get('listen-client-urls'), 'http://localhost:2379'),
    advertiseClientUrls: urls(flags.get('advertise-client-urls'), 'http://localhost:2379'),
    listenPeerUrls: urls(flags.get('listen-peer-urls'), 'http://localhost:2380'),
    initialAdvertisePeerUrls: iapu,
    initialCluster: flags.get('initial-cluster') ?? `${name}=${iapu.join(`,${name}=`)}`,
    initialClusterState: state,
    initialClusterToken: flags.get('initial-cluster-token') ?? 'etcd-cluster',
    certFile: flags.get('cert-file') || undefined,
    keyFile: flags.get('key-file') || undefined,
    trustedCaFile: flags.get('trusted-ca-file') || undefined,
    clientCertAuth: flags.get('client-cert-auth') === 'true',
    peerCertFile: flags.get('peer-cert-file') || undefined,
    peerKeyFile: flags.get('peer-key-file') || undefined,
    peerTrustedCaFile: flags.get('peer-trusted-ca-file') || undefined,
    peerClientCertAuth: flags.get('peer-client-cert-auth') === 'true',
    listenMetricsUrls: urls(flags.get('listen-metrics-urls'), ''),
    quotaBackendBytes: Number(flags.get('quota-backend-bytes') ?? 0) || 0,
    maxRequestBytes: Number(flags.get('max-request-bytes') ?? 0) || 1.5 * 1024 * 1024,
    unknown: [...flags.keys()].filter((k) => !KNOWN.has(k)),
  }
}

/** `a=http://x:2380,b=http://y:2380` → name → peer URLs (in order of appearance). */
export function parseInitialCluster(text: string): Map<string, string[]> | string {
  const out = new Map<string, string[]>()
  for (const part of text.split(',')) {
    if (!part.trim()) continue
    const eq = part.indexOf('=')
    if (eq < 0) return `missing "=" in "${part}"`
    const name = part.slice(0, eq)
    const url = part.slice(eq + 1)
    out.set(name, [...(out.get(name) ?? []), url])
  }
  return out
}

/**
 * etcd's bootstrap consistency checks; returns the error text or undefined.
 * Order and wording follow etcd's VerifyBootstrap / advertiseMatchesCluster.
 */
export function verifyBootstrap(o: {
  name: string
  initialCluster: string
  initialAdvertisePeerUrls: string[]
}): string | undefined {
  const cluster = parseInitialCluster(o.initialCluster)
  if (typeof cluster === 'string') return cluster
  const seen = new Set<string>()
  for (const list of cluster.values())
    for (const u of list) {
      if (seen.has(u)) return `initial cluster ${o.initialCluster} has duplicate url`
      seen.add(u)
    }
  const mine = cluster.get(o.name)
  if (!mine) return `couldn't find local name "${o.name}" in the initial cluster configuration`
  const a = [...mine].sort()
  const b = [...o.initialAdvertisePeerUrls].sort()
  if (a.join(',') !== b.join(',')) {
    const apurl = o.initialAdvertisePeerUrls.join(',')
    const clusterText = `${o.name}=${mine.join(`,${o.name}=`)}`
    const missingInAdv = a.filter((u) => !b.includes(u))
    if (missingInAdv.length > 0) {
      const mstr = missingInAdv.map((u) => `${o.name}=${u}`).join(',')
      return `--initial-cluster has ${mstr} but missing from --initial-advertise-peer-urls=${apurl} (resolved urls: "${b.join('", "')}" != "${a.join('", "')}")`
    }
    const missing = b.filter((u) => !a.includes(u)).join(',')
    return `--initial-advertise-peer-urls has ${missing} but missing from --initial-cluster=${clusterText}`
  }
  return undefined
}

/**
 * The peer URLs etcd's netutil resolves while it compares the advertised peer
 * URLs with this member's --initial-cluster entry, each of which it logs as
 * "resolved URL Host" (3.5+). It resolves only when both lists have the same
 * length and differ once sorted; advertised URLs first, then the cluster's;
 * localhost is skipped. Only IP literals are resolved here: the simulated node
 * has no resolver a hostname could reach.
 */
export function resolvedPeerUrls(o: {
  name: string
  initialCluster: string
  initialAdvertisePeerUrls: string[]
}): Array<{ url: string; host: string }> {
  const cluster = parseInitialCluster(o.initialCluster)
  if (typeof cluster === 'string') return []
  const mine = cluster.get(o.name)
  if (!mine || mine.length !== o.initialAdvertisePeerUrls.length) return []
  const a = [...o.initialAdvertisePeerUrls].sort()
  const b = [...mine].sort()
  if (a.every((u, i) => u === b[i])) return []
  const out: Array<{ url: string; host: string }> = []
  for (const u of [...a, ...b]) {
    const m = /^[a-z][a-z0-9+.-]*:\/\/([^/]+)/i.exec(u)
    const host = m?.[1]
    if (!host) continue
    const hostname = host.replace(/:\d+$/, '').replace(/^\[|\]$/g, '')
    if (hostname === 'localhost') continue
    if (/^\d+\.\d+\.\d+\.\d+$/.test(hostname) || hostname.includes(':')) out.push({ url: u, host })
  }
  return out
}
