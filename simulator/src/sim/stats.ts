// Percentiles for ckalab's benchmarks and timings, in one place: nearest rank
// on a sorted copy (p50 of [1, 2, 3, 4] is 2), NaN for no samples.

export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN
  const sorted = [...samples].sort((a, b) => a - b)
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[rank] as number
}

export function median(samples: readonly number[]): number {
  return percentile(samples, 50)
}
