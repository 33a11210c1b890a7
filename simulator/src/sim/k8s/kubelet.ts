import type { SimNode } from '../node'
import type { FsChange } from '../vfs/watched-fs'
import { type ApiClient, ApiError, type KubeObject } from './api'
import { apiClientFor, defaultServer } from './client'
import { recordEvent } from './controllers'
import { klog, q } from './journal'
import type { Container, Sandbox } from './runtime'
import { argvOf, bindMountsOf, parseStaticPod, type StaticPod } from './static-pod'
import { agentOf, k8sWorld, type NodeAgent, rfc3339 } from './world'

// The kubelet of one node. Static pods come from /etc/kubernetes/manifests
// with the file source's semantics (inotify-like events plus a relist every
// 20 s, dot-files ignored, broken files logged and — at the relist — dropped,
// duplicate names ignored, any change → a new pod); pods the scheduler bound
// to this node come from the apiserver. Each pod becomes a sandbox and
// containers in the node's runtime; static pods get mirror pods named
// <pod>-<node>.

export const MANIFEST_DIR = '/etc/kubernetes/manifests'
export const RELIST_MS = 20_000
const HOUSEKEEPING_MS = 10_000
const SANDBOX_DELAY_MS = 500
const CONTAINER_DELAY_MS = 1_000
const API_POD_PULL_MS = 1_500
const BACKOFF_MAX_MS = 300_000

interface PodRecord {
  uid: string
  /** namespace/name of the pod as the kubelet knows it (mirror name for static pods). */
  fullName: string
  namespace: string
  /** Pod name in the runtime (the mirror/API name). */
  podName: string
  staticPod?: StaticPod
  apiPod?: KubeObject
  sandbox?: Sandbox
  containers: Map<string, Container>
  restarts: Map<string, number>
  cancelStart?: () => void
  startedAt?: number
  /** Being torn down by the kubelet: its exits are not crashes. */
  killed?: boolean
  /** When the pod was last started; Running status is reported after that. */
  statusReported?: string
}

function isMirror(obj: KubeObject): boolean {
  return Boolean(obj.metadata.annotations?.['kubernetes.io/config.mirror'])
}

export class Kubelet {
  active = false
  private readonly agent: NodeAgent
  private files = new Map<string, StaticPod>()
  private records = new Map<string, PodRecord>()
  /** The config.hash of the mirror pod the kubelet believes exists, per static pod (ns/name). */
  private mirrors = new Map<string, string>()
  private timers: Array<() => void> = []
  private unwatch: Array<() => void> = []
  private pendingEvents = new Map<string, FsChange>()
  private eventTimer: (() => void) | undefined
  private nodeRegistered = false
  private podIpNext = 2

  constructor(readonly node: SimNode) {
    this.agent = agentOf(node)
  }

  private get profileNew(): boolean {
    return this.node.cluster.profile.id !== '1.20'
  }

  private get world() {
    return k8sWorld(this.node.cluster)
  }

  private now(): number {
    return this.node.cluster.clock.now()
  }

  private get pid(): number {
    return this.agent.units.kubelet.pid
  }

  /** Log a kubelet line; `legacy` is the 1.20 wording, `structured` the newer one. */
  private log(level: 'I' | 'W' | 'E', caller: string, legacy: string, structured?: string): void {
    const text = klog(
      level,
      this.now(),
      this.pid,
      caller,
      this.profileNew && structured ? structured : legacy,
    )
    this.agent.journal.add({ at: this.now(), unit: 'kubelet', ident: 'kubelet', pid: this.pid, text })
  }

  private api(): ApiClient {
    return apiClientFor(this.node, defaultServer(this.node))
  }

  // ---- lifecycle -------------------------------------------------------------

  start(): void {
    if (this.active) return
    this.active = true
    const v = this.node.cluster.profile.kubernetesVersion
    this.log('I', 'server.go:416', `Version: ${v}`, `"Kubelet version" kubeletVersion=${q(v)}`)
    this.log(
      'I',
      'kubelet.go:265',
      `Adding pod path: ${MANIFEST_DIR}`,
      `"Adding static pod path" path=${q(MANIFEST_DIR)}`,
    )
    this.log('I', 'kubelet.go:276', 'Watching apiserver', '"Adding apiserver pod source"')
    this.unwatch.push(this.node.fs.onChange((c) => this.onFsChange(c)))
    this.unwatch.push(this.agent.runtime.onChange(() => this.onRuntimeChange()))
    this.unwatch.push(this.world.on('objects', () => this.kickApiSync()))
    // On (re)start the kubelet learns the mirror pods from the apiserver again.
    this.mirrors.clear()
    this.mirrorsFromApi = true
    void this.world.track(this.relist())
    this.every(RELIST_MS, () => this.relist())
    this.every(HOUSEKEEPING_MS, () => this.housekeeping())
    this.world.soon(1000, () => this.housekeeping())
    // A new kubelet process has no crash back-off memory.
    this.resetBackoff()
  }

