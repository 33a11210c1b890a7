import { type CommandResult, fail, type SimCommand, type SimCommandContext } from '../commands/types'
import { processes } from '../k8s/commands/system'
import type { Key } from '../shell/keys'
import { memory } from './machine'
import { commOf } from './procs'
import { interactiveTty, isCtrlC, runScreen } from './screen'
import { uptimeLine } from './sysinfo'

// procps-ng top: batch mode (`top -bn1`) prints its summary and the process
// table as text; on a terminal it redraws every 3 s until q or Ctrl-C.

interface Row {
  pid: number
  user: string
  virt: number
  res: number
  shr: number
  state: string
  cpu: number
  mem: number
  time: string
  command: string
}

function rows(ctx: SimCommandContext): Row[] {
  const now = ctx.node.cluster.clock.now()
  const total = memory(ctx.node).total
  return processes(ctx.node)
    .filter((p) => !p.command.startsWith('ps'))
    .map((p, i) => {
      const big = /kube-apiserver|etcd/.test(p.command)
      const k8s = /kube|etcd|containerd/.test(p.command)
      const res = big ? 312_440 : k8s ? 52_000 : 4_096
      const cpu = big ? 4.3 + ((now / 1000 + i) % 3) : k8s ? 0.7 : 0
      const secs = ((now - p.start) / 1000) * (cpu / 100)
      const m = Math.floor(secs / 60)
      const time = `${m}:${(secs % 60).toFixed(2).padStart(5, '0')}`
      return {
        pid: p.pid,
        user: p.user,
        virt: big ? 11_214_524 : k8s ? 1_290_000 : 20_040,
        res,
        shr: Math.floor(res / 3),
        state: 'S',
        cpu,
        mem: (res * 100) / total,
        time,
        command: commOf(p.command),
      }
    })
    .sort((a, b) => b.cpu - a.cpu || a.pid - b.pid)
}

export function topScreen(ctx: SimCommandContext, cols: number, maxRows?: number): string[] {
  const list = rows(ctx)
  const m = memory(ctx.node)
  const mib = (k: number) => (k / 1024).toFixed(1).padStart(8)
  const us = list.reduce((a, r) => a + r.cpu, 0) / 2
  const lines = [
    `top - ${uptimeLine(ctx).trimStart()}`,
    `Tasks: ${String(list.length).padStart(3)} total,   1 running, ${String(list.length - 1).padStart(3)} sleeping,   0 stopped,   0 zombie`,
    `%Cpu(s):${us.toFixed(1).padStart(5)} us,${(us / 3).toFixed(1).padStart(5)} sy,  0.0 ni,${(100 - us - us / 3).toFixed(1).padStart(5)} id,  0.0 wa,  0.0 hi,  0.0 si,  0.0 st `,
    `MiB Mem : ${mib(m.total)} total, ${mib(m.free)} free, ${mib(m.used)} used, ${mib(m.buffCache)} buff/cache     `,
    `MiB Swap: ${mib(0)} total, ${mib(0)} free, ${mib(0)} used. ${mib(m.available)} avail Mem `,
    '',
    '  PID USER      PR  NI    VIRT    RES    SHR S  %CPU  %MEM     TIME+ COMMAND',
  ]
  for (const r of list) {
    if (maxRows !== undefined && lines.length >= maxRows) break
    const head = `${String(r.pid).padStart(5)} ${r.user.slice(0, 8).padEnd(8)}  20   0 ${kib(r.virt, 7)} ${kib(r.res, 6)} ${String(r.shr).padStart(6)} ${r.state} ${r.cpu.toFixed(1).padStart(5)} ${r.mem.toFixed(1).padStart(5)} ${r.time.padStart(9)} `
    const room = Math.max(1, cols - head.length)
    lines.push(head + (r.command.length > room ? `${r.command.slice(0, room - 1)}+` : r.command))
  }
  return lines
}

/** top scales a KiB figure that does not fit its column: 10.7g. */
function kib(v: number, width: number): string {
  const s = String(v)
  if (s.length <= width) return s.padStart(width)
  return `${(v / 1048576).toFixed(1)}g`.padStart(width)
}

const USAGE = `
Usage:
  top -hv | -bcEeHiOSs1 -d secs -n max -u|U user -p pid(s) -o field -w [cols]
`

async function top(ctx: SimCommandContext): Promise<CommandResult> {
  let batch = false
  let iterations: number | undefined
  let delay = 3
  for (let i = 0; i < ctx.args.length; i++) {
    const a = ctx.args[i] as string
    if (!a.startsWith('-')) return fail(`top: unknown option '${a}'\n${USAGE}`, 1)
    for (let j = 1; j < a.length; j++) {
      const c = a[j] as string
      if (c === 'b') batch = true
      else if (c === 'n' || c === 'd') {
        const v = a.slice(j + 1) || ctx.args[++i]
        if (c === 'n') iterations = Number(v)
        else delay = Number(v)
        break
      } else if (c === 'h' || c === 'v') return { stdout: 'procps-ng 4.0.2\n', stderr: '', exitCode: 0 }
      else if ('cEeHiOSs1w'.includes(c)) continue
      else return fail(`top: unknown option '${c}'\n${USAGE}`, 1)
    }
  }
  const tty = interactiveTty(ctx)
  if (batch || !tty) {
    const cols = 80
    const n = Math.min(iterations ?? 1, 100)
    let out = ''
    for (let k = 0; k < n; k++) {
      if (k > 0) await ctx.node.cluster.clock.sleep(delay * 1000, ctx.signal)
      out += `${topScreen(ctx, cols).join('\n')}\n${k < n - 1 ? '\n' : ''}`
    }
    return { stdout: out, stderr: '', exitCode: 0 }
  }
  let left = iterations ?? Number.POSITIVE_INFINITY
  return runScreen(ctx, tty, {
    intervalMs: delay * 1000,
    tick: () => {
      left--
    },
    render: (size) => `\x1b[H\x1b[2J${topScreen(ctx, size.cols, size.rows).join('\r\n')}`,
    keys: (keys: Key[]) => {
      for (const k of keys) if (isCtrlC(k) || (k.type === 'text' && /[qQ]/.test(k.text))) return 0
      return left <= 0 ? 0 : undefined
    },
  })
}

export const topCommands: SimCommand[] = [{ name: 'top', run: top }]
