import { randomBytes } from 'node:crypto'
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Docker from 'dockerode'
import type { ClusterSpec, Driver, Environment, Node, ProbeResult, ProfileId, Progress } from '../../seam'
import { PROFILES } from '../../sim/profiles'
import { kindConfig, kindConfigYaml, specProblem } from './config'
import {
  CLUSTER_LABEL,
  KIND_NETWORK,
  listClusterContainers,
  listClustersByPrefix,
  networkExists,
  removeClusterContainers,
  removeNetworkIfUnused,
} from './docker'
import { runKind, tailLines } from './kind-cli'
import { KindNode } from './node'
import { nodeAddresses, setUpNodeAccess } from './node-access'
import { COPY_ETCD_CLIENTS_SCRIPT, prepareNodeImage } from './prepared-image'
import { describeProblems, type Problem, problems } from './probe'
import { gatherHostFacts, kindVersion, shortError } from './probe-facts'
import { AFTER_KIND, KindProgress } from './progress'
import { PROFILE_IMAGES, profileSupportProblem } from './versions'
import { type CreateFn, startWarmPool, type WarmPool, warmOrFresh } from './warm-pool'

// The `kind` driver: real clusters made by the kind CLI, driven through
// dockerode afterwards. One environment = one kind cluster `ckalab-<id>`.

export interface KindDriverOptions {
  /** kind binary; default `kind` from PATH (from-env.ts reads CKALAB_KIND_PATH / CKALAB_KIND). */
  kindPath?: string
  docker?: Docker
  /** Most ckalab clusters alive at once on this Docker engine (default 3; from-env.ts: CKALAB_KIND_MAX_CLUSTERS). */
  maxClusters?: number
  /** Node image per profile instead of kind's (e.g. a locally built one). */
  nodeImages?: Partial<Record<ProfileId, string>>
  /** Build the prepared image (etcd clients, editors) per profile; default true. */
  prepareImages?: boolean
  /** kind's --wait; default 5m. */
  wait?: string
  /** Folder for generated configs and kubeconfigs; default <tmp>/ckalab-kind. */
  workDir?: string
  /** Prefix of cluster names ckalab owns; default `ckalab-`. */
  clusterPrefix?: string
  /** Ends a kind run that hangs; default 15 min. */
  createTimeoutMs?: number
  /** Every chunk kind writes while creating a cluster (stdout and stderr), e.g. for a log. */
  onKindOutput?: (cluster: string, chunk: string) => void
  /** Clusters of one spec kept ready (started by `startWarmPool`), so "start" takes seconds. */
  warmPool?: { spec: ClusterSpec; size: number }
}

export class KindCapacityError extends Error {
  constructor(running: number, max: number) {
    super(
      `at capacity: ${running} of ${max} real clusters are in use on this Docker engine; finish or reset another attempt, use the simulator, or raise CKALAB_KIND_MAX_CLUSTERS`,
    )
    this.name = 'KindCapacityError'
  }
}

export class KindCreateError extends Error {
  constructor(
    message: string,
    readonly outputTail: string[] = [],
  ) {
    super(
      outputTail.length
        ? `${message}\nlast lines from kind:\n${outputTail.map((l) => `  ${l}`).join('\n')}`
        : message,
    )
    this.name = 'KindCreateError'
  }
}

export interface KindProbeResult extends ProbeResult {
  problems: Problem[]
  /** What would stop a three-control-plane lab while single-node labs work. */
  warnings: Problem[]
}

export class KindDriver implements Driver {
  readonly name = 'kind'
  readonly docker: Docker
  readonly kindPath: string
  readonly maxClusters: number
  readonly prefix: string
  private readonly opts: KindDriverOptions
  private readonly workDir: string
  /** Clusters this process is creating right now: counted for capacity, spared by the reaper. */
  private readonly creating = new Set<string>()
  private pool: WarmPool | undefined

  constructor(opts: KindDriverOptions = {}) {
    this.opts = opts
    this.docker = opts.docker ?? new Docker()
    this.kindPath = opts.kindPath ?? 'kind'
    this.maxClusters = opts.maxClusters ?? 3
    this.prefix = opts.clusterPrefix ?? 'ckalab-'
    this.workDir = opts.workDir ?? join(tmpdir(), 'ckalab-kind')
  }

  clusterName(id: string): string {
    return `${this.prefix}${id}`
  }

