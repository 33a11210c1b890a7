import type { SimNode } from '../node'
import { type ApiClient, ApiError, type KubeObject } from './api'
import { apiClientFor } from './client'
import { templateHash } from './ids'
import { klog } from './journal'
import { deepClone } from './objects'
import type { ContainerProcess, ProcessContext } from './runtime'
import { matchesLabels } from './selectors'
import { k8sWorld, rfc3339 } from './world'

// kube-controller-manager and kube-scheduler as container processes. They
// talk to their node's apiserver like the real ones (through the kubeconfig,
// here the local address), so they stop working when it is unreachable. One
// instance of each is the leader cluster-wide, as leader election would pick.

const RESYNC_MS = 5_000
const NODE_GRACE_MS = 40_000

type Loop = (api: ApiClient) => Promise<void>

abstract class LeaderProcess implements ContainerProcess {
  protected lines: string[] = []
  private cancel: Array<() => void> = []
  private queued = false
  private stopped = false
  protected readonly node: SimNode
  private static leaders = new WeakMap<object, Map<string, LeaderProcess[]>>()

  constructor(
    protected ctx: ProcessContext,
    readonly component: string,
  ) {
    this.node = ctx.node
    const world = k8sWorld(this.node.cluster)
    this.candidates().push(this)
    this.log('I', 'leaderelection.go:250', `attempting to acquire leader lease kube-system/${component}...`)
    this.cancel.push(world.on('objects', () => this.kick()))
    const tick = () => {
      this.kick()
      this.cancel.push(this.node.cluster.clock.schedule(RESYNC_MS, tick))
    }
    this.cancel.push(this.node.cluster.clock.schedule(RESYNC_MS, tick))
    this.kick()
  }

  private candidates(): LeaderProcess[] {
    let byCluster = LeaderProcess.leaders.get(this.node.cluster)
    if (!byCluster) {
      byCluster = new Map()
      LeaderProcess.leaders.set(this.node.cluster, byCluster)
    }
    let list = byCluster.get(this.component)
    if (!list) {
      list = []
      byCluster.set(this.component, list)
    }
    return list
  }

  private get isLeader(): boolean {
    return this.candidates()[0] === this
  }

  protected log(level: 'I' | 'W' | 'E', caller: string, msg: string): void {
    this.lines.push(klog(level, this.node.cluster.clock.now(), 1, caller, msg))
    if (this.lines.length > 1000) this.lines.splice(0, this.lines.length - 1000)
  }

  logs(): string[] {
    return [...this.lines]
  }

  private running = false
  private dirty = false

  private kick(): void {
    if (this.stopped || !this.isLeader) return
    if (this.running) {
      this.dirty = true
      return
    }
    if (this.queued) return
    this.queued = true
    const world = k8sWorld(this.node.cluster)
    this.cancel.push(world.soon(100, () => this.pass()))
  }

  /** One reconcile pass at a time; a change seen meanwhile asks for one more. */
  private async pass(): Promise<void> {
    this.queued = false
    if (this.stopped || !this.isLeader || this.running) return
    this.running = true
    this.dirty = false
    const api = apiClientFor(this.node, `https://${this.node.ip}:6443`)
    try {
      for (const loop of this.loops()) await loop(api)
    } catch (err) {
      if (!(err instanceof ApiError)) throw err
    } finally {
      this.running = false
    }
    if (this.dirty) this.kick()
  }

  protected abstract loops(): Loop[]

  stop(): void {
    this.stopped = true
    for (const c of this.cancel.splice(0)) c()
    const list = this.candidates()
    const i = list.indexOf(this)
    if (i >= 0) list.splice(i, 1)
    // The next candidate takes the lease.
    list[0]?.kick()
  }
}

function owned(obj: KubeObject, owner: KubeObject): boolean {
  return (obj.metadata.ownerReferences ?? []).some((o) => o.uid === owner.metadata.uid)
}

function ownerRef(owner: KubeObject) {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name,
    uid: owner.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  }
}

function podReady(p: KubeObject): boolean {
  return (p.status?.conditions ?? []).some(
    (c: { type: string; status: string }) => c.type === 'Ready' && c.status === 'True',
  )
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b)
}

