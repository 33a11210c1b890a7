import type { Profile } from '../profiles'
import { goJson, type JsonValue } from './format'
import { isoMillis, zapTime } from './log'

// The log lines etcdctl and etcdutl themselves print (zap), per version:
// 3.4 mixes float-second `ts` (snapshot manager) and ISO `ts` (clientv3);
// 3.5+ use ISO with microseconds and tag client lines with "logger":"client".

export class ClientLog {
  private tick = 0
  constructor(
    private profile: Profile,
    private now: () => number,
  ) {}

  /** A strictly increasing time so successive lines differ like real ones. */
  private t(): number {
    this.tick += 0.137
    return this.now() + this.tick
  }

  /** 3.4 snapshot manager style: `"ts":1592547629.6369183`. */
  floatTs(): string {
    const s = this.t() / 1000
    return s.toFixed(7).replace(/0+$/, '')
  }

  line(
    level: string,
    caller: string,
    msg: string,
    fields: Record<string, JsonValue> = {},
    opts: { floatTs?: boolean; logger?: string } = {},
  ): string {
    const ts = this.profile.etcd.etcdctl.client.oldBalancer
      ? opts.floatTs
        ? this.floatTs()
        : JSON.stringify(isoMillis(this.t()))
      : JSON.stringify(zapTime(this.t()))
    const head = `{"level":${JSON.stringify(level)},"ts":${ts}${opts.logger ? `,"logger":${JSON.stringify(opts.logger)}` : ''},"caller":${JSON.stringify(caller)},"msg":${JSON.stringify(msg)}`
    const rest = goJson(fields as JsonValue)
    return rest === '{}' ? `${head}}` : `${head},${rest.slice(1)}`
  }

  /** etcdutl's console encoder: `RFC3339<TAB>info<TAB>caller<TAB>msg<TAB>{"k": v, …}`. */
  console(level: string, caller: string, msg: string, fields: Record<string, JsonValue> = {}): string {
    const ts = new Date(this.t()).toISOString().replace(/\.\d{3}Z$/, 'Z')
    const parts = Object.entries(fields).map(
      ([k, v]) => `${JSON.stringify(k)}: ${goJson(v).replace(/","/g, '", "')}`,
    )
    return `${ts}\t${level}\t${caller}\t${msg}${parts.length ? `\t{${parts.join(', ')}}` : ''}`
  }

  /** capnslog for pkg/flags in 3.4: `2026-11-23 21:44:32.425694 W | pkg/flags: …`. */
  capnslog(level: 'W' | 'C' | 'I', pkg: string, text: string): string {
    const ms = this.t()
    const d = new Date(ms)
    const p = (n: number, w = 2) => String(n).padStart(w, '0')
    const micros = p(d.getUTCMilliseconds(), 3) + p(Math.floor((ms * 1000) % 1000), 3)
    return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}.${micros} ${level} | ${pkg}: ${text}`
  }
}
