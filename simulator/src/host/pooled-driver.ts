// A simulator driver whose environments each live in their own host (a
// worker) behind the message protocol, one host per attempt plus one warm
// spare: loading the simulator is most of a host's start-up, so the spare
// keeps start → first prompt short. Transport-agnostic: `spawn` makes a
// worker_threads Worker on the server (worker-driver.ts) or a Web Worker in
// the browser edition.
//
// The browser edition goes one step further (`prepare`): its spare host has
// already created a cluster of the spec most labs use, so starting such a lab
// only runs the lab's own setup. The next spare waits a moment
// (`refillDelayMs`) so it does not compete with the lab just started.

import type { ClusterSpec, Driver, Environment, ProbeResult, Progress } from '../seam'
import { type GuardOptions, type HostChannel, RemoteEnvironment, type SpawnHost } from './proxy'

export interface PooledDriverOptions {
  guard?: Partial<GuardOptions>
  /** Keep one loaded host ready for the next attempt. */
  warmSpare?: boolean
  /** Told when an environment's host was replaced (Ctrl-C, CPU budget, memory). */
  onRecover?: (envId: string, why: string) => void
  /**
   * Keep one environment of this spec created ahead of time (in place of the
   * bare spare host); a create() of the same spec takes it.
   */
  prepare?: ClusterSpec
  /** How long after the spare was taken the next one starts. */
  refillDelayMs?: number
}

/** Two specs that make the same cluster. */
export function sameSpec(a: ClusterSpec, b: ClusterSpec): boolean {
  const key = (s: ClusterSpec) =>
    JSON.stringify([s.controlPlanes, s.workers ?? 0, s.kubernetes, s.name ?? null, s.ageMinutes ?? null])
  return key(a) === key(b)
}

export class PooledHostDriver implements Driver {
  readonly name = 'sim'
  private spare: Promise<HostChannel> | undefined
  private prepared: { spec: ClusterSpec; env: Promise<RemoteEnvironment> } | undefined
  private refillTimer: ReturnType<typeof setTimeout> | undefined
  private closed = false

  constructor(
    private readonly spawn: SpawnHost,
    private readonly options: PooledDriverOptions = {},
  ) {
    if (options.warmSpare !== false) this.refill()
  }

  async probe(): Promise<ProbeResult> {
    return { ok: true }
  }

  private fresh = (): Promise<HostChannel> => this.spawn()

  private refill(): void {
    if (this.closed) return
    const spec = this.options.prepare
    if (spec) {
      if (this.prepared) return
      const env = this.openEnv(this.fresh, { spec })
      const prepared = { spec, env }
      env.catch(() => {
        if (this.prepared === prepared) this.prepared = undefined
      })
      this.prepared = prepared
      return
    }
    if (this.spare) return
    const spare = this.fresh()
    spare.catch(() => {
      if (this.spare === spare) this.spare = undefined
    })
    this.spare = spare
  }

  /** The next spare, now or after `refillDelayMs`. */
  private refillSoon(): void {
    if (this.options.warmSpare === false || this.closed) return
    const delay = this.options.refillDelayMs ?? 0
    if (delay <= 0) {
      this.refill()
      return
    }
    if (this.refillTimer) clearTimeout(this.refillTimer)
    this.refillTimer = setTimeout(() => {
      this.refillTimer = undefined
      this.refill()
    }, delay)
  }

  /** The warm spare if there is one (and a new spare on its way), else a new worker. */
  private take = async (): Promise<HostChannel> => {
    const spare = this.spare
    this.spare = undefined
    this.refillSoon()
    if (spare) {
      const channel = await spare.catch(() => undefined)
      if (channel) return channel
    }
    return this.fresh()
  }

  /** The prepared environment when it has `spec` (a new one is prepared after it). */
  private takePrepared(spec: ClusterSpec): Promise<RemoteEnvironment> | undefined {
    const prepared = this.prepared
    if (!prepared || !sameSpec(prepared.spec, spec)) return undefined
    this.prepared = undefined
    this.refillSoon()
    return prepared.env
  }

  private openEnv(
    spawn: () => Promise<HostChannel>,
    from: { spec: ClusterSpec } | { bytes: Uint8Array },
  ): Promise<RemoteEnvironment> {
    let env: RemoteEnvironment | undefined
    return RemoteEnvironment.open(
      {
        spawn,
        guard: this.options.guard,
        onRecover: (why: string) => this.options.onRecover?.(env?.id ?? '?', why),
      },
      from,
    ).then((e) => {
      env = e
      return e
    })
  }

  /** Settles once the spare (host or prepared cluster) is ready, or failed; for benchmarks and tests. */
  async warm(): Promise<void> {
    await Promise.all([this.spare?.catch(() => {}), this.prepared?.env.catch(() => {})])
  }

  async create(
    spec: ClusterSpec,
    onProgress?: (p: Progress) => void,
    signal?: AbortSignal,
  ): Promise<Environment> {
    onProgress?.({ fraction: 0, step: 'Preparing simulated nodes' })
    if (signal?.aborted) throw new Error('environment creation was cancelled')
    const env =
      (await this.takePrepared(spec)?.catch(() => undefined)) ??
      (await this.openEnv(this.options.prepare ? this.fresh : this.take, { spec }))
    if (signal?.aborted) {
      await env.dispose()
      throw new Error('environment creation was cancelled')
    }
    onProgress?.({ fraction: 1, step: 'Control plane ready' })
    return env
  }

  async restore(bytes: Uint8Array): Promise<Environment> {
    return this.openEnv(this.options.prepare ? this.fresh : this.take, { bytes })
  }

  async close(): Promise<void> {
    this.closed = true
    if (this.refillTimer) clearTimeout(this.refillTimer)
    const spare = this.spare
    const prepared = this.prepared
    this.spare = undefined
    this.prepared = undefined
    const channel = await spare?.catch(() => undefined)
    channel?.terminate()
    await (await prepared?.env.catch(() => undefined))?.dispose()
  }
}