async function ignoreConflicts(p: Promise<unknown>): Promise<void> {
  try {
    await p
  } catch (err) {
    if (err instanceof ApiError && ['conflict', 'not-found', 'already-exists'].includes(err.reason)) return
    throw err
  }
}

let eventSeq = 0

function eventSuffix(node: SimNode): string {
  eventSeq = (eventSeq + 1) % 1000
  return (BigInt(node.cluster.clock.now()) * 1_000_000n + BigInt(eventSeq * 997)).toString(16)
}

export async function recordEvent(
  api: ApiClient,
  node: SimNode,
  o: { obj: KubeObject; reason: string; message: string; component: string; type?: string; host?: string },
): Promise<void> {
  const _world = k8sWorld(node.cluster)
  const t = rfc3339(node.cluster.clock.now())
  const ns = o.obj.metadata.namespace ?? 'default'
  await ignoreConflicts(
    api.create('events', {
      apiVersion: 'v1',
      kind: 'Event',
      // Event names are <object>.<unix nanoseconds in hex>, so they sort in the order they happened.
      metadata: { name: `${o.obj.metadata.name}.${eventSuffix(node)}`, namespace: ns },
      involvedObject: {
        apiVersion: o.obj.apiVersion,
        kind: o.obj.kind,
        name: o.obj.metadata.name,
        namespace: ns,
        uid: o.obj.metadata.uid,
      },
      reason: o.reason,
      message: o.message,
      source: { component: o.component, ...(o.host ? { host: o.host } : {}) },
      firstTimestamp: t,
      lastTimestamp: t,
      count: 1,
      type: o.type ?? 'Normal',
      reportingComponent: o.component,
      reportingInstance: '',
    }),
  )
}

const EVENT_TTL_MS = 3_600_000

export class ControllerManager extends LeaderProcess {
  private lastEventSweep = 0

  constructor(ctx: ProcessContext) {
    super(ctx, 'kube-controller-manager')
  }

  protected loops(): Loop[] {
    return [
      (api) => this.namespaces(api),
      (api) => this.deployments(api),
      (api) => this.replicaSets(api),
      (api) => this.daemonSets(api),
      (api) => this.garbage(api),
      (api) => this.endpoints(api),
      (api) => this.nodeLifecycle(api),
    ]
  }

  private async namespaces(api: ApiClient): Promise<void> {
    const [nss, sas, cms] = await Promise.all([
      api.list('namespaces'),
      api.list('serviceaccounts'),
      api.list('configmaps'),
    ])
    for (const ns of nss) {
      const name = ns.metadata.name
      if (!sas.some((s) => s.metadata.namespace === name && s.metadata.name === 'default'))
        await ignoreConflicts(
          api.create('serviceaccounts', {
            apiVersion: 'v1',
            kind: 'ServiceAccount',
            metadata: { name: 'default', namespace: name },
          }),
        )
      if (
        this.node.cluster.profile.id !== '1.20' &&
        !cms.some((c) => c.metadata.namespace === name && c.metadata.name === 'kube-root-ca.crt')
      ) {
        const ca = (await this.node.readText('/etc/kubernetes/pki/ca.crt')) ?? ''
        await ignoreConflicts(
          api.create('configmaps', {
            apiVersion: 'v1',
            kind: 'ConfigMap',
            metadata: {
              name: 'kube-root-ca.crt',
              namespace: name,
              annotations: {
                'kubernetes.io/description':
                  'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.',
              },
            },
            data: { 'ca.crt': ca },
          }),
        )
      }
    }
  }

