// What only the browser edition (the static build) shows: its standing
// notices, what needs a server, importing an attempt and deleting this
// browser's data. Rendered only when the backend offers these.

import { useRef, useState } from 'react'
import { api } from '../api'
import { useNotices } from '../hooks/useNotices'
import { navigate } from '../navigation'
import { addRecent, loadRecent, saveRecent } from '../recent'
import { ConfirmButton } from './ConfirmButton'

/** Storage and tab messages, at the top of every page. */
export function EditionNotices() {
  const notices = useNotices()
  if (notices.length === 0) return null
  return (
    <div className="edition-notices" role="status">
      {notices.map((n) => (
        <p key={n} className="notice warn edition-notice">
          {n}
          {n.includes('Use this tab') && api.takeOver && (
            <button type="button" className="primary" onClick={() => api.takeOver?.()}>
              Use this tab
            </button>
          )}
        </p>
      ))}
    </div>
  )
}

/** The catalogue's section about this edition: what needs a server, import, delete. */
export function BrowserEditionPanel() {
  const [message, setMessage] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)
  const file = useRef<HTMLInputElement | null>(null)
  if (api.kind !== 'browser') return null
  return (
    <section className="browser-edition" aria-labelledby="edition-heading">
      <h2 id="edition-heading">Running in your browser</h2>
      <p className="muted">
        Labs run on a simulated cluster inside this page; your attempts stay in this browser and it works
        offline after the first visit. These need a ckalab server (<code>npm start</code>):
      </p>
      <ul className="server-only">
        {(api.serverOnly ?? []).map((f) => (
          <li key={f}>{f}</li>
        ))}
      </ul>
      <div className="edition-actions">
        <label className="button-like">
          Import an attempt…
          <input
            ref={file}
            type="file"
            accept="application/json,.json"
            className="visually-hidden"
            onChange={async (e) => {
              const f = e.target.files?.[0]
              if (!f || !api.importAttempt) return
              setError(null)
              try {
                const { token, lab } = await api.importAttempt(f)
                saveRecent(
                  addRecent(loadRecent(), {
                    token,
                    lab,
                    title: lab,
                    mode: 'practice',
                    startedAt: Date.now(),
                  }),
                )
                navigate(`/attempt/${token}`)
              } catch (err) {
                setError(err instanceof Error ? err.message : String(err))
              } finally {
                if (file.current) file.current.value = ''
              }
            }}
          />
        </label>
        {api.deleteAllData && (
          <ConfirmButton
            confirmText="Delete every attempt in this browser?"
            onConfirm={async () => {
              setError(null)
              try {
                await api.deleteAllData?.()
                setMessage('Every attempt, report and setting this browser kept for ckalab is deleted.')
                setTimeout(() => window.location.reload(), 800)
              } catch (err) {
                setError(err instanceof Error ? err.message : String(err))
              }
            }}
          >
            Delete my data
          </ConfirmButton>
        )}
      </div>
      {message && <p className="notice">{message}</p>}
      {error && (
        <p className="notice error" role="alert">
          {error}
        </p>
      )}
    </section>
  )
}

/** Export on the attempt page: the attempt as a file a teacher can grade with `ckalab grade --from-file`. */
export function ExportAttemptButton(props: { token: string; disabled?: boolean }) {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  if (!api.exportAttempt) return null
  return (
    <>
      <button
        type="button"
        disabled={props.disabled || busy}
        title="Save this attempt as a file (a teacher can grade it with ckalab grade --from-file)"
        onClick={async () => {
          setBusy(true)
          setError(null)
          try {
            const out = await api.exportAttempt?.(props.token)
            if (!out) return
            const url = URL.createObjectURL(out.blob)
            const a = document.createElement('a')
            a.href = url
            a.download = out.name
            a.click()
            setTimeout(() => URL.revokeObjectURL(url), 10_000)
          } catch (err) {
            setError(err instanceof Error ? err.message : String(err))
          } finally {
            setBusy(false)
          }
        }}
      >
        {busy ? 'Exporting…' : 'Export'}
      </button>
      {error && (
        <span className="notice error" role="alert">
          {error}
        </span>
      )}
    </>
  )
}
