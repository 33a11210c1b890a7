// The terminal connection's state as a pure reducer, so the UI (the
// "reconnecting…" banner, the tab's dot) and the retry policy are testable
// without a browser.

export type ConnectionStatus = 'connecting' | 'open' | 'reconnecting' | 'exited' | 'closed'

export interface ConnectionState {
  status: ConnectionStatus
  /** Consecutive failed attempts; drives the backoff. */
  failures: number
  /** What the person sees under the terminal when it is not open. */
  message: string | null
  exitCode: number | null
  /** Bytes typed while disconnected, sent when the connection is back. */
  queuedBytes: number
  /** Why the last input was not sent (shown until the connection opens). */
  refused: string | null
}

export type ConnectionEvent =
  | { type: 'connect' }
  | { type: 'opened' }
  | { type: 'dropped'; reason: string }
  | { type: 'exited'; code: number }
  | { type: 'fatal'; reason: string }
  | { type: 'queued'; bytes: number }
  | { type: 'refused'; bytes: number; reason: string }

export const initialConnection: ConnectionState = {
  status: 'connecting',
  failures: 0,
  message: null,
  exitCode: null,
  queuedBytes: 0,
  refused: null,
}

export function connectionReducer(state: ConnectionState, event: ConnectionEvent): ConnectionState {
  switch (event.type) {
    case 'connect':
      if (state.status === 'closed') return state
      return { ...state, status: state.failures > 0 ? 'reconnecting' : 'connecting' }
    case 'opened':
      return { status: 'open', failures: 0, message: null, exitCode: null, queuedBytes: 0, refused: null }
    case 'dropped':
      if (state.status === 'closed') return state
      return { ...state, status: 'reconnecting', failures: state.failures + 1, message: event.reason }
    case 'exited':
      return {
        ...state,
        status: 'exited',
        exitCode: event.code,
        message: 'The shell ended. Press any key for a new one.',
      }
    case 'fatal':
      return { ...state, status: 'closed', message: event.reason, queuedBytes: 0 }
    case 'queued':
      return { ...state, queuedBytes: event.bytes }
    case 'refused':
      return { ...state, refused: `${event.bytes} typed byte(s) were not sent: ${event.reason}` }
  }
}

/** Delay before the next try: quick at first, then up to 5 s, with jitter so tabs do not stampede. */
export function backoffMs(failures: number, random: () => number = Math.random): number {
  if (failures <= 0) return 0
  const base = Math.min(5000, 200 * 2 ** (failures - 1))
  return Math.round(base * (0.75 + random() * 0.5))
}

/** Ticket failures worth retrying (the lab may be restarting) vs ones that will not change. */
export function isRetryableStatus(status: number): boolean {
  return status === 0 || status === 409 || status === 429 || status >= 500
}
