// Number and date formats the GNU file tools share.

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

/**
 * GNU human_readable with powers of 1024 and ceiling rounding, as `ls -h`,
 * `du -h` and `df -h` print sizes: 1675 → 1.7K, 4096 → 4.0K, 64000000 → 62M.
 */
export function humanSize(bytes: number): string {
  if (bytes < 1024) return String(bytes)
  const units = ['K', 'M', 'G', 'T', 'P', 'E']
  let value = bytes
  let unit = -1
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit++
  }
  if (value < 10) {
    const tenths = Math.ceil(value * 10 - 1e-9)
    if (tenths >= 100) {
      // 9.95K and up rounds to 10K, shown without a decimal.
      return `10${units[unit]}`
    }
    return `${Math.floor(tenths / 10)}.${tenths % 10}${units[unit]}`
  }
  let whole = Math.ceil(value - 1e-9)
  if (whole >= 1024 && unit < units.length - 1) {
    whole = 1
    return `1.0${units[unit + 1]}`
  }
  return `${whole}${units[unit]}`
}
