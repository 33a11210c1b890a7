// Typed calls to the ckalab server's JSON API. Errors carry the server's own
// message (it says what happened and what to do).

export interface LabSummary {
  id: string
  title: string
  difficulty: string
  minutes: number
  tags: string[]
  drivers: string[]
  summary?: string
  runnableHere: boolean
}

export interface LabList {
  driver: { name: string; ok: boolean; reason: string | null }
  /** How the server was started ("npm start", "ckalab serve"), for messages that say how to start it again. */
  command?: string
  labs: LabSummary[]
  errors: { lab: string; message: string }[]
}

export interface LabDetail extends LabSummary {
  taskMarkdown: string
  hintsTotal: number
  examMinutes?: number
}

// The grade report is the grader's type; the server and the page use it as is.
import type { CheckResult, CommandRecord, Evidence, Report, Verdict } from '../../simulator/src/labs/types'

export type { CheckResult, CommandRecord, Evidence, Report, Verdict }

// The attempt as the server shows it; one definition for both sides.
import type { AttemptView, CheckState, GradingView } from '../../simulator/src/server/attempts'
import type { AttemptState } from '../../simulator/src/server/store'

export type { AttemptState, AttemptView, CheckState, GradingView }

import type { ProgressMap } from '../../simulator/src/server/progress'

export type { ProgressMap }

export interface SavedScreen {
  node: string
  cols: number
  rows: number
  data: string
}

/** The command that started the server, once the page knows it. */
let serverCommand = 'npm start'
export function setServerCommand(command: string | undefined): void {
  if (command) serverCommand = command
}
export function getServerCommand(): string {
  return serverCommand
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message)
  }
}

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
      `the ckalab server cannot be reached; is \`${serverCommand}\` still running? Start it again, then reload this page.`,
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

export const api = {
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
}
