// What the page needs from "the backend": the ckalab server over HTTP and
// WebSocket (backend/server.ts), or the whole of ckalab inside the page
// (backend/browser/, the static build). Which one is chosen at build time
// (backend/selected.ts, swapped by the static build's Vite config).
// Errors carry a message that says what happened and what to do.

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
import type {
  CheckResult,
  CommandRecord,
  Evidence,
  Report,
  Verdict,
} from '../../../simulator/src/grader/types'

export type { CheckResult, CommandRecord, Evidence, Report, Verdict }

// The attempt as the server shows it; one definition for both sides.
import type { AttemptView, CheckState, GradingView } from '../../../simulator/src/server/attempts'
import type { AttemptState } from '../../../simulator/src/server/store'

export type { AttemptState, AttemptView, CheckState, GradingView }

import type { ProgressMap } from '../../../simulator/src/server/progress'

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

export type Mode = 'practice' | 'exam'

/** One attempt as a file: what "Export" writes and "Import" reads (and `ckalab grade --from-file` grades). */
export interface AttemptFileSummary {
  token: string
  lab: string
}

export interface Backend {
  /** 'server': ckalab serve; 'browser': everything runs in this page (static build). */
  kind: 'server' | 'browser'
  /** How pages are addressed: by path (the server answers every path) or after '#' (any static host). */
  routing: 'path' | 'hash'
  labs(): Promise<LabList>
  health(): Promise<{ ok: boolean; driver: string; command?: string }>
  progress(): Promise<ProgressMap>
  transcript(token: string): Promise<{ screens: SavedScreen[] }>
  lab(id: string): Promise<LabDetail>
  start(lab: string, mode: Mode): Promise<{ token: string; id: string }>
  attempt(token: string): Promise<AttemptView>
  grade(token: string): Promise<Report>
  submit(token: string): Promise<Report>
  reset(token: string): Promise<AttemptView>
  stop(token: string): Promise<AttemptView>
  hint(token: string): Promise<{ hints: string[] }>
  solution(token: string): Promise<{ markdown: string }>
  ticket(token: string, node: string): Promise<{ ticket: string; expiresAt: number }>
  reportUrl(token: string, kind: 'json' | 'xml'): string
  /** Where terminals connect, and the WebSocket to connect with (the browser's own, or one inside the page). */
  terminalSocket(): { url: string; WebSocketImpl?: typeof WebSocket }
  /** Browser edition only: the attempt as a file a teacher can re-grade. */
  exportAttempt?(token: string): Promise<{ name: string; blob: Blob }>
  /** Browser edition only: brings an exported attempt back into this browser. */
  importAttempt?(file: Blob): Promise<AttemptFileSummary>
  /** Browser edition only: removes every attempt and report this browser keeps. */
  deleteAllData?(): Promise<void>
  /** Browser edition only: standing messages for the learner (storage problems, another tab). */
  notices?(): string[]
  onNotices?(listener: (notices: string[]) => void): () => void
  /** Browser edition only: asks the tab that runs the labs to hand them to this one. */
  takeOver?(): void
  /** Browser edition only: what needs a ckalab server, said on the catalogue. */
  serverOnly?: string[]
}
