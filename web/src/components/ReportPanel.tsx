import type { CommandRecord, Evidence, Report } from '../api'
import { formatClock, summarize } from '../format'
import { InlineMarkdown, Markdown } from './Markdown'

const ICON: Record<string, string> = { pass: '✔', fail: '✘', unknown: '?' }

export function ReportPanel({
  report,
  final,
  downloads,
  onHide,
  timeUsedMs,
  discarded = 0,
  onRetry,
}: {
  report: Report
  final: boolean
  downloads: { json: string; junit: string }
  onHide?: () => void
  /** A final report says how long the attempt took. */
  timeUsedMs?: number | null
  /** Tries a reset threw away during this attempt. */
  discarded?: number
  onRetry?: () => void
}) {
  const summary = summarize(report.checks, report.score)
  return (
    <section className={`report verdict-${report.verdict}`} aria-label="Report" data-verdict={report.verdict}>
      <h2>
        {final ? 'Final report' : 'Your work so far'}:{' '}
        {report.verdict === 'pass' ? 'all checks pass' : summary.text}
      </h2>
      {report.verdict === 'pass' && <p className="score">{summary.text}</p>}
      {final && (timeUsedMs !== undefined || discarded > 0) && (
        <p className="time-used">
          {timeUsedMs !== undefined && timeUsedMs !== null && (
            <>
              Time used: <strong data-testid="time-used">{formatClock(timeUsedMs)}</strong>
            </>
          )}
          {discarded > 0 && ` · ${discarded} earlier ${discarded === 1 ? 'try was' : 'tries were'} reset`}
        </p>
      )}
      <ul className="checks">
        {report.checks.map((c) => (
          <li key={c.id} className={`check ${c.verdict}`} data-check={c.id} data-verdict={c.verdict}>
            <div className="check-head">
              <span className="icon" role="img" aria-label={c.verdict}>
                {ICON[c.verdict] ?? '?'}
              </span>
              <InlineMarkdown className="check-title" source={c.title} />
              <span className="points">
                {c.verdict === 'pass' ? c.points : 0}/{c.points}
              </span>
            </div>
            <EvidenceView evidence={c.evidence} />
            {c.verdict !== 'pass' && c.hint && (
              <div className="hint">
                <Markdown source={`**Hint:** ${c.hint}`} />
              </div>
            )}
          </li>
        ))}
      </ul>
      <p className="downloads">
        Download: <a href={downloads.json}>JSON</a> · <a href={downloads.junit}>JUnit XML</a>
        {onRetry && (
          <button type="button" className="primary retry" onClick={onRetry}>
            Retry this exam
          </button>
        )}
        {onHide && (
          <button type="button" className="link" onClick={onHide}>
            Hide the report
          </button>
        )}
      </p>
    </section>
  )
}

function EvidenceView({ evidence }: { evidence: Evidence }) {
  if (!evidence) return null
  if (typeof evidence === 'string') return <pre className="evidence">{evidence}</pre>
  return (
    <div className="evidence-block">
      <dl className="evidence">
        <dt>Expected</dt>
        <dd>
          <InlineMarkdown source={evidence.expected} />
        </dd>
        <dt>Found</dt>
        <dd>
          <FoundText text={evidence.actual} />
        </dd>
        {evidence.note && (
          <>
            <dt>Note</dt>
            <dd>
              <InlineMarkdown source={evidence.note} />
            </dd>
          </>
        )}
      </dl>
      {evidence.commands && evidence.commands.length > 0 && (
        <details className="commands">
          <summary>Commands the check ran ({evidence.commands.length})</summary>
          <pre className="evidence">{evidence.commands.map(commandText).join('\n\n')}</pre>
        </details>
      )}
    </div>
  )
}

/** What a check found is usually tool output (shown as is); lab-written text with backticks is markdown. */
function FoundText({ text }: { text: string }) {
  if (text.includes('`') && !text.includes('\n')) return <InlineMarkdown source={text} />
  return <span className="found">{text}</span>
}

export function commandText(c: CommandRecord): string {
  const out = [`$ ${c.command}   # on ${c.node}, exit ${c.exitCode}`]
  if (c.stdout) out.push(c.stdout.trimEnd())
  if (c.stderr) out.push(c.stderr.trimEnd())
  return out.join('\n')
}
