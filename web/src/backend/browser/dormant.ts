// Saved labs wake when they are used, not when the page loads. The server
// brings every ready attempt back at start; a browser that did the same
// would start one Web Worker per attempt it ever kept, restore each cluster
// (about a second of work apiece) before the catalogue showed, and keep them
// all running. Here `restore` hands the attempt manager a dormant environment
// that knows its id, spec and nodes from the saved bytes, serializes as those
// bytes, and restores itself in a worker on first real use (a terminal, an
// exec, a file read). Lab triggers leave dormant environments alone
// (`skipDormantTicks`): nothing in them changes until they wake.

import type {
  ClusterSpec,
  Driver,
  Environment,
  EnvironmentPersistence,
  ExecOptions,
  ExecResult,
  Node,
  ProbeResult,
  Progress,
  TerminalSize,
  TerminalStream,
} from '../../../../simulator/src/seam'
import type { LabCatalog } from '../../../../simulator/src/server/ports'

export interface SavedClusterInfo {
  id: string
  spec: ClusterSpec
  nodes: { name: string; role: 'control-plane' | 'worker' }[]
}

const JSON_STRING = '"(?:[^"\\\\]|\\\\.)*"'
const HEAD = new RegExp(`^\\{"format":"ckalab\\.sim/v1","id":(${JSON_STRING}),"spec":(\\{[^{}]*\\}),"seed":`)
const NODE = new RegExp(`\\{"name":(${JSON_STRING}),"files":\\{`, 'g')

/**
 * Id, spec and nodes of a saved simulated cluster, read from its first bytes
 * and the node entries instead of parsing the whole (often a megabyte).
 * Nodes are saved control planes first, as the cluster plans them. Undefined
 * when the bytes are not a saved cluster this can read.
 */
export function peekSavedCluster(bytes: Uint8Array): SavedClusterInfo | undefined {
  const text = new TextDecoder().decode(bytes)
  let id: string
  let spec: ClusterSpec
  let names: string[]
  const head = HEAD.exec(text.slice(0, 4096))
  const from = text.indexOf(',"nodes":[')
  const to = text.lastIndexOf('],"plugins":')
  try {
    if (head && from > 0 && to > from) {
      id = JSON.parse(head[1]) as string
      spec = JSON.parse(head[2]) as ClusterSpec
      names = [...text.slice(from, to).matchAll(NODE)].map((m) => JSON.parse(m[1]) as string)
    } else {
      // Another key order (an older or newer simulator): the slow, sure way.
      const whole = JSON.parse(text) as {
        format?: string
        id: string
        spec: ClusterSpec
        nodes: { name: string }[]
      }
      if (whole.format !== 'ckalab.sim/v1') return undefined
      id = whole.id
      spec = whole.spec
      names = whole.nodes.map((n) => n.name)
    }
  } catch {
    return undefined
  }
  const cps = Math.max(1, spec.controlPlanes)
  if (typeof id !== 'string' || names.length !== cps + (spec.workers ?? 0)) return undefined
  return {
    id,
    spec,
    nodes: names.map((name, i) => ({ name, role: i < cps ? 'control-plane' : 'worker' })),
  }
}

class DormantNode implements Node {
  readonly listeners = new Set<(path: string) => void>()

  constructor(
    private readonly env: DormantEnvironment,
    readonly name: string,
    readonly role: 'control-plane' | 'worker',
  ) {}

  private async inner(): Promise<Node> {
    const env = await this.env.wake()
    const node = env.nodes.find((n) => n.name === this.name)
    if (!node) throw new Error(`the restored lab has no node named "${this.name}"`)
    return node
  }

  async exec(cmd: string, opts?: ExecOptions): Promise<ExecResult> {
    return (await this.inner()).exec(cmd, opts)
  }

  async openTerminal(size: TerminalSize): Promise<TerminalStream> {
    return (await this.inner()).openTerminal(size)
  }

  async readFile(path: string): Promise<Uint8Array | undefined> {
    return (await this.inner()).readFile(path)
  }

