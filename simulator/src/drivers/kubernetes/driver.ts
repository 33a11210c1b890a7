import { randomBytes } from 'node:crypto'
import {
  AuthorizationV1Api,
  CoreV1Api,
  KubeConfig,
  NetworkingV1Api,
  type V1Pod,
  type V1Toleration,
  VersionApi,
} from '@kubernetes/client-node'
import type { ClusterSpec, Driver, Environment, Node, ProbeResult, ProfileId, Progress } from '../../seam'
import { PROFILES } from '../../sim/profiles'
import { type CreateFn, startWarmPool, type WarmPool, warmOrFresh } from '../kind/warm-pool'
import {
  type ApiContext,
  describeApiError,
  KubernetesApiError,
  KubernetesCapacityError,
  KubernetesCreateError,
  statusOf,
} from './errors'
import { KubeNode } from './node'
import {
  ATTEMPT_LABEL,
  attemptLabels,
  attemptPolicy,
  defaultResources,
  denyAllPolicy,
  labNodeNames,
  labPod,
  MANAGED_BY,
  MANAGER,
  NODE_CONTAINER,
  NODE_LABEL,
  type PodOptions,
  type Resources,
  ROLE_LABEL,
  SPEC_ANNOTATION,
  selector,
} from './objects'
import { environmentState, podState } from './pod-state'

// The `kubernetes` driver: every attempt's environment is a set of pods (one
// per lab node) in a namespace ckalab owns, made and reached only through the
// API server. Kubernetes places them across machines and enforces their
// requests; a pod the scheduler cannot place shows "Waiting for capacity".

export interface KubernetesDriverOptions {
  /** Default: in the cluster, the pod's service account; outside, KUBECONFIG or ~/.kube/config. */
  kubeConfig?: KubeConfig
  /** Namespace of the lab pods (default `ckalab-labs`). */
  namespace?: string
  /** The lab node image, per Kubernetes profile or one for all. */
  images: Partial<Record<ProfileId, string>> | string
  /** Requests and limits of each lab node pod (default: the stand-in's, or kind-node's when privileged). */
  resources?: Resources
  /** Lab node pods run privileged (a node image with its own container engine); default false. */
  privileged?: boolean
  nodeSelector?: Record<string, string>
  /** Default: tolerate the `ckalab.dev/labs` taint of a dedicated node pool. */
  tolerations?: V1Toleration[]
  imagePullPolicy?: PodOptions['imagePullPolicy']
  /** Prefix of pod names (default `ckalab-`). */
  prefix?: string
  /** How long an environment may wait for room in the cluster before the start fails (default 10 min). */
  capacityTimeoutMs?: number
  /** How long a scheduled environment may take to become ready (default 5 min). */
  readyTimeoutMs?: number
  /** How often pod status is read while waiting (default 1 s). */
  pollMs?: number
  /** Bound on every API request (default 15 s): an API server that accepts and never answers fails too. */
  apiTimeoutMs?: number
  /** Make the namespace when it is missing (needs the right to create namespaces); default true. */
  createNamespace?: boolean
  /** Environments of one spec kept ready, so "start" takes a second. */
  warmPool?: { spec: ClusterSpec; size: number }
}

export class KubernetesDriver implements Driver {
  readonly name = 'kubernetes'
  readonly namespace: string
  readonly prefix: string
  readonly kc: KubeConfig
  private readonly core: CoreV1Api
  private readonly net: NetworkingV1Api
  private readonly opts: KubernetesDriverOptions
  /** Environments this process is creating: the reaper spares them. */
  private readonly creating = new Set<string>()
  private pool: WarmPool | undefined
  private namespaceChecked = false

  constructor(opts: KubernetesDriverOptions) {
    this.opts = opts
    this.kc = opts.kubeConfig ?? defaultKubeConfig()
    this.namespace = opts.namespace ?? 'ckalab-labs'
    this.prefix = opts.prefix ?? 'ckalab-'
    this.core = this.kc.makeApiClient(CoreV1Api)
    this.net = this.kc.makeApiClient(NetworkingV1Api)
  }

  get server(): string | undefined {
    return this.kc.getCurrentCluster()?.server
  }