  stop(): void {
    if (!this.active) return
    this.active = false
    for (const t of this.timers.splice(0)) t()
    for (const u of this.unwatch.splice(0)) u()
    for (const c of this.restartTimers.values()) c()
    this.restartTimers.clear()
    this.eventTimer?.()
    this.eventTimer = undefined
    this.pendingEvents.clear()
    for (const r of this.records.values()) {
      r.cancelStart?.()
      r.cancelStart = undefined
    }
  }

  restart(): void {
    this.stop()
    this.start()
  }

  private every(ms: number, fn: () => Promise<void> | void): void {
    const clock = this.node.cluster.clock
    const tick = () => {
      if (!this.active) return
      void this.world.track(Promise.resolve().then(fn))
      cancel = clock.schedule(ms, tick)
    }
    let cancel = clock.schedule(ms, tick)
    this.timers.push(() => cancel())
  }

  private mirrorsFromApi = false

  // ---- the file source ---------------------------------------------------------

  private inDir(path: string | undefined): boolean {
    if (!path) return false
    const i = path.lastIndexOf('/')
    return path.slice(0, i) === MANIFEST_DIR && !path.slice(i + 1).startsWith('.')
  }

  private onFsChange(c: FsChange): void {
    if (!this.active) return
    if (!this.inDir(c.path) && !this.inDir(c.to)) return
    if (c.kind === 'mkdir') return
    this.pendingEvents.set(`${c.kind}:${c.path}:${c.to ?? ''}`, c)
    // inotify delivers at once; a few ms let a writer finish, as the kubelet's channel does.
    this.eventTimer ??= this.node.cluster.clock.schedule(10, () => {
      this.eventTimer = undefined
      const events = [...this.pendingEvents.values()]
      this.pendingEvents.clear()
      void this.world.track(this.processEvents(events))
    })
  }

  private async parseFile(path: string): Promise<{ pod?: StaticPod; error?: string; skip?: boolean }> {
    let text: string
    try {
      const st = await this.node.fs.stat(path)
      if (st.isDirectory) return { skip: true }
      text = await this.node.fs.readFile(path)
    } catch {
      return { skip: true }
    }
    const r = parseStaticPod(text, path, this.node.name)
    return r.ok ? { pod: r.pod } : { error: r.error }
  }

  private async processEvents(events: FsChange[]): Promise<void> {
    if (!this.active) return
    for (const e of events) {
      const gone: string[] = []
      const changed: string[] = []
      if (e.kind === 'remove') gone.push(e.path)
      else if (e.kind === 'rename') {
        if (this.inDir(e.path)) gone.push(e.path)
        if (this.inDir(e.to)) changed.push(e.to as string)
      } else changed.push(e.path)
      for (const p of gone) this.files.delete(p)
      for (const p of changed) {
        if (!this.inDir(p)) continue
        const r = await this.parseFile(p)
        if (r.skip) continue
        if (r.pod) this.files.set(p, r.pod)
        else {
          // A watch event on a broken file is only logged; the relist drops the pod.
          this.log(
            'E',
            'file_linux.go:98',
            `Unable to process watch event: can't process config file ${q(p)}: ${r.error}`,
            `"Unable to process watch event" err=${q(`can't process config file ${q(p)}: ${r.error}`)}`,
          )
        }
      }
    }
    await this.applyStaticPods('watch')
  }

  /** The periodic full listing: the pod set is exactly what parses now. */
  async relist(): Promise<void> {
    if (!this.active) return
    let names: string[] = []
    try {
      names = (await this.node.fs.readdir(MANIFEST_DIR)).sort()
    } catch {
      names = []
    }
    const next = new Map<string, StaticPod>()
    for (const name of names) {
      if (name.startsWith('.')) continue
      const path = `${MANIFEST_DIR}/${name}`
      const r = await this.parseFile(path)
      if (r.skip) continue
      if (r.pod) next.set(path, r.pod)
      else
        this.log(
          'E',
          'file.go:187',
          `Can't process manifest file ${q(path)}: ${r.error}`,
          `"Could not process manifest file" err=${q(r.error as string)} path=${q(path)}`,
        )
    }
    this.files = next
    await this.applyStaticPods('relist')
  }

  /** Desired static pods: first file wins per pod name, later ones are reported as duplicates. */
  private desiredStatic(): StaticPod[] {
    const byName = new Map<string, StaticPod>()
    const paths = [...this.files.keys()].sort()
    let index = 0
    for (const p of paths) {
      index++
      const pod = this.files.get(p) as StaticPod
      const key = `${pod.namespace}/${pod.name}`
      if (byName.has(key)) {
        const ident = `${pod.name}-${this.node.name}_${pod.namespace}(${pod.hash})`
        this.log(
          'W',
          'config.go:383',
          `Pod[${index}] (${ident}) from file failed validation, ignoring: metadata.name: Duplicate value: ${q(pod.name)}`,
          `"Pod failed validation due to duplicate pod name, ignoring" index=${index} pod=${q(`${pod.namespace}/${pod.name}-${this.node.name}`)} source=${q(p)}`,
        )
        continue
      }
      byName.set(key, pod)
    }
    return [...byName.values()]
  }

