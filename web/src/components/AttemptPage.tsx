import { useCallback, useEffect, useRef, useState } from 'react'
import { api } from '../api'
import { percent } from '../format'
import { saveBanner, useAttempt } from '../hooks/useAttempt'
import { useElementSize } from '../hooks/useElementSize'
import { useStartAttempt } from '../hooks/useLabs'
import { useLabText } from '../hooks/useLabText'
import { useOrientation, useSplit } from '../hooks/useLayout'
import { clampFraction, stepFraction, taskPixels } from '../layout'
import { navigate } from '../navigation'
import { ConfirmButton } from './ConfirmButton'
import { GradingProgress } from './GradingProgress'
import { Markdown } from './Markdown'
import { ReportPanel } from './ReportPanel'
import { TerminalTabs } from './TerminalTabs'
import { Timer } from './Timer'
import { TranscriptView } from './TranscriptView'
import { timeUsedMs } from './timer-logic'

const DIVIDER_PX = 6

export function AttemptPage({ token }: { token: string }) {
  const a = useAttempt(token)
  const attempt = a.attempt
  const task = useLabText(attempt?.lab)
  const orientation = useOrientation()
  const [fraction, setFraction] = useSplit(orientation)
  const { ref: splitRef, element: splitEl, size: splitSize } = useElementSize<HTMLDivElement>()
  const total = Math.max(0, (orientation === 'wide' ? splitSize.width : splitSize.height) - DIVIDER_PX)
  const dragging = useRef(false)
  const taskRef = useRef<HTMLElement | null>(null)
  const [reportHidden, setReportHidden] = useState(false)
  const retry = useStartAttempt()

  // A new report is shown (again) at the top of the task pane.
  useEffect(() => {
    if (!a.lastReport) return
    setReportHidden(false)
    taskRef.current?.scrollTo({ top: 0 })
  }, [a.lastReport])

  useEffect(() => {
    if (attempt)
      document.title = `${attempt.title} · ${attempt.mode === 'exam' ? 'Exam' : 'Practice'} · ckalab`
  }, [attempt?.title, attempt?.mode, attempt])

  const fromPointer = useCallback(
    (e: PointerEvent) => {
      const el = splitEl.current
      if (!el || total <= 0) return
      const r = el.getBoundingClientRect()
      const at = orientation === 'wide' ? e.clientX - r.left : e.clientY - r.top
      setFraction(clampFraction(at / total, total, orientation))
    },
    [orientation, total, setFraction, splitEl],
  )

  useEffect(() => {
    const move = (e: PointerEvent) => {
      if (dragging.current) fromPointer(e)
    }
    const up = () => {
      dragging.current = false
      document.body.classList.remove('dragging', 'dragging-rows')
    }
    window.addEventListener('pointermove', move)
    window.addEventListener('pointerup', up)
    return () => {
      window.removeEventListener('pointermove', move)
      window.removeEventListener('pointerup', up)
    }
  }, [fromPointer])

  if (!attempt) {
    return (
      <main className="page">
        {a.error ? (
          <p className="notice error" role="alert">
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
  const finished = attempt.state === 'submitted' || attempt.state === 'stopped'
  const report = a.lastReport ?? attempt.report?.report ?? null
  const showReport = report && !reportHidden && (!exam || attempt.state === 'submitted')
  const taskPx = total > 0 ? taskPixels(fraction, total, orientation) : null
  const track = taskPx === null ? `${Math.round(fraction * 100)}%` : `${taskPx}px`
  const grid =
    orientation === 'wide'
      ? { gridTemplateColumns: `${track} ${DIVIDER_PX}px minmax(0, 1fr)`, gridTemplateRows: 'minmax(0, 1fr)' }
      : { gridTemplateRows: `${track} ${DIVIDER_PX}px minmax(0, 1fr)`, gridTemplateColumns: 'minmax(0, 1fr)' }

  return (
    <main className="attempt" data-state={attempt.state} data-layout={orientation}>
      <div className="attempt-bar">
        <h1 tabIndex={-1} data-focus-on-navigate>
          {attempt.title}
        </h1>
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
          <ConfirmButton
            disabled={!!a.busy}
            onConfirm={a.reset}
            confirmText={exam ? 'Reset? The clock keeps running' : 'Reset the lab?'}
          >
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
      {(a.error || retry.error) && (
        <p className="notice error bar-notice" role="alert">
          {a.error ?? retry.error}
        </p>
      )}
      {saveBanner(attempt) && (
        <p className="notice error bar-notice save-error" role="alert">
          {saveBanner(attempt)}
        </p>
      )}
      {attempt.state === 'creating' && (
        <div className="creating">
          <p id="creating-step">Creating the environment… {attempt.progress.step}</p>
          <div
            className="progress"
            role="progressbar"
            aria-label="Creating the lab environment"
            aria-describedby="creating-step"
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={percent(attempt.progress.fraction)}
            aria-valuetext={`${percent(attempt.progress.fraction)} % · ${attempt.progress.step}`}
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
        <div className="notice bar-notice">
          This lab was stopped; its environment is gone. Reset it to start over with a fresh one.
        </div>
      )}
      <div className="split" ref={splitRef} style={grid}>
        <aside className="task" ref={taskRef} aria-label="Task">
          {(attempt.grading || a.busy === 'grade' || a.busy === 'submit') && (
            <GradingProgress grading={attempt.grading} />
          )}
          {showReport && report && !attempt.grading && (
            <ReportPanel
              report={report}
              final={exam}
              onHide={() => setReportHidden(true)}
              downloads={{ json: api.reportUrl(token, 'json'), junit: api.reportUrl(token, 'xml') }}
              timeUsedMs={exam ? timeUsedMs(attempt, attempt.now) : undefined}
              discarded={attempt.discarded?.length ?? 0}
              onRetry={
                exam && attempt.state === 'submitted'
                  ? () => void retry.start(attempt.lab, attempt.title, 'exam')
                  : undefined
              }
            />
          )}
          <section className="lab-notices" aria-live="polite" aria-label="Lab notices">
            {attempt.notices.map((n) => (
              <div key={n.at + n.message} className="notice lab-notice">
                <Markdown source={n.message} />
              </div>
            ))}
          </section>
          {task.error && <p className="notice error">{task.error}</p>}
          {task.markdown && <Markdown source={task.markdown} />}
          {!exam && attempt.hintsTotal > 0 && (
            <section className="hints" aria-label="Hints">
              <h2>Hints</h2>
              <ol aria-live="polite">
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
          aria-orientation={orientation === 'wide' ? 'vertical' : 'horizontal'}
          aria-label="Resize the task and terminal panes"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={Math.round(fraction * 100)}
          tabIndex={0}
          onKeyDown={(e) => {
            const back = orientation === 'wide' ? 'ArrowLeft' : 'ArrowUp'
            const forward = orientation === 'wide' ? 'ArrowRight' : 'ArrowDown'
            if (e.key === back) setFraction(stepFraction(fraction, -1, total, orientation))
            else if (e.key === forward) setFraction(stepFraction(fraction, 1, total, orientation))
            else return
            e.preventDefault()
          }}
          onPointerDown={(e) => {
            e.preventDefault()
            dragging.current = true
            document.body.classList.add(orientation === 'wide' ? 'dragging' : 'dragging-rows')
          }}
        />
        <section className="terminals" aria-label="Terminals">
          {ready ? (
            <TerminalTabs token={token} nodes={attempt.nodes} generation={attempt.readyAt ?? 0} />
          ) : finished ? (
            <TranscriptView
              token={token}
              note={
                attempt.state === 'submitted'
                  ? 'The exam was submitted; the environment is gone. This is the terminal as you left it.'
                  : 'The environment was stopped. This is the terminal as you left it.'
              }
            />
          ) : (
            <div className="terminal-placeholder">
              {attempt.state === 'creating' && 'The terminal opens when the environment is ready.'}
              {attempt.state === 'failed' && 'No environment.'}
            </div>
          )}
        </section>
      </div>
    </main>
  )
}