  onFileChange(listener: (path: string) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }
}

export class DormantEnvironment implements Environment {
  readonly id: string
  readonly driver: string
  readonly spec: ClusterSpec
  readonly nodes: DormantNode[]
  readonly persistence: EnvironmentPersistence
  private bytes: Uint8Array | undefined
  private inner: Environment | undefined
  private waking: Promise<Environment> | undefined
  private disposed = false
  private readonly changeListeners = new Set<() => void>()

  constructor(
    info: SavedClusterInfo,
    driverName: string,
    bytes: Uint8Array,
    private readonly restore: (bytes: Uint8Array) => Promise<Environment>,
  ) {
    this.id = info.id
    this.driver = driverName
    this.spec = info.spec
    this.bytes = bytes
    this.nodes = info.nodes.map((n) => new DormantNode(this, n.name, n.role))
    this.persistence = {
      // Asleep, the saved bytes are the state; awake, the environment says.
      serialize: async () => {
        if (this.inner?.persistence) return this.inner.persistence.serialize()
        return (this.bytes ?? new Uint8Array()).slice()
      },
      onChange: (listener) => {
        this.changeListeners.add(listener)
        return () => this.changeListeners.delete(listener)
      },
    }
  }

  get dormant(): boolean {
    return this.inner === undefined
  }

  /** The restored environment, restoring it on first call. */
  wake(): Promise<Environment> {
    if (this.disposed) return Promise.reject(new Error('this environment was removed'))
    this.waking ??= this.restore(this.bytes as Uint8Array).then(
      (env) => {
        if (this.disposed) {
          void env.dispose()
          throw new Error('this environment was removed')
        }
        env.persistence?.onChange(() => {
          for (const l of this.changeListeners) l()
        })
        for (const node of this.nodes) {
          env.nodes
            .find((n) => n.name === node.name)
            ?.onFileChange?.((path) => {
              for (const l of node.listeners) l(path)
            })
        }
        this.inner = env
        this.bytes = undefined
        return env
      },
      (err) => {
        // The next use tries again; the saved bytes are still here.
        this.waking = undefined
        throw err
      },
    )
    return this.waking
  }

  async settle(ms: number): Promise<void> {
    await (await this.wake()).settle(ms)
  }

  async dispose(): Promise<void> {
    if (this.disposed) return
    this.disposed = true
    const waking = this.waking
    this.bytes = undefined
    const env = await waking?.catch(() => undefined)
    await env?.dispose()
  }
}

/** `driver` whose restores are dormant until used (creates are passed through). */
export function wakeOnUse(driver: Driver & { restore(bytes: Uint8Array): Promise<Environment> }): Driver {
  return {
    name: driver.name,
    probe: (): Promise<ProbeResult> => driver.probe(),
    create: (spec: ClusterSpec, onProgress?: (p: Progress) => void, signal?: AbortSignal) =>
      driver.create(spec, onProgress, signal),
    restore: async (bytes: Uint8Array) => {
      const info = peekSavedCluster(bytes)
      // Bytes this cannot read are restored now, so their error shows as it does on the server.
      if (!info) return driver.restore(bytes)
      return new DormantEnvironment(info, driver.name, bytes, (b) => driver.restore(b))
    },
    close: () => driver.close?.() ?? Promise.resolve(),
  }
}

/** The catalogue, with lab triggers skipped for environments still asleep. */
export function skipDormantTicks(catalog: LabCatalog): LabCatalog {
  const onTick = catalog.onTick
  if (!onTick) return catalog
  return {
    list: () => catalog.list(),
    get: (id) => catalog.get(id),
    setup: (labId, env, facts) => catalog.setup(labId, env, facts),
    grade: (labId, env, facts, onProgress) => catalog.grade(labId, env, facts, onProgress),
    solution: (labId, kubernetes) => catalog.solution(labId, kubernetes),
    junit: (report) => catalog.junit(report),
    onTick: async (labId, env, facts) =>
      env instanceof DormantEnvironment && env.dormant ? false : onTick.call(catalog, labId, env, facts),
  }
}
