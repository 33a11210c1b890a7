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
import type { FromHost } from './messages'
import { type PooledDriverOptions, PooledHostDriver } from './pooled-driver'
import type { HostChannel } from './proxy'

export interface WorkerDriverOptions extends PooledDriverOptions {
  /** Heap cap of one environment's worker (old generation), in MB. */
  memoryMb?: number
  clock?: 'real' | 'virtual'
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

/**
 * The main thread's Node flags without tsx's loader: a worker inherits
 * execArgv, and tsx would load and hook into every worker although its entry
 * is JavaScript (the bundle, or a bootstrap that registers tsx itself).
 */
export function workerExecArgv(argv: readonly string[]): string[] {
  const out: string[] = []
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!
    if (
      (a === '--import' || a === '--require' || a === '--loader' || a === '-r') &&
      /^tsx(\/|$)/.test(argv[i + 1] ?? '')
    ) {
      i++
      continue
    }
    if (/^--(import|require|loader)=tsx(\/|$)/.test(a)) continue
    out.push(a)
  }
  return out
}

async function spawnWorker(memoryMb: number, clock: 'real' | 'virtual'): Promise<HostChannel> {
  const worker = new Worker(await workerEntry(), {
    execArgv: workerExecArgv(process.execArgv),
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

export class WorkerSimDriver extends PooledHostDriver {
  constructor(options: WorkerDriverOptions = {}) {
    super(() => spawnWorker(options.memoryMb ?? DEFAULT_WORKER_MEMORY_MB, options.clock ?? 'real'), options)
  }
}
