import type { IFileSystem } from 'just-bash'
import { parse as parseYaml, stringify } from 'yaml'
import { goYamlFailure } from './goyaml'

// Kubeconfig loading with kubectl's precedence: --kubeconfig, then every file
// in $KUBECONFIG (first file wins per key), then ~/.kube/config. With none,
// kubectl talks to http://localhost:8080 and fails the way a learner sees it.

export interface NamedCluster {
  name: string
  cluster: { server?: string; 'certificate-authority-data'?: string; [k: string]: unknown }
}
export interface NamedContext {
  name: string
  context: { cluster?: string; user?: string; namespace?: string; [k: string]: unknown }
}
export interface NamedUser {
  name: string
  user: Record<string, unknown>
}

export interface Kubeconfig {
  clusters: NamedCluster[]
  contexts: NamedContext[]
  users: NamedUser[]
  currentContext: string
  preferences: Record<string, unknown>
}

export interface LoadedConfig {
  config: Kubeconfig
  /** Files that existed and were read. */
  files: string[]
  /** The file `config set-*` would write. */
  writeTarget: string
}

export class ConfigError extends Error {}

const asArray = (v: unknown): any[] => (Array.isArray(v) ? v : [])

async function exists(fs: IFileSystem, path: string): Promise<boolean> {
  try {
    return (await fs.stat(path)).isFile
  } catch {
    return false
  }
}

function emptyConfig(): Kubeconfig {
  return { clusters: [], contexts: [], users: [], currentContext: '', preferences: {} }
}

function mergeInto(target: Kubeconfig, doc: any): void {
  const addNamed = <T extends { name: string }>(list: T[], items: any[]) => {
    for (const item of items) {
      if (item && typeof item.name === 'string' && !list.some((x) => x.name === item.name)) list.push(item)
    }
  }
  addNamed(target.clusters, asArray(doc?.clusters))
  addNamed(target.contexts, asArray(doc?.contexts))
  addNamed(target.users, asArray(doc?.users))
  if (!target.currentContext && typeof doc?.['current-context'] === 'string')
    target.currentContext = doc['current-context']
}

// Every kubectl call reads the kubeconfig; parsing the same text again is the
// most expensive part of a `kubectl get`, so parsed documents are kept by content.
const parsed = new Map<string, unknown>()

function parseCached(text: string): unknown {
  if (parsed.has(text)) return structuredClone(parsed.get(text))
  const doc = parseYaml(text)
  if (parsed.size > 32) parsed.clear()
  parsed.set(text, doc)
  return structuredClone(doc)
}

export async function loadKubeconfig(
  fs: IFileSystem,
  cwd: string,
  env: Record<string, string>,
  explicit?: string,
): Promise<LoadedConfig> {
  const resolve = (p: string) => fs.resolvePath(cwd, p)
  const home = env.HOME || '/root'
  let candidates: string[]
  let mustExist = false
  if (explicit) {
    candidates = [resolve(explicit)]
    mustExist = true
  } else if (env.KUBECONFIG) {
    candidates = env.KUBECONFIG.split(':').filter(Boolean).map(resolve)
  } else candidates = [`${home}/.kube/config`]
  const config = emptyConfig()
  const files: string[] = []
  for (const path of candidates) {
    if (!(await exists(fs, path))) {
      if (mustExist) throw new ConfigError(`stat ${explicit}: no such file or directory`)
      continue
    }
    const text = await fs.readFile(path)
    let doc: unknown
    try {
      doc = parseCached(text)
    } catch (err) {
      const e = err as { code?: string; pos?: [number, number]; message: string }
      const why =
        e.code && e.pos
          ? (({ line, message }) => `yaml: line ${line}: ${message}`)(
              goYamlFailure(text, e as Required<typeof e>),
            )
          : e.message.split('\n')[0]
      throw new ConfigError(`error loading config file "${path}": ${why}`)
    }
    if (doc !== null && doc !== undefined && typeof doc !== 'object')
      throw new ConfigError(
        `error loading config file "${path}": couldn't get version/kind; json parse error: json: cannot unmarshal string into Go value of type struct { APIVersion string "json:\\"apiVersion,omitempty\\""; Kind string "json:\\"kind,omitempty\\"" }`,
      )
    mergeInto(config, doc)
    files.push(path)
  }
  return { config, files, writeTarget: files[0] ?? candidates[0] }
}

