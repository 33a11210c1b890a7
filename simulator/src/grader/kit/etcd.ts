import type { Node } from '../../seam'
import type { CheckContext } from '../types'

// Helpers for etcd checks. They judge behaviour (where does the running etcd
// keep its data, what does the keyspace hold), never the text of a file:
// any argument order, `--flag=value` or `--flag value`, etcdctl or etcdutl.

export function normalizePath(p: string): string {
  const n = posixNormalize(p)
  return n.length > 1 ? n.replace(/\/+$/, '') : n
}

/** POSIX path normalization (as node:path's posix.normalize), written out so checks also run in a browser. */
function posixNormalize(p: string): string {
  if (p === '') return '.'
  const absolute = p.startsWith('/')
  const out: string[] = []
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop()
      else if (!absolute) out.push('..')
    } else out.push(part)
  }
  const joined = out.join('/')
  if (absolute) return `/${joined}`
  return joined === '' ? '.' : joined
}

/** The etcd container's command line (command + args) from a parsed pod. */
export function containerArgs(doc: any, container = 'etcd'): string[] | undefined {
  const containers: any[] = doc?.spec?.containers
  if (!Array.isArray(containers)) return undefined
  const c = containers.find((x) => x?.name === container) ?? containers[0]
  if (!c) return undefined
  return [...(Array.isArray(c.command) ? c.command : []), ...(Array.isArray(c.args) ? c.args : [])].map(
    String,
  )
}

/** Value of a flag in any of the forms etcd's flag parser accepts. Last one wins, as in Go's flag package. */
export function flagValue(args: string[], flag: string): string | undefined {
  let value: string | undefined
  for (let i = 0; i < args.length; i++) {
    const a = args[i]
    for (const dash of ['--', '-']) {
      const name = `${dash}${flag}`
      if (a === name && i + 1 < args.length) value = args[i + 1]
      else if (a.startsWith(`${name}=`)) value = a.slice(name.length + 1)
    }
  }
  return value
}

export interface MountLike {
  containerPath: string
  hostPath: string
}

export interface DataDirResolution {
  /** --data-dir as etcd sees it inside the container. */
  dataDir: string
  /** The host directory holding it, when a mount covers it. */
  hostPath?: string
  /** The mount that covers it. */
  mount?: MountLike
  /** Why the data does not live on the node (e.g. no mount covers --data-dir). */
  problem?: string
}

/** Maps a container path to a host path through the longest mount that covers it. */
export function throughMounts(dataDir: string, mounts: MountLike[]): DataDirResolution {
  const dir = normalizePath(dataDir)
  let best: MountLike | undefined
  for (const m of mounts) {
    const cp = normalizePath(m.containerPath)
    if (
      (dir === cp || dir.startsWith(cp === '/' ? '/' : `${cp}/`)) &&
      (!best || cp.length > best.containerPath.length)
    )
      best = { containerPath: cp, hostPath: normalizePath(m.hostPath) }
  }
  if (!best)
    return {
      dataDir: dir,
      problem: `no volume is mounted at ${dir} (or a parent of it), so etcd writes into the container's own filesystem and starts an empty cluster`,
    }
  const rest = dir.slice(best.containerPath.length)
  return { dataDir: dir, mount: best, hostPath: normalizePath(`${best.hostPath}/${rest || '.'}`) }
}

/** --data-dir → volumeMounts → volumes[].hostPath for a parsed static pod. */
export function resolveFromManifest(doc: any): DataDirResolution {
  const args = containerArgs(doc) ?? []
  const name = flagValue(args, 'name') ?? 'default'
  const raw = flagValue(args, 'data-dir')
  // etcd's default is "<name>.etcd" relative to its working directory (/ in the image).
  const dataDir = raw ? normalizePath(`/${raw}`) : `/${name}.etcd`
  const containers: any[] = Array.isArray(doc?.spec?.containers) ? doc.spec.containers : []
  const c = containers.find((x) => x?.name === 'etcd') ?? containers[0]
  const volumes: any[] = Array.isArray(doc?.spec?.volumes) ? doc.spec.volumes : []
  const mounts: MountLike[] = []
  for (const vm of Array.isArray(c?.volumeMounts) ? c.volumeMounts : []) {
    const vol = volumes.find((v) => v?.name === vm?.name)
    if (typeof vm?.mountPath !== 'string') continue
    if (typeof vol?.hostPath?.path === 'string')
      mounts.push({ containerPath: vm.mountPath, hostPath: vol.hostPath.path })
  }
  return throughMounts(dataDir, mounts)
}