  private async applyStaticPods(_why: 'watch' | 'relist'): Promise<void> {
    const desired = this.desiredStatic()
    let changed = false
    const wanted = new Set(desired.map((p) => p.hash))
    // Pods gone or replaced: kill, and take their mirror pod away.
    for (const r of [...this.records.values()]) {
      if (!r.staticPod || wanted.has(r.uid)) continue
      const replaced = desired.some(
        (p) => `${p.namespace}/${p.name}` === `${r.staticPod?.namespace}/${r.staticPod?.name}`,
      )
      this.log(
        'I',
        'kubelet.go:1905',
        `SyncLoop (REMOVE, "file"): ${q(`${r.podName}_${r.namespace}(${r.uid})`)}`,
        `"SyncLoop REMOVE" source="file" pods=[${q(`${r.namespace}/${r.podName}`)}]`,
      )
      await this.deleteMirror(r)
      this.killPod(r)
      this.records.delete(r.uid)
      changed = true
      void replaced
    }
    for (const pod of desired) {
      if (this.records.has(pod.hash)) continue
      const podName = `${pod.name}-${this.node.name.toLowerCase()}`
      const r: PodRecord = {
        uid: pod.hash,
        fullName: `${pod.namespace}/${podName}`,
        namespace: pod.namespace,
        podName,
        staticPod: pod,
        containers: new Map(),
        restarts: new Map(),
      }
      this.records.set(pod.hash, r)
      this.log(
        'I',
        'kubelet.go:1895',
        `SyncLoop (ADD, "file"): ${q(`${podName}_${pod.namespace}(${pod.hash})`)}`,
        `"SyncLoop ADD" source="file" pods=[${q(`${pod.namespace}/${podName}`)}]`,
      )
      this.schedulePodStart(r, SANDBOX_DELAY_MS)
      changed = true
    }
    if (changed) this.node.cluster.notifyChange()
  }

  // ---- pods in the runtime -------------------------------------------------------

  private killPod(r: PodRecord): void {
    r.killed = true
    r.cancelStart?.()
    r.cancelStart = undefined
    for (const c of r.containers.values()) {
      if (c.state !== 'CONTAINER_RUNNING') continue
      this.log(
        'I',
        'kuberuntime_container.go:635',
        `Killing container "containerd://${c.id}" with a 30 second grace period`,
        `"Killing container with a grace period" pod=${q(`${r.namespace}/${r.podName}`)} podUID=${q(r.uid)} containerName=${q(c.name)} containerID=${q(`containerd://${c.id}`)} gracePeriod=30`,
      )
    }
    if (r.sandbox) this.agent.runtime.stopSandbox(r.sandbox.id)
    this.agent.runtime.gc(1)
  }

  private schedulePodStart(r: PodRecord, delay: number): void {
    r.cancelStart?.()
    r.cancelStart = this.world.soon(delay, async () => {
      r.cancelStart = undefined
      if (!this.active || this.records.get(r.uid) !== r) return
      await this.startPod(r)
    })
  }

  private containerSpecs(r: PodRecord) {
    if (r.staticPod) return r.staticPod.containers
    const spec = r.apiPod?.spec ?? {}
    return (spec.containers ?? []).map((c: any) => ({
      name: String(c.name),
      image: String(c.image),
      command: Array.isArray(c.command) ? c.command.map(String) : [],
      args: Array.isArray(c.args) ? c.args.map(String) : [],
      volumeMounts: [],
    }))
  }

  /** Prepare hostPath volumes the way the kubelet does before a container starts. */
  private async prepareVolumes(r: PodRecord): Promise<string | undefined> {
    for (const v of r.staticPod?.volumes ?? []) {
      const hp = v.hostPath
      if (!hp?.path) continue
      const path = hp.path
      const exists = await this.node.fs.exists(path)
      try {
        if (hp.type === 'DirectoryOrCreate' && !exists) await this.node.fs.mkdir(path, { recursive: true })
        else if (hp.type === 'FileOrCreate' && !exists) {
          const parent = path.replace(/\/[^/]*$/, '') || '/'
          await this.node.fs.mkdir(parent, { recursive: true })
          await this.node.fs.writeFile(path, '')
        } else if (hp.type === 'Directory' && !(exists && (await this.node.fs.stat(path)).isDirectory)) {
          return `hostPath type check failed: ${path} is not a directory`
        } else if (hp.type === 'File' && !(exists && (await this.node.fs.stat(path)).isFile)) {
          return `hostPath type check failed: ${path} is not a file`
        }
      } catch (err) {
        return String((err as Error)?.message ?? err)
      }
    }
    return undefined
  }

