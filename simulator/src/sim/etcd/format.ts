// Output helpers shared by etcdctl and etcdutl: go-humanize sizes, Go
// durations, the tablewriter look, and JSON with uint64 numbers that a JS
// number would round.
import { bytesToBase64 } from '../base64'

/** go-humanize Bytes (SI): `9 B`, `5.8 MB`, `20 kB`. */
export function humanBytes(n: number): string {
  if (n < 10) return `${n} B`
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB']
  const e = Math.floor(Math.log(n) / Math.log(1000))
  const unit = units[e] ?? 'EB'
  const val = Math.floor((n / 1000 ** e) * 10 + 0.5) / 10
  return val < 10 ? `${val.toFixed(1)} ${unit}` : `${roundHalfEven(val)} ${unit}`
}

/** Go's %.0f: halves go to the even neighbour. */
function roundHalfEven(v: number): number {
  const f = Math.floor(v)
  const diff = v - f
  if (Math.abs(diff - 0.5) < 1e-9) return f % 2 === 0 ? f : f + 1
  return Math.round(v)
}

/** Go's time.Duration String() for a value in milliseconds (sub-ms precision kept). */
export function goDuration(ms: number): string {
  if (ms === 0) return '0s'
  const ns = Math.round(ms * 1e6)
  if (ns < 1000) return `${ns}ns`
  if (ns < 1e6) return `${trimZeros((ns / 1e3).toFixed(3))}µs`
  if (ns < 1e9) return `${trimZeros((ns / 1e6).toFixed(6))}ms`
  const totalS = ns / 1e9
  if (totalS < 60) return `${trimZeros(totalS.toFixed(9))}s`
  const m = Math.floor(totalS / 60)
  const s = totalS - m * 60
  if (m < 60) return `${m}m${trimZeros(s.toFixed(9))}s`
  return `${Math.floor(m / 60)}h${m % 60}m${trimZeros(s.toFixed(9))}s`
}

function trimZeros(s: string): string {
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s
}

/** olekukonko/tablewriter as etcdctl configures it: centred upper-case header, right-aligned cells. */
export function renderTable(header: string[], rows: string[][]): string {
  const head = header.map((h) => h.toUpperCase().replace(/[_.]/g, ' '))
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const line = `+${widths.map((w) => '-'.repeat(w + 2)).join('+')}+\n`
  const centre = (text: string, w: number) => {
    const pad = w - text.length
    const left = Math.floor(pad / 2)
    return ' '.repeat(left) + text + ' '.repeat(pad - left)
  }
  let out = line
  out += `|${head.map((h, i) => ` ${centre(h, widths[i] ?? 0)} `).join('|')}|\n`
  out += line
  for (const r of rows) out += `|${widths.map((w, i) => ` ${(r[i] ?? '').padStart(w)} `).join('|')}|\n`
  if (rows.length > 0) out += line
  return out
}

/** A JSON value whose text is written as is (uint64 numbers held as bigint). */
export type JsonValue =
  | string
  | number
  | bigint
  | boolean
  | null
  | JsonValue[]
  | { [k: string]: JsonValue | undefined }

/** Go's encoding/json: compact, no spaces, `<`/`>`/`&` escaped. */
export function goJson(v: JsonValue | undefined): string {
  if (v === undefined || v === null) return 'null'
  if (typeof v === 'bigint') return v.toString()
  if (typeof v === 'number' || typeof v === 'boolean') return String(v)
  if (typeof v === 'string')
    return JSON.stringify(v)
      .replace(/</g, '\\u003c')
      .replace(/>/g, '\\u003e')
      .replace(/&/g, '\\u0026')
      .replace(/\u2028/g, '\\u2028')
      .replace(/\u2029/g, '\\u2029')
  if (Array.isArray(v)) return `[${v.map((x) => goJson(x)).join(',')}]`
  const parts: string[] = []
  for (const [k, x] of Object.entries(v)) if (x !== undefined) parts.push(`${JSON.stringify(k)}:${goJson(x)}`)
  return `{${parts.join(',')}}`
}

const b64enc = new TextEncoder()
/** Base64 of a string's UTF-8 bytes (protobuf `bytes` fields in JSON). */
export function base64Of(text: string): string {
  return bytesToBase64(b64enc.encode(text))
}

export function utf8Length(text: string): number {
  return b64enc.encode(text).length
}
