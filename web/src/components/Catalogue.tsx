import { useMemo } from 'react'
import type { LabSummary } from '../api'
import { useLabs, useStartAttempt } from '../hooks/useLabs'
import { navigate } from '../navigation'
import { loadRecent } from '../recent'

export function Catalogue() {
  const { list, error } = useLabs()
  const { start, starting, error: startError } = useStartAttempt()
  const recent = useMemo(() => loadRecent(), [])
  return (
    <main className="page catalogue">
      <h1>Labs</h1>
      {list && !list.driver.ok && (
        <p className="notice warn">
          The {list.driver.name} driver cannot run here: {list.driver.reason ?? 'unknown reason'}
        </p>
      )}
      {list && (
        <p className="muted">
          Environments on this server run on the <strong>{list.driver.name}</strong> driver.
        </p>
      )}
      {error && <p className="notice error">Could not load the labs: {error}</p>}
      {startError && (
        <p className="notice error" role="alert">
          {startError}
        </p>
      )}
      {!list && !error && <p className="muted">Loading labs…</p>}
      {recent.length > 0 && (
        <section className="recent">
          <h2>Continue</h2>
          <ul>
            {recent.map((r) => (
              <li key={r.token}>
                <a
                  href={`/attempt/${r.token}`}
                  onClick={(e) => {
                    e.preventDefault()
                    navigate(`/attempt/${r.token}`)
                  }}
                >
                  {r.title}
                </a>{' '}
                <span className="badge">{r.mode}</span>{' '}
                <span className="muted">started {new Date(r.startedAt).toLocaleString()}</span>
              </li>
            ))}
          </ul>
        </section>
      )}
      <div className="cards">
        {list?.labs.map((lab) => (
          <LabCard key={lab.id} lab={lab} driver={list.driver.name} starting={starting} onStart={start} />
        ))}
      </div>
      {list && list.errors.length > 0 && (
        <details className="load-errors">
          <summary>{list.errors.length} lab(s) could not be loaded</summary>
          <ul>
            {list.errors.map((e) => (
              <li key={e.lab}>
                <code>{e.lab}</code>: {e.message}
              </li>
            ))}
          </ul>
        </details>
      )}
    </main>
  )
}

function LabCard(props: {
  lab: LabSummary
  driver: string
  starting: string | null
  onStart(lab: string, title: string, mode: 'practice' | 'exam'): void
}) {
  const { lab } = props
  const busy = props.starting !== null
  return (
    <article className="card" data-lab={lab.id}>
      <h2>
        <a
          href={`/labs/${lab.id}`}
          onClick={(e) => {
            e.preventDefault()
            navigate(`/labs/${lab.id}`)
          }}
        >
          {lab.title}
        </a>
      </h2>
      <p className="meta">
        <span className={`difficulty ${lab.difficulty}`}>{lab.difficulty}</span>
        <span>{lab.minutes} min</span>
      </p>
      {lab.summary && <p>{lab.summary}</p>}
      <p className="tags">
        {lab.tags.map((t) => (
          <span key={t} className="tag">
            {t}
          </span>
        ))}
      </p>
      <p className="drivers">
        Drivers:{' '}
        {lab.drivers.map((d) => (
          <span key={d} className={d === props.driver ? 'driver here' : 'driver'}>
            {d}
            {d === props.driver ? ' ✓' : ''}
          </span>
        ))}
      </p>
      <div className="actions">
        <button
          type="button"
          className="primary"
          disabled={busy || !lab.runnableHere}
          onClick={() => props.onStart(lab.id, lab.title, 'practice')}
        >
          {props.starting === `${lab.id}:practice` ? 'Starting…' : 'Practice'}
        </button>
        <button
          type="button"
          disabled={busy || !lab.runnableHere}
          onClick={() => props.onStart(lab.id, lab.title, 'exam')}
        >
          {props.starting === `${lab.id}:exam` ? 'Starting…' : 'Exam'}
        </button>
      </div>
      {!lab.runnableHere && <p className="muted">Not runnable on the {props.driver} driver.</p>}
    </article>
  )
}
