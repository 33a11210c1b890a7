// The class API as the instructor's and the learners' pages call it. The
// instructor key travels in the Authorization header (never in a URL); the
// live board and the seat page read server-sent events over fetch.

import type { KindCapacity } from '../../../simulator/src/server/classes/capacity'
import type { Board, ClassView, SeatView } from '../../../simulator/src/server/classes/classes'
import type { Report } from '../api'

export type { BoardRow } from '../../../simulator/src/server/classes/classes'

/** How many learner clusters fit (kind only; null on the simulator), and a warning for too many seats. */
export interface CapacityAnswer {
  driver: string
  capacity: KindCapacity | null
  warning?: string
}
export type { Board, ClassView, SeatView }

export class ClassApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message)
  }
}

const KEY_STORE = 'ckalab.instructorKey'

/** The key from the page's #key=… (then removed from the address bar), or the one kept for this tab. */
export function instructorKey(): string | null {
  const m = /(?:^#|&)key=([A-Za-z0-9_-]+)/.exec(window.location.hash)
  if (m) {
    sessionStorage.setItem(KEY_STORE, m[1])
    history.replaceState(null, '', window.location.pathname)
  }
  return sessionStorage.getItem(KEY_STORE)
}

export function forgetInstructorKey(): void {
  sessionStorage.removeItem(KEY_STORE)
}

async function call<T>(method: string, path: string, body?: unknown, key?: string | null): Promise<T> {
  const headers: Record<string, string> = {}
  if (key) headers.authorization = `Bearer ${key}`
  if (body !== undefined) headers['content-type'] = 'application/json'
  let res: Response
  try {
    res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
  } catch {
    throw new ClassApiError(0, 'the ckalab server cannot be reached; check the network, then try again')
  }
  const text = await res.text()
  let data: unknown
  try {
    data = text ? JSON.parse(text) : undefined
  } catch {
    data = undefined
  }
  if (!res.ok)
    throw new ClassApiError(
      res.status,
      (data as { error?: string })?.error ?? `${method} ${path} failed (${res.status})`,
    )
  return data as T
}

const c = (id: string) => `/api/classes/${encodeURIComponent(id)}`
const s = (classId: string, seatId: string) => `${c(classId)}/seats/${encodeURIComponent(seatId)}`

export function instructorApi(key: string) {
  return {
    check: () => call<{ ok: boolean }>('GET', '/api/instructor', undefined, key),
    list: () => call<{ classes: ClassView[] }>('GET', '/api/classes', undefined, key),
    create: (body: Record<string, unknown>) => call<ClassView>('POST', '/api/classes', body, key),
    board: (id: string) => call<Board>('GET', c(id), undefined, key),
    capacity: (lab: string, seats: number) =>
      call<CapacityAnswer>(
        'GET',
        `/api/classes/capacity?lab=${encodeURIComponent(lab)}&seats=${Math.max(0, Math.floor(seats))}`,
        undefined,
        key,
      ),
    start: (id: string) => call<ClassView>('POST', `${c(id)}/start`, {}, key),
    end: (id: string) => call<ClassView>('POST', `${c(id)}/end`, {}, key),
    joining: (id: string, open: boolean) => call<ClassView>('POST', `${c(id)}/joining`, { open }, key),
    broadcast: (id: string, text: string) => call('POST', `${c(id)}/broadcast`, { text }, key),
    reset: (id: string, seat: string) => call('POST', `${s(id, seat)}/reset`, {}, key),
    extend: (id: string, seat: string, minutes: number) =>
      call('POST', `${s(id, seat)}/extend`, { minutes }, key),
    message: (id: string, seat: string, text: string) =>
      call('POST', `${s(id, seat)}/message`, { text }, key),
    endSeat: (id: string, seat: string) => call('POST', `${s(id, seat)}/end`, {}, key),
    takeover: (id: string, seat: string, on: boolean) => call('POST', `${s(id, seat)}/takeover`, { on }, key),
    reports: (id: string, seat: string) =>
      call<{ reports: { lab: string; final: boolean; report: Report | null }[] }>(
        'GET',
        `${s(id, seat)}/report`,
        undefined,
        key,
      ),
    mirrorTicket: (id: string, seat: string, node: string) =>
      call<{ ticket: string }>(
        'POST',
        `${s(id, seat)}/terminals/${encodeURIComponent(node)}/ticket`,
        {},
        key,
      ),
    /** Downloads an export through fetch (the key cannot ride on a plain link). */
    async download(id: string, format: 'csv' | 'json' | 'xml'): Promise<void> {
      const res = await fetch(`${c(id)}/export.${format}`, { headers: { authorization: `Bearer ${key}` } })
      if (!res.ok) throw new ClassApiError(res.status, `the export failed (${res.status})`)
      const name =
        /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? `class.${format}`
      const url = URL.createObjectURL(await res.blob())
      const a = document.createElement('a')
      a.href = url
      a.download = name
      a.click()
      setTimeout(() => URL.revokeObjectURL(url), 10_000)
    },
  }
}

export type InstructorApi = ReturnType<typeof instructorApi>

export const seatApi = {
  join: (code: string, name: string) =>
    call<{ seatToken: string; recoveryCode: string; seatId: string }>('POST', '/api/join', { code, name }),
  recover: (recoveryCode: string) =>
    call<{ seatToken: string }>('POST', '/api/join/recover', { recoveryCode }),
  mine: () => call<{ seatToken: string | null }>('GET', '/api/seat'),
  view: (token: string) => call<SeatView>('GET', `/api/seats/${encodeURIComponent(token)}`),
  help: (token: string, on: boolean) =>
    call<SeatView>('POST', `/api/seats/${encodeURIComponent(token)}/help`, { on }),
  next: (token: string) => call<SeatView>('POST', `/api/seats/${encodeURIComponent(token)}/next`),
}

/**
 * Reads a server-sent-event stream and hands each snapshot to `onData`;
 * reconnects after a drop (with a pause) until `signal` aborts.
 */
export function followEvents<T>(
  path: string,
  headers: Record<string, string>,
  onData: (data: T) => void,
  onError: (message: string | null) => void,
  signal: AbortSignal,
): void {
  const run = async () => {
    while (!signal.aborted) {
      try {
        const res = await fetch(path, { headers, signal })
        if (!res.ok || !res.body) {
          const body = await res.json().catch(() => ({}))
          onError((body as { error?: string }).error ?? `the live updates were refused (${res.status})`)
          if (res.status >= 400 && res.status < 500) return
        } else {
          onError(null)
          const reader = res.body.getReader()
          const dec = new TextDecoder()
          let buf = ''
          for (;;) {
            const { value, done } = await reader.read()
            if (done) break
            buf += dec.decode(value, { stream: true })
            for (let at = buf.indexOf('\n\n'); at >= 0; at = buf.indexOf('\n\n')) {
              const block = buf.slice(0, at)
              buf = buf.slice(at + 2)
              const data = block
                .split('\n')
                .filter((l) => l.startsWith('data: '))
                .map((l) => l.slice(6))
                .join('\n')
              if (data) onData(JSON.parse(data) as T)
            }
          }
        }
      } catch {
        if (signal.aborted) return
      }
      if (signal.aborted) return
      onError('live updates were interrupted; reconnecting…')
      await new Promise((r) => setTimeout(r, 2000))
    }
  }
  void run()
}
