import type { KubeObject } from './api'

// How the apiserver stores objects in etcd: under the real /registry/... keys,
// in the protobuf envelope real storage uses (`k8s\0` + runtime.Unknown with
// TypeMeta), with the object itself as JSON inside the raw field. `etcdctl get`
// therefore prints the same binary-looking prefix as on a real cluster.

export interface ResourceInfo {
  /** Plural name, as kubectl and the URL paths use it. */
  plural: string
  kind: string
  apiVersion: string
  namespaced: boolean
  /** Key prefix without the trailing slash, e.g. /registry/minions. */
  prefix: string
  /** Group for kubectl's messages, e.g. deployments.apps. */
  qualified: string
  shortNames: string[]
}

function r(
  plural: string,
  kind: string,
  apiVersion: string,
  namespaced: boolean,
  prefix: string,
  shortNames: string[] = [],
): ResourceInfo {
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : ''
  return {
    plural,
    kind,
    apiVersion,
    namespaced,
    prefix,
    qualified: group ? `${plural}.${group}` : plural,
    shortNames,
  }
}

export const RESOURCES: ResourceInfo[] = [
  r('pods', 'Pod', 'v1', true, '/registry/pods', ['po']),
  r('deployments', 'Deployment', 'apps/v1', true, '/registry/deployments', ['deploy']),
  r('replicasets', 'ReplicaSet', 'apps/v1', true, '/registry/replicasets', ['rs']),
  r('daemonsets', 'DaemonSet', 'apps/v1', true, '/registry/daemonsets', ['ds']),
  r('statefulsets', 'StatefulSet', 'apps/v1', true, '/registry/statefulsets', ['sts']),
  r('nodes', 'Node', 'v1', false, '/registry/minions', ['no']),
  r('namespaces', 'Namespace', 'v1', false, '/registry/namespaces', ['ns']),
  r('services', 'Service', 'v1', true, '/registry/services/specs', ['svc']),
  r('endpoints', 'Endpoints', 'v1', true, '/registry/services/endpoints', ['ep']),
  r('events', 'Event', 'v1', true, '/registry/events', ['ev']),
  r('configmaps', 'ConfigMap', 'v1', true, '/registry/configmaps', ['cm']),
  r('secrets', 'Secret', 'v1', true, '/registry/secrets'),
  r('serviceaccounts', 'ServiceAccount', 'v1', true, '/registry/serviceaccounts', ['sa']),
  r('leases', 'Lease', 'coordination.k8s.io/v1', true, '/registry/leases'),
  r('priorityclasses', 'PriorityClass', 'scheduling.k8s.io/v1', false, '/registry/priorityclasses', ['pc']),
  r('clusterroles', 'ClusterRole', 'rbac.authorization.k8s.io/v1', false, '/registry/clusterroles'),
  r(
    'clusterrolebindings',
    'ClusterRoleBinding',
    'rbac.authorization.k8s.io/v1',
    false,
    '/registry/clusterrolebindings',
  ),
  r('roles', 'Role', 'rbac.authorization.k8s.io/v1', true, '/registry/roles'),
  r('rolebindings', 'RoleBinding', 'rbac.authorization.k8s.io/v1', true, '/registry/rolebindings'),
]

const BY_NAME = new Map<string, ResourceInfo>()
for (const info of RESOURCES) {
  BY_NAME.set(info.plural, info)
  BY_NAME.set(info.kind.toLowerCase(), info)
  BY_NAME.set(info.qualified, info)
  for (const s of info.shortNames) BY_NAME.set(s, info)
}
BY_NAME.set('node', BY_NAME.get('nodes') as ResourceInfo)

/** The resource a kubectl-style name means (plural, singular, short, or qualified), if known. */
export function resourceInfo(name: string): ResourceInfo | undefined {
  return BY_NAME.get(name.toLowerCase())
}

export function resourceForKind(kind: string): ResourceInfo | undefined {
  return BY_NAME.get(kind.toLowerCase())
}

export function storageKey(info: ResourceInfo, name: string, namespace?: string): string {
  return info.namespaced ? `${info.prefix}/${namespace ?? 'default'}/${name}` : `${info.prefix}/${name}`
}

// etcd values are strings in the simulated keyspace: each char below is one byte
// of the envelope, the JSON body is the object's own text.
const MAGIC = 'k8s\u0000'

function varint(n: number): string {
  let out = ''
  let v = n
  while (v >= 0x80) {
    out += String.fromCharCode((v & 0x7f) | 0x80)
    v = Math.floor(v / 128)
  }
  return out + String.fromCharCode(v)
}

function field(tag: number, text: string): string {
  return String.fromCharCode(tag) + varint(text.length) + text
}

export function encodeObject(obj: KubeObject): string {
  const typeMeta = field(0x0a, obj.apiVersion) + field(0x12, obj.kind)
  return `${MAGIC}${field(0x0a, typeMeta)}${field(0x12, JSON.stringify(obj))}\u001a\u0000\u0022\u0000`
}

function readVarint(s: string, at: number): [number, number] {
  let v = 0
  let mul = 1
  let i = at
  for (;;) {
    const c = s.charCodeAt(i++)
    if (Number.isNaN(c)) throw new Error('truncated varint')
    v += (c & 0x7f) * mul
    if (c < 0x80) break
    mul *= 128
  }
  return [v, i]
}

/** Decode a stored value; undefined for values this apiserver did not write (e.g. `etcdctl put` junk). */
export function decodeObject(value: string): KubeObject | undefined {
  try {
    if (!value.startsWith(MAGIC)) return undefined
    let at = MAGIC.length
    if (value.charCodeAt(at) !== 0x0a) return undefined
    let len: number
    ;[len, at] = readVarint(value, at + 1)
    at += len
    if (value.charCodeAt(at) !== 0x12) return undefined
    ;[len, at] = readVarint(value, at + 1)
    const obj = JSON.parse(value.slice(at, at + len)) as KubeObject
    return obj && typeof obj === 'object' && obj.metadata ? obj : undefined
  } catch {
    return undefined
  }
}

/** A copy of a value that came from JSON.parse (plain objects, arrays, primitives only). */
export function cloneJson<T>(v: T): T {
  if (v === null || typeof v !== 'object') return v
  if (Array.isArray(v)) return v.map(cloneJson) as T
  const out: Record<string, unknown> = {}
  for (const k in v) out[k] = cloneJson((v as Record<string, unknown>)[k])
  return out as T
}

/**
 * Decoded objects by storage key, so a list does not parse every stored
 * value again. An entry is used only while etcd holds the very same value
 * (a restored snapshot can reuse a key and revision with other content);
 * callers get their own copy, since they edit what they are given.
 */
export class DecodeCache {
  private entries = new Map<string, { value: string; obj: KubeObject | undefined }>()

  constructor(private readonly limit = 20_000) {}

  /** The object stored as `value` under `key`, shared: read it, do not change it. */
  peek(key: string, value: string): KubeObject | undefined {
    const hit = this.entries.get(key)
    if (hit && hit.value === value) return hit.obj
    const obj = decodeObject(value)
    // Beyond the limit start over rather than track recency: lists refill it at once.
    if (this.entries.size >= this.limit) this.entries.clear()
    this.entries.set(key, { value, obj })
    return obj
  }

  /** A copy of the object stored as `value` under `key`, the caller's to change. */
  decode(key: string, value: string): KubeObject | undefined {
    const obj = this.peek(key, value)
    return obj ? cloneJson(obj) : undefined
  }
}
