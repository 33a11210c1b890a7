// A learner's seat: the class's banner (time left, the instructor's
// messages, whether they are watching or typing, a "need help" flag) above
// the learner's own attempt, which opens once the class has started.

import { useEffect, useState } from 'react'
import { AttemptPage } from '../components/AttemptPage'
import { followEvents, type SeatView, seatApi } from './api'
import { timeLeft } from './board-logic'

export function SeatPage({ token }: { token: string }) {
  const [seat, setSeat] = useState<SeatView | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [, tick] = useState(0)
  const [recovery, setRecovery] = useState<string | null>(null)

  useEffect(() => {
    const abort = new AbortController()
    followEvents<SeatView>(
      `/api/seats/${encodeURIComponent(token)}/events`,
      {},
      setSeat,
      setError,
      abort.signal,
    )
    const t = setInterval(() => tick((n) => n + 1), 1000)
    return () => {
      abort.abort()
      clearInterval(t)
    }
  }, [token])

  useEffect(() => {
    if (seat) setRecovery(sessionStorage.getItem(`ckalab.recovery.${seat.seatId}`))
  }, [seat?.seatId, seat])

  if (!seat)
    return (
      <main className="page">
        {error ? (
          <p className="notice error" role="alert">
            {error} <a href="/join">Join again</a>
          </p>
        ) : (
          <p>Opening your seat…</p>
        )}
      </main>
    )

  const latest = [...seat.messages].reverse()
  const waiting = seat.class.state === 'waiting'
  const more = seat.labIndex + 1 < seat.class.labs.length
  return (
    <div className="seat">
      <section className="seat-banner" data-class-state={seat.class.state}>
        <strong>{seat.class.name}</strong> · {seat.name} · lab {seat.labIndex + 1} of {seat.class.labs.length}
        {seat.deadline !== null && !seat.ended && (
          <span className="seat-time">
            {' '}
            · time left <strong>{timeLeft(seat.deadline, Date.now())}</strong>
          </span>
        )}
        {seat.ended && <span className="badge"> your attempt has ended</span>}
        {seat.watched && !seat.takeover && (
          <span className="badge watched" role="status">
            Your instructor is watching your terminal
          </span>
        )}
        {seat.takeover && (
          <span className="badge takeover" role="status">
            Your instructor is typing in your terminal
          </span>
        )}
        <span className="spacer" />
        {!seat.ended && (
          <button
            type="button"
            className={seat.needsHelp ? 'armed' : ''}
            aria-pressed={seat.needsHelp}
            onClick={() =>
              void seatApi.help(token, !seat.needsHelp).then(setSeat, (e) => setError(e.message))
            }
          >
            {seat.needsHelp ? 'Help requested (cancel)' : 'I need help'}
          </button>
        )}
        {more && !seat.ended && !waiting && (
          <button
            type="button"
            onClick={() => void seatApi.next(token).then(setSeat, (e) => setError(e.message))}
          >
            Next lab
          </button>
        )}
        {recovery && (
          <p className="recovery">
            Your recovery code (to continue in another browser):{' '}
            <code className="recovery-code">{recovery}</code>{' '}
            <button
              type="button"
              onClick={() => {
                sessionStorage.removeItem(`ckalab.recovery.${seat.seatId}`)
                setRecovery(null)
              }}
            >
              I noted it
            </button>
          </p>
        )}
        {latest.length > 0 && (
          <ul className="seat-messages" aria-live="polite">
            {latest.slice(0, 3).map((m) => (
              <li key={m.seq} className="seat-message" data-broadcast={m.broadcast}>
                {m.broadcast ? 'To everyone: ' : 'To you: '}
                {m.text}
              </li>
            ))}
          </ul>
        )}
        {error && <p className="notice error">{error}</p>}
      </section>
      {waiting ? (
        <main className="page">
          <p className="waiting">
            Your cluster is being prepared. The class starts when your instructor starts it.
          </p>
        </main>
      ) : (
        <AttemptPage key={seat.attemptToken} token={seat.attemptToken} />
      )}
    </div>
  )
}
