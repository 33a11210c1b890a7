// The simulator driver for the server: every environment in its own
// worker_threads Worker (one per attempt), so a runaway command blocks only
// its own attempt, its memory is capped by the worker's resourceLimits, and a
// command that ignores Ctrl-C can be ended by terminating the worker (the
// proxy restores the environment in a new one). One warm spare worker keeps
// start → first prompt short: loading the simulator is most of a worker's
// start-up. Node-only; the browser edition spawns Web Workers instead.

import { existsSync, mkdirSync, readdirSync, renameSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
import type { ClusterSpec, Driver, Environment, ProbeResult, Progress } from '../seam'
import type { FromHost } from './messages'
import { type GuardOptions, type HostChannel, RemoteEnvironment } from './proxy'

export interface WorkerDriverOptions {
  /** Heap cap of one environment's worker (old generation), in MB. */
  memoryMb?: number
  guard?: Partial<GuardOptions>
  /** Keep one loaded worker ready for the next attempt. */
  warmSpare?: boolean
  clock?: 'real' | 'virtual'
  /** Told when an environment's worker was replaced (Ctrl-C, CPU budget, memory). */
  onRecover?: (envId: string, why: string) => void
}

export const DEFAULT_WORKER_MEMORY_MB = 128

/**
 * The worker's script. From compiled JavaScript it is worker-entry.js beside
 * this file. From TypeScript sources (tsx) it is the host bundled once with
 * esbuild into a cache file: loading the simulator through tsx in every
 * worker costs seconds and ~70 MB more per worker. Without esbuild, a
 * bootstrap that registers tsx in the worker.
 */
let entryPromise: Promise<URL> | undefined
export function workerEntry(): Promise<URL> {
  entryPromise ??= (async () => {
    if (!import.meta.url.endsWith('.ts')) return new URL('./worker-entry.js', import.meta.url)
    const source = fileURLToPath(new URL('./worker-entry.ts', import.meta.url))
    const root = fileURLToPath(new URL('../', import.meta.url))
    try {
      const newest = newestMtime(root)
      const cacheDir = join(root, '../../node_modules/.cache/ckalab-worker')
      const out = join(cacheDir, `host-${Math.floor(newest).toString(36)}.mjs`)
      if (!existsSync(out)) {
        const esbuild = await import('esbuild')
        mkdirSync(cacheDir, { recursive: true })
        const tmp = `${out}.${process.pid}.tmp`
        await esbuild.build({
          entryPoints: [source],
          bundle: true,
          platform: 'node',
          format: 'esm',
          packages: 'external',
          outfile: tmp,
          logLevel: 'error',
        })
        renameSync(tmp, out)
      }
      return pathToFileURL(out)
    } catch {
      return new URL('./worker-boot.mjs', import.meta.url)
    }
  })()
  return entryPromise
}

function newestMtime(dir: string): number {
  let newest = 0
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name)
    if (e.isDirectory()) newest = Math.max(newest, newestMtime(p))
    else if (e.name.endsWith('.ts')) newest = Math.max(newest, statSync(p).mtimeMs)
  }
  return newest
}

async function spawnWorker(memoryMb: number, clock: 'real' | 'virtual'): Promise<HostChannel> {
  const worker = new Worker(await workerEntry(), {
    workerData: { clock },
    resourceLimits: { maxOldGenerationSizeMb: memoryMb, maxYoungGenerationSizeMb: 16 },
    stdout: false,
    stderr: false,
  })
  worker.unref()
  return new Promise<HostChannel>((resolve, reject) => {
    const exitListeners = new Set<(why: string) => void>()
    let ended = false
    let lastError = ''
    worker.on('error', (err: Error & { code?: string }) => {
      lastError =
        err.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? `the lab used more than its ${memoryMb} MB of memory`
          : `the simulator failed: ${err.message}`
      if (!ended) reject(new Error(lastError))
    })
    worker.on('exit', (code) => {
      if (ended) return
      ended = true
      for (const l of exitListeners) l(lastError || `the simulator stopped (exit ${code})`)
    })
    const onHello = (m: FromHost) => {
      if (m.type !== 'hello') return
      worker.off('message', onHello)
      resolve({
        post: (message, transfer) => worker.postMessage(message, transfer),
        onMessage: (listener) => worker.on('message', listener),
        onExit: (listener) => exitListeners.add(listener),
        terminate: () => {
          ended = true
          void worker.terminate()
        },
      })
    }
    worker.on('message', onHello)
  })
}

export class WorkerSimDriver implements Driver {
  readonly name = 'sim'
  private spare: Promise<HostChannel> | undefined
  private closed = false

  constructor(private readonly options: WorkerDriverOptions = {}) {
    if (options.warmSpare !== false) this.refill()
  }

  async probe(): Promise<ProbeResult> {
    return { ok: true }
  }

  private fresh(): Promise<HostChannel> {
    return spawnWorker(this.options.memoryMb ?? DEFAULT_WORKER_MEMORY_MB, this.options.clock ?? 'real')
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
