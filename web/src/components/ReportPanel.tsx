import type { CommandRecord, Evidence, Report } from '../api'
import { summarize } from '../format'
import { Markdown } from './Markdown'

const ICON: Record<string, string> = { pass: '✔', fail: '✘', unknown: '?' }

export function ReportPanel({
  report,
  final,
  downloads,
  onHide,
}: {
  report: Report
  final: boolean
  downloads: { json: string; junit: string }
  onHide?: () => void
}) {
  const summary = summarize(report.checks, report.score)
  return (
    <section className={`report verdict-${report.verdict}`} aria-label="Report" data-verdict={report.verdict}>
      <h2>
        {final ? 'Final report' : 'Your work so far'}:{' '}
        {report.verdict === 'pass' ? 'all checks pass' : summary.text}
      </h2>
      {report.verdict === 'pass' && <p className="score">{summary.text}</p>}
      <ul className="checks">
        {report.checks.map((c) => (
          <li key={c.id} className={`check ${c.verdict}`} data-check={c.id} data-verdict={c.verdict}>
            <div className="check-head">
              <span className="icon" role="img" aria-label={c.verdict}>
                {ICON[c.verdict] ?? '?'}
              </span>
              <span className="check-title">{c.title}</span>
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
      <pre className="evidence">
        {`Expected: ${evidence.expected}\nFound:    ${evidence.actual}${evidence.note ? `\nNote:     ${evidence.note}` : ''}`}
      </pre>
      {evidence.commands && evidence.commands.length > 0 && (
        <details className="commands">
          <summary>Commands the check ran ({evidence.commands.length})</summary>
          <pre className="evidence">{evidence.commands.map(commandText).join('\n\n')}</pre>
        </details>
      )}
    </div>
  )
}

export function commandText(c: CommandRecord): string {
  const out = [`$ ${c.command}   # on ${c.node}, exit ${c.exitCode}`]
  if (c.stdout) out.push(c.stdout.trimEnd())
  if (c.stderr) out.push(c.stderr.trimEnd())
  return out.join('\n')
}
