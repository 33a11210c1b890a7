// The learner's progress: what this browser recorded, merged with what the
// server knows (GET /api/progress). The server may be older or unreachable;
// the browser's own record still shows then.

import { useEffect, useState } from 'react'
import { api, type Report } from '../api'
import { loadProgress, mergeProgress, type ProgressMap, recordAttempt, saveProgress } from '../progress'

export function useProgress(): ProgressMap {
  const [progress, setProgress] = useState<ProgressMap>(loadProgress)
  useEffect(() => {
    let alive = true
    api.progress().then(
      (server) => alive && setProgress(mergeProgress(loadProgress(), server)),
      () => {},
    )
    return () => {
      alive = false
    }
  }, [])
  return progress
}

/** Records one graded report in this browser. */
export function rememberReport(
  attempt: { id: string; lab: string; mode: 'practice' | 'exam'; readyAt: number | null },
  report: Report,
  at: number,
  final: boolean,
): void {
  saveProgress(
    recordAttempt(loadProgress(), attempt.lab, {
      attempt: attempt.id,
      mode: attempt.mode,
      at,
      points: report.score.points,
      max: report.score.max,
      verdict: report.verdict,
      ms: attempt.readyAt === null ? null : Math.max(0, at - attempt.readyAt),
      final,
    }),
  )
}
