import { useState } from 'react'
import { useTerminal } from '../hooks/useTerminal'

const STATUS_TEXT: Record<string, string> = {
  connecting: 'Connecting…',
  reconnecting: 'Reconnecting…',
  exited: 'Shell ended',
  closed: 'Disconnected',
}

export function TerminalTabs({
  token,
  nodes,
  generation,
}: {
  token: string
  nodes: string[]
  generation: number
}) {
  const [active, setActive] = useState(nodes[0] ?? '')
  return (
    <div className="terminal-tabs">
      <div className="tabs" role="tablist">
        {nodes.map((n) => (
          <button
            key={n}
            type="button"
            role="tab"
            aria-selected={n === active}
            className={n === active ? 'tab active' : 'tab'}
            onClick={() => setActive(n)}
          >
            {n}
          </button>
        ))}
        <span className="spacer" />
        <span className="muted small">Copy: Ctrl+Shift+C · Paste: Ctrl+Shift+V</span>
      </div>
      {nodes.map((n) => (
        <TerminalPane
          key={`${n}-${generation}`}
          token={token}
          node={n}
          active={n === active}
          generation={generation}
        />
      ))}
    </div>
  )
}

function TerminalPane(props: { token: string; node: string; active: boolean; generation: number }) {
  const { containerRef, state } = useTerminal(props.token, props.node, props.active, props.generation)
  return (
    <div className="terminal-pane" hidden={!props.active} data-node={props.node} data-status={state.status}>
      {state.status !== 'open' && (
        <div className={`terminal-status ${state.status}`} role="status">
          {STATUS_TEXT[state.status]}
          {state.message ? ` — ${state.message}` : ''}
        </div>
      )}
      <div className="terminal-host" ref={containerRef} />
    </div>
  )
}
