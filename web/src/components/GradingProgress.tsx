import type { GradingView } from '../api'
import { InlineMarkdown } from './Markdown'

const ICON: Record<string, string> = { pending: '·', running: '…', pass: '✔', fail: '✘', unknown: '?' }
const WORD: Record<string, string> = {
  pending: 'pending',
  running: 'running',
  pass: 'passed',
  fail: 'failed',
  unknown: 'could not decide',
}

/** "waiting for the etcd container to be running (12 s of 30 s)" */
export function waitingText(w: { what: string; waitedMs: number; withinMs: number }): string {
  const s = (ms: number) => Math.max(0, Math.round(ms / 1000))
  return `${w.what} (${s(w.waitedMs)} s of ${s(w.withinMs)} s)`
}

/** The checks of a grading that runs right now, each with its state as the server tells it. */
export function GradingProgress({ grading }: { grading: GradingView | null }) {
  const checks = grading?.checks ?? []
  const done = checks.filter((c) => c.state !== 'pending' && c.state !== 'running').length
  return (
    <section className="report grading" aria-label="Checking your work" aria-busy="true">
      <h2>
        Checking your work…{' '}
        {checks.length > 0 && (
          <span className="muted">
            {done} of {checks.length} checks done
          </span>
        )}
      </h2>
      <ul className="checks" aria-live="polite">
        {checks.map((c) => (
          <li key={c.id} className={`check ${c.state}`} data-check={c.id} data-state={c.state}>
            <div className="check-head">
              <span className="icon" role="img" aria-label={WORD[c.state] ?? c.state}>
                {ICON[c.state] ?? '?'}
              </span>
              <InlineMarkdown className="check-title" source={c.title} />
              <span className="state muted small">{WORD[c.state] ?? c.state}</span>
            </div>
            {c.state === 'running' && c.waiting && (
              <p className="waiting muted small" data-testid="waiting">
                {waitingText(c.waiting)}
              </p>
            )}
          </li>
        ))}
      </ul>
    </section>
  )
}