/** Parses JSON whose integers may exceed 2^53 (etcd IDs): long integers become strings. */
export function parseJsonBig(text: string): any {
  return JSON.parse(text.replace(/([:[,]\s*)(\d{16,})(?=\s*[,}\]])/g, '$1"$2"'))
}

/** A decimal or hex member ID as etcdctl prints it in tables: lower-case hex, no zero padding. */
export function hexId(id: string | number): string {
  const s = String(id).trim()
  if (/^[0-9]+$/.test(s)) return BigInt(s).toString(16)
  return s
    .toLowerCase()
    .replace(/^0x/, '')
    .replace(/^0+(?=.)/, '')
}

export interface RunningEtcd {
  containerId: string
  mounts: MountLike[]
  args: string[]
}

/** The running etcd container as the runtime sees it (crictl), or undefined when none runs. */
export async function runningEtcd(
  ctx: CheckContext,
  node: Node,
): Promise<RunningEtcd | undefined | 'no-crictl'> {
  const ps = await ctx.exec(node, 'crictl ps --name etcd --state running -q')
  if (ps.exitCode !== 0) return 'no-crictl'
  const ids = ps.stdout
    .split('\n')
    .map((s) => s.trim())
    .filter(Boolean)
  for (const id of ids) {
    const r = await ctx.exec(node, `crictl inspect ${id}`, { quiet: false })
    if (r.exitCode !== 0) continue
    let doc: any
    try {
      doc = JSON.parse(r.stdout)
    } catch {
      continue
    }
    const name = doc?.status?.metadata?.name
    if (name && name !== 'etcd') continue
    const mounts: MountLike[] = (doc?.status?.mounts ?? [])
      .filter((m: any) => typeof m?.containerPath === 'string' && typeof m?.hostPath === 'string')
      .map((m: any) => ({ containerPath: m.containerPath, hostPath: m.hostPath }))
    const cfg = doc?.info?.config
    const args: string[] = [
      ...(Array.isArray(cfg?.command) ? cfg.command : []),
      ...(Array.isArray(cfg?.args) ? cfg.args : []),
    ]
    const specArgs = doc?.info?.runtimeSpec?.process?.args
    return { containerId: id, mounts, args: args.length > 0 ? args : Array.isArray(specArgs) ? specArgs : [] }
  }
  return undefined
}

export interface EffectiveDataDir extends DataDirResolution {
  source: 'container' | 'manifest'
  manifestPath?: string
  running: boolean
  /**
   * Set while a running container and a valid manifest disagree on the data's host
   * directory: the manifest was edited and the kubelet has not restarted etcd yet.
   */
  manifestHostPath?: string
}

/**
 * Where the cluster's etcd really keeps its data on this node: the running
 * container's mounts when the runtime shows one, else the manifest.
 */
export async function effectiveDataDir(
  ctx: CheckContext,
  node: Node,
): Promise<EffectiveDataDir | { error: string; running: boolean }> {
  const live = await runningEtcd(ctx, node)
  const m = await ctx.manifest(node, 'etcd')
  if (live && live !== 'no-crictl') {
    const args = live.args.length > 0 ? live.args : (containerArgs(m?.doc) ?? [])
    const raw = flagValue(args, 'data-dir')
    const name = flagValue(args, 'name') ?? 'default'
    const dataDir = raw ? normalizePath(`/${raw}`) : `/${name}.etcd`
    const running = throughMounts(dataDir, live.mounts)
    const wanted = m?.doc && !m.error ? resolveFromManifest(m.doc).hostPath : undefined
    const stale = wanted !== undefined && wanted !== running.hostPath
    return {
      ...running,
      source: 'container',
      manifestPath: m?.path,
      running: true,
      ...(stale ? { manifestHostPath: wanted } : {}),
    }
  }
  if (!m)
    return {
      error: `no static pod manifest for etcd in /etc/kubernetes/manifests on ${node.name}`,
      running: false,
    }
  if (m.error) return { error: `${m.path} is not valid YAML: ${m.error}`, running: false }
  return { ...resolveFromManifest(m.doc), source: 'manifest', manifestPath: m.path, running: false }
}

