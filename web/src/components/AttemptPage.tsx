import { useEffect, useRef, useState } from 'react'
import { api } from '../api'
import { percent } from '../format'
import { useAttempt } from '../hooks/useAttempt'
import { useLabText } from '../hooks/useLabText'
import { navigate } from '../navigation'
import { ConfirmButton } from './ConfirmButton'
import { Markdown } from './Markdown'
import { ReportPanel } from './ReportPanel'
import { TerminalTabs } from './TerminalTabs'
import { Timer } from './Timer'

export function AttemptPage({ token }: { token: string }) {
  const a = useAttempt(token)
  const attempt = a.attempt
  const task = useLabText(attempt?.lab)
  const [left, setLeft] = useState(() => Math.round(Math.min(560, window.innerWidth * 0.38)))
  const dragging = useRef(false)
  const taskRef = useRef<HTMLElement | null>(null)
  const [reportHidden, setReportHidden] = useState(false)

  // A new report is shown (again) at the top of the task pane.
  useEffect(() => {
    if (!a.lastReport) return
    setReportHidden(false)
    taskRef.current?.scrollTo({ top: 0 })
  }, [a.lastReport])

  useEffect(() => {
    const move = (e: PointerEvent) => {
      if (!dragging.current) return
      setLeft(Math.max(240, Math.min(window.innerWidth - 320, e.clientX)))
    }
    const up = () => {
      dragging.current = false
      document.body.classList.remove('dragging')
    }
    window.addEventListener('pointermove', move)
    window.addEventListener('pointerup', up)
    return () => {
      window.removeEventListener('pointermove', move)
      window.removeEventListener('pointerup', up)
    }
  }, [])

  if (!attempt) {
    return (
      <main className="page">
        {a.error ? (
          <p className="notice error">
            {a.error} <a href="/">Back to the labs</a>
          </p>
        ) : (
          <p className="muted">Loading the attempt…</p>
        )}
      </main>
    )
  }

  const exam = attempt.mode === 'exam'
  const ready = attempt.state === 'ready'
  const report = a.lastReport ?? attempt.report?.report ?? null
  const showReport = report && !reportHidden && (!exam || attempt.state === 'submitted')

  return (
    <main className="attempt" data-state={attempt.state}>
      <div className="attempt-bar">
        <h1>{attempt.title}</h1>
        <span className={`badge mode-${attempt.mode}`}>{exam ? 'Exam' : 'Practice'}</span>
        <span className="badge">{attempt.driver}</span>
        <Timer attempt={attempt} skewMs={a.skewMs} onExpired={exam && ready ? a.submit : undefined} />
        <span className="spacer" />
        {ready && !exam && (
          <button type="button" className="primary" disabled={!!a.busy} onClick={a.grade}>
            {a.busy === 'grade' ? 'Checking…' : 'Check my work'}
          </button>
        )}
        {ready && exam && (
          <ConfirmButton
            className="primary"
            disabled={!!a.busy}
            onConfirm={a.submit}
            confirmText="Submit now?"
          >
            {a.busy === 'submit' ? 'Submitting…' : 'Submit'}
          </ConfirmButton>
        )}
        {(ready || attempt.state === 'stopped') && (
          <ConfirmButton disabled={!!a.busy} onConfirm={a.reset} confirmText="Reset the lab?">
            Reset
          </ConfirmButton>
        )}
        {ready && (
          <ConfirmButton disabled={!!a.busy} onConfirm={a.stop} confirmText="Stop the lab?">
            Stop
          </ConfirmButton>
        )}
        <button type="button" onClick={() => navigate('/')}>
          Labs
        </button>
      </div>
      {a.error && (
        <p className="notice error" role="alert">
          {a.error}
        </p>
      )}
      {attempt.state === 'creating' && (
        <div className="creating">
          <p>Creating the environment… {attempt.progress.step}</p>
          <div
            className="progress"
            role="progressbar"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={percent(attempt.progress.fraction)}
          >
            <div className="progress-fill" style={{ width: `${percent(attempt.progress.fraction)}%` }} />
          </div>
        </div>
      )}
      {attempt.state === 'failed' && (
        <div className="notice error failed" role="alert">
          <p>{attempt.error ?? 'The environment could not be created.'}</p>
          <button type="button" className="primary" disabled={!!a.busy} onClick={a.reset}>
            {attempt.readyAt === null ? 'Retry' : 'Reset'}
          </button>
        </div>
      )}
      {attempt.state === 'stopped' && (
        <div className="notice">
          <p>This lab was stopped; its environment is gone. Reset it to start over with a fresh one.</p>
        </div>
      )}
      <div className="split" style={{ gridTemplateColumns: `${left}px 6px minmax(0, 1fr)` }}>
        <aside className="task" ref={taskRef}>
          {showReport && report && (
            <ReportPanel
              report={report}
              final={exam}
              onHide={() => setReportHidden(true)}
              downloads={{ json: api.reportUrl(token, 'json'), junit: api.reportUrl(token, 'xml') }}
            />
          )}
          {attempt.notices.map((n) => (
            <div key={n.at + n.message} className="notice lab-notice">
              <Markdown source={n.message} />
            </div>
          ))}
          {task.error && <p className="notice error">{task.error}</p>}
          {task.markdown && <Markdown source={task.markdown} />}
          {!exam && attempt.hintsTotal > 0 && (
            <section className="hints">
              <h2>Hints</h2>
              <ol>
                {attempt.hintsShown.map((h) => (
                  <li key={h}>
                    <Markdown source={h} />
                  </li>
                ))}
              </ol>
              {attempt.hintsShown.length < attempt.hintsTotal ? (
                <button type="button" disabled={!!a.busy} onClick={a.hint}>
                  Show a hint ({attempt.hintsShown.length}/{attempt.hintsTotal})
                </button>
              ) : (
                !a.solution && (
                  <button type="button" disabled={!!a.busy} onClick={a.showSolution}>
                    Show the reference solution
                  </button>
                )
              )}
            </section>
          )}
          {exam && attempt.state === 'submitted' && !a.solution && (
            <button type="button" onClick={a.showSolution}>
              Show the reference solution
            </button>
          )}
          {a.solution && (
            <section className="solution">
              <h2>Reference solution</h2>
              <Markdown source={a.solution} />
            </section>
          )}
        </aside>
        {/* biome-ignore lint/a11y/useSemanticElements: an <hr> cannot be dragged or focused as a splitter */}
        <div
          className="divider"
          role="separator"
          aria-orientation="vertical"
          aria-label="Resize the task and terminal panes"
          aria-valuenow={left}
          tabIndex={0}
          onKeyDown={(e) => {
            if (e.key === 'ArrowLeft') setLeft((w) => Math.max(240, w - 40))
            if (e.key === 'ArrowRight') setLeft((w) => Math.min(window.innerWidth - 320, w + 40))
          }}
          onPointerDown={(e) => {
            e.preventDefault()
            dragging.current = true
            document.body.classList.add('dragging')
          }}
        />
        <section className="terminals">
          {ready ? (
            <TerminalTabs token={token} nodes={attempt.nodes} generation={attempt.readyAt ?? 0} />
          ) : (
            <div className="terminal-placeholder">
              {attempt.state === 'creating' && 'The terminal opens when the environment is ready.'}
              {attempt.state === 'submitted' && 'The exam was submitted; the environment is gone.'}
              {attempt.state === 'stopped' && 'The environment was stopped.'}
              {attempt.state === 'failed' && 'No environment.'}
            </div>
          )}
        </section>
      </div>
    </main>
  )
}
