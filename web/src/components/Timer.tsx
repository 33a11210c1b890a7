import { useEffect, useRef, useState } from 'react'
import type { AttemptView } from '../api'
import { formatClock } from '../format'
import { timerReading } from './timer-logic'

/** Practice: time spent. Exam: time left, and submits when it runs out. */
export function Timer({
  attempt,
  skewMs,
  onExpired,
}: {
  attempt: AttemptView
  skewMs: number
  onExpired?: () => void
}) {
  const [now, setNow] = useState(() => Date.now() + skewMs)
  const fired = useRef(false)
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now() + skewMs), 500)
    return () => clearInterval(t)
  }, [skewMs])
  const reading = timerReading(attempt, now)
  useEffect(() => {
    if (reading?.expired && onExpired && !fired.current) {
      fired.current = true
      onExpired()
    }
  }, [reading?.expired, onExpired])
  if (!reading) return null
  return (
    <span className={`timer ${reading.kind} ${reading.urgent ? 'urgent' : ''}`} title={reading.label}>
      <span className="timer-label">{reading.label}</span> {formatClock(reading.ms)}
    </span>
  )
}
