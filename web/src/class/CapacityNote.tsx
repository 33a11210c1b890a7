// On the kind driver every learner gets a real cluster: before a class starts
// the instructor reads how many this machine can run, where that estimate
// comes from, and a warning when the class is larger. Nothing on the simulator.

import { useEffect, useState } from 'react'
import type { CapacityAnswer, instructorApi } from './api'

export function CapacityNote({
  api,
  lab,
  seats,
}: {
  api: ReturnType<typeof instructorApi>
  lab: string | undefined
  seats: number
}) {
  const [answer, setAnswer] = useState<CapacityAnswer | null>(null)
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    if (!lab) return
    let live = true
    // Typing a seat count asks once it settles, not per keystroke.
    const t = setTimeout(() => {
      api.capacity(lab, seats).then(
        (a) => {
          if (!live) return
          setAnswer(a)
          setError(null)
        },
        (e) => live && setError(e.message),
      )
    }, 300)
    return () => {
      live = false
      clearTimeout(t)
    }
  }, [api, lab, seats])
  if (error) return <p className="notice error capacity">{error}</p>
  if (!answer?.capacity) return null
  return (
    <div className="capacity" data-free={answer.capacity.free}>
      <p>{answer.capacity.summary}</p>
      <p>
        <small>Estimate: {answer.capacity.source}.</small>
      </p>
      {answer.warning && (
        <p className="notice error" role="alert">
          {answer.warning}
        </p>
      )}
    </div>
  )
}