  private async startPod(r: PodRecord): Promise<void> {
    const rt = this.agent.runtime
    const volumeError = await this.prepareVolumes(r)
    if (volumeError) {
      this.log(
        'E',
        'pod_workers.go:191',
        `Error syncing pod ${r.uid} (${q(`${r.podName}_${r.namespace}(${r.uid})`)}), skipping: ${volumeError}`,
        `"Error syncing pod, skipping" err=${q(volumeError)} pod=${q(`${r.namespace}/${r.podName}`)} podUID=${q(r.uid)}`,
      )
      this.schedulePodStart(r, HOUSEKEEPING_MS)
      return
    }
    const labels: Record<string, string> = {
      'io.kubernetes.pod.name': r.podName,
      'io.kubernetes.pod.namespace': r.namespace,
      'io.kubernetes.pod.uid': r.uid,
      ...((r.staticPod?.object.metadata.labels as Record<string, string>) ?? r.apiPod?.metadata.labels ?? {}),
    }
    if (r.sandbox?.state !== 'SANDBOX_READY') {
      r.sandbox = rt.runSandbox({ name: r.podName, namespace: r.namespace, uid: r.uid, labels }, this.now())
    }
    const sandbox = r.sandbox
    r.cancelStart = this.world.soon(CONTAINER_DELAY_MS, () => {
      r.cancelStart = undefined
      if (!this.active || this.records.get(r.uid) !== r || sandbox.state !== 'SANDBOX_READY') return
      for (const spec of this.containerSpecs(r)) {
        const existing = r.containers.get(spec.name)
        if (existing?.state === 'CONTAINER_RUNNING') continue
        this.startContainer(r, spec)
      }
      if (!r.startedAt && r.apiPod) void this.world.track(this.containerEvents(r))
      r.startedAt ??= this.now()
      void this.world.track(this.reportStatus(r))
      if (r.staticPod) void this.world.track(this.syncMirror(r))
    })
  }