export interface Target {
  /** `https://172.30.1.2:6443`, or `http://localhost:8080` when nothing is configured. */
  serverUrl: string
  /** `172.30.1.2:6443` / `localhost:8080`: how kubectl's errors name the server. */
  hostPort: string
  contextName: string
  namespace: string
  /** The cluster's certificate-authority-data (base64), when the kubeconfig has one. */
  caData?: string
}

export function resolveTarget(
  c: Kubeconfig,
  o: { context?: string; cluster?: string; server?: string; namespace?: string },
): Target {
  const contextName = o.context ?? c.currentContext
  if (o.context && !c.contexts.some((x) => x.name === o.context))
    throw new ConfigError(`context was not found for specified context: ${o.context}`)
  const ctx = c.contexts.find((x) => x.name === contextName)?.context
  const clusterName = o.cluster ?? ctx?.cluster
  if (o.cluster && !c.clusters.some((x) => x.name === o.cluster))
    throw new ConfigError(`cluster "${o.cluster}" does not exist`)
  const cluster = c.clusters.find((x) => x.name === clusterName)?.cluster
  const serverUrl = o.server ?? cluster?.server ?? 'http://localhost:8080'
  const hostPort = serverUrl.replace(/^[a-z]+:\/\//, '').replace(/\/.*$/, '')
  const caData = cluster?.['certificate-authority-data']
  return {
    serverUrl,
    hostPort,
    contextName,
    namespace: o.namespace ?? ctx?.namespace ?? 'default',
    caData: typeof caData === 'string' ? caData : undefined,
  }
}

const REDACT_CERT = 'DATA+OMITTED'
const REDACT = 'REDACTED'

const byName = <T extends { name: string }>(list: T[]): T[] =>
  [...list].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))

/**
 * `kubectl config view` output: entries sorted by name (kubectl keeps them in
 * maps), secrets shortened unless --raw or --flatten (certificate and key data
 * as DATA+OMITTED in 1.26+, verified on 1.32 and 1.36; tokens REDACTED);
 * --minify keeps the current context only.
 */
export function viewConfig(
  c: Kubeconfig,
  o: { raw?: boolean; minify?: boolean; context?: string; minor?: number },
): string {
  let clusters = byName(c.clusters)
  let contexts = byName(c.contexts)
  let users = byName(c.users)
  const current = o.context ?? c.currentContext
  if (o.minify) {
    contexts = contexts.filter((x) => x.name === current)
    const ctx = contexts[0]?.context
    clusters = clusters.filter((x) => x.name === ctx?.cluster)
    users = users.filter((x) => x.name === ctx?.user)
  }
  const redact = (obj: Record<string, unknown>, certMark: string) => {
    if (o.raw) return obj
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(obj))
      out[k] = k.endsWith('-data') ? certMark : k === 'token' || k === 'password' ? REDACT : v
    return out
  }
  const doc = {
    apiVersion: 'v1',
    clusters: clusters.length
      ? clusters.map((x) => ({ cluster: sortKeys(redact(x.cluster, REDACT_CERT)), name: x.name }))
      : null,
    contexts: contexts.length ? contexts.map((x) => ({ context: sortKeys(x.context), name: x.name })) : null,
    'current-context': current ?? '',
    kind: 'Config',
    // 1.34 deprecated kubeconfig preferences (kubernetes#131741): an empty one is no longer printed
    preferences:
      (o.minor ?? 34) >= 34 && !Object.keys(c.preferences ?? {}).length ? undefined : (c.preferences ?? {}),
    users: users.length
      ? users.map((x) => ({
          name: x.name,
          user: sortKeys(redact(x.user ?? {}, (o.minor ?? 34) >= 26 ? REDACT_CERT : REDACT)),
        }))
      : null,
  }
  return stringify(doc, {
    indentSeq: false,
    lineWidth: 0,
    defaultStringType: 'PLAIN',
    nullStr: 'null',
  }).replace(/^current-context: ''$/m, 'current-context: ""')
}

function sortKeys(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
}
