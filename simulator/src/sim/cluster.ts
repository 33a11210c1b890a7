import type { ClusterSpec, Environment, TerminalSize, TerminalStream } from '../seam'
import { base64ToBytes, bytesToBase64 } from './base64'
import { type Clock, RealClock, VirtualClock } from './clock'
import { commandTable } from './commands/table'
import type { SimCommand } from './commands/types'
import { Network } from './net'
import { SimNode } from './node'
import { CertRegistry, type PemInfo } from './pki'
import { getProfile, type Profile } from './profiles'
import { SEED_DIR_MODES, SEED_DIRS, type SeedNode, seedNode } from './vfs/seed'

// A simulated cluster: the nodes, the network between them, the clock, and the
// parts it is composed of, given by the caller (`standardParts()` in
// standard.ts is a whole kubeadm node): plugins that model Kubernetes (etcd
// members, kubelets, the apiserver), the commands of every node, and the
// interactive shell. This file knows none of them.

export interface ClusterPlugin {
  name: string
  /** Called once per cluster after the nodes' filesystems are seeded (or restored). */
  attach(cluster: SimCluster): void | Promise<void>
}

/** Opens an interactive shell on a node. */
export type TerminalFactory = (node: SimNode, size: TerminalSize) => Promise<TerminalStream>

/** What a simulated cluster is made of, beyond its nodes' files. */
export interface SimParts {
  /** Attached in this order to every new or restored cluster. */
  plugins: readonly ClusterPlugin[]
  /** Every node's commands beside bash's builtins; a later one of the same name replaces an earlier one. */
  commands: readonly SimCommand[]
  /** The interactive shell `openTerminal` gives; a cluster without one offers exec only. */
  terminal?: TerminalFactory
}

/** How old a fresh simulated cluster is when its lab opens, unless the spec says otherwise. */
export const DEFAULT_CLUSTER_AGE_MINUTES = 3 * 24 * 60 + 4 * 60 + 17

export interface CreateOptions extends SimParts {
  clock?: Clock
  /** Same seed → same certificates, ids and names. */
  seed?: string
  id?: string
  /** Restore files and state saved by `serialize()` instead of seeding fresh nodes. */
  restore?: SerializedCluster
}

export interface SerializedFile {
  type: 'file' | 'dir' | 'symlink'
  mode: number
  mtime: number
  /** base64 for files, the target for symlinks. */
  data?: string
  /** Owner when not root:root. */
  uid?: number
  gid?: number
  /** The size a real disk shows when it differs from the bytes kept (preallocated WAL). */
  size?: number
}

export interface SerializedCluster {
  format: 'ckalab.sim/v1'
  id: string
  spec: ClusterSpec
  seed: string
  now: number
  certs: Array<[string, PemInfo]>
  nodes: Array<{ name: string; files: Record<string, SerializedFile> }>
  /** Extra state owned by plugins, keyed by plugin name. */
  plugins: Record<string, unknown>
}

export interface NodePlan extends SeedNode {}

/** Node names and addresses for a spec: `controlplane` alone, or kind-style names when asked for. */
export function planNodes(spec: ClusterSpec): NodePlan[] {
  const plan: NodePlan[] = []
  const cps = Math.max(1, spec.controlPlanes)
  for (let i = 1; i <= cps; i++) {
    const name = spec.name
      ? `${spec.name}-control-plane${i === 1 ? '' : i}`
      : i === 1
        ? 'controlplane'
        : `controlplane${i}`
    plan.push({ name, ip: `172.30.1.${i + 1}`, role: 'control-plane' })
  }
  for (let i = 1; i <= (spec.workers ?? 0); i++) {
    const name = spec.name ? `${spec.name}-worker${i === 1 ? '' : i}` : `node0${i}`
    plan.push({ name, ip: `172.30.2.${i + 1}`, role: 'worker' })
  }
  return plan
}

export class SimCluster implements Environment {
  readonly driver = 'sim'
  readonly nodes: SimNode[] = []
  readonly network = new Network()
  readonly profile: Profile
  certs: CertRegistry
  /** Per-plugin singletons (the etcd runtime, the apiserver …), keyed by plugin name. */
  readonly extensions = new Map<string, unknown>()
  /** Plugins' serializers, called by serialize(). */
  readonly stateSavers = new Map<string, () => unknown>()
  /** Every node's commands by name (the composition's `commands`). */
  readonly commands: ReadonlyMap<string, SimCommand>
  readonly plugins: readonly ClusterPlugin[]
  readonly terminal: TerminalFactory | undefined
  private disposed = false
  private changeListeners = new Set<() => void>()

