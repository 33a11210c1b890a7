// Mounts an xterm.js terminal into a container and wires it to a
// TerminalConnection. All socket logic lives here and in ../terminal; the
// component only renders the container and the status line.

import { FitAddon } from '@xterm/addon-fit'
import { Terminal } from '@xterm/xterm'
import { useEffect, useReducer, useRef } from 'react'
import { api } from '../api'
import { getSettings, onSettings, type Settings, terminalTheme } from '../settings'
import { TerminalConnection } from '../terminal/connection'
import { type ConnectionState, connectionReducer, initialConnection } from '../terminal/state'

declare global {
  interface Window {
    /** Live terminals by node name; read by the browser tests (term.buffer). */
    __ckalabTerminals?: Record<string, Terminal>
  }
}

export interface UseTerminal {
  containerRef: React.RefObject<HTMLDivElement | null>
  state: ConnectionState
  focus(): void
}

export function useTerminal(token: string, node: string, active: boolean, generation: number): UseTerminal {
  const containerRef = useRef<HTMLDivElement | null>(null)
  const termRef = useRef<Terminal | null>(null)
  const fitRef = useRef<FitAddon | null>(null)
  const [state, dispatch] = useReducer(connectionReducer, initialConnection)

  // biome-ignore lint/correctness/useExhaustiveDependencies: generation forces a fresh terminal after a reset
  useEffect(() => {
    const el = containerRef.current
    if (!el) return
    const term = new Terminal({ ...terminalOptions(getSettings()), cursorBlink: true, scrollback: 5000 })
    const fit = new FitAddon()
    term.loadAddon(fit)
    term.open(el)
    termRef.current = term
    fitRef.current = fit
    window.__ckalabTerminals = { ...window.__ckalabTerminals, [node]: term }
    safeFit(fit)

    const conn = new TerminalConnection({
      ...api.terminalSocket(),
      getTicket: async () => (await api.ticket(token, node)).ticket,
      size: () => ({ cols: term.cols, rows: term.rows }),
      write: (data, done) => term.write(data, done),
      reset: () => term.reset(),
      onEvent: dispatch,
    })

    // Copy with Ctrl+Shift+C (Ctrl+C stays an interrupt); Ctrl+Shift+V pastes through the browser.
    term.attachCustomKeyEventHandler((ev) => {
      if (ev.type !== 'keydown' || !ev.ctrlKey || !ev.shiftKey) return true
      const key = ev.key.toLowerCase()
      if (key === 'c') {
        const text = term.getSelection()
        if (text) void navigator.clipboard?.writeText(text).catch(() => {})
        ev.preventDefault()
        return false
      }
      if (key === 'v') return false
      return true
    })
    const onData = term.onData((d) => conn.send(d))
    const onResize = term.onResize(({ cols, rows }) => conn.resize(cols, rows))
    const observer = new ResizeObserver(() => safeFit(fit))
    observer.observe(el)
    const offSettings = onSettings((s) => {
      term.options.fontSize = s.fontSize
      term.options.theme = terminalTheme(s.theme)
      safeFit(fit)
    })
    conn.start()
    return () => {
      offSettings()
      observer.disconnect()
      onData.dispose()
      onResize.dispose()
      conn.dispose()
      term.dispose()
      if (window.__ckalabTerminals?.[node] === term) delete window.__ckalabTerminals[node]
      termRef.current = null
    }
  }, [token, node, generation])

  useEffect(() => {
    if (!active) return
    const fit = fitRef.current
    if (fit) safeFit(fit)
    termRef.current?.focus()
  }, [active])

  return { containerRef, state, focus: () => termRef.current?.focus() }
}

function terminalOptions(s: Settings) {
  return {
    fontFamily: 'ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace',
    fontSize: s.fontSize,
    theme: terminalTheme(s.theme),
  }
}

/**
 * A read-only terminal showing a saved screen (a finished attempt's
 * transcript): no connection, no input, fitted to its container.
 */
export function useReadOnlyTerminal(
  hostRef: React.RefObject<HTMLDivElement | null>,
  data: string,
  active: boolean,
): void {
  const fitRef = useRef<FitAddon | null>(null)
  useEffect(() => {
    const el = hostRef.current
    if (!el) return
    const term = new Terminal({ ...terminalOptions(getSettings()), disableStdin: true, scrollback: 5000 })
    const fit = new FitAddon()
    term.loadAddon(fit)
    term.open(el)
    fitRef.current = fit
    safeFit(fit)
    term.write(data)
    const observer = new ResizeObserver(() => safeFit(fit))
    observer.observe(el)
    const offSettings = onSettings((s) => {
      term.options.fontSize = s.fontSize
      term.options.theme = terminalTheme(s.theme)
      safeFit(fit)
    })
    return () => {
      offSettings()
      observer.disconnect()
      term.dispose()
      fitRef.current = null
    }
  }, [hostRef, data])
  useEffect(() => {
    if (active && fitRef.current) safeFit(fitRef.current)
  }, [active])
}

function safeFit(fit: FitAddon): void {
  try {
    // Hidden tabs measure 0×0; fitting them would shrink the remote terminal.
    const dims = fit.proposeDimensions()
    if (dims && dims.cols > 1 && dims.rows > 1) fit.fit()
  } catch {
    /* not attached yet */
  }
}
