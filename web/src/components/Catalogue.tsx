import type { ReactNode } from 'react'
import type { LabSummary } from '../api'
import { formatClock } from '../format'
import { useLabs, useStartAttempt } from '../hooks/useLabs'
import { useProgress } from '../hooks/useProgress'
import { type RecentEntry, useRecentAttempts } from '../hooks/useRecentAttempts'
import { navigate } from '../navigation'
import type { AttemptRecord, LabProgress } from '../progress'
import { InlineMarkdown } from './Markdown'
import { timeUsedMs } from './timer-logic'

export function Catalogue() {
  const { list, error } = useLabs()
  const { start, starting, error: startError } = useStartAttempt()
  const recent = useRecentAttempts()
  const progress = useProgress()
  const live = recent.filter((r) => !r.view || ['creating', 'ready', 'failed'].includes(r.view.state))
  const finished = recent.filter((r) => r.view && ['stopped', 'submitted'].includes(r.view.state))
  // This browser's attempts by public id, so a try in the history links to its page and transcript.
  const tokens = new Map(recent.flatMap((r) => (r.view ? [[r.view.id, r.token] as const] : [])))
  return (
    <main className="page catalogue">
      <h1 tabIndex={-1} data-focus-on-navigate>
        Labs
      </h1>
      <section className="modes" aria-label="Practice and exam">
        <p>
          <strong>Practice</strong>: no clock pressure; <em>Check my work</em> grades as often as you like,
          hints and the reference solution are one click away. <strong>Exam</strong>: a countdown, no hints
          and no intermediate checks; Reset gives a fresh environment but the clock keeps running; the final
          report, with the time you used, comes when you submit or the time is up.
        </p>
      </section>
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
      {error && (
        <p className="notice error" role="alert">
          Could not load the labs: {error}
        </p>
      )}
      {startError && (
        <p className="notice error" role="alert">
          {startError}
        </p>
      )}
      {!list && !error && <p className="muted">Loading labs…</p>}
      {live.length > 0 && (
        <section className="recent" aria-labelledby="continue-heading">
          <h2 id="continue-heading">Continue</h2>
          <ul>
            {live.map((r) => (
              <RecentItem key={r.token} entry={r} />
            ))}
          </ul>
        </section>
      )}
      <div className="cards">
        {list?.labs.map((lab) => (
          <LabCard
            key={lab.id}
            lab={lab}
            driver={list.driver.name}
            starting={starting}
            onStart={start}
            progress={progress[lab.id]}
            tokens={tokens}
          />
        ))}
      </div>
      {finished.length > 0 && (
        <section className="recent finished" aria-labelledby="finished-heading">
          <h2 id="finished-heading">Finished attempts</h2>
          <ul>
            {finished.map((r) => (
              <RecentItem key={r.token} entry={r} />
            ))}
          </ul>
        </section>
      )}
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

const STATE_TEXT: Record<string, string> = {
  creating: 'being created',
  ready: 'in progress',
  failed: 'needs a retry',
  stopped: 'stopped',
  submitted: 'submitted',
}

function AttemptLink({ token, children }: { token: string; children: ReactNode }) {
  return (
    <a
      href={`/attempt/${token}`}
      onClick={(e) => {
        e.preventDefault()
        navigate(`/attempt/${token}`)
      }}
    >
      {children}
    </a>
  )
}

function RecentItem({ entry: r }: { entry: RecentEntry }) {
  const v = r.view
  const report = v?.report?.report
  const ended = v?.state === 'submitted' || v?.state === 'stopped'
  const used = v ? timeUsedMs(v, v.now) : null
  return (
    <li data-token-state={v?.state ?? 'unknown'}>
      <AttemptLink token={r.token}>{r.title}</AttemptLink>{' '}
      <span className={`badge mode-${r.mode}`}>{r.mode}</span>{' '}
      <span className="muted">
        {v ? STATE_TEXT[v.state] : 'server not reachable'}
        {report ? ` · ${report.score.points}/${report.score.max} points` : ''}
        {used !== null ? ` · ${formatClock(used)} ${v?.state === 'ready' ? 'so far' : 'used'}` : ''} · started{' '}
        {new Date(v?.createdAt ?? r.startedAt).toLocaleString()}
      </span>
      {ended && (
        <>
          {' · '}
          <AttemptLink token={r.token}>read-only transcript</AttemptLink>
        </>
      )}
    </li>
  )
}

/** Every graded try of one lab: when, how, the score and the time it took. */
export function AttemptHistory({
  history,
  tokens,
}: {
  history: AttemptRecord[]
  tokens: Map<string, string>
}) {
  if (history.length === 0) return null
  return (
    <details className="history">
      <summary>
        History ({history.length} graded tr{history.length === 1 ? 'y' : 'ies'})
      </summary>
      <table>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Mode</th>
            <th scope="col">Score</th>
            <th scope="col">Time used</th>
            <th scope="col">
              <span className="visually-hidden">Attempt</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {history.map((h) => {
            const token = tokens.get(h.attempt)
            return (
              <tr key={`${h.attempt}@${h.at}`} data-verdict={h.verdict}>
                <td>{new Date(h.at).toLocaleString()}</td>
                <td>
                  {h.mode}
                  {h.final ? ' (final)' : ''}
                </td>
                <td>
                  {h.verdict === 'pass' ? '✔ ' : ''}
                  {h.points}/{h.max}
                </td>
                <td>{h.ms === null ? '–' : formatClock(h.ms)}</td>
                <td>{token ? <AttemptLink token={token}>open</AttemptLink> : null}</td>
              </tr>
            )
          })}
        </tbody>
      </table>
    </details>
  )
}

function LabCard(props: {
  lab: LabSummary
  driver: string
  starting: string | null
  onStart(lab: string, title: string, mode: 'practice' | 'exam'): void
  progress: LabProgress | undefined
  tokens: Map<string, string>
}) {
  const { lab, progress } = props
  const busy = props.starting !== null
  return (
    <article className="card" data-lab={lab.id} data-passed={progress?.passed ? 'true' : 'false'}>
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
        {progress?.passed && (
          <span className="badge passed" title="You passed this lab">
            ✔ Passed
          </span>
        )}
      </p>
      {progress?.best && (
        <p className="progress-line muted small">
          Best {progress.best.points}/{progress.best.max}
          {progress.bestMs !== null ? ` · quickest pass ${formatClock(progress.bestMs)}` : ''} ·{' '}
          {progress.history.length} graded tr{progress.history.length === 1 ? 'y' : 'ies'}
        </p>
      )}
      {progress && <AttemptHistory history={progress.history} tokens={props.tokens} />}
      {lab.summary && (
        <p>
          <InlineMarkdown source={lab.summary} />
        </p>
      )}
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
          aria-label={`Practice: ${lab.title}`}
          disabled={busy || !lab.runnableHere}
          onClick={() => props.onStart(lab.id, lab.title, 'practice')}
        >
          {props.starting === `${lab.id}:practice` ? 'Starting…' : 'Practice'}
        </button>
        <button
          type="button"
          aria-label={`Exam: ${lab.title}`}
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
