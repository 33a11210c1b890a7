// The attempt page's data: polls the attempt while it changes, and wraps the
// actions (check, submit, reset, stop, hint, solution) with busy/error state.

import { useCallback, useEffect, useRef, useState } from 'react'
import { ApiError, type AttemptView, api, type Report } from '../api'
import { rememberReport } from './useProgress'

export interface UseAttempt {
  attempt: AttemptView | null
  error: string | null
  busy: string | null
  /** Server time minus local time, so timers agree with the server. */
  skewMs: number
  lastReport: Report | null
  solution: string | null
  grade(): Promise<void>
  submit(): Promise<void>
  reset(): Promise<void>
  stop(): Promise<void>
  hint(): Promise<void>
  showSolution(): Promise<void>
  refresh(): Promise<void>
}

export function pollDelay(attempt: AttemptView | null): number {
  if (!attempt) return 1000
  if (attempt.state === 'creating') return 250
  // Each check's state shows live while grading runs.
  if (attempt.grading) return 300
  // Saves failing: look often, so the banner goes as soon as saving works again.
  if (attempt.saveError) return 1000
  if (attempt.state === 'ready') return 3000
  return 10_000
}

/** The banner text while the server cannot save this attempt; null while saves work. */
export function saveBanner(attempt: Pick<AttemptView, 'saveError'> | null): string | null {
  const e = attempt?.saveError
  if (!e) return null
  const reason = e.replace(/^your work is not being saved:\s*/i, '')
  return `Your work is not being saved: ${reason}`
}

/**
 * Looks at the attempt soon after a grading starts, so its checks show while they run
 * (the polls that follow are quick for as long as the server says a grading runs).
 */
async function whileGrading<T>(grading: Promise<T>, load: () => Promise<void>): Promise<T> {
  const soon = setTimeout(() => void load(), 150)
  try {
    return await grading
  } finally {
    clearTimeout(soon)
  }
}

export function useAttempt(token: string): UseAttempt {
  const [attempt, setAttempt] = useState<AttemptView | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState<string | null>(null)
  const [skewMs, setSkew] = useState(0)
  const [lastReport, setLastReport] = useState<Report | null>(null)
  const [solution, setSolution] = useState<string | null>(null)
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined)
  const alive = useRef(true)

  const load = useCallback(async (): Promise<void> => {
    let next: AttemptView | null = null
    try {
      const a = await api.attempt(token)
      if (!alive.current) return
      next = a
      setAttempt(a)
      setSkew(a.now - Date.now())
      setError(null)
      if (a.report) {
        setLastReport((r) => r ?? a.report?.report ?? null)
        // Every visible report counts towards the lab's progress in this browser (once).
        rememberReport(a, a.report.report, a.report.at, a.report.final)
      }
    } catch (err) {
      if (!alive.current) return
      setError(err instanceof Error ? err.message : String(err))
      if (err instanceof ApiError && err.status === 404) setAttempt(null)
    }
    // Every load (a poll or one after an action) decides when the next poll runs.
    if (timer.current) clearTimeout(timer.current)
    timer.current = setTimeout(() => void load(), pollDelay(next))
  }, [token])

  const refresh = load

  useEffect(() => {
    alive.current = true
    void load()
    return () => {
      alive.current = false
      if (timer.current) clearTimeout(timer.current)
    }
  }, [load])

  const run = useCallback(
    async (name: string, fn: () => Promise<void>) => {
      setBusy(name)
      try {
        await fn()
        setError(null)
      } catch (err) {
        setError(err instanceof Error ? err.message : String(err))
      } finally {
        setBusy(null)
        await refresh()
      }
    },
    [refresh],
  )

  return {
    attempt,
    error,
    busy,
    skewMs,
    lastReport,
    solution,
    refresh,
    grade: () => run('grade', async () => setLastReport(await whileGrading(api.grade(token), load))),
    submit: () => run('submit', async () => setLastReport(await whileGrading(api.submit(token), load))),
    reset: () =>
      run('reset', async () => {
        setLastReport(null)
        setSolution(null)
        await api.reset(token)
      }),
    stop: () => run('stop', async () => void (await api.stop(token))),
    hint: () => run('hint', async () => void (await api.hint(token))),
    showSolution: () => run('solution', async () => setSolution((await api.solution(token)).markdown)),
  }
}