  private async deployments(api: ApiClient): Promise<void> {
    const [deps, rss] = await Promise.all([api.list('deployments'), api.list('replicasets')])
    for (const d of deps) {
      const template = d.spec.template
      const hash = templateHash(template)
      const mine = rss.filter((rs) => owned(rs, d))
      let current = mine.find((rs) => rs.metadata.labels?.['pod-template-hash'] === hash)
      const replicas = Number(d.spec.replicas ?? 1)
      if (!current) {
        const revision = String(
          1 +
            Math.max(
              0,
              ...mine.map((rs) =>
                Number(rs.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? 0),
              ),
            ),
        )
        const tpl = deepClone(template)
        tpl.metadata = {
          ...(tpl.metadata ?? {}),
          labels: { ...(tpl.metadata?.labels ?? {}), 'pod-template-hash': hash },
        }
        try {
          current = await api.create('replicasets', {
            apiVersion: 'apps/v1',
            kind: 'ReplicaSet',
            metadata: {
              name: `${d.metadata.name}-${hash}`,
              namespace: d.metadata.namespace,
              labels: { ...(template.metadata?.labels ?? {}), 'pod-template-hash': hash },
              annotations: {
                'deployment.kubernetes.io/desired-replicas': String(replicas),
                'deployment.kubernetes.io/max-replicas': String(replicas + Math.ceil(replicas / 4)),
                'deployment.kubernetes.io/revision': revision,
              },
              ownerReferences: [ownerRef(d)],
            },
            spec: {
              replicas,
              selector: {
                matchLabels: { ...(d.spec.selector?.matchLabels ?? {}), 'pod-template-hash': hash },
              },
              template: tpl,
            },
          })
        } catch (err) {
          if (err instanceof ApiError && err.reason === 'already-exists') continue
          throw err
        }
        await recordEvent(api, this.node, {
          obj: d,
          reason: 'ScalingReplicaSet',
          message: `Scaled up replica set ${current.metadata.name} to ${replicas}`,
          component: 'deployment-controller',
        })
      } else if (Number(current.spec.replicas) !== replicas) {
        const before = Number(current.spec.replicas)
        current.spec.replicas = replicas
        current.metadata.annotations = {
          ...(current.metadata.annotations ?? {}),
          'deployment.kubernetes.io/desired-replicas': String(replicas),
        }
        await ignoreConflicts(api.update('replicasets', current))
        await recordEvent(api, this.node, {
          obj: d,
          reason: 'ScalingReplicaSet',
          message: `Scaled ${replicas > before ? 'up' : 'down'} replica set ${current.metadata.name} to ${replicas}`,
          component: 'deployment-controller',
        })
      }
      for (const old of mine) {
        if (old === current || Number(old.spec.replicas) === 0) continue
        old.spec.replicas = 0
        await ignoreConflicts(api.update('replicasets', old))
        await recordEvent(api, this.node, {
          obj: d,
          reason: 'ScalingReplicaSet',
          message: `Scaled down replica set ${old.metadata.name} to 0`,
          component: 'deployment-controller',
        })
      }
      const all = mine.includes(current) ? mine : [...mine, current]
      const ready = Number(current.status?.readyReplicas ?? 0)
      const total = all.reduce((n, rs) => n + Number(rs.status?.replicas ?? 0), 0)
      const t = rfc3339(this.node.cluster.clock.now())
      const available = ready >= replicas
      const status: Record<string, unknown> = {
        observedGeneration: d.metadata.generation ?? 1,
        replicas: total,
        updatedReplicas: Number(current.status?.replicas ?? 0),
        ...(ready ? { readyReplicas: ready, availableReplicas: ready } : {}),
        ...(total - ready > 0 ? { unavailableReplicas: total - ready } : {}),
      }
      const prevConds = (d.status?.conditions ?? []) as Array<Record<string, string>>
      const cond = (type: string, s: string, reason: string, message: string) => {
        const prev = prevConds.find((c) => c.type === type)
        const keep = prev && prev.status === s && prev.reason === reason
        return {
          type,
          status: s,
          lastUpdateTime: keep ? prev.lastUpdateTime : t,
          lastTransitionTime: keep ? prev.lastTransitionTime : t,
          reason,
          message,
        }
      }
      status.conditions = [
        cond(
          'Available',
          available ? 'True' : 'False',
          available ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable',
          available
            ? 'Deployment has minimum availability.'
            : 'Deployment does not have minimum availability.',
        ),
        cond(
          'Progressing',
          'True',
          available ? 'NewReplicaSetAvailable' : 'ReplicaSetUpdated',
          available
            ? `ReplicaSet "${current.metadata.name}" has successfully progressed.`
            : `ReplicaSet "${current.metadata.name}" is progressing.`,
        ),
      ]
      const compare = (s: Record<string, unknown>) => ({
        ...s,
        conditions: (s.conditions as Array<Record<string, string>> | undefined)?.map((c) => ({
          ...c,
          lastUpdateTime: '',
          lastTransitionTime: '',
        })),
      })
      if (!same(compare(d.status ?? {}), compare(status))) {
        d.status = status
        await ignoreConflicts(api.update('deployments', d))
      }
    }
  }

