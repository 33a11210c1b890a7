// Timing helpers for the benchmarks; percentiles come from the one helper in the simulator.

export { median, percentile } from '../../simulator/src/sim/stats'

/** Time `fn` `runs` times (after `warmup` untimed runs); returns milliseconds per run. */
export async function timeRuns(
  fn: () => Promise<unknown> | unknown,
  runs: number,
  warmup = 3,
): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn()
  const out: number[] = []
  for (let i = 0; i < runs; i++) {
    const t = performance.now()
    await fn()
    out.push(performance.now() - t)
  }
  return out
}