  /** The API server answers and ckalab may do what the driver needs in its namespace. */
  async probe(): Promise<ProbeResult & { missing?: string[] }> {
    try {
      await this.call('ask the API server for its version', () => this.kc.makeApiClient(VersionApi).getCode())
    } catch (e) {
      return { ok: false, reason: (e as Error).message }
    }
    const auth = this.kc.makeApiClient(AuthorizationV1Api)
    const needed: Array<[verb: string, resource: string, group?: string, sub?: string]> = [
      ['create', 'pods'],
      ['list', 'pods'],
      ['delete', 'pods'],
      ['create', 'pods', '', 'exec'],
      ['create', 'networkpolicies', 'networking.k8s.io'],
      ['delete', 'networkpolicies', 'networking.k8s.io'],
    ]
    const missing: string[] = []
    try {
      for (const [verb, resource, group, subresource] of needed) {
        const r = await this.call(`check whether ckalab may ${verb} ${resource}`, () =>
          auth.createSelfSubjectAccessReview({
            body: {
              spec: {
                resourceAttributes: {
                  namespace: this.namespace,
                  verb,
                  resource,
                  ...(group ? { group } : {}),
                  ...(subresource ? { subresource } : {}),
                },
              },
            },
          }),
        )
        if (!r.status?.allowed) missing.push(`${verb} ${resource}${subresource ? `/${subresource}` : ''}`)
      }
    } catch (e) {
      return { ok: false, reason: (e as Error).message }
    }
    if (missing.length)
      return {
        ok: false,
        missing,
        reason:
          `ckalab may not ${missing.join(', ')} in namespace ${this.namespace}; ` +
          'grant it the Role in deploy/kubernetes/base/rbac.yaml (kubectl apply -k deploy/kubernetes/base)',
      }
    return { ok: true }
  }

  /**
   * Whether the labs namespace exists, for `ckalab doctor`: 'unknown' when ckalab may not read namespaces
   * (its Role is namespaced) — its pods then tell, on the first start.
   */
  async namespaceState(): Promise<'present' | 'missing' | 'terminating' | 'unknown'> {
    try {
      const ns = await this.call(`read the namespace ${this.namespace}`, () =>
        this.core.readNamespace({ name: this.namespace }),
      )
      return ns.status?.phase === 'Terminating' ? 'terminating' : 'present'
    } catch (e) {
      if (e instanceof KubernetesApiError && (e.kind === 'not-found' || e.kind === 'namespace-missing'))
        return 'missing'
      if (e instanceof KubernetesApiError && e.kind === 'forbidden') return 'unknown'
      throw e
    }
  }

  /** Would create() make the namespace when it is missing. */
  get createsNamespace(): boolean {
    return this.opts.createNamespace !== false
  }

  startWarmPool(onError?: (e: unknown) => void, make: CreateFn = (s, p, sig) => this.createFresh(s, p, sig)) {
    this.pool = startWarmPool(this.pool, this.opts.warmPool, make, onError)
  }

  get warmCount(): number {
    return this.pool?.readyCount ?? 0
  }

  async close(): Promise<void> {
    await this.pool?.stop()
  }

  create(spec: ClusterSpec, onProgress?: (p: Progress) => void, signal?: AbortSignal): Promise<Environment> {
    return warmOrFresh(
      this.pool,
      (s, p, sig) => this.createFresh(s, p, sig),
      'Lab node ready (kept warm)',
      spec,
      onProgress,
      signal,
    )
  }

  private imageFor(profile: ProfileId): string | undefined {
    const images = this.opts.images
    return typeof images === 'string' ? images : images[profile]
  }