  constructor(
    readonly id: string,
    readonly spec: ClusterSpec,
    readonly clock: Clock,
    readonly seed: string,
    parts: SimParts,
  ) {
    this.profile = getProfile(spec.kubernetes)
    this.certs = new CertRegistry()
    this.commands = commandTable(parts.commands)
    this.plugins = [...parts.plugins]
    this.terminal = parts.terminal
  }

  node(name: string): SimNode | undefined {
    return this.nodes.find((n) => n.name === name)
  }

  /** The node an address (name, IP) means, as seen from `from`. */
  nodeByAddress(from: SimNode, host: string): SimNode | undefined {
    const name = this.network.nodeFor(from.name, host)
    return name ? this.node(name) : undefined
  }

  get controlPlanes(): SimNode[] {
    return this.nodes.filter((n) => n.role === 'control-plane')
  }

  extension<T>(name: string): T | undefined {
    return this.extensions.get(name) as T | undefined
  }

  async settle(ms: number): Promise<void> {
    await this.clock.advance(ms)
  }

  /** The seam's persistence capability: the whole cluster as JSON bytes (see `SimDriver.restore`). */
  readonly persistence = {
    serialize: async (): Promise<Uint8Array> =>
      new TextEncoder().encode(JSON.stringify(await this.serialize())),
    onChange: (listener: () => void): (() => void) => this.onChange(listener),
  }

  /** Something worth saving happened (a file, etcd data); persistence listens here. */
  onChange(listener: () => void): () => void {
    this.changeListeners.add(listener)
    return () => this.changeListeners.delete(listener)
  }

  notifyChange(): void {
    for (const l of this.changeListeners) l()
  }

  /** Serialized files by node and path; entries are dropped when the file changes. */
  private serialCache = new Map<string, Map<string, SerializedFile>>()

  private cacheFor(node: SimNode): Map<string, SerializedFile> {
    let cache = this.serialCache.get(node.name)
    if (!cache) {
      const fresh = new Map<string, SerializedFile>()
      cache = fresh
      this.serialCache.set(node.name, fresh)
      node.own(
        node.fs.onChange((change) => {
          for (const p of [change.path, change.to]) {
            if (!p) continue
            fresh.delete(p)
            // A removed or renamed directory takes its whole subtree with it.
            if (change.kind === 'remove' || change.kind === 'rename') {
              const prefix = p.endsWith('/') ? p : `${p}/`
              for (const key of fresh.keys()) if (key.startsWith(prefix)) fresh.delete(key)
            }
          }
        }),
      )
    }
    return cache
  }

  /**
   * Everything needed to bring this cluster back: files, certificates, time,
   * plugin state. Files unchanged since the last call are not read again, so
   * saving after every change stays cheap.
   */
  async serialize(): Promise<SerializedCluster> {
    const nodes: SerializedCluster['nodes'] = []
    for (const node of this.nodes) {
      const cache = this.cacheFor(node)
      const files: Record<string, SerializedFile> = {}
      for (const path of node.fs.getAllPaths()) {
        if (path === '/') continue
        const cached = cache.get(path)
        if (cached) {
          files[path] = cached
          continue
        }
        let st: Awaited<ReturnType<typeof node.fs.lstat>>
        try {
          st = await node.fs.lstat(path)
        } catch {
          continue
        }
        const owner = node.fs.owner(path)
        const base: Pick<SerializedFile, 'mode' | 'mtime' | 'uid' | 'gid'> = {
          mode: st.mode,
          mtime: st.mtime.getTime(),
        }
        if (owner.uid !== 0 || owner.gid !== 0) Object.assign(base, owner)
        let entry: SerializedFile
        if (st.isSymbolicLink) entry = { type: 'symlink', ...base, data: await node.fs.readlink(path) }
        else if (st.isDirectory) entry = { type: 'dir', ...base }
        else {
          const data = await node.fs.readFileBuffer(path)
          entry = { type: 'file', ...base, data: bytesToBase64(data) }
          if (st.size !== data.length) entry.size = st.size
        }
        files[path] = entry
        // Directories change with their entries (mtime), and nothing tells us cheaply; keep only files.
        if (entry.type !== 'dir') cache.set(path, entry)
      }
      nodes.push({ name: node.name, files })
    }
    const pluginState: Record<string, unknown> = {}
    for (const [name, save] of this.stateSavers) pluginState[name] = save()
    return {
      format: 'ckalab.sim/v1',
      id: this.id,
      spec: this.spec,
      seed: this.seed,
      now: this.clock.now(),
      certs: this.certs.toJSON(),
      nodes,
      plugins: pluginState,
    }
  }

