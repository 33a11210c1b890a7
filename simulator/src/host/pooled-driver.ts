// A simulator driver whose environments each live in their own host (a
// worker) behind the message protocol, one host per attempt plus one warm
// spare: loading the simulator is most of a host's start-up, so the spare
// keeps start → first prompt short. Transport-agnostic: `spawn` makes a
// worker_threads Worker on the server (worker-driver.ts) or a Web Worker in
// the browser edition.

import type { ClusterSpec, Driver, Environment, ProbeResult, Progress } from '../seam'
import { type GuardOptions, type HostChannel, RemoteEnvironment, type SpawnHost } from './proxy'

export interface PooledDriverOptions {
  guard?: Partial<GuardOptions>
  /** Keep one loaded host ready for the next attempt. */
  warmSpare?: boolean
  /** Told when an environment's host was replaced (Ctrl-C, CPU budget, memory). */
  onRecover?: (envId: string, why: string) => void
}

export class PooledHostDriver implements Driver {
  readonly name = 'sim'
  private spare: Promise<HostChannel> | undefined
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

  private fresh(): Promise<HostChannel> {
    return this.spawn()
  }

  private refill(): void {
    if (this.closed) return
    const spare = this.fresh()
    spare.catch(() => {
      if (this.spare === spare) this.spare = undefined
    })
    this.spare = spare
  }

  /** The warm spare if there is one (and a new spare on its way), else a new worker. */
  private take = async (): Promise<HostChannel> => {
    const spare = this.spare
    this.spare = undefined
    if (this.options.warmSpare !== false) this.refill()
    if (spare) {
      const channel = await spare.catch(() => undefined)
      if (channel) return channel
    }
    return this.fresh()
  }

  private envOptions() {
    let env: RemoteEnvironment | undefined
    return {
      spawn: this.take,
      guard: this.options.guard,
      onRecover: (why: string) => this.options.onRecover?.(env?.id ?? '?', why),
      bind: (e: RemoteEnvironment) => {
        env = e
      },
    }
  }

  async create(
    spec: ClusterSpec,
    onProgress?: (p: Progress) => void,
    signal?: AbortSignal,
  ): Promise<Environment> {
    onProgress?.({ fraction: 0, step: 'Preparing simulated nodes' })
    if (signal?.aborted) throw new Error('environment creation was cancelled')
    const o = this.envOptions()
    const env = await RemoteEnvironment.open(o, { spec })
    o.bind(env)
    if (signal?.aborted) {
      await env.dispose()
      throw new Error('environment creation was cancelled')
    }
    onProgress?.({ fraction: 1, step: 'Control plane ready' })
    return env
  }

  async restore(bytes: Uint8Array): Promise<Environment> {
    const o = this.envOptions()
    const env = await RemoteEnvironment.open(o, { bytes })
    o.bind(env)
    return env
  }

  async close(): Promise<void> {
    this.closed = true
    const spare = this.spare
    this.spare = undefined
    const channel = await spare?.catch(() => undefined)
    channel?.terminate()
  }
}