  private async createFresh(
    spec: ClusterSpec,
    onProgress?: (p: Progress) => void,
    signal?: AbortSignal,
  ): Promise<Environment> {
    if (!PROFILES[spec.kubernetes])
      throw new KubernetesCreateError(`unknown Kubernetes version ${spec.kubernetes}`)
    if (spec.controlPlanes < 1 || spec.controlPlanes > 5 || (spec.workers ?? 0) > 5)
      throw new KubernetesCreateError('a lab environment has 1 to 5 control planes and at most 5 workers')
    const image = this.imageFor(spec.kubernetes)
    if (!image)
      throw new KubernetesCreateError(
        `no lab node image is configured for Kubernetes ${spec.kubernetes}; set CKALAB_K8S_IMAGE (or CKALAB_K8S_IMAGE_${spec.kubernetes.replace('.', '_')})`,
      )
    if (this.opts.privileged && spec.controlPlanes + (spec.workers ?? 0) > 1)
      throw new KubernetesCreateError(
        'a kind node pod boots a one-node cluster of its own, and joining pods into one cluster is not built yet: ' +
          'labs with more than one node need the kind driver (docs/scale.md)',
      )
    const emit = monotone(onProgress)
    signal?.throwIfAborted()
    const id = randomBytes(4).toString('hex')
    this.creating.add(id)
    let made = false
    try {
      emit({ fraction: 0, step: 'Asking the Kubernetes API server for a lab node' })
      await this.ensureNamespace()
      const podOpts: PodOptions = {
        image,
        resources: this.opts.resources ?? defaultResources(this.opts.privileged ? 'kind-node' : 'stand-in'),
        privileged: this.opts.privileged,
        nodeSelector: this.opts.nodeSelector,
        tolerations: this.opts.tolerations,
        imagePullPolicy: this.opts.imagePullPolicy,
      }
      made = true
      await this.call('create the network policy of the environment', () =>
        this.net.createNamespacedNetworkPolicy({
          namespace: this.namespace,
          body: attemptPolicy(this.prefix, id),
        }),
      )
      const names = labNodeNames(spec)
      for (const [index, node] of names.entries()) {
        const body = labPod(podOpts, { prefix: this.prefix, id, spec, index, node })
        await this.call(`create the pod ${body.metadata?.name}`, () =>
          this.core.createNamespacedPod({ namespace: this.namespace, body }),
        )
      }
      await this.waitReady(id, names.length, emit, signal)
      const env = await this.attach(id, spec)
      if (!env) throw new KubernetesCreateError(`the pods of environment ${id} disappeared while it started`)
      emit({ fraction: 1, step: 'Lab node ready' })
      return env
    } catch (e) {
      if (made) await this.deleteEnvironment(id).catch(() => undefined)
      if (signal?.aborted) throw abortError(signal)
      throw e
    } finally {
      this.creating.delete(id)
    }
  }

  private async waitReady(
    id: string,
    expected: number,
    emit: (p: Progress) => void,
    signal?: AbortSignal,
  ): Promise<void> {
    const capacityTimeout = this.opts.capacityTimeoutMs ?? 10 * 60_000
    const readyTimeout = this.opts.readyTimeoutMs ?? 5 * 60_000
    let waitingSince: number | undefined
    let scheduledAt: number | undefined
    for (;;) {
      signal?.throwIfAborted()
      const pods = await this.podsOf(id)
      if (pods.length < expected)
        throw new KubernetesCreateError(
          `a pod of the environment was deleted while it started (${pods.length} of ${expected} left)`,
        )
      const state = environmentState(pods)
      const now = Date.now()
      if (state.kind === 'ready') return
      if (state.kind === 'failed')
        throw new KubernetesCreateError(
          `the lab node could not start: ${state.why}${await this.logTail(pods)}`,
        )
      if (state.kind === 'waiting-capacity') {
        waitingSince ??= now
        scheduledAt = undefined
        const waited = Math.round((now - waitingSince) / 1000)
        emit({ fraction: 0.05, step: `Waiting for capacity (${waited} s): ${state.why}` })
        if (now - waitingSince >= capacityTimeout)
          throw new KubernetesCapacityError(
            `the cluster had no room for this lab for ${Math.round(capacityTimeout / 1000)} s (${state.why}); ` +
              'nothing was left behind: start again when other learners have finished, or ask the instructor to add nodes to the lab pool',
          )
      } else if (state.kind === 'unscheduled') {
        emit({ fraction: 0.05, step: 'Scheduling the lab node' })
      } else {
        scheduledAt ??= now
        emit({ fraction: state.step.startsWith('Starting') ? 0.6 : 0.3, step: state.step })
        if (now - scheduledAt >= readyTimeout)
          throw new KubernetesCreateError(
            `the lab node was not ready ${Math.round(readyTimeout / 1000)} s after it was placed (${state.step}); it was deleted${await this.logTail(pods)}`,
          )
      }
      await sleep(this.opts.pollMs ?? 1000, signal)
    }
  }

  /**
   * The last lines a lab node that did not come up printed (a kind node pod prints its bring-up), read before
   * its pod is deleted so the instructor sees why; empty when there is nothing to read or no right to read it.
   */
  private async logTail(pods: V1Pod[]): Promise<string> {
    const pod = pods.find((p) => !p.status?.containerStatuses?.[0]?.ready) ?? pods[0]
    const name = pod?.metadata?.name
    if (!name) return ''
    try {
      const log = await this.call(`read the log of ${name}`, () =>
        this.core.readNamespacedPodLog({
          name,
          namespace: this.namespace,
          container: NODE_CONTAINER,
          tailLines: 8,
        }),
      )
      const text = String(log).trim()
      return text ? `; the log of ${name} ends:\n${text}` : ''
    } catch {
      return ''
    }
  }

