// One class's live board: a row per learner with each check's verdict,
// points, time left and last activity, pushed by the server; the instructor's
// class-wide actions above it, per-learner actions in each row, and the
// mirror of one learner's terminal below.

import { Fragment, useEffect, useMemo, useState } from 'react'
import { ConfirmButton } from '../components/ConfirmButton'
import { type Board, type BoardRow, followEvents, instructorApi, instructorKey } from './api'
import { ago, type BoardFilter, type BoardSort, filterRows, sortRows, timeLeft } from './board-logic'
import { CapacityNote } from './CapacityNote'
import { MirrorPanel } from './MirrorPanel'
import { joinQrDataUrl } from './qr'

export function BoardPage({ id }: { id: string }) {
  const key = useMemo(() => instructorKey(), [])
  const api = useMemo(() => (key ? instructorApi(key) : null), [key])
  const [board, setBoard] = useState<Board | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [notice, setNotice] = useState<string | null>(null)
  const [filter, setFilter] = useState<BoardFilter>('all')
  const [sort, setSort] = useState<BoardSort>('joined')
  const [mirror, setMirror] = useState<string | null>(null)
  const [broadcast, setBroadcast] = useState('')
  const [report, setReport] = useState<{ seat: string; text: string } | null>(null)
  const [, tick] = useState(0)
  const [webhookSecret, setWebhookSecret] = useState(() =>
    sessionStorage.getItem(`ckalab.webhookSecret.${id}`),
  )

  useEffect(() => {
    if (!key) return
    const abort = new AbortController()
    followEvents<Board>(
      `/api/classes/${encodeURIComponent(id)}/events`,
      { authorization: `Bearer ${key}` },
      setBoard,
      setError,
      abort.signal,
    )
    // The clock on the page moves between pushes.
    const t = setInterval(() => tick((n) => n + 1), 1000)
    return () => {
      abort.abort()
      clearInterval(t)
    }
  }, [id, key])

  if (!api)
    return (
      <main className="page">
        <p className="notice error" role="alert">
          This page needs the instructor key; open the instructor link printed by <code>ckalab serve</code>.
        </p>
      </main>
    )
  if (!board)
    return (
      <main className="page">
        {error ? <p className="notice error">{error}</p> : <p>Loading the board…</p>}
      </main>
    )

  const c = board.class
  const now = Date.now()
  const rows = sortRows(filterRows(board.rows, filter, now, c.startedAt), sort)
  const act = (p: Promise<unknown>, done?: string) =>
    p.then(
      () => done && setNotice(done),
      (e) => setNotice(e.message),
    )
  const joinUrl = `${window.location.origin}${c.joinPath}`
  const mirrored = board.rows.find((r) => r.seatId === mirror)

  return (
    <main className="page class-board" data-class-state={c.state}>
      <header className="board-head">
        <h1 tabIndex={-1} data-focus-on-navigate>
          {c.name}
        </h1>
        <JoinCard code={c.code} url={joinUrl} className={c.name} open={c.state !== 'ended' && c.joining} />
        <p>
          {c.labs.join(' → ')} · {c.mode} · {c.durationMin} min · {board.rows.length}/{c.seatCap} seats ·{' '}
          <span className="class-state">{c.state}</span> · joining {c.joining ? 'open' : 'closed'}
        </p>
        {c.warm && (
          <p className="warm-status" data-ready={c.warm.ready} data-wanted={c.warm.wanted}>
            Environments ready for the learners still to join: <strong>{c.warm.ready}</strong> of{' '}
            {c.warm.wanted}
            {c.warm.failed > 0 && ` (${c.warm.failed} could not be made; the server log says why)`}
            {c.warm.wanted > 0 && c.warm.ready === c.warm.wanted && ' — joining takes a moment now.'}
          </p>
        )}
        {c.state !== 'ended' && board.driver === 'kind' && (
          <CapacityNote api={api} lab={c.labs[0]} seats={Math.max(0, c.seatCap - board.rows.length)} />
        )}
        <div className="board-actions">
          {c.state === 'waiting' && (
            <button
              type="button"
              className="primary"
              onClick={() => act(api.start(c.id), 'The class has started.')}
            >
              {c.mode === 'exam' ? 'Start the exam for everyone' : 'Start the class'}
            </button>
          )}
          {c.state !== 'ended' && (
            <>
              <button type="button" onClick={() => act(api.joining(c.id, !c.joining))}>
                {c.joining ? 'Close joining' : 'Open joining'}
              </button>
              <ConfirmButton
                confirmText="Grade and freeze every learner?"
                onConfirm={() => act(api.end(c.id), 'The class has ended.')}
              >
                End the class
              </ConfirmButton>
            </>
          )}
          <span className="exports">
            Export{' '}
            <button type="button" onClick={() => act(api.download(c.id, 'csv'))}>
              CSV
            </button>
            <button type="button" onClick={() => act(api.download(c.id, 'json'))}>
              JSON
            </button>
            <button type="button" onClick={() => act(api.download(c.id, 'xml'))}>
              JUnit
            </button>
          </span>
        </div>
        <form
          className="broadcast"
          onSubmit={(e) => {
            e.preventDefault()
            if (broadcast.trim())
              act(api.broadcast(c.id, broadcast), 'Sent to everyone.').then(() => setBroadcast(''))
          }}
        >
          <input
            name="broadcast"
            placeholder="A message to the whole class"
            value={broadcast}
            maxLength={500}
            onChange={(e) => setBroadcast(e.target.value)}
          />
          <button type="submit">Send to all</button>
        </form>
        {webhookSecret && (
          <p className="notice" role="status">
            Webhook signing secret (shown once; events carry <code>x-ckalab-signature: sha256=HMAC</code>):{' '}
            <code>{webhookSecret}</code>{' '}
            <button
              type="button"
              onClick={() => {
                sessionStorage.removeItem(`ckalab.webhookSecret.${id}`)
                setWebhookSecret(null)
              }}
            >
              I noted it
            </button>
          </p>
        )}
        {(notice || error) && (
          <p className="notice" role="status">
            {error ?? notice}
          </p>
        )}
      </header>

      <p className="board-summary">
        {board.summary.length === 0
          ? 'No check has run yet.'
          : board.summary.map((s) => (
              <span key={s.id} className="summary-check" data-check={s.id}>
                {s.title}: <strong>{s.passed}</strong>/{board.rows.length}
              </span>
            ))}
      </p>
      <div className="board-controls">
        <label>
          Show{' '}
          <select name="filter" value={filter} onChange={(e) => setFilter(e.target.value as BoardFilter)}>
            <option value="all">everyone</option>
            <option value="help">asking for help</option>
            <option value="stuck">stuck</option>
            <option value="idle">idle</option>
            <option value="done">done</option>
          </select>
        </label>
        <label>
          Sort by{' '}
          <select name="sort" value={sort} onChange={(e) => setSort(e.target.value as BoardSort)}>
            <option value="joined">joining order</option>
            <option value="name">name</option>
            <option value="points">points</option>
            <option value="activity">last activity</option>
          </select>
        </label>
      </div>

      <table className="board">
        <thead>
          <tr>
            <th>Learner</th>
            <th>Environment</th>
            <th>Checks</th>
            <th>Points</th>
            <th>Time left</th>
            <th>Last activity</th>
            <th>Actions</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <Fragment key={r.seatId}>
              <Row
                r={r}
                now={now}
                classEnded={c.state === 'ended'}
                onMirror={() => setMirror(mirror === r.seatId ? null : r.seatId)}
                onReset={() => act(api.reset(c.id, r.seatId), `Resetting ${r.name}'s environment.`)}
                onExtend={(m) => act(api.extend(c.id, r.seatId, m), `${r.name} got ${m} more minutes.`)}
                onMessage={(text) => act(api.message(c.id, r.seatId, text), `Sent to ${r.name}.`)}
                onEnd={() => act(api.endSeat(c.id, r.seatId), `${r.name}'s attempt has ended.`)}
                onReport={() =>
                  api.reports(c.id, r.seatId).then(
                    (x) => setReport({ seat: r.seatId, text: JSON.stringify(x.reports, null, 2) }),
                    (e) => setNotice(e.message),
                  )
                }
              />
              {report?.seat === r.seatId && (
                <tr className="report-row">
                  <td colSpan={7}>
                    <button type="button" onClick={() => setReport(null)}>
                      Hide report
                    </button>
                    <pre className="seat-report">{report.text}</pre>
                  </td>
                </tr>
              )}
            </Fragment>
          ))}
        </tbody>
      </table>
      {rows.length === 0 && (
        <p>
          {board.rows.length === 0
            ? `Nobody has joined yet. Share the code ${c.code}.`
            : 'Nobody matches this filter.'}
        </p>
      )}
      {mirrored && (
        <MirrorPanel
          key={mirrored.seatId}
          api={api}
          classId={c.id}
          seatId={mirrored.seatId}
          name={mirrored.name}
          takeover={mirrored.takeover}
          onClose={() => setMirror(null)}
        />
      )}
    </main>
  )
}

