// The ckalab server as the backend: typed calls to its JSON API and its
// terminal WebSocket. Errors carry the server's own message.

import { terminalUrl } from '../terminal/connection'
import {
  ApiError,
  type AttemptView,
  type Backend,
  getServerCommand,
  type LabDetail,
  type LabList,
  type ProgressMap,
  type Report,
  type SavedScreen,
  setServerCommand,
} from './types'

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  let res: Response
  try {
    res = await fetch(path, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
  } catch {
    throw new ApiError(
      0,
      `the ckalab server cannot be reached; is \`${getServerCommand()}\` still running? Start it again, then reload this page.`,
    )
  }
  const text = await res.text()
  let data: unknown
  try {
    data = text ? JSON.parse(text) : undefined
  } catch {
    data = undefined
  }
  if (!res.ok) {
    const message =
      (data as { error?: string } | undefined)?.error ?? `${method} ${path} failed with ${res.status}`
    throw new ApiError(res.status, message)
  }
  return data as T
}

const a = (token: string) => `/api/attempts/${encodeURIComponent(token)}`

export const serverBackend: Backend = {
  kind: 'server',
  routing: 'path',
  labs: async () => {
    const list = await call<LabList>('GET', '/api/labs')
    setServerCommand(list.command)
    return list
  },
  health: () => call<{ ok: boolean; driver: string; command?: string }>('GET', '/api/health'),
  progress: () => call<ProgressMap>('GET', '/api/progress'),
  transcript: (token: string) => call<{ screens: SavedScreen[] }>('GET', `${a(token)}/transcript`),
  lab: (id: string) => call<LabDetail>('GET', `/api/labs/${encodeURIComponent(id)}`),
  start: (lab: string, mode: 'practice' | 'exam') =>
    call<{ token: string; id: string }>('POST', '/api/attempts', { lab, mode }),
  attempt: (token: string) => call<AttemptView>('GET', a(token)),
  grade: (token: string) => call<Report>('POST', `${a(token)}/grade`),
  submit: (token: string) => call<Report>('POST', `${a(token)}/submit`),
  reset: (token: string) => call<AttemptView>('POST', `${a(token)}/reset`),
  stop: (token: string) => call<AttemptView>('POST', `${a(token)}/stop`),
  hint: (token: string) => call<{ hints: string[] }>('POST', `${a(token)}/hint`),
  solution: (token: string) => call<{ markdown: string }>('POST', `${a(token)}/solution`),
  ticket: (token: string, node: string) =>
    call<{ ticket: string; expiresAt: number }>(
      'POST',
      `${a(token)}/terminals/${encodeURIComponent(node)}/ticket`,
    ),
  reportUrl: (token: string, kind: 'json' | 'xml') => `${a(token)}/report.${kind}`,
  terminalSocket: () => ({ url: terminalUrl(window.location) }),
}