  async adopt(id: string): Promise<Environment | undefined> {
    const pods = await this.podsOf(id)
    if (pods.length === 0) return undefined
    const raw = pods[0]?.metadata?.annotations?.[SPEC_ANNOTATION]
    let spec: ClusterSpec
    try {
      spec = JSON.parse(raw ?? '') as ClusterSpec
    } catch {
      return undefined
    }
    return this.attach(id, spec)
  }

  /** Deletes environments no live attempt owns (older than `minAgeMs`: another server may be making them). */
  async reap(liveIds: Iterable<string>, opts: { minAgeMs?: number } = {}): Promise<string[]> {
    const live = new Set([...liveIds, ...(this.pool?.ids ?? []), ...this.creating])
    const minAgeMs = opts.minAgeMs ?? 10 * 60_000
    const list = await this.call('list the lab pods', () =>
      this.core.listNamespacedPod({
        namespace: this.namespace,
        labelSelector: selector({ [MANAGED_BY]: MANAGER }),
      }),
    )
    const newest = new Map<string, number>()
    for (const p of list.items) {
      const id = p.metadata?.labels?.[ATTEMPT_LABEL]
      if (!id) continue
      const at = new Date(p.metadata?.creationTimestamp ?? 0).getTime()
      newest.set(id, Math.max(newest.get(id) ?? 0, at))
    }
    const policies = await this.call('list the network policies', () =>
      this.net.listNamespacedNetworkPolicy({ namespace: this.namespace, labelSelector: ATTEMPT_LABEL }),
    )
    for (const p of policies.items) {
      const id = p.metadata?.labels?.[ATTEMPT_LABEL]
      if (!id || newest.has(id)) continue
      newest.set(id, new Date(p.metadata?.creationTimestamp ?? 0).getTime())
    }
    const reaped: string[] = []
    for (const [id, at] of newest) {
      if (live.has(id) || Date.now() - at < minAgeMs) continue
      await this.deleteEnvironment(id, { wait: false })
      reaped.push(id)
    }
    return reaped
  }

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

  /** Deletes an environment's pods and policy; a namespace already gone counts as deleted. */
  async deleteEnvironment(id: string, opts: { wait?: boolean } = {}): Promise<void> {
    const labelSelector = selector(attemptLabels(id))
    await this.call(`delete the pods of environment ${id}`, () =>
      this.core.deleteCollectionNamespacedPod({ namespace: this.namespace, labelSelector }),
    ).catch(ignoreMissing)
    await this.call(`delete the network policy of environment ${id}`, () =>
      this.net.deleteNamespacedNetworkPolicy({ name: `${this.prefix}${id}`, namespace: this.namespace }),
    ).catch(ignoreMissing)
    if (opts.wait === false) return
    // wait until the pods are gone, so the room they took is free when this returns
    for (let i = 0; i < 60; i++) {
      const left = await this.podsOf(id).catch(() => [])
      if (left.length === 0) return
      await sleep(1000)
    }
  }

  private async ensureNamespace(): Promise<void> {
    if (this.namespaceChecked) return
    try {
      const ns = await this.call(`read the namespace ${this.namespace}`, () =>
        this.core.readNamespace({ name: this.namespace }),
      )
      if (ns.status?.phase === 'Terminating')
        throw new KubernetesApiError(
          `the namespace ${this.namespace} is being deleted; wait until it is gone (kubectl get namespace ${this.namespace}) and start again, ckalab then makes it anew`,
          'namespace-terminating',
        )
    } catch (e) {
      // without the right to read the namespace, its pods tell whether it exists (creating one fails clearly)
      if (e instanceof KubernetesApiError && e.kind === 'forbidden' && this.opts.createNamespace === false) {
        this.namespaceChecked = true
        return
      }
      if (!(e instanceof KubernetesApiError && (e.kind === 'not-found' || e.kind === 'namespace-missing')))
        throw e
      if (this.opts.createNamespace === false)
        throw new KubernetesApiError(
          `the namespace ${this.namespace} does not exist (deleted by hand?); recreate it with kubectl apply -k deploy/kubernetes/base`,
          'namespace-missing',
        )
      await this.call(`create the namespace ${this.namespace}`, () =>
        this.core.createNamespace({
          body: { metadata: { name: this.namespace, labels: { [MANAGED_BY]: MANAGER } } },
        }),
      ).catch(ignoreConflict)
    }
    await this.call('create the policy that keeps learners apart', () =>
      this.net.createNamespacedNetworkPolicy({ namespace: this.namespace, body: denyAllPolicy() }),
    ).catch(ignoreConflict)
    this.namespaceChecked = true
  }

