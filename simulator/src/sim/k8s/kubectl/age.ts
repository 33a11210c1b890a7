// Ages and times as kubectl prints them (apimachinery's duration.HumanDuration
// and Go's RFC1123Z layout), computed from the simulated clock.

export function humanDuration(ms: number): string {
  const seconds = Math.trunc(ms / 1000)
  if (seconds < -1) return '<invalid>'
  if (seconds < 0) return '0s'
  if (seconds < 120) return `${seconds}s`
  const minutes = Math.trunc(seconds / 60)
  if (minutes < 10) {
    const s = seconds % 60
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`
  }
  if (minutes < 180) return `${minutes}m`
  const hours = Math.trunc(minutes / 60)
  if (hours < 8) {
    const m = minutes % 60
    return m === 0 ? `${hours}h` : `${hours}h${m}m`
  }
  if (hours < 48) return `${hours}h`
  if (hours < 24 * 8) {
    const h = hours % 24
    return h === 0 ? `${Math.trunc(hours / 24)}d` : `${Math.trunc(hours / 24)}d${h}h`
  }
  if (hours < 24 * 365 * 2) return `${Math.trunc(hours / 24)}d`
  if (hours < 24 * 365 * 8) {
    const dy = Math.trunc(hours / 24) % 365
    const y = Math.trunc(hours / 24 / 365)
    return dy === 0 ? `${y}y` : `${y}y${dy}d`
  }
  return `${Math.trunc(hours / 24 / 365)}y`
}

/** AGE column: `<unknown>` when the timestamp is missing, as kubectl does. */
export function age(timestamp: string | undefined, now: number): string {
  if (!timestamp) return '<unknown>'
  const t = Date.parse(timestamp)
  if (Number.isNaN(t)) return '<unknown>'
  return humanDuration(now - t)
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const pad = (n: number) => String(n).padStart(2, '0')

/** Go's time.RFC1123Z in UTC, e.g. `Mon, 23 Nov 2026 21:00:00 +0000` (describe's time format). */
export function rfc1123z(timestamp: string | number): string {
  const d = new Date(timestamp)
  if (Number.isNaN(d.getTime())) return String(timestamp)
  return `${DAYS[d.getUTCDay()]}, ${pad(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`
}

/** RFC 3339 with seconds, as the apiserver stores creationTimestamp. */
export function rfc3339(ms: number): string {
  return new Date(Math.trunc(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z')
}
