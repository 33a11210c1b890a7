import { goJson, type JsonValue } from './format'

// etcd's own log lines in the profile's format: 3.4 as kubeadm runs it uses
// capnslog (`2021-02-10 09:09:57.148101 I | etcdserver: …`), 3.5 and 3.6 zap
// JSON (`{"level":"info","ts":"…Z","caller":"…","msg":"…",…}`).

export type Level = 'info' | 'warn' | 'error' | 'fatal'

export interface LogEvent {
  level: Level
  /** zap caller, e.g. `etcdserver/server.go:2068`. */
  caller: string
  msg: string
  fields?: Record<string, JsonValue>
  /** capnslog package and text for 3.4, e.g. ['etcdserver', 'published …']. */
  capnslog?: [string, string]
}

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0')
}

/** `2006-01-02T15:04:05.000000Z` with microseconds (zap's ISO8601 in etcd 3.5+). */
export function zapTime(ms: number): string {
  const d = new Date(ms)
  const micros = pad(d.getUTCMilliseconds(), 3) + pad(Math.floor((ms * 1000) % 1000), 3)
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${micros}Z`
}

/** `2006-01-02T15:04:05.000Z` (zap production ISO8601 with millis, etcdctl 3.4 client lines). */
export function isoMillis(ms: number): string {
  return new Date(ms).toISOString()
}

function capnsTime(ms: number): string {
  const d = new Date(ms)
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}${pad(Math.floor((ms * 1000) % 1000), 3)}`
}

/** One server log line: capnslog (3.4 as kubeadm runs it) or zap JSON. */
export function formatServerLog(capnslog: boolean, now: number, e: LogEvent): string {
  if (capnslog) {
    const [pkg, text] = e.capnslog ?? ['etcdserver', e.msg]
    const lvl = e.level === 'info' ? 'I' : e.level === 'warn' ? 'W' : e.level === 'error' ? 'E' : 'C'
    return `${capnsTime(now)} ${lvl} | ${pkg}: ${text}`
  }
  return goJson({ level: e.level, ts: zapTime(now), caller: e.caller, msg: e.msg, ...(e.fields ?? {}) })
}
