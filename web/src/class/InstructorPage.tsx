// The instructor's home: the classes on this server and the form that makes a
// new one. Reached through the link carrying the instructor key.

import { useEffect, useMemo, useState } from 'react'
import { useLabs } from '../hooks/useLabs'
import { navigate } from '../navigation'
import { type ClassView, forgetInstructorKey, instructorApi, instructorKey } from './api'
import { CapacityNote } from './CapacityNote'

export function InstructorPage() {
  const key = useMemo(() => instructorKey(), [])
  const api = useMemo(() => (key ? instructorApi(key) : null), [key])
  const [classes, setClasses] = useState<ClassView[] | null>(null)
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    if (!api) return
    api.list().then(
      (r) => setClasses(r.classes),
      (e) => {
        if (e.status === 401) forgetInstructorKey()
        setError(e.message)
      },
    )
  }, [api])

  if (!api)
    return (
      <main className="page">
        <h1 tabIndex={-1} data-focus-on-navigate>
          Instructor
        </h1>
        <p className="notice error" role="alert">
          This page needs the instructor key. Open the instructor link that <code>ckalab serve</code> printed
          when it made the key, or make a new one with <code>ckalab serve --rotate-instructor-key</code>.
        </p>
      </main>
    )

  return (
    <main className="page class-page">
      <h1 tabIndex={-1} data-focus-on-navigate>
        Classes
      </h1>
      {error && (
        <p className="notice error" role="alert">
          {error}
        </p>
      )}
      {classes && classes.length > 0 && (
        <ul className="class-list">
          {classes.map((c) => (
            <li key={c.id} data-class={c.id}>
              <a
                href={`/instructor/classes/${c.id}`}
                onClick={(e) => {
                  e.preventDefault()
                  navigate(`/instructor/classes/${c.id}`)
                }}
              >
                {c.name}
              </a>{' '}
              <code>{c.code}</code> · {c.mode} · {c.seats}/{c.seatCap} seats · {c.state}
            </li>
          ))}
        </ul>
      )}
      {classes && classes.length === 0 && <p>No classes yet.</p>}
      <CreateClass
        api={api}
        onCreate={async (body) => {
          const made = (await api.create(body)) as ClassView & { webhookSecret?: string }
          // The webhook's signing secret is shown once, on the board the instructor lands on.
          if (made.webhookSecret)
            sessionStorage.setItem(`ckalab.webhookSecret.${made.id}`, made.webhookSecret)
          navigate(`/instructor/classes/${made.id}`)
        }}
      />
    </main>
  )
}

function CreateClass({
  api,
  onCreate,
}: {
  api: ReturnType<typeof instructorApi>
  onCreate(body: Record<string, unknown>): Promise<void>
}) {
  const { list: labs } = useLabs()
  const [name, setName] = useState('')
  const [chosen, setChosen] = useState<string[]>([])
  const [mode, setMode] = useState<'practice' | 'exam'>('practice')
  const [duration, setDuration] = useState(60)
  const [seatCap, setSeatCap] = useState(30)
  const [opensAt, setOpensAt] = useState('')
  const [closesAt, setClosesAt] = useState('')
  const [webhook, setWebhook] = useState('')
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const runnable = labs?.labs.filter((l) => l.runnableHere) ?? []

  return (
    <form
      className="create-class"
      onSubmit={(e) => {
        e.preventDefault()
        setBusy(true)
        setError(null)
        onCreate({
          name,
          labs: chosen,
          mode,
          durationMin: duration,
          seatCap,
          opensAt: opensAt ? new Date(opensAt).getTime() : null,
          closesAt: closesAt ? new Date(closesAt).getTime() : null,
          webhook: webhook.trim() || null,
        }).catch((err) => {
          setError(err.message)
          setBusy(false)
        })
      }}
    >
      <h2>New class</h2>
      <label>
        Name{' '}
        <input name="name" value={name} onChange={(e) => setName(e.target.value)} required maxLength={80} />
      </label>
      <fieldset>
        <legend>Labs, in order (the learner moves on with “Next lab”)</legend>
        {runnable.map((l) => (
          <label key={l.id} className="lab-choice">
            <input
              type="checkbox"
              name="lab"
              value={l.id}
              checked={chosen.includes(l.id)}
              onChange={(e) =>
                setChosen((c) => (e.target.checked ? [...c, l.id] : c.filter((x) => x !== l.id)))
              }
            />
            {chosen.includes(l.id) && <span className="order">{chosen.indexOf(l.id) + 1}.</span>} {l.title}{' '}
            <small>({l.minutes} min)</small>
          </label>
        ))}
        {labs?.driver && <small>Labs run on the {labs.driver.name} driver of this server.</small>}
      </fieldset>
      <label>
        Mode{' '}
        <select name="mode" value={mode} onChange={(e) => setMode(e.target.value as 'practice' | 'exam')}>
          <option value="practice">practice (checks and hints)</option>
          <option value="exam">exam (no checks or hints until the end)</option>
        </select>
      </label>
      <label>
        Duration (minutes){' '}
        <input
          name="duration"
          type="number"
          min={1}
          max={1440}
          value={duration}
          onChange={(e) => setDuration(Number(e.target.value))}
        />
      </label>
      <label>
        Seats{' '}
        <input
          name="seats"
          type="number"
          min={1}
          max={500}
          value={seatCap}
          onChange={(e) => setSeatCap(Number(e.target.value))}
        />
      </label>
      {labs?.driver?.name === 'kind' && <CapacityNote api={api} lab={chosen[0]} seats={seatCap} />}
      <label>
        Opens{' '}
        <input
          name="opens"
          type="datetime-local"
          value={opensAt}
          onChange={(e) => setOpensAt(e.target.value)}
        />
      </label>
      <label>
        Closes{' '}
        <input
          name="closes"
          type="datetime-local"
          value={closesAt}
          onChange={(e) => setClosesAt(e.target.value)}
        />
      </label>
      <label>
        Webhook (optional; signed JSON events){' '}
        <input name="webhook" type="url" value={webhook} onChange={(e) => setWebhook(e.target.value)} />
      </label>
      {error && (
        <p className="notice error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="primary" disabled={busy || chosen.length === 0 || !name.trim()}>
        Create class
      </button>
    </form>
  )
}
