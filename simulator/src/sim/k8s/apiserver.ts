import { type EtcdClient, etcdClient } from '../etcd/client'
import type { SimNode } from '../node'
import { ApiError, type KubeObject, type ListOptions } from './api'
import { cloneJson, DecodeCache, encodeObject, type ResourceInfo, resourceInfo, storageKey } from './codec'
import { klog } from './journal'
import { applyDefaults, deepClone, validate } from './objects'
import type { ContainerProcess, ProcessContext } from './runtime'
import { matchesFields, matchesLabels, parseFieldSelector, parseLabelSelector } from './selectors'
import { k8sWorld, rfc3339 } from './world'

// kube-apiserver as a container process: listens on :6443 of its node, keeps
// every object in its etcd under /registry/..., and is only as available as
// that etcd is. Its states are what kubectl can tell apart: no listener
// (connection refused), listening but not serving (TLS handshake timeout),
// serving but etcd gone (Timeout from the server).

export type ApiServerState = 'starting' | 'ready' | 'exited'

const STARTUP_GIVE_UP_MS = 20_000
const LIVENESS_PERIOD_MS = 10_000
const LIVENESS_FAILURES = 8

export interface ApiServerFlags {
  etcdServers: string[]
  etcdCafile?: string
  etcdCertfile?: string
  etcdKeyfile?: string
  advertiseAddress?: string
  securePort: number
}

export function parseApiServerFlags(argv: string[]): ApiServerFlags {
  const flags = new Map<string, string>()
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i] as string
    if (!a.startsWith('--')) continue
    const eq = a.indexOf('=')
    if (eq > 0) flags.set(a.slice(2, eq), a.slice(eq + 1))
    else flags.set(a.slice(2), argv[i + 1]?.startsWith('--') ? 'true' : (argv[++i] ?? ''))
  }
  return {
    etcdServers: (flags.get('etcd-servers') ?? '').split(',').filter(Boolean),
    etcdCafile: flags.get('etcd-cafile'),
    etcdCertfile: flags.get('etcd-certfile'),
    etcdKeyfile: flags.get('etcd-keyfile'),
    advertiseAddress: flags.get('advertise-address'),
    securePort: Number(flags.get('secure-port') ?? 6443) || 6443,
  }
}

function verbOf(op: 'get' | 'list' | 'create' | 'update' | 'delete'): string {
  return { get: 'get', list: 'get', create: 'post', update: 'put', delete: 'delete' }[op]
}

export class ApiServer implements ContainerProcess {
  state: ApiServerState = 'starting'
  readonly flags: ApiServerFlags
  readonly node: SimNode
  private etcd: EtcdClient
  private lines: string[] = []
  private timers: Array<() => void> = []
  private unlisten: (() => void) | undefined
  private startedAt: number
  private etcdDownSince: number | undefined
  private livenessFailures = 0
  private readyWaiters: Array<() => void> = []
  private clusterIpNext = 10
  private decoded = new DecodeCache()

  constructor(private ctx: ProcessContext) {
    this.node = ctx.node
    this.flags = parseApiServerFlags(ctx.argv)
    this.startedAt = this.now()
    this.etcd = etcdClient(this.node.cluster, this.node, {
      endpoints: this.flags.etcdServers,
      cacert: this.flags.etcdCafile,
      cert: this.flags.etcdCertfile,
      key: this.flags.etcdKeyfile,
      fs: ctx.fs,
    })
    const ip = this.flags.advertiseAddress ?? this.node.ip
    this.log('I', 'options.go:221', `external host was not specified, using ${ip}`)
    this.log('I', 'server.go:142', `Version: ${this.node.cluster.profile.kubernetesVersion}`)
    this.unlisten = this.node.cluster.network.listen({
      nodeName: this.node.name,
      host: '0.0.0.0',
      port: this.flags.securePort,
      scheme: 'https',
      kind: 'kube-apiserver',
      service: this,
    })
    this.soon(1000, () => this.tryStart())
  }

