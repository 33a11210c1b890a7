import {
  type CommandResult,
  fail,
  type SimCommand,
  type SimCommandContext,
  type TerminalSizeLike,
} from '../commands/types'
import type { Key } from '../shell/keys'
import { interactiveTty, isCtrlC, runScreen } from './screen'

// procps' watch: runs a command every n seconds of simulated time and
// redraws the screen under its "Every n.ns: cmd   host: date" header.

const USAGE = `
Usage:
 watch [options] command

Options:
  -b, --beep             beep if command has a non-zero exit
  -c, --color            interpret ANSI color and style sequences
  -d, --differences[=<permanent>]
                         highlight changes between updates
  -e, --errexit          exit if command has a non-zero exit
  -g, --chgexit          exit when output from command changes
  -q, --equexit <cycles>
                         exit when output from command does not change
  -n, --interval <secs>  seconds to wait between updates
  -p, --precise          attempt run command in precise intervals
  -t, --no-title         turn off header
  -w, --no-wrap          turn off line wrapping
  -x, --exec             pass command to exec instead of "sh -c"

 -h, --help     display this help and exit
 -v, --version  output version information and exit

For more details see watch(1).
`

function headerDate(at: number): string {
  const d = new Date(at)
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']
  const mons = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']
  const p = (n: number) => String(n).padStart(2, '0')
  return `${days[d.getUTCDay()]} ${mons[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2)} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} ${d.getUTCFullYear()}`
}

export function watchHeader(
  interval: number,
  command: string,
  host: string,
  at: number,
  cols: number,
): string {
  const left = `Every ${interval.toFixed(1)}s: ${command}`
  const right = `${host}: ${headerDate(at)}`
  if (left.length + right.length + 1 > cols)
    return `${left.slice(0, Math.max(0, cols - right.length - 4))}...${' '.repeat(1)}${right}`.slice(0, cols)
  return left + ' '.repeat(cols - left.length - right.length) + right
}

async function watch(ctx: SimCommandContext): Promise<CommandResult> {
  let interval = 2
  let title = true
  let errexit = false
  let i = 0
  const args = ctx.args
  for (; i < args.length; i++) {
    const a = args[i] as string
    if (a === '-n' || a === '--interval') interval = Number(args[++i])
    else if (/^-n[\d.]+$/.test(a)) interval = Number(a.slice(2))
    else if (a.startsWith('--interval=')) interval = Number(a.slice(11))
    else if (a === '-t' || a === '--no-title') title = false
    else if (a === '-e' || a === '--errexit') errexit = true
    else if (a === '-h' || a === '--help') return { stdout: USAGE, stderr: '', exitCode: 0 }
    else if (a === '-v' || a === '--version')
      return { stdout: 'watch from procps-ng 4.0.2\n', stderr: '', exitCode: 0 }
    else if (/^-[dbcpwxg]+$/.test(a) || a.startsWith('--differences') || a === '--color' || a === '--beep')
      continue
    else if (a === '--') {
      i++
      break
    } else if (a.startsWith('-')) return fail(`watch: invalid option -- '${a.slice(1, 2)}'\n${USAGE}`, 1)
    else break
  }
  if (!Number.isFinite(interval)) return fail(`watch: failed to parse argument: '${args[i - 1]}'\n`, 1)
  interval = Math.max(0.1, interval)
  const command = args.slice(i).join(' ')
  if (!command) return fail(USAGE, 1)
  let output = ''
  let code = 0
  const run = async () => {
    const r = await ctx.exec(command)
    // Keep what fits on a screen; a huge output must not grow the frame.
    output = (r.stdout + r.stderr).slice(0, 200_000)
    code = r.exitCode
  }
  await run()
  const render = (size: TerminalSizeLike) => {
    const lines: string[] = []
    if (title)
      lines.push(watchHeader(interval, command, ctx.node.name, ctx.node.cluster.clock.now(), size.cols), '')
    for (const l of output.split('\n')) {
      if (lines.length >= size.rows) break
      lines.push(l.slice(0, size.cols))
    }
    return `\x1b[H\x1b[2J${lines.join('\r\n')}`
  }
  const tty = interactiveTty(ctx)
  if (!tty) {
    // Without a terminal there is no screen to refresh: one frame, as text.
    const size = { cols: 80, rows: 24 }
    const head = title
      ? `${watchHeader(interval, command, ctx.node.name, ctx.node.cluster.clock.now(), size.cols)}\n\n`
      : ''
    return { stdout: head + output, stderr: '', exitCode: 0 }
  }
  let failed = false
  return runScreen(ctx, tty, {
    intervalMs: interval * 1000,
    tick: async () => {
      await run()
      if (errexit && code !== 0) failed = true
    },
    render,
    keys: (keys: Key[]) => {
      if (failed) return 8
      for (const k of keys) if (isCtrlC(k)) return 0
      return undefined
    },
  })
}

export const watchCommands: SimCommand[] = [{ name: 'watch', run: watch }]