  async probe(opts: { controlPlanes?: number } = {}): Promise<KindProbeResult> {
    const facts = await gatherHostFacts(this.docker, this.kindPath)
    const found = problems(facts, opts.controlPlanes ?? 1)
    const warnings =
      opts.controlPlanes === undefined
        ? problems(facts, 3).filter((p) => !found.some((f) => f.what === p.what))
        : []
    return { ok: found.length === 0, reason: describeProblems(found), problems: found, warnings }
  }

  /**
   * Starts keeping `warmPool.size` clusters of `warmPool.spec` ready; `create`
   * hands one out when the spec matches and a new one is made in the
   * background. They count against the capacity. `close` deletes them.
   */
  startWarmPool(onError?: (e: unknown) => void, make: CreateFn = (s, p, sig) => this.createFresh(s, p, sig)) {
    this.pool = startWarmPool(this.pool, this.opts.warmPool, make, onError)
  }

  /** Clusters ready in the warm pool right now. */
  get warmCount(): number {
    return this.pool?.readyCount ?? 0
  }

  /** Deletes the warm pool's clusters (an attempt's cluster is its own to dispose). */
  async close(): Promise<void> {
    await this.pool?.stop()
  }

  create(spec: ClusterSpec, onProgress?: (p: Progress) => void, signal?: AbortSignal): Promise<Environment> {
    return warmOrFresh(
      this.pool,
      (s, p, sig) => this.createFresh(s, p, sig),
      'Cluster ready (kept warm)',
      spec,
      onProgress,
      signal,
    )
  }

  private async createFresh(
    spec: ClusterSpec,
    onProgress?: (p: Progress) => void,
    signal?: AbortSignal,
  ): Promise<Environment> {
    const bad = specProblem(spec)
    if (bad) throw new KindCreateError(`cannot create this cluster: ${bad}`)
    const profile = PROFILES[spec.kubernetes]
    if (!profile) throw new KindCreateError(`unknown Kubernetes version ${spec.kubernetes}`)
    const emit = monotone(onProgress)
    signal?.throwIfAborted()

    const id = randomBytes(4).toString('hex')
    const name = this.clusterName(id)
    await this.reserve(name)
    const dir = join(this.workDir, name)
    let kindStarted = false
    // kind makes its network on first use and keeps it; a failed first creation should not leave it
    let networkBefore = true
    try {
      // kind itself, and whether it runs this profile
      const kind = await kindVersion(this.kindPath)
      if ('error' in kind) {
        const text = describeProblems(problems({ kind }))
        throw new KindCreateError(text ?? `kind is not usable (${kind.error})`)
      }
      const custom = this.opts.nodeImages?.[spec.kubernetes]
      const unsupported = profileSupportProblem(spec.kubernetes, kind.version, custom !== undefined)
      if (unsupported) throw new KindCreateError(unsupported)
      const baseImage = custom ?? PROFILE_IMAGES[spec.kubernetes].image

      // the prepared image (cached by tag); without it the clients are copied in after creation
      let image = baseImage
      let prepared = false
      let kindFrom = 0
      if (this.opts.prepareImages !== false) {
        emit({ fraction: 0, step: 'Preparing node image' })
        try {
          const r = await prepareNodeImage(this.docker, {
            baseImage,
            profile,
            onStep: (line) => emit({ fraction: 0.02, step: `Preparing node image: ${line}` }),
          })
          image = r.tag
          prepared = true
          kindFrom = r.built ? 0.1 : 0
        } catch (e) {
          emit({
            fraction: 0.02,
            step: `Node image not prepared (${shortError(e)}); etcdctl will be copied from etcd`,
          })
        }
      }
      signal?.throwIfAborted()

      await mkdir(dir, { recursive: true })
      const configPath = join(dir, 'kind-config.yaml')
      await writeFile(configPath, kindConfigYaml(kindConfig(spec, { name, image })))

      const parser = new KindProgress(spec, (p) =>
        emit({ fraction: kindFrom + p.fraction * (1 - kindFrom), step: p.step }),
      )
      networkBefore = await networkExists(this.docker, KIND_NETWORK)
      kindStarted = true
      const run = await runKind(
        this.kindPath,
        ['create', 'cluster', '--name', name, '--config', configPath, '--wait', this.opts.wait ?? '5m'],
        {
          // a private kubeconfig: creating a lab never touches the user's ~/.kube/config
          env: { ...process.env, KUBECONFIG: join(dir, 'kubeconfig') },
          signal,
          onOutput: (chunk) => {
            parser.push(chunk)
            this.opts.onKindOutput?.(name, chunk)
          },
          timeoutMs: this.opts.createTimeoutMs ?? 15 * 60_000,
        },
      )
      parser.end()
      if (run.aborted) throw abortError(signal)
      if (run.code !== 0) {
        throw new KindCreateError(
          `kind could not create the cluster ${name} (exit ${run.code ?? run.signal}); nothing was left behind`,
          tailLines(run.output),
        )
      }

      const env = await this.attach(id, spec)
      if (!env || env.nodes.length === 0) {
        throw new KindCreateError(
          `kind reported success but no node carries ${CLUSTER_LABEL}=${name}`,
          tailLines(run.output),
        )
      }
      const nodeCount = spec.controlPlanes + (spec.workers ?? 0)
      if (env.nodes.length !== nodeCount) {
        throw new KindCreateError(`expected ${nodeCount} nodes in ${name}, found ${env.nodes.length}`)
      }
      if (!prepared) {
        emit({ fraction: 1 - AFTER_KIND / 2, step: 'Installing etcdctl from the etcd container' })
        await Promise.all(
          env.nodes
            .filter((n) => n.role === 'control-plane')
            .map(async (n) => {
              const r = await n.exec(COPY_ETCD_CLIENTS_SCRIPT, { timeoutMs: 150_000 })
              if (r.exitCode !== 0)
                throw new KindCreateError(`could not install etcdctl on ${n.name}: ${r.stderr.trim()}`)
            }),
        )
      }
      if (env.nodes.length > 1) {
        emit({ fraction: 1 - AFTER_KIND / 4, step: 'Setting up ssh between nodes' })
        const nodes = env.nodes as KindNode[]
        const access = await setUpNodeAccess(nodes, await nodeAddresses(this.docker, nodes))
        // a cluster without ssh still serves single-node work: say so, do not fail
        if (!access.ok) emit({ fraction: 1 - AFTER_KIND / 4, step: `No ssh between nodes: ${access.reason}` })
      }
      signal?.throwIfAborted()
      emit({ fraction: 1, step: 'Cluster ready' })
      return env
    } catch (e) {
      if (kindStarted) {
        await this.deleteCluster(name).catch(() => undefined)
        if (!networkBefore) await removeNetworkIfUnused(this.docker, KIND_NETWORK)
      }
      await rm(dir, { recursive: true, force: true }).catch(() => undefined)
      if (signal?.aborted) throw abortError(signal)
      throw e
    } finally {
      this.creating.delete(name)
    }
  }

