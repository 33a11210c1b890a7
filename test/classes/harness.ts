// Helpers for the class suites: a server on the fake driver (startHarness),
// an instructor client holding the key, learners joining by code, the SSE
// streams read as a list of snapshots, and a mirror socket.

import WebSocket from 'ws'
import { encodeHello, encodeInput } from '../../simulator/src/server/protocol'
import { type Harness, startHarness, TermClient, waitFor } from '../protocol/harness'

export { waitFor }

export interface ClassHarness extends Harness {
  key: string
  as(
    key: string | undefined,
    method: string,
    path: string,
    body?: unknown,
    origin?: string,
  ): Promise<{ status: number; body: any }>
  instructor(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }>
  createClass(body?: Record<string, unknown>): Promise<{ id: string; code: string }>
  join(code: string, name: string): Promise<{ seatToken: string; recoveryCode: string; seatId: string }>
  mirror(classId: string, seatId: string, node?: string): Promise<TermClient>
}

export async function startClassHarness(
  opts: Parameters<typeof startHarness>[0] = {},
): Promise<ClassHarness> {
  const h = (await startHarness({ classGradeGapMs: 200, ...opts })) as ClassHarness
  const key = h.server.instructorKey
  if (!key) throw new Error('a fresh data dir must make an instructor key')
  h.key = key
  h.as = async (k, method, path, body, origin) => {
    const headers: Record<string, string> = {}
    if (k) headers.authorization = `Bearer ${k}`
    if (body !== undefined) headers['content-type'] = 'application/json'
    if (origin) headers.origin = origin
    const res = await fetch(h.server.url + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const text = await res.text()
    let parsed: any = text
    try {
      parsed = JSON.parse(text)
    } catch {
      /* not JSON */
    }
    return { status: res.status, body: parsed }
  }
  h.instructor = (method, path, body) => h.as(h.key, method, path, body)
  h.createClass = async (body = {}) => {
    const r = await h.instructor('POST', '/api/classes', {
      name: 'Tuesday etcd',
      labs: ['fake-lab'],
      mode: 'practice',
      durationMin: 30,
      seatCap: 5,
      ...body,
    })
    if (r.status !== 201) throw new Error(`create failed: ${r.status} ${JSON.stringify(r.body)}`)
    return r.body
  }
  h.join = async (code, name) => {
    const r = await h.api('POST', '/api/join', { code, name })
    if (r.status !== 201) throw new Error(`join failed: ${r.status} ${JSON.stringify(r.body)}`)
    return r.body
  }
  h.mirror = async (classId, seatId, node = 'controlplane') => {
    const r = await h.instructor('POST', `/api/classes/${classId}/seats/${seatId}/terminals/${node}/ticket`)
    if (r.status !== 200) throw new Error(`mirror ticket failed: ${r.status} ${JSON.stringify(r.body)}`)
    const ws = new WebSocket(`${h.server.url.replace(/^http/, 'ws')}/api/class-mirror`, {
      headers: { origin: h.origin },
    })
    const client = await new Promise<TermClient>((resolve, reject) => {
      ws.once('open', () => resolve(TermClient.wrap(ws)))
      ws.once('error', reject)
    })
    client.send(encodeHello(80, 24, r.body.ticket))
    return client
  }
  return h
}

/** Reads a server-sent-event stream into `snapshots` until `stop()`. */
export function readStream(url: string, headers: Record<string, string> = {}) {
  const snapshots: any[] = []
  const abort = new AbortController()
  const done = (async () => {
    const res = await fetch(url, { headers, signal: abort.signal })
    if (!res.ok || !res.body) throw new Error(`stream refused: ${res.status}`)
    const reader = res.body.getReader()
    const dec = new TextDecoder()
    let buf = ''
    for (;;) {
      const { value, done } = await reader.read()
      if (done) return
      buf += dec.decode(value, { stream: true })
      let at = buf.indexOf('\n\n')
      while (at >= 0) {
        const block = buf.slice(0, at)
        buf = buf.slice(at + 2)
        const data = block
          .split('\n')
          .filter((l) => l.startsWith('data: '))
          .map((l) => l.slice(6))
          .join('\n')
        if (data) snapshots.push(JSON.parse(data))
        at = buf.indexOf('\n\n')
      }
    }
  })().catch((err) => {
    if ((err as Error).name !== 'AbortError') throw err
  })
  return {
    snapshots,
    latest: () => snapshots.at(-1),
    stop: async () => {
      abort.abort()
      await done.catch(() => {})
    },
  }
}

export { encodeInput }