  private startContainer(r: PodRecord, spec: ReturnType<Kubelet['containerSpecs']>[number]): void {
    const mounts = r.staticPod ? bindMountsOf(r.staticPod, spec) : []
    const c = this.agent.runtime.startContainer(
      r.sandbox as Sandbox,
      {
        name: spec.name,
        image: spec.image,
        argv: argvOf(spec).length ? argvOf(spec) : [spec.image.replace(/[:@].*$/, '').replace(/.*\//, '')],
        mounts,
        labels: {
          'io.kubernetes.container.name': spec.name,
          'io.kubernetes.pod.name': r.podName,
          'io.kubernetes.pod.namespace': r.namespace,
          'io.kubernetes.pod.uid': r.uid,
        },
        annotations: { 'io.kubernetes.container.restartCount': String(r.restarts.get(spec.name) ?? 0) },
      },
      this.now(),
    )
    r.containers.set(spec.name, c)
  }

  private restartTimers = new Map<string, () => void>()
  /** Crash back-off level per container; a kubelet restart forgets it (the restart count stays). */
  private backoff = new Map<string, number>()

  /** A container exited on its own: restart it with the kubelet's back-off. */
  private onRuntimeChange(): void {
    if (!this.active) return
    for (const r of this.records.values()) {
      if (r.killed) continue
      if (r.sandbox && r.sandbox.state !== 'SANDBOX_READY' && !r.cancelStart) {
        // The sandbox went away under the pod (crictl stopp/rmp): the kubelet makes a new one.
        this.log(
          'I',
          'kuberuntime_manager.go:745',
          `No ready sandbox for pod ${q(`${r.podName}_${r.namespace}(${r.uid})`)} can be found. Need to start a new one`,
          `"No ready sandbox for pod can be found. Need to start a new one" pod=${q(`${r.namespace}/${r.podName}`)}`,
        )
        r.sandbox = undefined
        for (const name of r.containers.keys()) r.restarts.set(name, (r.restarts.get(name) ?? 0) + 1)
        this.schedulePodStart(r, SANDBOX_DELAY_MS)
        continue
      }
      if (r.sandbox?.state !== 'SANDBOX_READY') continue
      for (const [name, c] of r.containers) {
        if (c.state !== 'CONTAINER_EXITED') continue
        const key = `${r.uid}/${name}`
        if (this.restartTimers.has(key)) continue
        r.restarts.set(name, (r.restarts.get(name) ?? 0) + 1)
        const n = (this.backoff.get(key) ?? 0) + 1
        this.backoff.set(key, n)
        const delay = n === 1 ? 0 : Math.min(BACKOFF_MAX_MS, 10_000 * 2 ** (n - 2))
        if (delay > 0) {
          this.log(
            'E',
            'pod_workers.go:191',
            `Error syncing pod ${r.uid} (${q(`${r.podName}_${r.namespace}(${r.uid})`)}), skipping: failed to "StartContainer" for ${q(name)} with CrashLoopBackOff: "back-off ${delay / 1000}s restarting failed container=${name} pod=${r.podName}_${r.namespace}(${r.uid})"`,
            `"Error syncing pod, skipping" err=${q(`failed to "StartContainer" for ${q(name)} with CrashLoopBackOff: "back-off ${delay >= 60_000 ? `${Math.floor(delay / 60_000)}m${(delay % 60_000) / 1000}s` : `${delay / 1000}s`} restarting failed container=${name} pod=${r.podName}_${r.namespace}(${r.uid})"`)} pod=${q(`${r.namespace}/${r.podName}`)} podUID=${q(r.uid)}`,
          )
        }
        const cancel = this.node.cluster.clock.schedule(delay + CONTAINER_DELAY_MS, () => {
          this.restartTimers.delete(key)
          if (!this.active || this.records.get(r.uid) !== r || r.containers.get(name) !== c) return
          const spec = this.containerSpecs(r).find((s: { name: string }) => s.name === name)
          if (spec) this.startContainer(r, spec)
          this.agent.runtime.gc(1)
          void this.world.track(this.reportStatus(r))
        })
        this.restartTimers.set(key, cancel)
      }
    }
  }

  /** Reset crash back-off, as a kubelet restart does. */
  resetBackoff(): void {
    for (const c of this.restartTimers.values()) c()
    this.restartTimers.clear()
    this.backoff.clear()
    this.onRuntimeChange()
  }

  // ---- mirror pods and status ----------------------------------------------------

  private mirrorObject(r: PodRecord): KubeObject {
    const sp = r.staticPod as StaticPod
    const obj = JSON.parse(JSON.stringify(sp.object)) as KubeObject
    const seen = rfc3339(r.startedAt ?? this.now())
    obj.metadata = {
      ...obj.metadata,
      name: r.podName,
      namespace: r.namespace,
      annotations: {
        ...((obj.metadata.annotations as Record<string, string>) ?? {}),
        'kubernetes.io/config.hash': sp.hash,
        'kubernetes.io/config.mirror': sp.hash,
        'kubernetes.io/config.seen': seen.replace('Z', '.000000000Z'),
        'kubernetes.io/config.source': 'file',
      },
      ownerReferences: [
        { apiVersion: 'v1', kind: 'Node', name: this.node.name, uid: this.nodeUid ?? '', controller: true },
      ],
    }
    delete obj.metadata.creationTimestamp
    obj.spec = { ...obj.spec, nodeName: this.node.name }
    obj.spec.tolerations ??= [{ effect: 'NoExecute', operator: 'Exists' }]
    obj.status = this.podStatus(r)
    return obj
  }

  private nodeUid: string | undefined

  private podStatus(r: PodRecord): Record<string, unknown> {
    const started = r.startedAt ?? this.now()
    const statuses = [...r.containers.values()].map((c) => ({
      containerID: `containerd://${c.id}`,
      image: c.image,
      imageID: `${c.image.replace(/:[^:/]*$/, '')}@${c.imageRef}`,
      lastState: {},
      name: c.name,
      ready: c.state === 'CONTAINER_RUNNING',
      restartCount: r.restarts.get(c.name) ?? 0,
      started: c.state === 'CONTAINER_RUNNING',
      state:
        c.state === 'CONTAINER_RUNNING'
          ? { running: { startedAt: rfc3339(c.startedAt) } }
          : {
              terminated: {
                exitCode: c.exitCode,
                reason: c.reason || 'Error',
                startedAt: rfc3339(c.startedAt),
                finishedAt: rfc3339(c.finishedAt),
              },
            },
    }))
    const ready = statuses.length > 0 && statuses.every((s) => s.ready)
    const t = rfc3339(started)
    const hostNetwork = Boolean((r.staticPod?.object.spec ?? r.apiPod?.spec)?.hostNetwork)
    const podIP = hostNetwork ? this.node.ip : this.podIp(r)
    return {
      phase: 'Running',
      conditions: [
        { type: 'Initialized', status: 'True', lastProbeTime: null, lastTransitionTime: t },
        { type: 'Ready', status: ready ? 'True' : 'False', lastProbeTime: null, lastTransitionTime: t },
        {
          type: 'ContainersReady',
          status: ready ? 'True' : 'False',
          lastProbeTime: null,
          lastTransitionTime: t,
        },
        { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: t },
      ],
      hostIP: this.node.ip,
      podIP,
      podIPs: [{ ip: podIP }],
      startTime: t,
      containerStatuses: statuses,
      qosClass: r.staticPod ? 'Burstable' : 'BestEffort',
    }
  }

  private podIps = new Map<string, string>()

  private podIp(r: PodRecord): string {
    let ip = this.podIps.get(r.uid)
    if (!ip) {
      const idx = Math.max(0, this.node.cluster.nodes.indexOf(this.node))
      ip = `10.244.${idx}.${this.podIpNext++}`
      this.podIps.set(r.uid, ip)
    }
    return ip
  }

  private async deleteMirror(r: PodRecord): Promise<void> {
    if (!r.staticPod) return
    const key = `${r.namespace}/${r.podName}`
    if (!this.mirrors.has(key)) return
    try {
      await this.api().delete('pods', r.podName, r.namespace)
    } catch {
      // Unreachable or already gone: the kubelet forgets it either way.
    }
    this.mirrors.delete(key)
  }

  private async syncMirror(r: PodRecord): Promise<void> {
    if (!this.active || !r.staticPod || this.records.get(r.uid) !== r) return
    const key = `${r.namespace}/${r.podName}`
    if (this.mirrors.get(key) === r.uid) return
    const api = this.api()
    try {
      if (this.mirrorsFromApi) {
        // After a (re)start the kubelet compares the apiserver's mirror pod with its pod and replaces a stale one.
        try {
          const existing = await api.get('pods', r.podName, r.namespace)
          const hash = existing.metadata.annotations?.['kubernetes.io/config.mirror']
          if (hash === r.uid) {
            this.mirrors.set(key, r.uid)
            return
          }
          await api.delete('pods', r.podName, r.namespace)
        } catch (err) {
          if (!(err instanceof ApiError && err.reason === 'not-found')) throw err
        }
      }
      await api.create('pods', this.mirrorObject(r))
      this.mirrors.set(key, r.uid)
    } catch (err) {
      if (err instanceof ApiError && err.reason === 'already-exists') {
        this.log(
          'E',
          'kubelet.go:1640',
          `Failed creating a mirror pod for ${q(`${r.podName}_${r.namespace}(${r.uid})`)}: pods ${q(r.podName)} already exists`,
          `"Failed creating a mirror pod" err=${q(`pods ${q(r.podName)} already exists`)} pod=${q(`${r.namespace}/${r.podName}`)}`,
        )
      }
      // Unreachable apiserver: tried again at the next housekeeping.
    }
  }

  /** Deleted mirror pods come back; a stale (snapshot-era) one stays until the kubelet restarts. */
  private async checkMirrors(): Promise<void> {
    let pods: KubeObject[]
    try {
      pods = await this.api().list('pods', {
        namespace: undefined,
        fieldSelector: `spec.nodeName=${this.node.name}`,
      })
    } catch {
      return
    }
    const byKey = new Map(pods.filter(isMirror).map((p) => [`${p.metadata.namespace}/${p.metadata.name}`, p]))
    for (const r of this.records.values()) {
      if (!r.staticPod || !r.startedAt) continue
      const key = `${r.namespace}/${r.podName}`
      const existing = byKey.get(key)
      if (!existing) this.mirrors.delete(key)
      else if (
        existing.metadata.annotations?.['kubernetes.io/config.mirror'] !== r.uid &&
        this.mirrors.get(key) === r.uid
      ) {
        // The kubelet thinks its mirror exists; it is someone else's (a restored etcd's): leave it, as observed.
        continue
      }
      await this.syncMirror(r)
    }
    this.mirrorsFromApi = false
  }

  /** The events `kubectl describe pod` lists for a pod the kubelet started. */
  private async containerEvents(r: PodRecord): Promise<void> {
    const pod = r.apiPod
    if (!pod) return
    const api = this.api()
    try {
      for (const spec of this.containerSpecs(r)) {
        const image = spec.image
        for (const [reason, message] of [
          ['Pulling', `Pulling image "${image}"`],
          [
            'Pulled',
            this.profileNew
              ? `Successfully pulled image "${image}" in 1.204s (1.204s including waiting). Image size: 72195292 bytes.`
              : `Successfully pulled image "${image}" in 1.204170953s`,
          ],
          ['Created', `Created container ${spec.name}`],
          ['Started', `Started container ${spec.name}`],
        ]) {
          await recordEvent(api, this.node, {
            obj: pod,
            reason: reason as string,
            message: message as string,
            component: 'kubelet',
            host: this.node.name,
          })
        }
      }
    } catch {
      // Events are best effort, as in the kubelet.
    }
  }

  private async reportStatus(r: PodRecord): Promise<void> {
    if (!r.apiPod && !r.staticPod) return
    try {
      const api = this.api()
      const current = await api.get('pods', r.podName, r.namespace)
      // A static pod's status goes to its mirror pod, if the mirror is this pod's.
      if (
        r.staticPod
          ? current.metadata.annotations?.['kubernetes.io/config.mirror'] !== r.uid
          : current.metadata.uid !== r.uid
      )
        return
      current.status = {
        ...this.podStatus(r),
        qosClass: current.status?.qosClass ?? (r.staticPod ? 'Burstable' : 'BestEffort'),
      }
      delete current.metadata.resourceVersion
      await api.update('pods', current)
    } catch {
      // Reported at the next sync.
    }
  }

  // ---- pods from the apiserver -----------------------------------------------------

  private apiSyncQueued = false
  private apiSyncRunning = false
  private apiSyncDirty = false

  private kickApiSync(): void {
    if (!this.active) return
    if (this.apiSyncRunning) {
      this.apiSyncDirty = true
      return
    }
    if (this.apiSyncQueued) return
    this.apiSyncQueued = true
    this.world.soon(200, async () => {
      this.apiSyncQueued = false
      await this.syncApiPods()
    })
  }

  private async syncApiPods(): Promise<void> {
    if (!this.active) return
    if (this.apiSyncRunning) {
      this.apiSyncDirty = true
      return
    }
    this.apiSyncRunning = true
    this.apiSyncDirty = false
    try {
      await this.syncApiPodsOnce()
    } finally {
      this.apiSyncRunning = false
    }
    if (this.apiSyncDirty) this.kickApiSync()
  }

  private async syncApiPodsOnce(): Promise<void> {
    let pods: KubeObject[]
    try {
      pods = await this.api().list('pods', { fieldSelector: `spec.nodeName=${this.node.name}` })
    } catch {
      return
    }
    const live = new Set<string>()
    for (const p of pods) {
      if (isMirror(p) || !p.metadata.uid) continue
      live.add(p.metadata.uid)
      const existing = this.records.get(p.metadata.uid)
      if (existing) {
        existing.apiPod = p
        if (existing.startedAt && p.status?.phase !== 'Running')
          void this.world.track(this.reportStatus(existing))
        continue
      }
      const r: PodRecord = {
        uid: p.metadata.uid,
        fullName: `${p.metadata.namespace}/${p.metadata.name}`,
        namespace: p.metadata.namespace ?? 'default',
        podName: p.metadata.name,
        apiPod: p,
        containers: new Map(),
        restarts: new Map(),
      }
      this.records.set(r.uid, r)
      this.log(
        'I',
        'kubelet.go:1895',
        `SyncLoop (ADD, "api"): ${q(`${r.podName}_${r.namespace}(${r.uid})`)}`,
        `"SyncLoop ADD" source="api" pods=[${q(r.fullName)}]`,
      )
      this.schedulePodStart(r, API_POD_PULL_MS)
    }
    for (const r of [...this.records.values()]) {
      if (!r.apiPod || live.has(r.uid)) continue
      this.log(
        'I',
        'kubelet.go:1911',
        `SyncLoop (DELETE, "api"): ${q(`${r.podName}_${r.namespace}(${r.uid})`)}`,
        `"SyncLoop DELETE" source="api" pods=[${q(r.fullName)}]`,
      )
      this.killPod(r)
      this.records.delete(r.uid)
    }
  }

  // ---- node registration and heartbeats ---------------------------------------------

  private nodeObject(): KubeObject {
    const p = this.node.cluster.profile
    const cp = this.node.role === 'control-plane'
    const labels: Record<string, string> = {
      'beta.kubernetes.io/arch': 'amd64',
      'beta.kubernetes.io/os': 'linux',
      'kubernetes.io/arch': 'amd64',
      'kubernetes.io/hostname': this.node.name,
      'kubernetes.io/os': 'linux',
    }
    if (cp) {
      labels['node-role.kubernetes.io/control-plane'] = ''
      // kubeadm 1.20 applies both role labels; exclude-from-external-load-balancers came later.
      if (p.id === '1.20') labels['node-role.kubernetes.io/master'] = ''
      else labels['node.kubernetes.io/exclude-from-external-load-balancers'] = ''
    }
    const hasWorkers = this.node.cluster.nodes.some((n) => n.role === 'worker')
    const t = rfc3339(this.now())
    const idx = Math.max(0, this.node.cluster.nodes.indexOf(this.node))
    return {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name: this.node.name,
        labels,
        annotations: {
          'kubeadm.alpha.kubernetes.io/cri-socket': 'unix:///run/containerd/containerd.sock',
          'node.alpha.kubernetes.io/ttl': '0',
          'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
        },
      },
      spec: {
        podCIDR: `10.244.${idx}.0/24`,
        podCIDRs: [`10.244.${idx}.0/24`],
        ...(cp && hasWorkers
          ? {
              taints: [
                {
                  effect: 'NoSchedule',
                  key:
                    p.id === '1.20'
                      ? 'node-role.kubernetes.io/master'
                      : 'node-role.kubernetes.io/control-plane',
                },
              ],
            }
          : {}),
      },
      status: {
        addresses: [
          { address: this.node.ip, type: 'InternalIP' },
          { address: this.node.name, type: 'Hostname' },
        ],
        allocatable: { cpu: '2', 'ephemeral-storage': '59189896Ki', memory: '3925108Ki', pods: '110' },
        capacity: { cpu: '2', 'ephemeral-storage': '61255492Ki', memory: '4027508Ki', pods: '110' },
        conditions: this.conditions(t, t),
        daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
        nodeInfo: {
          architecture: 'amd64',
          bootID: this.world.ids.uid(),
          containerRuntimeVersion: `containerd://${p.containerdVersion}`,
          kernelVersion: '5.15.0-1067-gcp',
          kubeProxyVersion: p.kubernetesVersion,
          kubeletVersion: p.kubernetesVersion,
          machineID: this.world.ids.hex(32),
          operatingSystem: 'linux',
          osImage: 'Debian GNU/Linux 12 (bookworm)',
          systemUUID: this.world.ids.uid(),
        },
      },
    }
  }

  private conditions(heartbeat: string, transition: string) {
    const c = (type: string, status: string, reason: string, message: string) => ({
      type,
      status,
      lastHeartbeatTime: heartbeat,
      lastTransitionTime: transition,
      reason,
      message,
    })
    return [
      c('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
      c('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
      c('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
      c('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
    ]
  }

  private async registerOrUpdateNode(): Promise<void> {
    const api = this.api()
    try {
      const existing = await api.get('nodes', this.node.name)
      this.nodeUid = existing.metadata.uid
      this.nodeRegistered = true
      const ready = existing.status?.conditions?.find((c: { type: string }) => c.type === 'Ready')
      if (ready?.status !== 'True') {
        const t = rfc3339(this.now())
        existing.status.conditions = this.conditions(t, t)
        delete existing.metadata.resourceVersion
        await api.update('nodes', existing)
      }
    } catch (err) {
      if (err instanceof ApiError && err.reason === 'not-found') {
        this.log(
          'I',
          'kubelet_node_status.go:71',
          `Attempting to register node ${this.node.name}`,
          `"Attempting to register node" node=${q(this.node.name)}`,
        )
        const created = await api.create('nodes', this.nodeObject())
        this.nodeUid = created.metadata.uid
        this.nodeRegistered = true
        this.log(
          'I',
          'kubelet_node_status.go:74',
          `Successfully registered node ${this.node.name}`,
          `"Successfully registered node" node=${q(this.node.name)}`,
        )
        return
      }
      const why = err instanceof ApiError ? err.message : String(err)
      const dial = why.includes('refused')
        ? `Get "https://${api.server}/api/v1/nodes/${this.node.name}?timeout=10s": dial tcp ${api.server}: connect: connection refused`
        : `Get "https://${api.server}/api/v1/nodes/${this.node.name}?resourceVersion=0&timeout=10s": net/http: request canceled (Client.Timeout exceeded while awaiting headers)`
      this.log(
        'E',
        'kubelet_node_status.go:470',
        `Error updating node status, will retry: error getting node ${q(this.node.name)}: ${dial}`,
        `"Error updating node status, will retry" err=${q(`error getting node ${q(this.node.name)}: ${dial}`)}`,
      )
      throw err
    }
    await this.renewLease()
  }

  private async renewLease(): Promise<void> {
    const api = this.api()
    const lease: KubeObject = {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name: this.node.name, namespace: 'kube-node-lease' },
      spec: {
        holderIdentity: this.node.name,
        leaseDurationSeconds: 40,
        renewTime: new Date(this.now()).toISOString().replace('Z', '000Z'),
      },
    }
    try {
      const cur = await api.get('leases', this.node.name, 'kube-node-lease')
      cur.spec = lease.spec
      delete cur.metadata.resourceVersion
      await api.update('leases', cur)
    } catch (err) {
      if (err instanceof ApiError && err.reason === 'not-found')
        await api.create('leases', lease).catch(() => undefined)
    }
  }

  async housekeeping(): Promise<void> {
    if (!this.active) return
    try {
      await this.registerOrUpdateNode()
    } catch {
      return
    }
    await this.checkMirrors()
    await this.syncApiPods()
  }

  /** For tests and checks: the static pods the kubelet runs now, by mirror name. */
  staticPods(): Array<{ name: string; namespace: string; uid: string; source: string; running: boolean }> {
    return [...this.records.values()]
      .filter((r) => r.staticPod)
      .map((r) => ({
        name: r.podName,
        namespace: r.namespace,
        uid: r.uid,
        source: r.staticPod?.source ?? '',
        running: [...r.containers.values()].some((c) => c.state === 'CONTAINER_RUNNING'),
      }))
  }

  get registered(): boolean {
    return this.nodeRegistered
  }
}
