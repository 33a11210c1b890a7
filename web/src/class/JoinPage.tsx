// Where a learner arrives with the class's link or code: a display name
// takes a seat; a recovery code takes back a seat from another browser.

import { useEffect, useState } from 'react'
import { navigate } from '../navigation'
import { seatApi } from './api'

export function JoinPage({ code: fromLink }: { code: string }) {
  const [code, setCode] = useState(fromLink)
  const [name, setName] = useState('')
  const [recovery, setRecovery] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const [mine, setMine] = useState<string | null>(null)

  useEffect(() => {
    seatApi.mine().then(
      (r) => setMine(r.seatToken),
      () => {},
    )
  }, [])

  const go = (token: string) => navigate(`/seat/${encodeURIComponent(token)}`)

  return (
    <main className="page join-page">
      <h1 tabIndex={-1} data-focus-on-navigate>
        Join a class
      </h1>
      {mine && (
        <p className="notice">
          This browser already has a seat.{' '}
          <button type="button" onClick={() => go(mine)}>
            Back to my seat
          </button>
        </p>
      )}
      <form
        className="join-form"
        onSubmit={(e) => {
          e.preventDefault()
          setBusy(true)
          setError(null)
          seatApi.join(code, name).then(
            (r) => {
              // Shown on the seat page until the learner has noted it.
              sessionStorage.setItem(`ckalab.recovery.${r.seatId}`, r.recoveryCode)
              go(r.seatToken)
            },
            (err) => {
              setError(err.message)
              setBusy(false)
            },
          )
        }}
      >
        <label>
          Class code{' '}
          <input
            name="code"
            value={code}
            autoComplete="off"
            onChange={(e) => setCode(e.target.value)}
            required
          />
        </label>
        <label>
          Your name (the instructor sees it){' '}
          <input name="name" value={name} maxLength={60} onChange={(e) => setName(e.target.value)} required />
        </label>
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Preparing your cluster…' : 'Join'}
        </button>
      </form>
      {error && (
        <p className="notice error" role="alert">
          {error}
        </p>
      )}
      <form
        className="recover-form"
        onSubmit={(e) => {
          e.preventDefault()
          setError(null)
          seatApi.recover(recovery).then(
            (r) => go(r.seatToken),
            (err) => setError(err.message),
          )
        }}
      >
        <h2>Continue on this browser</h2>
        <label>
          Recovery code{' '}
          <input
            name="recovery"
            value={recovery}
            autoComplete="off"
            onChange={(e) => setRecovery(e.target.value)}
          />
        </label>
        <button type="submit">Take my seat back</button>
      </form>
    </main>
  )
}
