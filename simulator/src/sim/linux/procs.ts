import { type CommandResult, fail, ok, type SimCommand, type SimCommandContext } from '../commands/types'
import { processes, startUnit, stopUnit } from '../k8s/commands/system'
import { agentOf } from '../k8s/world'
import type { SimNode } from '../node'
import { getopt } from './getopt'

// pgrep and pkill over the node's process table (the one ps shows). pkill
// really stops what it matches: a control plane container exits and the
// kubelet starts it again, as after `kill` on a real node.

export interface ProcEntry {
  pid: number
  ppid: number
  user: string
  command: string
  start: number
  /** The kernel's process name: argv[0]'s base name, 15 characters at most. */
  comm: string
}

export function commOf(command: string): string {
  const argv0 = command.split(' ')[0] ?? ''
  return argv0.replace(/^-/, '').replace(/.*\//, '').replace(/:$/, '').slice(0, 15)
}

export function procTable(node: SimNode): ProcEntry[] {
  return processes(node)
    .filter((p) => !p.command.startsWith('ps'))
    .map((p) => ({ ...p, comm: commOf(p.command) }))
}

const PGREP_HELP = (prog: string) => `
Usage:
 ${prog} [options] <pattern>

Options:
${
  prog === 'pkill'
    ? ` -<sig>, --signal <sig>    signal to send (either number or name)
 -H, --require-handler     match only if signal handler is present
 -q, --queue <value>       integer value to be sent with the signal
 -e, --echo                display what is killed
     --inverse             negates the matching
`
    : ` -d, --delimiter <string>  specify output delimiter
 -l, --list-name           list PID and process name
 -a, --list-full           list PID and full command line
 -v, --inverse             negates the matching
 -w, --lightweight         list all TID
`
} -c, --count               count of matching processes
 -f, --full                use full process name to match
 -g, --pgroup <PGID,...>   match listed process group IDs
 -G, --group <GID,...>     match real group IDs
 -i, --ignore-case         match case insensitively
 -n, --newest              select most recently started
 -o, --oldest              select least recently started
 -O, --older <seconds>     select where older than seconds
 -P, --parent <PPID,...>   match only child processes of the given parent
 -s, --session <SID,...>   match session IDs
 -t, --terminal <tty,...>  match by controlling terminal
 -u, --euid <ID,...>       match by effective IDs
 -U, --uid <ID,...>        match by real IDs
 -x, --exact               match exactly with the command name
 -F, --pidfile <file>      read PIDs from file
 -L, --logpidfile          fail if PID file is not locked
 -r, --runstates <state>   match runstates [D,S,Z,...]
 -A, --ignore-ancestors    exclude our ancestors from results
 --cgroup <grp,...>        match by cgroup v2 names
 --ns <PID>                match the processes that belong to the same
                           namespace as <pid>
 --nslist <ns,...>         list which namespaces will be considered for
                           the --ns option.
                           Available namespaces: ipc, mnt, net, pid, user, uts

 -h, --help     display this help and exit
 -V, --version  output version information and exit

For more details see ${prog}(1).
`

const SIGNALS: Record<string, number> = {
  HUP: 1,
  INT: 2,
  QUIT: 3,
  KILL: 9,
  USR1: 10,
  USR2: 12,
  TERM: 15,
  STOP: 19,
  CONT: 18,
}

function parseSignal(raw: string): number | undefined {
  if (/^\d+$/.test(raw)) return Number(raw)
  const name = raw.toUpperCase().replace(/^SIG/, '')
  return SIGNALS[name]
}

function match(_ctx: SimCommandContext, prog: 'pgrep' | 'pkill', args: string[]) {
  const r = getopt(prog, args, {
    flags: prog === 'pgrep' ? 'lafxcnoivhVeA' : 'fxcnoivhVeA',
    values: 'duUP',
    long: {
      'list-name': { key: 'l' },
      'list-full': { key: 'a' },
      full: { key: 'f' },
      exact: { key: 'x' },
      count: { key: 'c' },
      newest: { key: 'n' },
      oldest: { key: 'o' },
      'ignore-case': { key: 'i' },
      inverse: { key: 'v' },
      echo: { key: 'e' },
      help: { key: 'h' },
      version: { key: 'V' },
      delimiter: { key: 'd', value: true },
      euid: { key: 'u', value: true },
      uid: { key: 'U', value: true },
      parent: { key: 'P', value: true },
      signal: { key: 'signal', value: true },
    },
  })
  return r
}

async function pgrepLike(ctx: SimCommandContext, prog: 'pgrep' | 'pkill'): Promise<CommandResult> {
  let args = ctx.args
  let signal = 15
  if (prog === 'pkill' && args[0] && /^-(\d+|[A-Z][A-Z0-9]*)$/.test(args[0])) {
    const s = parseSignal(args[0].slice(1))
    if (s === undefined) return fail(`pkill: unknown signal name ${args[0].slice(1)}.\n`, 2)
    signal = s
    args = args.slice(1)
  }
  const r = match(ctx, prog, args)
  if (!r.ok) return fail(`${r.error}\n${PGREP_HELP(prog)}`, 2)
  const { opts, operands } = r.parsed
  if (opts.has('h')) return ok(PGREP_HELP(prog))
  if (opts.has('V')) return ok(`${prog} from procps-ng 4.0.2\n`)
  const sig = opts.get('signal')
  if (typeof sig === 'string') {
    const s = parseSignal(sig)
    if (s === undefined) return fail(`${prog}: unknown signal name ${sig}.\n`, 2)
    signal = s
  }
  const users = typeof opts.get('u') === 'string' ? String(opts.get('u')).split(',') : undefined
  const parents = typeof opts.get('P') === 'string' ? String(opts.get('P')).split(',').map(Number) : undefined
  if (operands.length === 0 && !users && !parents)
    return fail(`${prog}: no matching criteria specified\nTry \`${prog} --help' for more information.\n`, 2)
  if (operands.length > 1)
    return fail(`${prog}: only one pattern can be provided\nTry \`${prog} --help' for more information.\n`, 2)
  let re: RegExp | undefined
  if (operands[0] !== undefined) {
    try {
      re = new RegExp(opts.has('x') ? `^(?:${operands[0]})$` : operands[0], opts.has('i') ? 'i' : '')
    } catch {
      return fail(`${prog}: cannot compile regular expression '${operands[0]}'\n`, 2)
    }
  }
  let found = procTable(ctx.node).filter((p) => {
    let hit = !re || re.test(opts.has('f') ? p.command : p.comm)
    if (users) hit &&= users.includes(p.user) || (p.user === 'root' && users.includes('0'))
    if (parents) hit &&= parents.includes(p.ppid)
    return opts.has('v') ? !hit : hit
  })
  if (opts.has('n')) found = found.sort((a, b) => b.start - a.start || b.pid - a.pid).slice(0, 1)
  if (opts.has('o')) found = found.sort((a, b) => a.start - b.start || a.pid - b.pid).slice(0, 1)
  if (prog === 'pkill') {
    let out = ''
    for (const p of found) {
      kill(ctx.node, p, signal)
      if (opts.has('e')) out += `${p.comm} killed (pid ${p.pid})\n`
    }
    if (opts.has('c')) out += `${found.length}\n`
    return { stdout: out, stderr: '', exitCode: found.length ? 0 : 1 }
  }
  if (opts.has('c')) return { stdout: `${found.length}\n`, stderr: '', exitCode: found.length ? 0 : 1 }
  const delim = typeof opts.get('d') === 'string' ? String(opts.get('d')) : '\n'
  const items = found.map((p) =>
    opts.has('a') ? `${p.pid} ${p.command}` : opts.has('l') ? `${p.pid} ${p.comm}` : String(p.pid),
  )
  return { stdout: items.length ? `${items.join(delim)}\n` : '', stderr: '', exitCode: items.length ? 0 : 1 }
}

/** Deliver a signal to a simulated process. Stopping signals end what they hit; others are ignored. */
export function kill(node: SimNode, p: ProcEntry, signal: number): boolean {
  if (![1, 2, 3, 9, 15].includes(signal)) return true
  const agent = agentOf(node)
  for (const unit of ['kubelet', 'containerd'] as const) {
    const u = agent.units[unit]
    if (u.active && u.pid === p.pid) {
      stopUnit(node, unit)
      // systemd's Restart=always with RestartSec=10 brings the service back.
      node.cluster.clock.schedule(10_000, () => startUnit(node, unit))
      return true
    }
  }
  const c = agent.runtime.running().find((x) => x.pid === p.pid)
  if (c) {
    agent.runtime.stopContainer(c.id, signal === 9 ? 137 : 0, signal === 9 ? 'Error' : 'Completed')
    return true
  }
  return false
}

export const procCommands: SimCommand[] = [
  { name: 'pgrep', run: (ctx) => pgrepLike(ctx, 'pgrep') },
  { name: 'pkill', run: (ctx) => pgrepLike(ctx, 'pkill') },
]
