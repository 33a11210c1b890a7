// Small formatting helpers shared by the components.

/** 65_000 → "1:05", 3_725_000 → "1:02:05"; negative durations show as 0:00. */
export function formatClock(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000))
  const h = Math.floor(total / 3600)
  const m = Math.floor((total % 3600) / 60)
  const s = total % 60
  const ss = String(s).padStart(2, '0')
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`
}

export function percent(fraction: number): number {
  if (!Number.isFinite(fraction)) return 0
  return Math.round(Math.max(0, Math.min(1, fraction)) * 100)
}

export interface ScoreSummary {
  passed: number
  failed: number
  unknown: number
  text: string
}

export function summarize(
  checks: { verdict: string }[],
  score: { points: number; max: number },
): ScoreSummary {
  const passed = checks.filter((c) => c.verdict === 'pass').length
  const failed = checks.filter((c) => c.verdict === 'fail').length
  const unknown = checks.length - passed - failed
  const parts = [`${passed} of ${checks.length} checks passed`]
  if (unknown > 0) parts.push(`${unknown} could not be decided`)
  return { passed, failed, unknown, text: `${score.points}/${score.max} points · ${parts.join(', ')}` }
}
