import type { ClusterSpec, Driver, Environment, ProbeResult, Progress } from '../seam'
import { type Clock, RealClock, VirtualClock } from '../sim/clock'
import { createSimCluster, type SerializedCluster, type SimCluster, type SimParts } from '../sim/cluster'
import { standardParts } from '../sim/standard'

// The embedded default driver: a whole cluster inside this process. Always
// usable, needs nothing installed.

export interface SimDriverOptions {
  /** 'real' for people at a terminal, 'virtual' for replays and tests (time only moves when asked). */
  clock?: 'real' | 'virtual'
  seed?: string
  /** What each cluster is made of; a whole kubeadm node (`standardParts()`) unless given. */
  parts?: SimParts
}

export class SimDriver implements Driver {
  readonly name = 'sim'

  private readonly parts: SimParts

  constructor(private options: SimDriverOptions = {}) {
    this.parts = options.parts ?? standardParts()
  }

  async probe(): Promise<ProbeResult> {
    return { ok: true }
  }

  private makeClock(start?: number): Clock {
    return this.options.clock === 'virtual' ? new VirtualClock(start) : new RealClock(start)
  }

  async create(
    spec: ClusterSpec,
    onProgress?: (p: Progress) => void,
    signal?: AbortSignal,
  ): Promise<SimCluster> {
    onProgress?.({ fraction: 0, step: 'Preparing simulated nodes' })
    if (signal?.aborted) throw new Error('environment creation was cancelled')
    const cluster = await createSimCluster(spec, {
      ...this.parts,
      clock: this.makeClock(),
      seed: this.options.seed,
    })
    if (signal?.aborted) {
      await cluster.dispose()
      throw new Error('environment creation was cancelled')
    }
    onProgress?.({ fraction: 1, step: 'Control plane ready' })
    return cluster
  }

  /** Bring back an environment saved with `serialize()`. */
  async restore(bytes: Uint8Array): Promise<SimCluster> {
    const state = JSON.parse(new TextDecoder().decode(bytes)) as SerializedCluster
    if (state?.format !== 'ckalab.sim/v1') throw new Error('saved simulator state has an unknown format')
    return createSimCluster(state.spec, { ...this.parts, restore: state, clock: this.makeClock(state.now) })
  }

  static async serialize(env: Environment): Promise<Uint8Array> {
    if (!env.persistence) throw new Error(`environment ${env.id} cannot be saved`)
    return env.persistence.serialize()
  }
}