  async dispose(): Promise<void> {
    if (this.disposed) return
    this.disposed = true
    for (const n of this.nodes) n.dispose()
    this.changeListeners.clear()
  }

  get isDisposed(): boolean {
    return this.disposed
  }
}

async function writeSeed(node: SimNode, files: ReturnType<typeof seedNode>): Promise<void> {
  const inner = node.fs.inner
  const t = new Date(node.cluster.clock.now())
  for (const dir of SEED_DIRS) inner.mkdirSync(dir, { recursive: true })
  for (const [path, f] of files) {
    inner.writeFileSync(path, f.content, undefined, { mode: f.mode ?? 0o644, mtime: t })
  }
  for (const [dir, mode] of Object.entries(SEED_DIR_MODES)) await inner.chmod(dir, mode)
  // Every directory the node was installed with is as old as the node.
  for (const path of inner.getAllPaths()) {
    const st = await inner.lstat(path).catch(() => undefined)
    if (st?.isDirectory) await inner.utimes(path, t, t).catch(() => {})
  }
}

async function restoreFiles(node: SimNode, saved: Record<string, SerializedFile>): Promise<void> {
  const inner = node.fs.inner
  const entries = Object.entries(saved).sort(([a], [b]) => a.length - b.length)
  for (const [path, f] of entries) {
    if (f.type === 'dir') inner.mkdirSync(path, { recursive: true })
  }
  for (const [path, f] of entries) {
    if (f.type === 'file') {
      inner.writeFileSync(path, base64ToBytes(f.data ?? ''), undefined, {
        mode: f.mode,
        mtime: new Date(f.mtime),
      })
      if (f.size !== undefined) node.fs.preallocate(path, f.size)
    } else if (f.type === 'symlink') {
      try {
        await inner.symlink(f.data ?? '', path)
      } catch {
        // An unreadable link is dropped rather than failing the whole restore.
      }
    }
  }
  for (const [path, f] of entries) {
    if (f.type === 'dir') await inner.chmod(path, f.mode).catch(() => {})
    if (f.type === 'dir') await inner.utimes(path, new Date(f.mtime), new Date(f.mtime)).catch(() => {})
    if (f.uid !== undefined || f.gid !== undefined)
      node.fs.restoreMetadata({ owners: { [path]: { uid: f.uid ?? 0, gid: f.gid ?? 0 } } })
  }
}

let counter = 0

/** A cluster for `spec` made of the given parts (see `standardParts()` for a whole kubeadm node). */
export async function createSimCluster(spec: ClusterSpec, opts: CreateOptions): Promise<SimCluster> {
  const restore = opts.restore
  const effectiveSpec = restore?.spec ?? spec
  const seed = restore?.seed ?? opts.seed ?? 'ckalab'
  const id = restore?.id ?? opts.id ?? `sim-${Date.now().toString(36)}-${(counter++).toString(36)}`
  const clock = opts.clock ?? (restore ? new RealClock(restore.now) : new VirtualClock())
  const cluster = new SimCluster(id, effectiveSpec, clock, seed, opts)
  if (restore) cluster.certs = CertRegistry.fromJSON(restore.certs)
  // A fresh cluster boots in the past: kubeadm ran days before the learner arrives.
  const ageMs = restore ? 0 : (effectiveSpec.ageMinutes ?? DEFAULT_CLUSTER_AGE_MINUTES) * 60_000
  const backToNow = clock.rewind(ageMs)
  try {
    await bootNodes(cluster, effectiveSpec, restore, seed)
  } finally {
    backToNow()
  }
  return cluster
}

async function bootNodes(
  cluster: SimCluster,
  effectiveSpec: ClusterSpec,
  restore: SerializedCluster | undefined,
  seed: string,
): Promise<void> {
  const plan = planNodes(effectiveSpec)
  const firstCp = plan[0]
  const earlier: NodePlan[] = []
  for (const p of plan) {
    const node = new SimNode({ name: p.name, role: p.role, ip: p.ip, cluster })
    cluster.nodes.push(node)
    cluster.network.addNode(p.name, p.ip)
    const saved = restore?.nodes.find((n) => n.name === p.name)
    if (saved) {
      await restoreFiles(node, saved.files)
    } else {
      await writeSeed(
        node,
        seedNode({
          profile: cluster.profile,
          node: p,
          earlierControlPlanes: p.role === 'control-plane' ? [...earlier] : [],
          apiEndpoint: firstCp,
          certs: cluster.certs,
          clusterSeed: seed,
        }),
      )
    }
    if (p.role === 'control-plane') earlier.push(p)
  }
  if (restore) cluster.extensions.set('restore', restore.plugins)
  for (const plugin of cluster.plugins) await plugin.attach(cluster)
}
