import type { AttemptView } from '../api'

export interface TimerReading {
  kind: 'elapsed' | 'countdown'
  ms: number
  label: string
  urgent: boolean
  expired: boolean
}

/** What the timer shows for an attempt at a given (server) time. */
export function timerReading(
  a: Pick<AttemptView, 'mode' | 'readyAt' | 'deadline' | 'finishedAt' | 'state'>,
  now: number,
): TimerReading | null {
  if (a.readyAt === null || a.readyAt === undefined) return null
  const end = a.state === 'ready' ? now : (a.finishedAt ?? now)
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
