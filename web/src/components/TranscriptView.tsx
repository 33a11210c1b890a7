import { useRef, useState } from 'react'
import { useTabs } from '../hooks/useTabs'
import { useReadOnlyTerminal } from '../hooks/useTerminal'
import { useTranscript } from '../hooks/useTranscript'

/** A finished attempt's terminals, read-only, one tab per node. */
export function TranscriptView({ token, note }: { token: string; note: string }) {
  const { screens, error } = useTranscript(token, true)
  const nodes = screens?.map((s) => s.node) ?? []
  const [active, setActive] = useState('')
  const shown = nodes.includes(active) ? active : (nodes[0] ?? '')
  const tabs = useTabs('transcript', nodes, shown, setActive)
  if (error)
    return (
      <div className="terminal-placeholder">
        {note} The transcript could not be loaded: {error}
      </div>
    )
  if (!screens) return <div className="terminal-placeholder">Loading the transcript…</div>
  if (screens.length === 0)
    return <div className="terminal-placeholder">{note.split('.')[0]}. No terminal was opened.</div>
  return (
    <div className="terminal-tabs transcript">
      <div className="tabs" role="tablist" aria-label="Transcript of the terminals">
        {nodes.map((n) => (
          <button key={n} className={n === shown ? 'tab active' : 'tab'} {...tabs.tabProps(n)}>
            {n}
          </button>
        ))}
        <span className="spacer" />
        <span className="muted small">{note}</span>
      </div>
      {screens.map((s) => (
        <div key={s.node} className="terminal-pane" hidden={s.node !== shown} {...tabs.panelProps(s.node)}>
          <ReadOnlyScreen data={s.data} active={s.node === shown} />
        </div>
      ))}
    </div>
  )
}

function ReadOnlyScreen({ data, active }: { data: string; active: boolean }) {
  const host = useRef<HTMLDivElement | null>(null)
  useReadOnlyTerminal(host, data, active)
  return <div className="terminal-host" ref={host} data-readonly="true" />
}