  private now(): number {
    return this.node.cluster.clock.now()
  }

  private get world() {
    return k8sWorld(this.node.cluster)
  }

  private log(level: 'I' | 'W' | 'E' | 'F', caller: string, msg: string): void {
    this.lines.push(klog(level, this.now(), 1, caller, msg))
    if (this.lines.length > 1000) this.lines.splice(0, this.lines.length - 1000)
  }

  logs(): string[] {
    return [...this.lines]
  }

  /** Resolves when the server serves requests (or has exited). */
  whenSettled(): Promise<void> {
    if (this.state !== 'starting') return Promise.resolve()
    return new Promise((resolve) => this.readyWaiters.push(resolve))
  }

  private settle(): void {
    for (const w of this.readyWaiters.splice(0)) w()
  }

  /** A start-up retry (compressed while the cluster boots). */
  private soon(ms: number, fn: () => void | Promise<void>): void {
    this.timers.push(this.world.soon(ms, fn))
  }

  /** A periodic check on the clock. */
  private every(ms: number, fn: () => void | Promise<void>): void {
    this.timers.push(
      this.node.cluster.clock.schedule(ms, () => void this.world.track(Promise.resolve().then(fn))),
    )
  }

  private dialError(error: string): string {
    const ep = (this.flags.etcdServers[0] ?? 'https://127.0.0.1:2379').replace(/^\w+:\/\//, '')
    return `[core] [Channel #1 SubChannel #2] grpc: addrConn.createTransport failed to connect to {Addr: "${ep}", ServerName: "${ep.replace(/:\d+$/, '')}", }. Err: connection error: desc = "transport: ${error.includes('refused') ? `Error while dialing: dial tcp ${ep}: connect: connection refused` : `authentication handshake failed: ${error}`}"`
  }

  private async tryStart(): Promise<void> {
    if (this.state !== 'starting') return
    const r = await this.etcd.probe()
    if (this.state !== 'starting') return
    if (r.ok) {
      await this.bootstrap()
      if (this.state !== 'starting') return
      this.state = 'ready'
      this.log('I', 'secure_serving.go:213', `Serving securely on [::]:${this.flags.securePort}`)
      this.settle()
      this.world.emit('objects')
      this.every(LIVENESS_PERIOD_MS, () => this.liveness())
      return
    }
    this.log('W', 'logging.go:59', this.dialError(r.error))
    if (this.now() - this.startedAt >= STARTUP_GIVE_UP_MS) {
      this.log(
        'F',
        'instance.go:226',
        'Error creating leases: error creating storage factory: context deadline exceeded',
      )
      this.stopListening()
      this.state = 'exited'
      this.settle()
      this.ctx.exit(1)
      return
    }
    this.soon(1000, () => this.tryStart())
  }

  /** The liveness probe's view: /livez fails while etcd is unreachable; the kubelet kills after 8 failures. */
  private async liveness(): Promise<void> {
    if (this.state !== 'ready') return
    const r = await this.etcd.probe()
    if (this.state !== 'ready') return
    if (r.ok) {
      this.livenessFailures = 0
      this.etcdDownSince = undefined
      await this.housekeeping()
    } else {
      this.etcdDownSince ??= this.now()
      this.livenessFailures++
      this.log('W', 'logging.go:59', this.dialError(r.error))
      if (this.livenessFailures >= LIVENESS_FAILURES) {
        this.stopListening()
        this.state = 'exited'
        this.ctx.exit(137)
        return
      }
    }
    this.every(LIVENESS_PERIOD_MS, () => this.liveness())
  }

  private stopListening(): void {
    this.unlisten?.()
    this.unlisten = undefined
  }

  stop(): void {
    for (const t of this.timers.splice(0)) t()
    this.stopListening()
    this.state = 'exited'
    this.settle()
  }

  // ---- storage ----------------------------------------------------------

  private unavailable(
    op: 'get' | 'list' | 'create' | 'update' | 'delete',
    info: ResourceInfo,
    name?: string,
  ): ApiError {
    const what = name && op !== 'list' && op !== 'create' ? `${info.qualified} ${name}` : info.qualified
    return new ApiError(
      'timeout',
      `Error from server (Timeout): the server was unable to return a response in the time allotted, but may still be processing the request (${verbOf(op)} ${what})`,
    )
  }

  private async etcdCall<T>(
    op: 'get' | 'list' | 'create' | 'update' | 'delete',
    info: ResourceInfo,
    name: string | undefined,
    fn: () => Promise<T>,
  ): Promise<T> {
    try {
      return await fn()
    } catch (err) {
      if (err instanceof ApiError) throw err
      throw this.unavailable(op, info, name)
    }
  }

  private resource(name: string): ResourceInfo {
    const info = resourceInfo(name)
    if (!info) throw new ApiError('not-found', `error: the server doesn't have a resource type "${name}"`)
    return info
  }

  async list(resource: string, opts: ListOptions = {}): Promise<KubeObject[]> {
    const info = this.resource(resource)
    const labels = opts.labelSelector ? parseLabelSelector(opts.labelSelector) : []
    if (typeof labels === 'string') throw new ApiError('invalid', `Error from server (BadRequest): ${labels}`)
    const fields = opts.fieldSelector ? parseFieldSelector(opts.fieldSelector) : []
    if (typeof fields === 'string') throw new ApiError('invalid', `Error from server (BadRequest): ${fields}`)
    const prefix = info.namespaced && opts.namespace ? `${info.prefix}/${opts.namespace}/` : `${info.prefix}/`
    const kvs = await this.etcdCall('list', info, undefined, () => this.etcd.range(prefix))
    const out: KubeObject[] = []
    for (const kv of kvs) {
      const stored = this.decoded.peek(kv.key, kv.value)
      if (!stored) continue
      if (labels.length && !matchesLabels(stored.metadata.labels, labels)) continue
      if (fields.length && !matchesFields(stored, fields)) continue
      const obj = cloneJson(stored)
      obj.metadata.resourceVersion = String(kv.modRevision)
      out.push(obj)
    }
    return out
  }

  private notFound(info: ResourceInfo, name: string): ApiError {
    return new ApiError('not-found', `Error from server (NotFound): ${info.qualified} "${name}" not found`)
  }

  async get(resource: string, name: string, namespace?: string): Promise<KubeObject> {
    const info = this.resource(resource)
    const kv = await this.etcdCall('get', info, name, () => this.etcd.get(storageKey(info, name, namespace)))
    const obj = kv ? this.decoded.decode(kv.key, kv.value) : undefined
    if (!kv || !obj) throw this.notFound(info, name)
    obj.metadata.resourceVersion = String(kv.modRevision)
    return obj
  }

  allocateClusterIp(): string {
    const n = this.clusterIpNext++
    const seeded = Math.floor(this.world.ids.next() * 250)
    return `10.${96 + ((seeded >> 6) & 3)}.${(seeded + n) % 255}.${((seeded * 7 + n * 13) % 254) + 1}`
  }

  async create(resource: string, input: KubeObject): Promise<KubeObject> {
    const info = this.resource(resource)
    const obj = deepClone(input)
    obj.apiVersion ??= info.apiVersion
    obj.kind ??= info.kind
    obj.metadata ??= { name: '' }
    if (info.namespaced) obj.metadata.namespace ??= 'default'
    else delete obj.metadata.namespace
    if (!obj.metadata.name && typeof obj.metadata.generateName === 'string')
      obj.metadata.name = `${obj.metadata.generateName}${this.world.ids.suffix()}`
    const errs = validate(info, obj)
    if (errs.length > 0) {
      throw new ApiError(
        'invalid',
        `The ${info.kind} "${obj.metadata.name ?? ''}" is invalid: ${errs.length === 1 ? errs[0] : `\n* ${errs.join('\n* ')}`}`,
      )
    }
    const ns = obj.metadata.namespace
    if (info.namespaced && ns && info.kind !== 'Event') {
      const nsKv = await this.etcdCall('create', info, undefined, () =>
        this.etcd.get(`/registry/namespaces/${ns}`),
      )
      if (!nsKv) throw new ApiError('not-found', `Error from server (NotFound): namespaces "${ns}" not found`)
    }
    const key = storageKey(info, obj.metadata.name, ns)
    const existing = await this.etcdCall('create', info, undefined, () => this.etcd.get(key))
    if (existing) {
      throw new ApiError(
        'already-exists',
        `Error from server (AlreadyExists): ${info.qualified} "${obj.metadata.name}" already exists`,
      )
    }
    obj.metadata.uid ??= this.world.ids.uid()
    obj.metadata.creationTimestamp = rfc3339(this.now())
    delete obj.metadata.resourceVersion
    applyDefaults(info, obj, () => this.allocateClusterIp())
    const r = await this.etcdCall('create', info, undefined, () => this.etcd.put(key, encodeObject(obj)))
    obj.metadata.resourceVersion = String(r.revision)
    this.world.emit('objects')
    return obj
  }

  async update(resource: string, input: KubeObject): Promise<KubeObject> {
    const info = this.resource(resource)
    const name = input.metadata?.name
    const ns = info.namespaced ? (input.metadata.namespace ?? 'default') : undefined
    const key = storageKey(info, name, ns)
    const kv = await this.etcdCall('update', info, name, () => this.etcd.get(key))
    const current = kv ? this.decoded.decode(kv.key, kv.value) : undefined
    if (!kv || !current) throw this.notFound(info, name)
    const rv = input.metadata.resourceVersion
    if (rv && rv !== String(kv.modRevision)) {
      throw new ApiError(
        'conflict',
        `Error from server (Conflict): Operation cannot be fulfilled on ${info.qualified} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
      )
    }
    const obj = deepClone(input)
    obj.metadata.uid = current.metadata.uid
    obj.metadata.creationTimestamp = current.metadata.creationTimestamp
    if (info.namespaced) obj.metadata.namespace = ns
    if (current.metadata.generation !== undefined) {
      const specChanged = JSON.stringify(current.spec) !== JSON.stringify(obj.spec)
      obj.metadata.generation = (current.metadata.generation ?? 1) + (specChanged ? 1 : 0)
    }
    delete obj.metadata.resourceVersion
    const r = await this.etcdCall('update', info, name, () => this.etcd.put(key, encodeObject(obj)))
    obj.metadata.resourceVersion = String(r.revision)
    this.world.emit('objects')
    return obj
  }

  async delete(resource: string, name: string, namespace?: string): Promise<KubeObject> {
    const info = this.resource(resource)
    const key = storageKey(info, name, info.namespaced ? (namespace ?? 'default') : undefined)
    const kv = await this.etcdCall('delete', info, name, () => this.etcd.get(key))
    const obj = kv ? this.decoded.decode(kv.key, kv.value) : undefined
    if (!kv || !obj) throw this.notFound(info, name)
    await this.etcdCall('delete', info, name, () => this.etcd.del(key))
    if (info.kind === 'Namespace') {
      // The namespace controller empties a deleted namespace; done at once here.
      await this.etcdCall('delete', info, name, async () => {
        for (const other of [
          'pods',
          'deployments',
          'replicasets',
          'daemonsets',
          'services',
          'endpoints',
          'events',
          'configmaps',
          'secrets',
          'serviceaccounts',
          'leases',
          'roles',
          'rolebindings',
        ]) {
          const o = resourceInfo(other) as ResourceInfo
          await this.etcd.del(`${o.prefix}/${name}/`, { prefix: true })
        }
      })
    }
    this.world.emit('objects')
    return obj
  }

  async raw(path: string): Promise<string> {
    const p = path.replace(/\?.*$/, '')
    const r = await this.etcd.probe()
    const checks = [
      'ping',
      'log',
      'etcd',
      'poststarthook/start-apiserver-admission-initializer',
      'poststarthook/generic-apiserver-start-informers',
    ]
    if (p === '/readyz' || p === '/livez' || p === '/healthz') {
      if (r.ok) return 'ok'
      const lines = checks.map((c) => (c === 'etcd' ? `[-]etcd failed: reason withheld` : `[+]${c} ok`))
      throw new ApiError(
        'unavailable',
        `Error from server (InternalError): an error on the server ("${lines.join('\\n')}\\n${p.slice(1)} check failed") has prevented the request from succeeding`,
      )
    }
    if (p === '/version') {
      const v = this.node.cluster.profile.kubernetesVersion
      const [maj, min] = v.replace(/^v/, '').split('.')
      return `${JSON.stringify(
        {
          major: maj,
          minor: min,
          gitVersion: v,
          gitTreeState: 'clean',
          goVersion: this.node.cluster.profile.goVersion,
          compiler: 'gc',
          platform: 'linux/amd64',
        },
        null,
        2,
      )}\n`
    }
    if (!r.ok)
      throw new ApiError(
        'timeout',
        'Error from server (Timeout): the server was unable to return a response in the time allotted, but may still be processing the request',
      )
    throw new ApiError(
      'not-found',
      'Error from server (NotFound): the server could not find the requested resource',
    )
  }

  // ---- bootstrap -----------------------------------------------------------

  private async ensure(resource: string, obj: KubeObject): Promise<void> {
    try {
      await this.create(resource, obj)
    } catch (err) {
      if (err instanceof ApiError && err.reason === 'already-exists') return
      throw err
    }
  }

  /** What an apiserver creates on its own: system namespaces, the kubernetes service, priority classes. */
  private async bootstrap(): Promise<void> {
    try {
      for (const ns of ['default', 'kube-system', 'kube-public', 'kube-node-lease'])
        await this.ensure('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } })
      await this.ensure('services', {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: {
          name: 'kubernetes',
          namespace: 'default',
          labels: { component: 'apiserver', provider: 'kubernetes' },
        },
        spec: {
          clusterIP: '10.96.0.1',
          ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }],
          type: 'ClusterIP',
        },
      })
      await this.ensure('endpoints', {
        apiVersion: 'v1',
        kind: 'Endpoints',
        metadata: {
          name: 'kubernetes',
          namespace: 'default',
          labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' },
        },
        subsets: [
          {
            addresses: [{ ip: this.flags.advertiseAddress ?? this.node.ip }],
            ports: [{ name: 'https', port: this.flags.securePort, protocol: 'TCP' }],
          },
        ],
      })
      for (const [name, value] of [
        ['system-node-critical', 2000001000],
        ['system-cluster-critical', 2000000000],
      ] as const) {
        await this.ensure('priorityclasses', {
          apiVersion: 'scheduling.k8s.io/v1',
          kind: 'PriorityClass',
          metadata: { name },
          value,
          globalDefault: false,
          preemptionPolicy: 'PreemptLowerPriority',
          description:
            'Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.',
        })
      }
    } catch {
      // etcd went away mid-way; the next housekeeping round finishes the job.
    }
  }

  /** The system namespace controller: recreates missing system namespaces (an emptied etcd gets them back). */
  private async housekeeping(): Promise<void> {
    await this.bootstrap()
  }
}

/** The apiserver that answers on a host:port as seen from a node, if any. */
export function apiServerAt(node: SimNode, host: string, port: number): ApiServer | undefined {
  const l = node.cluster.network.connect(node.name, host, port)
  return l?.kind === 'kube-apiserver' ? (l.service as ApiServer) : undefined
}

export function apiServerFactory(ctx: ProcessContext): ContainerProcess {
  return new ApiServer(ctx)
}
