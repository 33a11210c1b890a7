// A learner's terminal as the instructor sees it: the learner's screen
// replayed, then live. Read-only until the instructor takes over (the
// learner's page says so); keys typed before that are not sent.

import { Terminal } from '@xterm/xterm'
import { useEffect, useRef, useState } from 'react'
import { getSettings, terminalTheme } from '../settings'
import { TerminalConnection } from '../terminal/connection'
import type { InstructorApi } from './api'

export function MirrorPanel(props: {
  api: InstructorApi
  classId: string
  seatId: string
  name: string
  takeover: boolean
  onClose(): void
}) {
  const { api, classId, seatId } = props
  const host = useRef<HTMLDivElement | null>(null)
  const takeoverRef = useRef(props.takeover)
  takeoverRef.current = props.takeover
  const [status, setStatus] = useState('connecting…')

  useEffect(() => {
    const el = host.current
    if (!el) return
    const s = getSettings()
    const term = new Terminal({
      fontFamily: 'ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace',
      fontSize: Math.min(s.fontSize, 13),
      theme: terminalTheme(s.theme),
      scrollback: 2000,
      cols: 100,
      rows: 24,
    })
    term.open(el)
    window.__ckalabTerminals = { ...window.__ckalabTerminals, mirror: term }
    const conn = new TerminalConnection({
      url: `${window.location.protocol === 'https:' ? 'wss:' : 'ws:'}//${window.location.host}/api/class-mirror`,
      getTicket: async () => (await api.mirrorTicket(classId, seatId, 'controlplane')).ticket,
      size: () => ({ cols: term.cols, rows: term.rows }),
      write: (data, done) => term.write(data, done),
      reset: () => term.reset(),
      onHello: (cols, rows) => term.resize(cols, rows),
      onEvent: (e) => {
        if (e.type === 'opened') setStatus('live')
        else if (e.type === 'dropped') setStatus(`reconnecting: ${e.reason}`)
        else if (e.type === 'fatal') setStatus(e.reason)
      },
    })
    const onData = term.onData((d) => {
      if (takeoverRef.current) conn.send(d)
    })
    conn.start()
    return () => {
      onData.dispose()
      conn.dispose()
      term.dispose()
      if (window.__ckalabTerminals?.mirror === term) delete window.__ckalabTerminals.mirror
    }
  }, [api, classId, seatId])

  return (
    <section className="mirror" aria-label={`${props.name}'s terminal`} data-seat={seatId}>
      <header>
        <strong>{props.name}</strong> · controlplane · <span className="mirror-status">{status}</span>
        <span className="spacer" />
        <label>
          <input
            type="checkbox"
            name="takeover"
            checked={props.takeover}
            onChange={(e) => void api.takeover(classId, seatId, e.target.checked)}
          />{' '}
          Take over (type in {props.name}'s terminal)
        </label>
        <button type="button" onClick={props.onClose}>
          Close
        </button>
      </header>
      <div className={`mirror-term ${props.takeover ? 'takeover' : 'read-only'}`} ref={host} />
    </section>
  )
}