  private async replicaSets(api: ApiClient): Promise<void> {
    const [rss, pods] = await Promise.all([api.list('replicasets'), api.list('pods')])
    for (const rs of rss) {
      const mine = pods.filter((p) => owned(p, rs))
      const want = Number(rs.spec.replicas ?? 1)
      if (mine.length < want) {
        for (let i = mine.length; i < want; i++) {
          const tpl = deepClone(rs.spec.template)
          const pod = await api.create('pods', {
            apiVersion: 'v1',
            kind: 'Pod',
            metadata: {
              generateName: `${rs.metadata.name}-`,
              name: '',
              namespace: rs.metadata.namespace,
              labels: tpl.metadata?.labels ?? {},
              ownerReferences: [ownerRef(rs)],
            },
            spec: tpl.spec,
          })
          mine.push(pod)
          await recordEvent(api, this.node, {
            obj: rs,
            reason: 'SuccessfulCreate',
            message: `Created pod: ${pod.metadata.name}`,
            component: 'replicaset-controller',
          })
        }
      } else if (mine.length > want) {
        const extra = [...mine]
          .sort((a, b) =>
            String(b.metadata.creationTimestamp).localeCompare(String(a.metadata.creationTimestamp)),
          )
          .slice(0, mine.length - want)
        for (const p of extra) {
          await ignoreConflicts(api.delete('pods', p.metadata.name, p.metadata.namespace))
          await recordEvent(api, this.node, {
            obj: rs,
            reason: 'SuccessfulDelete',
            message: `Deleted pod: ${p.metadata.name}`,
            component: 'replicaset-controller',
          })
        }
        mine.splice(0, mine.length, ...mine.filter((p) => !extra.includes(p)))
      }
      const ready = mine.filter(podReady).length
      const status = {
        replicas: mine.length,
        fullyLabeledReplicas: mine.length,
        ...(ready ? { readyReplicas: ready, availableReplicas: ready } : {}),
        observedGeneration: rs.metadata.generation ?? 1,
      }
      if (!same(rs.status ?? {}, status)) {
        rs.status = status
        await ignoreConflicts(api.update('replicasets', rs))
      }
    }
  }

  private async daemonSets(api: ApiClient): Promise<void> {
    const [dss, pods, nodes] = await Promise.all([
      api.list('daemonsets'),
      api.list('pods'),
      api.list('nodes'),
    ])
    for (const ds of dss) {
      const mine = pods.filter((p) => owned(p, ds))
      for (const n of nodes) {
        if (mine.some((p) => p.spec?.nodeName === n.metadata.name)) continue
        const tpl = deepClone(ds.spec.template)
        const pod = await api.create('pods', {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: {
            generateName: `${ds.metadata.name}-`,
            name: '',
            namespace: ds.metadata.namespace,
            labels: {
              ...(tpl.metadata?.labels ?? {}),
              'controller-revision-hash': templateHash(tpl).slice(0, 10),
              'pod-template-generation': '1',
            },
            ownerReferences: [ownerRef(ds)],
          },
          spec: { ...tpl.spec, nodeName: n.metadata.name },
        })
        mine.push(pod)
        await recordEvent(api, this.node, {
          obj: ds,
          reason: 'SuccessfulCreate',
          message: `Created pod: ${pod.metadata.name}`,
          component: 'daemonset-controller',
        })
      }
      const ready = mine.filter(podReady).length
      const status = {
        currentNumberScheduled: mine.length,
        desiredNumberScheduled: nodes.length,
        numberAvailable: ready,
        numberMisscheduled: 0,
        numberReady: ready,
        observedGeneration: ds.metadata.generation ?? 1,
        updatedNumberScheduled: mine.length,
      }
      if (!same(ds.status ?? {}, status)) {
        ds.status = status
        await ignoreConflicts(api.update('daemonsets', ds))
      }
    }
  }

