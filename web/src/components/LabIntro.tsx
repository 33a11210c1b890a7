import { useEffect, useState } from 'react'
import { api, type LabDetail } from '../api'
import { useStartAttempt } from '../hooks/useLabs'
import { Markdown } from './Markdown'

export function LabIntro({ labId }: { labId: string }) {
  const [lab, setLab] = useState<LabDetail | null>(null)
  const [error, setError] = useState<string | null>(null)
  const { start, starting, error: startError } = useStartAttempt()
  useEffect(() => {
    api.lab(labId).then(
      (l) => {
        setLab(l)
        document.title = `${l.title} · ckalab`
      },
      (err) => setError(err instanceof Error ? err.message : String(err)),
    )
  }, [labId])
  if (error)
    return (
      <main className="page notice error" role="alert">
        {error}
      </main>
    )
  if (!lab) return <main className="page muted">Loading…</main>
  return (
    <main className="page lab-intro">
      <h1 tabIndex={-1} data-focus-on-navigate>
        {lab.title}
      </h1>
      <p className="meta">
        <span className={`difficulty ${lab.difficulty}`}>{lab.difficulty}</span>{' '}
        <span>{lab.minutes} min</span>{' '}
        {lab.tags.map((t) => (
          <span key={t} className="tag">
            {t}
          </span>
        ))}
      </p>
      <div className="actions">
        <button
          type="button"
          className="primary"
          disabled={!!starting}
          onClick={() => start(lab.id, lab.title, 'practice')}
        >
          Start practice
        </button>
        <button type="button" disabled={!!starting} onClick={() => start(lab.id, lab.title, 'exam')}>
          Start exam ({lab.examMinutes ?? lab.minutes} min)
        </button>
      </div>
      {startError && (
        <p className="notice error" role="alert">
          {startError}
        </p>
      )}
      <Markdown source={lab.taskMarkdown} />
    </main>
  )
}