/** Does `dir` on the node hold an etcd member (member/snap/db and member/wal)? */
export async function holdsMember(ctx: CheckContext, node: Node, dir: string): Promise<boolean> {
  const r = await ctx.exec(node, `test -f ${dir}/member/snap/db && test -d ${dir}/member/wal && echo member`)
  return r.exitCode === 0 && r.stdout.includes('member')
}

export interface SnapshotStatus {
  hash: string
  revision: number
  totalKeys: number
  totalSize: string
}

/** `snapshot status` with whichever tool this node's etcd version offers. */
export async function snapshotStatus(
  ctx: CheckContext,
  node: Node,
  file: string,
): Promise<{ status?: SnapshotStatus; error?: string }> {
  const hasEtcdutl = await ctx.once(`etcdutl-on:${node.name}`, async () => {
    const which = await ctx.exec(node, 'command -v etcdutl')
    return which.exitCode === 0 && which.stdout.trim() !== ''
  })
  const cmd = hasEtcdutl
    ? `etcdutl snapshot status ${file} -w json`
    : `ETCDCTL_API=3 etcdctl snapshot status ${file} -w json`
  const r = await ctx.exec(node, cmd)
  if (r.exitCode !== 0)
    return { error: (r.stderr || r.stdout).trim().split('\n').pop() ?? `exit ${r.exitCode}` }
  const line = r.stdout
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l.startsWith('{'))
  if (!line) return { error: 'snapshot status printed no status' }
  try {
    const j = parseJsonBig(line)
    return {
      status: {
        hash: Number(j.hash).toString(16),
        revision: Number(j.revision),
        totalKeys: Number(j.totalKey),
        totalSize: String(j.totalSize),
      },
    }
  } catch {
    return { error: `snapshot status printed something that is not JSON: ${line.slice(0, 200)}` }
  }
}

/** The current revision of the keyspace (for "taken after setup" comparisons). */
export async function currentRevision(ctx: CheckContext, node: Node): Promise<number | undefined> {
  const r = await ctx.etcdctl(node, 'endpoint status -w json')
  if (r.exitCode !== 0) return undefined
  try {
    const j = parseJsonBig(r.stdout)
    const rev = Number(j?.[0]?.Status?.header?.revision)
    return Number.isFinite(rev) ? rev : undefined
  } catch {
    return undefined
  }
}

export interface Member {
  id: string
  name: string
  peerURLs: string[]
  clientURLs: string[]
  isLearner: boolean
}

export async function memberList(
  ctx: CheckContext,
  node: Node,
  endpoint?: string,
): Promise<{ members?: Member[]; clusterId?: string; error?: string }> {
  const r = await ctx.etcdctl(node, 'member list -w json', endpoint)
  if (r.exitCode !== 0) return { error: (r.stderr || r.stdout).trim().split('\n').pop() }
  try {
    const j = parseJsonBig(r.stdout)
    return {
      clusterId: hexId(j.header.cluster_id),
      members: (j.members ?? []).map((m: any) => ({
        id: hexId(m.ID),
        name: m.name ?? '',
        peerURLs: m.peerURLs ?? [],
        clientURLs: m.clientURLs ?? [],
        isLearner: m.isLearner === true,
      })),
    }
  } catch {
    return { error: 'member list did not print JSON' }
  }
}

export interface EndpointStatus {
  endpoint: string
  memberId: string
  clusterId: string
  leader: string
  version: string
  revision: number
}

export async function endpointStatus(
  ctx: CheckContext,
  node: Node,
  endpoints: string,
): Promise<{ statuses: EndpointStatus[]; error?: string }> {
  const r = await ctx.etcdctl(node, 'endpoint status -w json', endpoints)
  let statuses: EndpointStatus[] = []
  try {
    const j = parseJsonBig(r.stdout || '[]')
    statuses = (Array.isArray(j) ? j : []).map((e: any) => ({
      endpoint: e.Endpoint,
      memberId: hexId(e.Status?.header?.member_id ?? 0),
      clusterId: hexId(e.Status?.header?.cluster_id ?? 0),
      leader: hexId(e.Status?.leader ?? 0),
      version: String(e.Status?.version ?? ''),
      revision: Number(e.Status?.header?.revision ?? 0),
    }))
  } catch {
    // fall through with what we have
  }
  return { statuses, error: r.exitCode !== 0 ? (r.stderr || 'endpoint status failed').trim() : undefined }
}