  /** The endpoints controller: a selector service lists the ready pods it selects. */
  private async endpoints(api: ApiClient): Promise<void> {
    const [svcs, eps, pods] = await Promise.all([
      api.list('services'),
      api.list('endpoints'),
      api.list('pods'),
    ])
    for (const svc of svcs) {
      const sel = svc.spec?.selector as Record<string, string> | undefined
      if (!sel || Object.keys(sel).length === 0) continue
      const ns = svc.metadata.namespace
      const reqs = Object.entries(sel).map(([key, v]) => ({ key, op: '=' as const, values: [v] }))
      const ready = pods.filter(
        (p) =>
          p.metadata.namespace === ns &&
          p.status?.podIP &&
          matchesLabels(p.metadata.labels, reqs) &&
          podReady(p),
      )
      const ports = (
        (svc.spec.ports ?? []) as Array<{
          name?: string
          port: number
          targetPort?: number | string
          protocol?: string
        }>
      ).map((p) => ({
        ...(p.name ? { name: p.name } : {}),
        port: typeof p.targetPort === 'number' ? p.targetPort : p.port,
        protocol: p.protocol ?? 'TCP',
      }))
      const subsets = ready.length
        ? [
            {
              addresses: ready.map((p) => ({
                ip: p.status.podIP,
                nodeName: p.spec.nodeName,
                targetRef: { kind: 'Pod', name: p.metadata.name, namespace: ns, uid: p.metadata.uid },
              })),
              ports,
            },
          ]
        : []
      const current = eps.find((e) => e.metadata.namespace === ns && e.metadata.name === svc.metadata.name)
      if (!current) {
        await ignoreConflicts(
          api.create('endpoints', {
            apiVersion: 'v1',
            kind: 'Endpoints',
            metadata: { name: svc.metadata.name, namespace: ns, labels: svc.metadata.labels ?? {} },
            subsets,
          }),
        )
      } else if (!same(current.subsets ?? [], subsets)) {
        current.subsets = subsets
        await ignoreConflicts(api.update('endpoints', current))
      }
    }
  }

  /** The garbage collector: dependents whose owner is gone go too. */
  private async garbage(api: ApiClient): Promise<void> {
    const [deps, rss, dss, pods] = await Promise.all([
      api.list('deployments'),
      api.list('replicasets'),
      api.list('daemonsets'),
      api.list('pods'),
    ])
    const uids = new Set([...deps, ...rss, ...dss].map((o) => o.metadata.uid))
    // The apiserver keeps events for an hour (--event-ttl=1h).
    const now = this.node.cluster.clock.now()
    if (now - this.lastEventSweep > 60_000) {
      this.lastEventSweep = now
      for (const ev of await api.list('events')) {
        const at = Date.parse(String(ev.lastTimestamp ?? ev.metadata.creationTimestamp ?? ''))
        if (!Number.isNaN(at) && now - at > EVENT_TTL_MS)
          await ignoreConflicts(api.delete('events', ev.metadata.name, ev.metadata.namespace))
      }
    }
    for (const [resource, list] of [
      ['replicasets', rss],
      ['pods', pods],
    ] as const) {
      for (const o of list) {
        const refs = (o.metadata.ownerReferences ?? []).filter((r) => r.kind !== 'Node')
        if (refs.length === 0 || refs.some((r) => uids.has(r.uid))) continue
        await ignoreConflicts(api.delete(resource, o.metadata.name, o.metadata.namespace))
      }
    }
  }

  /** A node whose lease is older than the grace period becomes NotReady ("Kubelet stopped posting node status."). */
  private async nodeLifecycle(api: ApiClient): Promise<void> {
    const [nodes, leases] = await Promise.all([
      api.list('nodes'),
      api.list('leases', { namespace: 'kube-node-lease' }),
    ])
    const now = this.node.cluster.clock.now()
    for (const n of nodes) {
      const lease = leases.find((l) => l.metadata.name === n.metadata.name)
      const renew = lease ? Date.parse(String(lease.spec?.renewTime ?? '')) : Number.NaN
      if (Number.isNaN(renew) || now - renew <= NODE_GRACE_MS) continue
      const conds = (n.status?.conditions ?? []) as Array<Record<string, string>>
      const ready = conds.find((c) => c.type === 'Ready')
      if (!ready || ready.status === 'Unknown') continue
      const t = rfc3339(now)
      for (const c of conds) {
        c.status = 'Unknown'
        c.reason = 'NodeStatusUnknown'
        c.message = 'Kubelet stopped posting node status.'
        c.lastTransitionTime = t
      }
      await ignoreConflicts(api.update('nodes', n))
    }
  }
}