  private async podsOf(id: string): Promise<V1Pod[]> {
    const list = await this.call(`list the pods of environment ${id}`, () =>
      this.core.listNamespacedPod({ namespace: this.namespace, labelSelector: selector(attemptLabels(id)) }),
    )
    return list.items.sort((a, b) => (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? '', 'en'))
  }

  private async attach(id: string, spec: ClusterSpec): Promise<KubernetesEnvironment | undefined> {
    const pods = await this.podsOf(id)
    if (pods.length === 0) return undefined
    const nodes = pods.map((p) => {
      const pod = p.metadata?.name ?? ''
      return new KubeNode(
        p.metadata?.labels?.[NODE_LABEL] ?? pod,
        p.metadata?.labels?.[ROLE_LABEL] === 'worker' ? 'worker' : 'control-plane',
        { namespace: this.namespace, pod },
        this.kc,
        () => this.whyGone(pod),
      )
    })
    return new KubernetesEnvironment(id, spec, nodes, () => this.deleteEnvironment(id))
  }

  /** What became of a lab pod that cannot be reached: undefined while it still runs. */
  async whyGone(pod: string): Promise<string | undefined> {
    try {
      const p = await this.call(`read the pod ${pod}`, () =>
        this.core.readNamespacedPod({ name: pod, namespace: this.namespace }),
      )
      const s = podState(p)
      return s.kind === 'failed' ? s.why : undefined
    } catch (e) {
      if (!(e instanceof KubernetesApiError)) return undefined
      if (e.kind === 'unreachable') return 'the Kubernetes API server does not answer'
      if (e.kind !== 'not-found' && e.kind !== 'namespace-missing') return undefined
      this.namespaceChecked = false
      const nsGone = await this.call('read the namespace', () =>
        this.core.readNamespace({ name: this.namespace }),
      )
        .then((ns) => ns.status?.phase === 'Terminating')
        .catch(() => true)
      return nsGone
        ? `its namespace ${this.namespace} was deleted`
        : `its pod ${pod} was deleted (evicted, or removed by hand)`
    }
  }

  /** One API request, bounded in time, with its failure turned into advice. */
  private async call<T>(doing: string, f: () => Promise<T>): Promise<T> {
    const ctx: ApiContext = {
      doing,
      server: this.server,
      namespace: this.namespace,
      user: `ckalab's identity (${this.kc.getCurrentUser()?.name ?? 'unknown user'})`,
    }
    const ms = this.opts.apiTimeoutMs ?? 15_000
    let timer: NodeJS.Timeout | undefined
    try {
      return await Promise.race([
        f(),
        new Promise<never>((_, reject) => {
          timer = setTimeout(
            () => reject(Object.assign(new Error(`no answer within ${ms} ms`), { code: 'ETIMEDOUT' })),
            ms,
          )
        }),
      ])
    } catch (e) {
      throw describeApiError(e, ctx)
    } finally {
      clearTimeout(timer)
    }
  }
}

export class KubernetesEnvironment implements Environment {
  readonly driver = 'kubernetes'
  private disposing: Promise<void> | undefined

  constructor(
    readonly id: string,
    readonly spec: ClusterSpec,
    readonly nodes: Node[],
    private readonly remove: () => Promise<void>,
  ) {}

  settle(ms: number): Promise<void> {
    return sleep(ms)
  }

  dispose(): Promise<void> {
    this.disposing ??= this.remove()
    return this.disposing
  }
}

function defaultKubeConfig(): KubeConfig {
  const kc = new KubeConfig()
  kc.loadFromDefault()
  return kc
}

function ignoreMissing(e: unknown): void {
  if (e instanceof KubernetesApiError && (e.kind === 'not-found' || e.kind === 'namespace-missing')) return
  throw e
}

function ignoreConflict(e: unknown): void {
  const { code } = statusOf(e)
  if (code === 409 || (e instanceof KubernetesApiError && e.status === 409)) return
  throw e
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(t)
      signal?.removeEventListener('abort', done)
      resolve()
    }
    const t = setTimeout(done, Math.max(0, ms))
    signal?.addEventListener('abort', done, { once: true })
  })
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
  const e = new Error('the lab start was cancelled; its pods were deleted')
  e.name = 'AbortError'
  return e
}