  async adopt(id: string): Promise<Environment | undefined> {
    const name = this.clusterName(id)
    const containers = await listClusterContainers(this.docker, name)
    if (containers.length === 0) return undefined
    const spec = await this.specFromContainers(containers)
    return this.attach(id, spec)
  }

  /**
   * Removes ckalab clusters that no live attempt owns. Clusters younger than
   * `minAgeMs` are spared: another ckalab process may still be creating them.
   */
  async reap(liveIds: Iterable<string>, opts: { minAgeMs?: number } = {}): Promise<string[]> {
    const live = new Set([...liveIds, ...(this.pool?.ids ?? [])].map((id) => this.clusterName(id)))
    const minAgeMs = opts.minAgeMs ?? 10 * 60_000
    const clusters = await listClustersByPrefix(this.docker, this.prefix)
    const reaped: string[] = []
    for (const [name, containers] of clusters) {
      if (live.has(name) || this.creating.has(name)) continue
      const newest = Math.max(...containers.map((c) => c.created)) * 1000
      if (Date.now() - newest < minAgeMs) continue
      await this.deleteCluster(name)
      reaped.push(name)
    }
    // configs and kubeconfigs left by a process that died mid-create
    const dirs = await readdir(this.workDir).catch(() => [] as string[])
    for (const dir of dirs) {
      if (dir.startsWith(this.prefix) && !clusters.has(dir) && !live.has(dir) && !this.creating.has(dir)) {
        await rm(join(this.workDir, dir), { recursive: true, force: true }).catch(() => undefined)
      }
    }
    return reaped
  }

