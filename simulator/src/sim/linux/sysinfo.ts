import {
  type CommandResult,
  fail,
  ok,
  resolvePath,
  type SimCommand,
  type SimCommandContext,
} from '../commands/types'
import { clockTime, columns, humanCeil, isoLocal, procpsHuman, upPretty, upText } from './format'
import { getopt } from './getopt'
import { bootTime, KERNEL, loadAverage, memory, mounts } from './machine'

// uname, uptime, df and free: what a learner types first on a new node.

const TRY = (prog: string) => `Try '${prog} --help' for more information.\n`

async function uname(ctx: SimCommandContext): Promise<CommandResult> {
  const r = getopt('uname', ctx.args, {
    flags: 'asnrvmpio',
    long: {
      all: { key: 'a' },
      'kernel-name': { key: 's' },
      nodename: { key: 'n' },
      'kernel-release': { key: 'r' },
      'kernel-version': { key: 'v' },
      machine: { key: 'm' },
      processor: { key: 'p' },
      'hardware-platform': { key: 'i' },
      'operating-system': { key: 'o' },
      version: { key: 'V' },
    },
  })
  if (!r.ok) return fail(`${r.error}\n${TRY('uname')}`)
  const { opts, operands } = r.parsed
  if (operands.length) return fail(`uname: extra operand ‘${operands[0]}’\n${TRY('uname')}`)
  if (opts.has('V')) return ok('uname (GNU coreutils) 9.1\n')
  const all = opts.has('a')
  const fields: string[] = []
  const want = (k: string) => all || opts.has(k)
  const none = opts.size === 0
  if (want('s') || none) fields.push('Linux')
  if (want('n')) fields.push(ctx.node.name)
  if (want('r')) fields.push(KERNEL.release)
  if (want('v')) fields.push(KERNEL.version)
  if (want('m')) fields.push(KERNEL.machine)
  // -a leaves out -p and -i when they are "unknown"; asked for, they print it.
  if (!all && opts.has('p')) fields.push('unknown')
  if (!all && opts.has('i')) fields.push('unknown')
  if (want('o')) fields.push('GNU/Linux')
  return ok(`${fields.join(' ')}\n`)
}

const UPTIME_USAGE = `
Usage:
 uptime [options]

Options:
 -p, --pretty   show uptime in pretty format
 -h, --help     display this help and exit
 -s, --since    system up since
 -V, --version  output version information and exit

For more details see uptime(1).
`

export function uptimeLine(ctx: Pick<SimCommandContext, 'node'>): string {
  const now = ctx.node.cluster.clock.now()
  const [a, b, c] = loadAverage(ctx.node)
  return ` ${clockTime(now)} up ${upText(now - bootTime(ctx.node))},  1 user,  load average: ${a.toFixed(2)}, ${b.toFixed(2)}, ${c.toFixed(2)}`
}

async function uptime(ctx: SimCommandContext): Promise<CommandResult> {
  const r = getopt('uptime', ctx.args, {
    flags: 'phsV',
    long: { pretty: { key: 'p' }, help: { key: 'h' }, since: { key: 's' }, version: { key: 'V' } },
  })
  if (!r.ok) return fail(`${r.error}\n${UPTIME_USAGE}`)
  const { opts, operands } = r.parsed
  if (operands.length) return fail(UPTIME_USAGE)
  if (opts.has('h')) return ok(UPTIME_USAGE)
  if (opts.has('V')) return ok('uptime from procps-ng 4.0.2\n')
  const now = ctx.node.cluster.clock.now()
  if (opts.has('s')) return ok(`${isoLocal(bootTime(ctx.node))}\n`)
  if (opts.has('p')) return ok(`${upPretty(now - bootTime(ctx.node))}\n`)
  return ok(`${uptimeLine(ctx)}\n`)
}

