import type { ClusterSpec, Environment, Progress } from '../../seam'

// Keeps N clusters of one spec created ahead of time so that "start" takes
// seconds. A taken cluster is replaced in the background. Creation failures
// are reported and retried later, never thrown at the person starting a lab.

export type CreateFn = (
  spec: ClusterSpec,
  onProgress?: (p: Progress) => void,
  signal?: AbortSignal,
) => Promise<Environment>

export interface WarmPoolOptions {
  spec: ClusterSpec
  size: number
  /** Wait before retrying after a failed creation. */
  retryMs?: number
  onError?: (e: unknown) => void
}

export function sameSpec(a: ClusterSpec, b: ClusterSpec): boolean {
  return (
    a.controlPlanes === b.controlPlanes &&
    (a.workers ?? 0) === (b.workers ?? 0) &&
    a.kubernetes === b.kubernetes
  )
}

export class WarmPool {
  private readonly ready: Environment[] = []
  private inFlight = 0
  private stopped = false
  private readonly abort = new AbortController()
  private retryTimer: NodeJS.Timeout | undefined

  constructor(
    private readonly create: CreateFn,
    private readonly opts: WarmPoolOptions,
  ) {}

  /** Ids of the clusters the pool holds or is making: the reaper must spare them. */
  get ids(): string[] {
    return this.ready.map((e) => e.id)
  }

  get readyCount(): number {
    return this.ready.length
  }

  get creating(): number {
    return this.inFlight
  }

  /** Starts creating clusters until `size` are ready or being made. */
  fill(): void {
    while (!this.stopped && this.ready.length + this.inFlight < this.opts.size) {
      this.inFlight++
      this.create(this.opts.spec, undefined, this.abort.signal).then(
        (env) => {
          this.inFlight--
          if (this.stopped) void env.dispose()
          else this.ready.push(env)
        },
        (e) => {
          this.inFlight--
          if (this.stopped) return
          this.opts.onError?.(e)
          this.retryTimer ??= setTimeout(() => {
            this.retryTimer = undefined
            this.fill()
          }, this.opts.retryMs ?? 60_000)
          this.retryTimer.unref?.()
        },
      )
    }
  }

  /** A ready cluster for this spec, or undefined (then create one the slow way). */
  take(spec: ClusterSpec): Environment | undefined {
    if (this.stopped || !sameSpec(spec, this.opts.spec)) return undefined
    const env = this.ready.shift()
    if (env) this.fill()
    return env
  }

  /** Stops refilling, cancels creations in progress and deletes the ready clusters. */
  async stop(): Promise<void> {
    this.stopped = true
    if (this.retryTimer) clearTimeout(this.retryTimer)
    this.abort.abort()
    const envs = this.ready.splice(0)
    await Promise.all(envs.map((e) => e.dispose().catch(() => undefined)))
  }
}

/**
 * The warm pool a driver keeps once asked to (none when `size` is 0 or a pool
 * already runs): filled at once with clusters made by `make`.
 */
export function startWarmPool(
  current: WarmPool | undefined,
  want: { spec: ClusterSpec; size: number } | undefined,
  make: CreateFn,
  onError?: (e: unknown) => void,
): WarmPool | undefined {
  if (current || !want || want.size <= 0) return current
  const pool = new WarmPool(make, { spec: want.spec, size: want.size, onError })
  pool.fill()
  return pool
}

/** A warm environment of `spec` if the pool holds one (progress says so), else a new one from `fresh`. */
export function warmOrFresh(
  pool: WarmPool | undefined,
  fresh: CreateFn,
  readyStep: string,
  spec: ClusterSpec,
  onProgress?: (p: Progress) => void,
  signal?: AbortSignal,
): Promise<Environment> {
  const warm = pool?.take(spec)
  if (warm) {
    onProgress?.({ fraction: 1, step: readyStep })
    return Promise.resolve(warm)
  }
  return fresh(spec, onProgress, signal)
}