  /** Runs `reap` now and then every `intervalMs`; returns a stopper. */
  startReaper(
    liveIds: () => Iterable<string>,
    intervalMs = 5 * 60_000,
    onError?: (e: unknown) => void,
  ): () => void {
    const tick = () => void this.reap(liveIds()).catch((e) => onError?.(e))
    tick()
    const t = setInterval(tick, intervalMs)
    t.unref()
    return () => clearInterval(t)
  }

  /** Number of ckalab clusters on the engine plus those this process is creating. */
  async clustersInUse(): Promise<number> {
    const onEngine = await listClustersByPrefix(this.docker, this.prefix)
    const names = new Set([...onEngine.keys(), ...this.creating])
    return names.size
  }

  /** `kind delete cluster`, then whatever containers are left (kind missing, or killed mid-create). */
  async deleteCluster(name: string): Promise<void> {
    const dir = join(this.workDir, name)
    await runKind(this.kindPath, ['delete', 'cluster', '--name', name], {
      env: { ...process.env, KUBECONFIG: join(dir, 'kubeconfig') },
      timeoutMs: 120_000,
    }).catch(() => undefined)
    await removeClusterContainers(this.docker, name)
    await rm(dir, { recursive: true, force: true }).catch(() => undefined)
  }

  private async reserve(name: string): Promise<void> {
    // counted synchronously first so that concurrent create() calls see each other
    this.creating.add(name)
    let inUse: number
    try {
      inUse = await this.clustersInUse()
    } catch (e) {
      this.creating.delete(name)
      throw new KindCreateError(
        `the Docker engine did not answer (${shortError(e)}); start Docker or use the simulator`,
      )
    }
    if (inUse > this.maxClusters) {
      this.creating.delete(name)
      throw new KindCapacityError(inUse - 1, this.maxClusters)
    }
  }

  private async attach(id: string, spec: ClusterSpec): Promise<KindEnvironment | undefined> {
    const name = this.clusterName(id)
    const containers = (await listClusterContainers(this.docker, name)).filter(
      (c) => c.role === 'control-plane' || c.role === 'worker',
    )
    if (containers.length === 0) return undefined
    const nodes = containers.map((c) => KindNode.fromContainer(this.docker, c, name))
    return new KindEnvironment(id, spec, nodes, () => this.deleteCluster(name))
  }

  private async specFromContainers(
    containers: Awaited<ReturnType<typeof listClusterContainers>>,
  ): Promise<ClusterSpec> {
    const controlPlanes = containers.filter((c) => c.role === 'control-plane').length
    const workers = containers.filter((c) => c.role === 'worker').length
    return {
      controlPlanes,
      workers,
      kubernetes: await this.profileOf(containers[0]!.id, containers[0]!.image),
    }
  }

  /** The profile of a running node: from the image tag (vX.Y.Z), else from the kubelet. */
  private async profileOf(containerId: string, image: string): Promise<ProfileId> {
    const fromTag = profileFromVersionText(image)
    if (fromTag) return fromTag
    try {
      const info = await this.docker.getContainer(containerId).inspect()
      const fromConfig = profileFromVersionText(info.Config.Image)
      if (fromConfig) return fromConfig
    } catch {
      // fall through to the default
    }
    return '1.34'
  }
}

export function profileFromVersionText(text: string): ProfileId | undefined {
  const m = /v1\.(\d+)\.\d+/.exec(text)
  if (!m) return undefined
  const id = `1.${m[1]}`
  return id in PROFILES ? (id as ProfileId) : undefined
}

export class KindEnvironment implements Environment {
  readonly driver = 'kind'
  private disposing: Promise<void> | undefined

  constructor(
    readonly id: string,
    readonly spec: ClusterSpec,
    readonly nodes: Node[],
    private readonly remove: () => Promise<void>,
  ) {}

  settle(ms: number): Promise<void> {
    return new Promise((r) => setTimeout(r, Math.max(0, ms)))
  }

  dispose(): Promise<void> {
    this.disposing ??= this.remove()
    return this.disposing
  }
}

function monotone(onProgress?: (p: Progress) => void): (p: Progress) => void {
  let last = 0
  return (p) => {
    last = Math.max(last, Math.min(1, p.fraction))
    onProgress?.({ fraction: last, step: p.step })
  }
}

function abortError(signal?: AbortSignal): Error {
  const reason = signal?.reason
  if (reason instanceof Error) return reason
  const e = new Error('cluster creation was cancelled; the cluster was deleted')
  e.name = 'AbortError'
  return e
}
