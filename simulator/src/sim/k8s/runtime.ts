import { InMemoryFs } from 'just-bash'
import type { SimNode } from '../node'
import { createRng, type Rng, randomHex, seedFrom } from '../random'
import { type BindMount, ContainerFs } from './container-fs'

// The node's container runtime (containerd, as crictl sees it): pod sandboxes
// and containers with ids, states, timestamps, pids, mounts and logs. What a
// container *does* is a ContainerProcess chosen by its binary (etcd, the
// apiserver …); the runtime only keeps the bookkeeping real tools show.

export type ContainerState = 'CONTAINER_CREATED' | 'CONTAINER_RUNNING' | 'CONTAINER_EXITED'
export type SandboxState = 'SANDBOX_READY' | 'SANDBOX_NOTREADY'

/** The behaviour of a running container's main process. */
export interface ContainerProcess {
  /** Stop the process (SIGTERM, then SIGKILL); idempotent. */
  stop(): void
  /** Lines the process wrote to stdout/stderr so far (newest last). */
  logs(): string[]
}

export interface ProcessContext {
  node: SimNode
  container: Container
  argv: string[]
  fs: ContainerFs
  /** The process ended on its own (crash, exit); the runtime marks the container exited. */
  exit(code: number): void
}

export type ProcessFactory = (ctx: ProcessContext) => ContainerProcess

export interface Sandbox {
  id: string
  name: string
  namespace: string
  uid: string
  attempt: number
  state: SandboxState
  createdAt: number
  labels: Record<string, string>
  annotations: Record<string, string>
  pid: number
}

export interface Container {
  id: string
  sandboxId: string
  name: string
  image: string
  imageRef: string
  attempt: number
  state: ContainerState
  createdAt: number
  startedAt: number
  finishedAt: number
  exitCode: number
  reason: string
  pid: number
  argv: string[]
  mounts: BindMount[]
  fs: ContainerFs
  podName: string
  podNamespace: string
  podUid: string
  labels: Record<string, string>
  annotations: Record<string, string>
  /** Log lines of earlier runs are kept when the process is gone. */
  logTail: string[]
  process?: ContainerProcess
}

export interface ImageInfo {
  repo: string
  tag: string
  id: string
  size: string
}

/** Directories every image's rootfs has, so mount points and tools find their parents. */
const ROOTFS_DIRS = ['/bin', '/etc', '/tmp', '/usr/local/bin', '/var/lib', '/run', '/proc', '/dev', '/root']

export class NodeRuntime {
  readonly sandboxes: Sandbox[] = []
  readonly containers: Container[] = []
  readonly images = new Map<string, ImageInfo>()
  private rng: Rng
  private nextPid: number
  private listeners = new Set<() => void>()

  constructor(
    readonly node: SimNode,
    /** Which process runs for a container whose argv[0] (basename) is the key; others run nothing. */
    private readonly processes: ReadonlyMap<string, ProcessFactory> = new Map(),
    pidBase = 1400,
  ) {
    this.rng = createRng(seedFrom(`${node.cluster.seed}/${node.name}/containerd`))
    this.nextPid = pidBase
  }

  onChange(l: () => void): () => void {
    this.listeners.add(l)
    return () => this.listeners.delete(l)
  }

  private changed(): void {
    for (const l of this.listeners) l()
  }

  newId(): string {
    return randomHex(this.rng, 64)
  }

  allocPid(): number {
    this.nextPid += 1 + Math.floor(this.rng() * 40)
    return this.nextPid
  }

  /** Record an image as pulled (static pod images are in the node image from the start). */
  ensureImage(image: string): ImageInfo {
    const existing = this.images.get(image)
    if (existing) return existing
    const at = image.lastIndexOf(':')
    const slash = image.lastIndexOf('/')
    const repo = at > slash ? image.slice(0, at) : image
    const tag = at > slash ? image.slice(at + 1) : 'latest'
    // The same image has the same id on every node.
    const rng = createRng(seedFrom(image))
    const mb = 10 + Math.floor(rng() * 140)
    const info = { repo, tag, id: randomHex(rng, 64), size: `${mb}.${Math.floor(rng() * 10)}MB` }
    this.images.set(image, info)
    return info
  }

  runSandbox(
    o: {
      name: string
      namespace: string
      uid: string
      labels?: Record<string, string>
      annotations?: Record<string, string>
    },
    at: number,
  ): Sandbox {
    const attempt = this.sandboxes.filter((s) => s.uid === o.uid).length
    const sb: Sandbox = {
      id: this.newId(),
      name: o.name,
      namespace: o.namespace,
      uid: o.uid,
      attempt,
      state: 'SANDBOX_READY',
      createdAt: at,
      labels: { ...(o.labels ?? {}) },
      annotations: { ...(o.annotations ?? {}) },
      pid: this.allocPid(),
    }
    this.sandboxes.push(sb)
    this.changed()
    return sb
  }

  stopSandbox(id: string): void {
    const sb = this.sandboxes.find((s) => s.id === id)
    if (!sb) return
    // The sandbox is gone before its containers report their exit, as the kubelet sees it.
    sb.state = 'SANDBOX_NOTREADY'
    for (const c of this.containers) if (c.sandboxId === id) this.stopContainer(c.id, 0, 'Completed')
    this.changed()
  }