async function df(ctx: SimCommandContext): Promise<CommandResult> {
  const r = getopt('df', ctx.args, {
    flags: 'ahHiklPTx',
    values: 't',
    long: {
      all: { key: 'a' },
      'human-readable': { key: 'h' },
      si: { key: 'H' },
      inodes: { key: 'i' },
      local: { key: 'l' },
      portability: { key: 'P' },
      'print-type': { key: 'T' },
      type: { key: 't', value: true },
      total: { key: 'total' },
      help: { key: 'help' },
      version: { key: 'version' },
    },
  })
  if (!r.ok) return fail(`${r.error}\n${TRY('df')}`)
  const { opts, operands } = r.parsed
  if (opts.has('version')) return ok('df (GNU coreutils) 9.1\n')
  const human = opts.has('h') || opts.has('H')
  const base = opts.has('H') ? 1000 : 1024
  const inodes = opts.has('i')
  const showType = opts.has('T')
  let list = await mounts(ctx.node)
  let err = ''
  if (operands.length) {
    const chosen: typeof list = []
    for (const op of operands) {
      const path = resolvePath(ctx, op)
      if (!(await ctx.fs.exists(path))) {
        err += `df: ${op}: No such file or directory\n`
        continue
      }
      // The mount with the longest target that contains the path.
      const m = list
        .filter((x) => path === x.target || path.startsWith(x.target === '/' ? '/' : `${x.target}/`))
        .sort((a, b) => b.target.length - a.target.length)[0]
      if (m) chosen.push(m)
    }
    list = chosen
    if (list.length === 0) return fail(err)
  }
  const t = opts.get('t')
  if (typeof t === 'string') list = list.filter((m) => m.type === t)
  if (list.length === 0) return fail(`${err}df: no file systems processed\n`)
  const head = ['Filesystem']
  if (showType) head.push('Type')
  if (inodes) head.push('Inodes', 'IUsed', 'IFree', 'IUse%')
  else head.push(human ? 'Size' : '1K-blocks', 'Used', human ? 'Avail' : 'Available', 'Use%')
  head.push('Mounted on')
  const num = (kib: number, count = false) =>
    human ? (kib === 0 ? '0' : humanCeil(count ? kib : kib * 1024, base)) : String(kib)
  const pct = (used: number, avail: number) =>
    used + avail === 0 ? '-' : `${Math.ceil((used * 100) / (used + avail))}%`
  const rows = [head]
  for (const m of list) {
    const row = [m.source]
    if (showType) row.push(m.type)
    if (inodes) {
      if (m.inodes === 0) row.push('0', '0', '0', '-')
      else
        row.push(
          num(m.inodes, true),
          num(m.iused, true),
          num(m.inodes - m.iused, true),
          pct(m.iused, m.inodes - m.iused),
        )
    } else row.push(num(m.size), num(m.used), num(m.avail), pct(m.used, m.avail))
    row.push(m.target)
    rows.push(row)
  }
  const n = head.length
  const right = head.map((_, i) => i > (showType ? 1 : 0) && i < n - 1)
  const min = [14, ...(showType ? [4] : []), 5, 5, 5, 4, 0]
  const out = columns(rows, right, min)
  return { stdout: out, stderr: err, exitCode: err ? 1 : 0 }
}

const FREE_USAGE = `
Usage:
 free [options]

Options:
 -b, --bytes         show output in bytes
     --kilo          show output in kilobytes
     --mega          show output in megabytes
     --giga          show output in gigabytes
     --tera          show output in terabytes
     --peta          show output in petabytes
 -k, --kibi          show output in kibibytes
 -m, --mebi          show output in mebibytes
 -g, --gibi          show output in gibibytes
     --tebi          show output in tebibytes
     --pebi          show output in pebibytes
 -h, --human         show human-readable output
     --si            use powers of 1000 not 1024
 -l, --lohi          show detailed low and high memory statistics
 -t, --total         show total for RAM + swap
 -v, --committed     show committed memory and commit limit
 -s N, --seconds N   repeat printing every N seconds
 -c N, --count N     repeat printing N times, then exit
 -w, --wide          wide output

     --help     display this help and exit
 -V, --version  output version information and exit

For more details see free(1).
`

async function free(ctx: SimCommandContext): Promise<CommandResult> {
  const r = getopt('free', ctx.args, {
    flags: 'bkmghltvwV',
    values: 'sc',
    long: {
      bytes: { key: 'b' },
      kibi: { key: 'k' },
      mebi: { key: 'm' },
      gibi: { key: 'g' },
      human: { key: 'h' },
      si: { key: 'si' },
      total: { key: 't' },
      wide: { key: 'w' },
      help: { key: 'help' },
      version: { key: 'V' },
      seconds: { key: 's', value: true },
      count: { key: 'c', value: true },
    },
  })
  if (!r.ok) return fail(`${r.error}\n${FREE_USAGE}`)
  const { opts, order } = r.parsed
  if (opts.has('help')) return ok(FREE_USAGE)
  if (opts.has('V')) return ok('free from procps-ng 4.0.2\n')
  const unit = [...order].reverse().find((k) => 'bkmgh'.includes(k)) ?? 'k'
  const si = opts.has('si')
  const m = memory(ctx.node)
  const fmt = (kib: number) => {
    const bytes = kib * 1024
    switch (unit) {
      case 'b':
        return String(bytes)
      case 'm':
        return String(Math.floor(bytes / (si ? 1e6 : 1024 ** 2)))
      case 'g':
        return String(Math.floor(bytes / (si ? 1e9 : 1024 ** 3)))
      case 'h':
        return procpsHuman(bytes, si)
      default:
        return String(si ? Math.floor(bytes / 1000) : kib)
    }
  }
  const wide = opts.has('w')
  const cell = (s: string) => s.padStart(12)
  let out = wide
    ? '               total        used        free      shared     buffers       cache   available\n'
    : '               total        used        free      shared  buff/cache   available\n'
  const buffers = 61_212
  out += `${'Mem:'.padEnd(8)}${[m.total, m.used, m.free, m.shared].map((v) => cell(fmt(v))).join('')}`
  out += wide ? cell(fmt(buffers)) + cell(fmt(m.buffCache - buffers)) : cell(fmt(m.buffCache))
  out += `${cell(fmt(m.available))}\n`
  out += `${'Swap:'.padEnd(8)}${[0, 0, 0].map((v) => cell(fmt(v))).join('')}\n`
  if (opts.has('t'))
    out += `${'Total:'.padEnd(8)}${[m.total, m.used, m.free].map((v) => cell(fmt(v))).join('')}\n`
  return ok(out)
}

export const sysinfoCommands: SimCommand[] = [
  { name: 'uname', run: uname },
  { name: 'uptime', run: uptime },
  { name: 'df', run: df },
  { name: 'free', run: free },
]
