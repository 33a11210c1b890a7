import { useState } from 'react'
import { useTabs } from '../hooks/useTabs'
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
  const tabs = useTabs('terminal', nodes, active, setActive)
  return (
    <div className="terminal-tabs">
      <div className="tabs" role="tablist" aria-label="Terminals on the lab's nodes">
        {nodes.map((n) => (
          <button key={n} className={n === active ? 'tab active' : 'tab'} {...tabs.tabProps(n)}>
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
          panel={tabs.panelProps(n)}
        />
      ))}
    </div>
  )
}

function TerminalPane(props: {
  token: string
  node: string
  active: boolean
  generation: number
  panel: { id: string; role: 'tabpanel'; 'aria-labelledby': string }
}) {
  const { containerRef, state } = useTerminal(props.token, props.node, props.active, props.generation)
  const queued = state.queuedBytes > 0 && state.status !== 'open'
  return (
    <div
      className="terminal-pane"
      hidden={!props.active}
      data-node={props.node}
      data-status={state.status}
      {...props.panel}
    >
      {(state.status !== 'open' || state.refused) && (
        <div className={`terminal-status ${state.status}`} role="status">
          {state.status !== 'open' && STATUS_TEXT[state.status]}
          {state.status !== 'open' && state.message ? ` — ${state.message}` : ''}
          {queued && (
            <span className="queued" data-queued={state.queuedBytes}>
              {' '}
              · what you type is kept and sent when the terminal is back
            </span>
          )}
          {state.refused && <span className="refused"> {state.refused}</span>}
        </div>
      )}
      <div className="terminal-host" ref={containerRef} />
    </div>
  )
}