  removeSandbox(id: string): void {
    this.stopSandbox(id)
    for (let i = this.containers.length - 1; i >= 0; i--)
      if (this.containers[i]?.sandboxId === id) this.containers.splice(i, 1)
    const i = this.sandboxes.findIndex((s) => s.id === id)
    if (i >= 0) this.sandboxes.splice(i, 1)
    this.changed()
  }

  /** Create and start a container in a sandbox; its process starts at once. */
  startContainer(
    sandbox: Sandbox,
    o: {
      name: string
      image: string
      argv: string[]
      mounts: BindMount[]
      labels?: Record<string, string>
      annotations?: Record<string, string>
    },
    at: number,
  ): Container {
    const attempt = this.containers.filter((c) => c.sandboxId === sandbox.id && c.name === o.name).length
    const rootfs = new InMemoryFs()
    for (const d of ROOTFS_DIRS) rootfs.mkdirSync(d, { recursive: true })
    for (const m of o.mounts) {
      // Mount points exist in the rootfs as empty directories (or files), as runc creates them.
      const parent = m.containerPath.replace(/\/[^/]*$/, '') || '/'
      rootfs.mkdirSync(parent, { recursive: true })
    }
    const fs = new ContainerFs(rootfs, this.node.fs, o.mounts)
    const image = this.ensureImage(o.image)
    const c: Container = {
      id: this.newId(),
      sandboxId: sandbox.id,
      name: o.name,
      image: o.image,
      imageRef: `sha256:${image.id}`,
      attempt,
      state: 'CONTAINER_RUNNING',
      createdAt: at,
      startedAt: at,
      finishedAt: 0,
      exitCode: 0,
      reason: '',
      pid: this.allocPid(),
      argv: o.argv,
      mounts: o.mounts,
      fs,
      podName: sandbox.name,
      podNamespace: sandbox.namespace,
      podUid: sandbox.uid,
      labels: { ...(o.labels ?? {}) },
      annotations: { ...(o.annotations ?? {}) },
      logTail: [],
    }
    this.containers.push(c)
    const binary = (o.argv[0] ?? '').replace(/.*\//, '')
    const factory = this.processes.get(binary)
    if (factory) {
      try {
        c.process = factory({
          node: this.node,
          container: c,
          argv: o.argv,
          fs,
          exit: (code) => this.exited(c, code),
        })
      } catch (err) {
        c.logTail.push(String((err as Error)?.message ?? err))
        this.exited(c, 1)
      }
    }
    this.changed()
    return c
  }

  private exited(c: Container, code: number): void {
    if (c.state === 'CONTAINER_EXITED') return
    if (c.process) c.logTail = c.process.logs().slice(-500)
    c.process = undefined
    c.state = 'CONTAINER_EXITED'
    c.exitCode = code
    c.reason = code === 0 ? 'Completed' : 'Error'
    c.finishedAt = this.node.cluster.clock.now()
    this.changed()
  }

  stopContainer(id: string, code = 0, reason = 'Completed'): void {
    const c = this.containers.find((x) => x.id === id)
    if (!c || c.state === 'CONTAINER_EXITED') return
    const p = c.process
    try {
      p?.stop()
    } catch {
      // A process that fails to stop cleanly is killed anyway.
    }
    this.exited(c, code)
    c.reason = reason
  }

  /** Keep the last `keep` exited containers per (pod, name), as the kubelet's GC does. */
  gc(keep = 1): void {
    const seen = new Map<string, number>()
    for (let i = this.containers.length - 1; i >= 0; i--) {
      const c = this.containers[i] as Container
      if (c.state !== 'CONTAINER_EXITED') continue
      const k = `${c.podUid}/${c.name}`
      const n = (seen.get(k) ?? 0) + 1
      seen.set(k, n)
      if (n > keep) this.containers.splice(i, 1)
    }
    for (let i = this.sandboxes.length - 1; i >= 0; i--) {
      const sb = this.sandboxes[i] as Sandbox
      if (sb.state === 'SANDBOX_NOTREADY' && !this.containers.some((c) => c.sandboxId === sb.id))
        this.sandboxes.splice(i, 1)
    }
  }

  logsOf(c: Container): string[] {
    return c.process ? c.process.logs() : c.logTail
  }

  running(): Container[] {
    return this.containers.filter((c) => c.state === 'CONTAINER_RUNNING')
  }

  /** The running container of a pod, by pod name and namespace (and container name). */
  findRunning(podName: string, namespace: string, container?: string): Container | undefined {
    return this.containers.find(
      (c) =>
        c.state === 'CONTAINER_RUNNING' &&
        c.podName === podName &&
        c.podNamespace === namespace &&
        (container === undefined || c.name === container),
    )
  }

  /** Find by id or unique id prefix, as crictl accepts. */
  findContainer(idOrPrefix: string): Container | undefined {
    const matches = this.containers.filter((c) => c.id.startsWith(idOrPrefix))
    return matches.length === 1 ? matches[0] : undefined
  }

  stopAll(): void {
    for (const c of this.containers) this.stopContainer(c.id)
  }
}