function Row(p: {
  r: BoardRow
  now: number
  classEnded: boolean
  onMirror(): void
  onReset(): void
  onExtend(minutes: number): void
  onMessage(text: string): void
  onEnd(): void
  onReport(): void
}) {
  const { r } = p
  const [message, setMessage] = useState('')
  return (
    <tr
      data-seat={r.seatId}
      data-name={r.name}
      data-state={r.state}
      className={r.needsHelp ? 'needs-help' : ''}
    >
      <td>
        {r.name}
        {r.needsHelp && <span className="badge help">needs help</span>}
        {r.watched && <span className="badge watched">watched</span>}
      </td>
      <td className="env-state">{r.state}</td>
      <td className="checks">
        {r.checks.length === 0
          ? '…'
          : r.checks.map((k) => (
              <span
                key={k.id}
                className={`check-dot ${k.verdict}`}
                data-check={k.id}
                data-verdict={k.verdict}
                title={`${k.title}: ${k.verdict}`}
              >
                {k.verdict === 'pass' ? '✓' : k.verdict === 'fail' ? '✗' : '?'}
              </span>
            ))}
      </td>
      <td className="points">
        {r.points}/{r.max}
      </td>
      <td className="time-left">{r.ended ? 'ended' : timeLeft(r.deadline, p.now)}</td>
      <td>{ago(r.lastActivity, p.now)}</td>
      <td className="row-actions">
        <button type="button" onClick={p.onMirror} disabled={r.state !== 'ready'}>
          Mirror
        </button>
        <ConfirmButton confirmText={`Reset ${r.name}'s cluster?`} onConfirm={p.onReset} disabled={r.ended}>
          Reset
        </ConfirmButton>
        <button type="button" onClick={() => p.onExtend(5)} disabled={r.ended}>
          +5 min
        </button>
        <ConfirmButton confirmText={`End ${r.name}'s attempt?`} onConfirm={p.onEnd} disabled={r.ended}>
          End
        </ConfirmButton>
        <button type="button" onClick={p.onReport}>
          Report
        </button>
        <form
          className="seat-message"
          onSubmit={(e) => {
            e.preventDefault()
            if (message.trim()) {
              p.onMessage(message)
              setMessage('')
            }
          }}
        >
          <input
            name="message"
            placeholder={`Message ${r.name}`}
            value={message}
            maxLength={500}
            onChange={(e) => setMessage(e.target.value)}
          />
        </form>
      </td>
    </tr>
  )
}

/** The code, the link and its QR code, big enough for a projector; Print gives a sheet with only this. */
function JoinCard({
  code,
  url,
  className,
  open,
}: {
  code: string
  url: string
  className: string
  open: boolean
}) {
  const [qr, setQr] = useState<string | null>(null)
  useEffect(() => {
    let live = true
    joinQrDataUrl(url).then(
      (src) => live && setQr(src),
      () => live && setQr(null),
    )
    return () => {
      live = false
    }
  }, [url])
  return (
    <section className="join-card" aria-label="How to join">
      <div className="join-text">
        <p className="join-class-name">{className}</p>
        <p>
          Join code <strong className="join-code">{code}</strong>
        </p>
        <p>
          <a href={url}>{url}</a>
        </p>
        {!open && <p className="join-closed">Joining is closed.</p>}
        <button type="button" className="no-print" onClick={() => window.print()}>
          Print the join sheet
        </button>
      </div>
      {qr && (
        <img className="join-qr" src={qr} alt={`QR code of the join link ${url}`} width={180} height={180} />
      )}
    </section>
  )
}