/** `etcdctl get KEY --keys-only`: true when the key exists, undefined when etcd cannot be asked. */
export async function etcdHasKey(ctx: CheckContext, node: Node, key: string): Promise<boolean | undefined> {
  const r = await ctx.etcdctl(node, `get ${key} --keys-only`)
  if (r.exitCode !== 0) return undefined
  return r.stdout.split('\n').some((l) => l.trim() === key)
}

export async function etcdHealthy(ctx: CheckContext, node: Node, endpoint?: string): Promise<boolean> {
  const r = await ctx.etcdctl(node, 'endpoint health', endpoint)
  return r.exitCode === 0 && /is healthy/.test(r.stdout + r.stderr)
}

/** The apiserver answers /readyz with ok. undefined result = not ready. */
export async function apiserverReady(ctx: CheckContext, node: Node): Promise<boolean> {
  const r = await ctx.kubectl(node, 'get --raw /readyz')
  return r.exitCode === 0 && r.stdout.trim() === 'ok'
}

/** Deployment presence through the apiserver: 'present' | 'absent' | 'unknown' (apiserver cannot answer). */
export async function deploymentState(
  ctx: CheckContext,
  node: Node,
  name: string,
  namespace = 'default',
): Promise<'present' | 'absent' | 'unknown'> {
  const r = await ctx.kubectl(node, `get deployment ${name} -n ${namespace} -o name`)
  if (r.exitCode === 0 && r.stdout.includes(name)) return 'present'
  if (r.notFound) return 'absent'
  return 'unknown'
}

/**
 * Whether the kubelet already ran the current static pod manifest and its
 * container keeps exiting: at least two attempts created since the manifest
 * last changed (its ctime, so a `mv` back into place counts), all exited.
 * Waiting longer then only sees the same container fail again (the kubelet's
 * back-off); one exit alone may be a restart's passing hiccup, so it does not count.
 */
export async function crashLooping(
  ctx: CheckContext,
  node: Node,
  container: string,
  manifestPath: string,
): Promise<boolean> {
  const changed = await ctx.exec(node, `stat -c %Z ${manifestPath}`)
  const changedMs = Number(changed.stdout.trim()) * 1000
  if (changed.exitCode !== 0 || !Number.isFinite(changedMs)) return false
  const ps = await ctx.exec(node, `crictl ps -a --name ${container} -o json`)
  if (ps.exitCode !== 0) return false
  let list: any[]
  try {
    list = JSON.parse(ps.stdout)?.containers ?? []
  } catch {
    return false
  }
  const since = list.filter(
    (c) => c?.metadata?.name === container && Number(c?.createdAt) / 1e6 >= changedMs - 1000,
  )
  return since.length >= 2 && since.every((c) => c?.state === 'CONTAINER_EXITED')
}

/**
 * Waits (once per grading) until etcd runs as its manifest says: a container is
 * running and, when the manifest was just edited, the kubelet has restarted it
 * on the edited manifest. Nothing is waited for when nothing will start etcd
 * (no manifest, or one that is not valid YAML) or when etcd keeps exiting on
 * the current manifest (see crashLooping), and later checks reuse the
 * answer instead of waiting again. Returns the last look at etcd.
 */
export function settledEtcd(
  ctx: CheckContext,
  node: Node,
  withinMs: number,
): Promise<EffectiveDataDir | { error: string; running: boolean }> {
  return ctx.once(`etcd-settled:${node.name}`, async () => {
    let last: EffectiveDataDir | { error: string; running: boolean } | undefined
    const settled = await ctx.waitFor(
      async () => {
        last = await effectiveDataDir(ctx, node)
        if ('error' in last) return last
        if (!last.running && last.manifestPath && (await crashLooping(ctx, node, 'etcd', last.manifestPath)))
          return last
        return last.running && last.manifestHostPath === undefined ? last : undefined
      },
      withinMs,
      {
        what: () =>
          last && !('error' in last) && last.running && last.manifestHostPath !== undefined
            ? `waiting for the kubelet to restart etcd with the edited manifest (hostPath ${last.manifestHostPath})`
            : 'waiting for the etcd container to be running',
      },
    )
    return settled ?? last ?? effectiveDataDir(ctx, node)
  })
}
