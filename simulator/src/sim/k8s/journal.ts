// The node's systemd journal, as `journalctl -u <unit>` shows it, and klog's
// line format (the kubelet's and the control plane components' log header).

export interface JournalEntry {
  at: number
  unit: string
  /** syslog identifier and pid, e.g. kubelet[812]. */
  ident: string
  pid: number
  text: string
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']

function p2(n: number): string {
  return String(n).padStart(2, '0')
}

/** `Nov 23 21:50:01`, the short-iso-less default journal timestamp. */
export function syslogTime(at: number): string {
  const d = new Date(at)
  return `${MONTHS[d.getUTCMonth()]} ${p2(d.getUTCDate())} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`
}

/** `Mon 2026-11-23 21:50:01 UTC`, as systemctl status prints times. */
export function systemdTime(at: number): string {
  const d = new Date(at)
  return `${DAYS[d.getUTCDay()]} ${d.getUTCFullYear()}-${p2(d.getUTCMonth() + 1)}-${p2(d.getUTCDate())} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} UTC`
}

/** Micro-seconds that look measured but are deterministic for a given time. */
function micros(at: number): string {
  const ms = at % 1000
  const extra = (at * 7919) % 1000
  return String(ms * 1000 + extra).padStart(6, '0')
}

/** klog header: `I1123 21:50:01.123456     812 file.go:187] `. */
export function klog(
  level: 'I' | 'W' | 'E' | 'F',
  at: number,
  pid: number,
  caller: string,
  msg: string,
): string {
  const d = new Date(at)
  return `${level}${p2(d.getUTCMonth() + 1)}${p2(d.getUTCDate())} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}.${micros(at)} ${String(pid).padStart(7)} ${caller}] ${msg}`
}

/** Go's %q for the simple strings these logs quote. */
export function q(s: string): string {
  return JSON.stringify(s)
}

export class Journal {
  readonly entries: JournalEntry[] = []
  private listeners = new Set<(e: JournalEntry) => void>()

  constructor(
    private hostname: string,
    private limit = 5000,
  ) {}

  add(e: JournalEntry): void {
    this.entries.push(e)
    if (this.entries.length > this.limit) this.entries.splice(0, this.entries.length - this.limit)
    for (const l of this.listeners) l(e)
  }

  onEntry(l: (e: JournalEntry) => void): () => void {
    this.listeners.add(l)
    return () => this.listeners.delete(l)
  }

  format(e: JournalEntry): string {
    return `${syslogTime(e.at)} ${this.hostname} ${e.ident}[${e.pid}]: ${e.text}`
  }

  forUnit(unit: string | undefined): JournalEntry[] {
    return unit ? this.entries.filter((e) => e.unit === unit) : this.entries
  }
}