export class Scheduler extends LeaderProcess {
  constructor(ctx: ProcessContext) {
    super(ctx, 'kube-scheduler')
  }

  protected loops(): Loop[] {
    return [(api) => this.schedule(api)]
  }

  private async schedule(api: ApiClient): Promise<void> {
    const pods = await api.list('pods')
    const pending = pods.filter((p) => !p.spec?.nodeName)
    if (pending.length === 0) return
    const nodes = await api.list('nodes')
    const load = new Map<string, number>()
    for (const p of pods)
      if (p.spec?.nodeName) load.set(p.spec.nodeName, (load.get(p.spec.nodeName) ?? 0) + 1)
    for (const p of pending) {
      const tolerations = (p.spec?.tolerations ?? []) as Array<{
        key?: string
        operator?: string
        effect?: string
      }>
      const fits = nodes.filter((n) => {
        if (n.spec?.unschedulable) return false
        if (
          (n.status?.conditions ?? []).some(
            (c: { type: string; status: string }) => c.type === 'Ready' && c.status !== 'True',
          )
        )
          return false
        if (
          p.spec?.nodeSelector &&
          !matchesLabels(
            n.metadata.labels,
            Object.entries(p.spec.nodeSelector).map(([key, v]) => ({
              key,
              op: '=' as const,
              values: [String(v)],
            })),
          )
        )
          return false
        return ((n.spec?.taints ?? []) as Array<{ key: string; effect: string }>).every(
          (t) =>
            t.effect === 'PreferNoSchedule' ||
            tolerations.some((tol) => tol.operator === 'Exists' && (!tol.key || tol.key === t.key)),
        )
      })
      if (fits.length === 0) {
        if (!(p.status?.conditions ?? []).some((c: { type: string }) => c.type === 'PodScheduled')) {
          p.status = {
            ...(p.status ?? {}),
            phase: 'Pending',
            conditions: [
              {
                type: 'PodScheduled',
                status: 'False',
                lastProbeTime: null,
                lastTransitionTime: rfc3339(this.node.cluster.clock.now()),
                reason: 'Unschedulable',
                message: `0/${nodes.length} nodes are available: ${nodes.length} node(s) had untolerated taint.`,
              },
            ],
          }
          await ignoreConflicts(api.update('pods', p))
          await recordEvent(api, this.node, {
            obj: p,
            reason: 'FailedScheduling',
            message: `0/${nodes.length} nodes are available: ${nodes.length} node(s) had untolerated taint.`,
            component: 'default-scheduler',
            type: 'Warning',
          })
        }
        continue
      }
      const target = [...fits].sort(
        (a, b) => (load.get(a.metadata.name) ?? 0) - (load.get(b.metadata.name) ?? 0),
      )[0] as KubeObject
      load.set(target.metadata.name, (load.get(target.metadata.name) ?? 0) + 1)
      p.spec.nodeName = target.metadata.name
      p.status = {
        ...(p.status ?? {}),
        phase: 'Pending',
        conditions: [
          {
            type: 'PodScheduled',
            status: 'True',
            lastProbeTime: null,
            lastTransitionTime: rfc3339(this.node.cluster.clock.now()),
          },
        ],
      }
      try {
        await api.update('pods', p)
      } catch (err) {
        if (err instanceof ApiError && (err.reason === 'conflict' || err.reason === 'not-found')) continue
        throw err
      }
      await recordEvent(api, this.node, {
        obj: p,
        reason: 'Scheduled',
        message: `Successfully assigned ${p.metadata.namespace}/${p.metadata.name} to ${target.metadata.name}`,
        component: 'default-scheduler',
      })
    }
  }
}

export function controllerManagerFactory(ctx: ProcessContext): ContainerProcess {
  return new ControllerManager(ctx)
}

export function schedulerFactory(ctx: ProcessContext): ContainerProcess {
  return new Scheduler(ctx)
}
