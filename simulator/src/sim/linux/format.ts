// Number, date and time formats shared by the GNU coreutils, file tools and procps tools.

/** coreutils' human_readable with -h: powers of 1024, rounded up, one decimal below 10. */
export function humanCeil(bytes: number, base = 1024): string {
  if (bytes < base) return String(Math.ceil(bytes))
  const units = 'KMGTPEZY'
  let exp = 0
  let v = bytes
  while (v >= base && exp < units.length) {
    v /= base
    exp++
  }
  if (v < 10) {
    const r = Math.ceil(v * 10 - 1e-9) / 10
    if (r < 10) return `${r.toFixed(1)}${units[exp - 1]}`
    v = r
  }
  let r = Math.ceil(v - 1e-9)
  if (r >= base && exp < units.length) {
    exp++
    r = 1
    return `${r.toFixed(1)}${units[exp - 1]}`
  }
  return `${r}${units[exp - 1]}`
}

/** procps' scale_size (free -h): `494Mi`, `9.3Mi`, `0B`; `si` uses powers of 1000 and no `i`. */
export function procpsHuman(bytes: number, si = false): string {
  const base = si ? 1000 : 1024
  if (bytes < base) return `${Math.floor(bytes)}B`
  const units = 'KMGTPE'
  let v = bytes
  for (const u of units) {
    v /= base
    const dec = `${v.toFixed(1)}${u}`
    if (dec.length <= 4) return si ? dec : `${dec}i`
    const int = `${Math.floor(v)}${u}`
    if (int.length <= 4) return si ? int : `${int}i`
  }
  return `${Math.floor(v)}E`
}

export function p2(n: number): string {
  return String(n).padStart(2, '0')
}

/** `09:39:15` in UTC (the simulated node's time zone). */
export function clockTime(at: number): string {
  const d = new Date(at)
  return `${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`
}

/** `2026-12-03 09:27:56`. */
export function isoLocal(at: number): string {
  const d = new Date(at)
  return `${d.getUTCFullYear()}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())} ${clockTime(at)}`
}

/** procps' uptime text after "up ": `11 min`, ` 1:05`, `3 days,  2:14`. */
export function upText(ms: number): string {
  const mins = Math.floor(ms / 60_000)
  const days = Math.floor(mins / 1440)
  const hours = Math.floor((mins % 1440) / 60)
  const m = mins % 60
  let s = ''
  if (days) s += `${days} ${days !== 1 ? 'days' : 'day'}, `
  s += hours ? `${String(hours).padStart(2)}:${p2(m)}` : `${m} min`
  return s
}

/** `uptime -p`: `up 3 days, 2 hours, 14 minutes`. */
export function upPretty(ms: number): string {
  const mins = Math.floor(ms / 60_000)
  const parts: string[] = []
  const weeks = Math.floor(mins / 10_080)
  const days = Math.floor((mins % 10_080) / 1440)
  const hours = Math.floor((mins % 1440) / 60)
  const m = mins % 60
  const add = (n: number, w: string) => {
    if (n) parts.push(`${n} ${w}${n === 1 ? '' : 's'}`)
  }
  add(weeks, 'week')
  add(days, 'day')
  add(hours, 'hour')
  if (m || parts.length === 0) parts.push(`${m} minute${m === 1 ? '' : 's'}`)
  return `up ${parts.join(', ')}`
}

/** Lay out rows in columns: widths from the widest cell, `right` columns right-aligned, no trailing pad. */
export function columns(rows: string[][], right: boolean[], min: number[] = []): string {
  const widths: number[] = []
  for (const r of rows)
    r.forEach((c, i) => {
      widths[i] = Math.max(widths[i] ?? 0, c.length, min[i] ?? 0)
    })
  return rows
    .map((r) =>
      r
        .map((c, i) => {
          const w = widths[i] as number
          if (i === r.length - 1 && !right[i]) return c
          return right[i] ? c.padStart(w) : c.padEnd(w)
        })
        .join(' '),
    )
    .map((l) => `${l}\n`)
    .join('')
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

/** Half of a Gregorian year: ls shows the time of day only for files newer than this. */
const SIX_MONTHS_MS = (31556952 / 2) * 1000

/** ls -l's date column in the C locale, UTC (the node's zone). */
export function lsDate(mtimeMs: number, nowMs: number): string {
  const d = new Date(mtimeMs)
  const month = MONTHS[d.getUTCMonth()]
  const day = String(d.getUTCDate()).padStart(2, ' ')
  const recent = mtimeMs > nowMs - SIX_MONTHS_MS && mtimeMs <= nowMs
  if (recent) {
    const hh = String(d.getUTCHours()).padStart(2, '0')
    const mm = String(d.getUTCMinutes()).padStart(2, '0')
    return `${month} ${day} ${hh}:${mm}`
  }
  return `${month} ${day}  ${d.getUTCFullYear()}`
}

/** `2026-01-12 04:43:00.000000000 +0000`, as stat prints times. */
export function statDate(ms: number): string {
  const d = new Date(ms)
  const p = (n: number, w = 2) => String(n).padStart(w, '0')
  const nanos = `${p(d.getUTCMilliseconds(), 3)}000000`
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}.${nanos} +0000`
}

/** GNU human_readable with powers of 1024 and ceiling rounding, as `ls -h`, `du -h` and `df -h` print sizes. */
export function humanSize(bytes: number): string {
  return humanCeil(bytes)
}
