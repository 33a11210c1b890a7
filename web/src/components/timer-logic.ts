import type { AttemptView } from '../api'

export interface TimerReading {
  kind: 'elapsed' | 'countdown'
  ms: number
  label: string
  urgent: boolean
  expired: boolean
}

type TimerFields = Pick<AttemptView, 'mode' | 'readyAt' | 'deadline' | 'finishedAt' | 'state'> &
  Partial<Pick<AttemptView, 'limitMs'>>

/**
 * Time the learner used: an exam's clock started once (a reset does not
 * restart it), so it is measured from the deadline minus the limit.
 */
export function timeUsedMs(a: TimerFields, now: number): number | null {
  if (a.readyAt === null || a.readyAt === undefined) return null
  const end = a.state === 'ready' ? now : (a.finishedAt ?? now)
  const start = a.mode === 'exam' && a.deadline && a.limitMs ? a.deadline - a.limitMs : a.readyAt
  return Math.max(0, end - start)
}

/** What the timer shows for an attempt at a given (server) time. */
export function timerReading(a: TimerFields, now: number): TimerReading | null {
  if (a.readyAt === null || a.readyAt === undefined) return null
  const end = a.state === 'ready' ? now : (a.finishedAt ?? now)
  if (a.mode === 'exam' && a.deadline && a.state !== 'ready' && a.limitMs) {
    // A finished exam shows the time it took, as its report does.
    return {
      kind: 'elapsed',
      ms: timeUsedMs(a, now) ?? 0,
      label: 'Time used',
      urgent: false,
      expired: false,
    }
  }
  if (a.mode === 'exam' && a.deadline) {
    const left = Math.max(0, a.deadline - end)
    return {
      kind: 'countdown',
      ms: left,
      label: 'Time left',
      urgent: left < 5 * 60_000,
      expired: a.state === 'ready' && left === 0,
    }
  }
  return {
    kind: 'elapsed',
    ms: Math.max(0, end - a.readyAt),
    label: 'Time spent',
    urgent: false,
    expired: false,
  }
}
