import { type CommandResult, fail, ok, type SimCommand, type SimCommandContext } from '../commands/types'
import { agentOf } from '../k8s/world'
import type { SimNode } from '../node'
import { createRng, seedFrom } from '../random'
import { getopt } from './getopt'

// ss and netstat: the node's TCP sockets, derived from what runs on it. A
// stopped static pod's ports disappear with its container; etcd's ports are
// the ones it really bound (its listeners on the simulated network).

export interface Socket {
  state: 'LISTEN' | 'ESTAB'
  /** Address as ss prints it: `127.0.0.1`, `*` (dual-stack any), `[::ffff:172.30.1.2]`. */
  local: string
  localPort: number
  peer: string
  peerPort: number | '*'
  /** IPv6 socket (netstat says tcp6). */
  v6: boolean
  process?: { name: string; pid: number; fd: number }
  sendQ: number
}

function truncName(name: string): string {
  // The kernel keeps 15 characters of a process name (comm).
  return name.slice(0, 15)
}

/** A port the kernel would pick for an outgoing connection, stable per node and purpose. */
function ephemeral(node: SimNode, what: string): number {
  const rng = createRng(seedFrom(`${node.cluster.seed}/${node.name}/port/${what}`))
  return 32768 + Math.floor(rng() * 28000)
}

export function sockets(node: SimNode): Socket[] {
  const agent = agentOf(node)
  const out: Socket[] = []
  const listen = (
    local: string,
    port: number,
    v6: boolean,
    name: string,
    pid: number,
    fd: number,
    backlog = 4096,
  ) =>
    out.push({
      state: 'LISTEN',
      local,
      localPort: port,
      peer: v6 ? '*' : '0.0.0.0',
      peerPort: '*',
      v6,
      process: { name: truncName(name), pid, fd },
      sendQ: backlog,
    })
  const k = agent.units.kubelet
  const c = agent.units.containerd
  if (k.active) listen('127.0.0.1', 10248, false, 'kubelet', k.pid, 21)
  const running = agent.runtime.running()
  const byName = (n: string) => running.find((x) => x.name === n)
  const scheduler = byName('kube-scheduler')
  if (scheduler) listen('127.0.0.1', 10259, false, 'kube-scheduler', scheduler.pid, 7)
  const cm = byName('kube-controller-manager')
  if (cm) listen('127.0.0.1', 10257, false, 'kube-controller-manager', cm.pid, 7)
  const etcd = byName('etcd')
  const net = node.cluster.network.all().filter((l) => l.nodeName === node.name)
  if (etcd) {
    let fd = 7
    for (const l of net.filter((x) => x.kind === 'etcd-peer' || x.kind === 'etcd-client')) {
      listen(l.host === '0.0.0.0' ? '0.0.0.0' : l.host, l.port, false, 'etcd', etcd.pid, fd++)
    }
    for (const l of net.filter((x) => x.kind === 'etcd-metrics'))
      listen(l.host, l.port, false, 'etcd', etcd.pid, 13)
  }
  if (c.active) listen('127.0.0.1', ephemeral(node, 'containerd-cri'), false, 'containerd', c.pid, 9)
  const proxy = byName('kube-proxy')
  if (proxy) listen('127.0.0.1', 10249, false, 'kube-proxy', proxy.pid, 11)
  listen('0.0.0.0', 22, false, 'sshd', SSHD_PID, 3, 128)
  if (k.active) listen('*', 10250, true, 'kubelet', k.pid, 20)
  const api = byName('kube-apiserver')
  if (api && net.some((l) => l.kind === 'kube-apiserver'))
    listen('*', 6443, true, 'kube-apiserver', api.pid, 7)
  if (proxy) listen('*', 10256, true, 'kube-proxy', proxy.pid, 10)
  listen('[::]', 22, true, 'sshd', SSHD_PID, 4, 128)

  // Long-lived connections: the apiserver to etcd, the components and the kubelet to the apiserver.
  const conn = (
    from: { addr: string; name: string; pid: number; v6?: boolean },
    to: { addr: string; port: number; name: string; pid: number; v6?: boolean },
    key: string,
    fd: number,
  ) => {
    const p = ephemeral(node, key)
    out.push({
      state: 'ESTAB',
      local: to.addr,
      localPort: to.port,
      peer: from.addr,
      peerPort: p,
      v6: Boolean(to.v6),
      process: { name: truncName(to.name), pid: to.pid, fd: fd + 10 },
      sendQ: 0,
    })
    out.push({
      state: 'ESTAB',
      local: from.addr,
      localPort: p,
      peer: to.addr,
      peerPort: to.port,
      v6: Boolean(from.v6),
      process: { name: truncName(from.name), pid: from.pid, fd },
      sendQ: 0,
    })
  }
  const etcdLocal = etcd && net.some((l) => l.kind === 'etcd-client' && l.host === '127.0.0.1')
  if (api && etcd && etcdLocal) {
    for (let i = 0; i < 3; i++)
      conn(
        { addr: '127.0.0.1', name: 'kube-apiserver', pid: api.pid },
        { addr: '127.0.0.1', port: 2379, name: 'etcd', pid: etcd.pid },
        `api-etcd-${i}`,
        40 + i * 3,
      )
  }
  const mapped = `[::ffff:${node.ip}]`
  if (api) {
    const toApi = { addr: mapped, port: 6443, name: 'kube-apiserver', pid: api.pid, v6: true }
    if (k.active) conn({ addr: node.ip, name: 'kubelet', pid: k.pid }, toApi, 'kubelet-api', 26)
    if (cm) conn({ addr: node.ip, name: 'kube-controller-manager', pid: cm.pid }, toApi, 'cm-api', 9)
    if (scheduler) conn({ addr: node.ip, name: 'kube-scheduler', pid: scheduler.pid }, toApi, 'sched-api', 9)
  }
  return out
}

/** sshd's pid, also in ps. */
export const SSHD_PID = 608

interface Column {
  header: string
  right: boolean
  /** Printed before the field unless it starts the line. */
  delim: string
}

/** iproute2's column renderer: compact when piped, spread over the terminal's width on a tty. */
function render(columns: Column[], rows: string[][], screen?: number): string {
  const all = [columns.map((c) => c.header), ...rows]
  const widths = columns.map((c, i) => {
    const max = Math.max(...all.map((r) => (r[i] ?? '').length))
    return i === 0 || max === 0 ? max : max + c.delim.length
  })
  if (screen && screen > 0) {
    const len = widths.reduce((a, b) => a + b, 0)
    if (len <= screen) {
      const n = widths.filter((w) => w > 0).length
      const pad = screen - len
      const spacing = Math.floor(pad / n)
      let rem = pad % n
      for (let i = widths.length - 1; i >= 0; i--) {
        if (!widths[i]) continue
        widths[i] = (widths[i] as number) + spacing
        if (rem) {
          widths[i] = (widths[i] as number) + 1
          rem--
        }
      }
    }
  }
  return all
    .map((r) => {
      let line = ''
      r.forEach((cell, i) => {
        const col = columns[i] as Column
        const delim = i === 0 ? '' : col.delim
        const w = (widths[i] as number) - delim.length
        line += delim + (col.right ? cell.padStart(w) : cell.padEnd(w))
      })
      return `${line}\n`
    })
    .join('')
}

function ssAddr(s: Socket, which: 'local' | 'peer'): string {
  return which === 'local' ? s.local : s.peer
}

const SS_USAGE = `Usage: ss [ OPTIONS ]
       ss [ OPTIONS ] [ FILTER ]
   -h, --help          this message
   -V, --version       output version information
   -n, --numeric       don't resolve service names
   -r, --resolve       resolve host names
   -a, --all           display all sockets
   -l, --listening     display listening sockets
   -p, --processes     show process using socket
   -s, --summary       show socket usage summary
   -4, --ipv4          display only IP version 4 sockets
   -6, --ipv6          display only IP version 6 sockets
   -t, --tcp           display only TCP sockets
   -u, --udp           display only UDP sockets
   -x, --unix          display only Unix domain sockets
`

/** Port names from Debian's /etc/services that ss shows without -n (it has none for 2379, 6443, 10250 …). */
const SERVICES: Record<number, string> = { 22: 'ssh' }

async function ss(ctx: SimCommandContext): Promise<CommandResult> {
  const r = getopt('ss', ctx.args, {
    flags: 'hVnralpstux46eimoHO',
    long: {
      help: { key: 'h' },
      version: { key: 'V' },
      numeric: { key: 'n' },
      resolve: { key: 'r' },
      all: { key: 'a' },
      listening: { key: 'l' },
      processes: { key: 'p' },
      summary: { key: 's' },
      tcp: { key: 't' },
      udp: { key: 'u' },
      unix: { key: 'x' },
      ipv4: { key: '4' },
      ipv6: { key: '6' },
      'no-header': { key: 'H' },
      oneline: { key: 'O' },
    },
  })
  if (!r.ok) return fail(`${r.error}\n${SS_USAGE}`, 255)
  const { opts, operands } = r.parsed
  if (opts.has('h')) return ok(SS_USAGE)
  if (opts.has('V')) return ok('ss utility, iproute2-6.1.0\n')
  const numeric = opts.has('n')
  let list = sockets(ctx.node)
  if (opts.has('l')) list = list.filter((s) => s.state === 'LISTEN')
  else if (!opts.has('a')) list = list.filter((s) => s.state !== 'LISTEN')
  if (opts.has('4')) list = list.filter((s) => !s.v6)
  if (opts.has('6')) list = list.filter((s) => s.v6)
  if ((opts.has('u') || opts.has('x')) && !opts.has('t')) list = []
  // A filter such as `sport = :2379` or `( dport = :6443 )`.
  const words = operands.join(' ').replace(/[()]/g, ' ').split(/\s+/).filter(Boolean)
  for (let i = 0; i < words.length; i++) {
    const w = words[i] as string
    if ((w === 'sport' || w === 'dport') && ['=', 'eq', '=='].includes(words[i + 1] ?? '')) {
      const port = Number((words[i + 2] ?? '').replace(/^:/, ''))
      list = list.filter((s) => (w === 'sport' ? s.localPort : s.peerPort) === port)
      i += 2
    } else if (w === 'state' && words[i + 1]) {
      const st = (words[i + 1] as string).toLowerCase()
      list = list.filter((s) =>
        st === 'listening' ? s.state === 'LISTEN' : st === 'established' ? s.state === 'ESTAB' : true,
      )
      i++
    }
  }
  const multiProto = !opts.has('t')
  const showProc = opts.has('p')
  const columns: Column[] = []
  if (multiProto) columns.push({ header: 'Netid', right: false, delim: '' })
  columns.push(
    { header: 'State', right: false, delim: ' ' },
    { header: 'Recv-Q', right: false, delim: ' ' },
    { header: 'Send-Q', right: false, delim: ' ' },
    { header: 'Local Address:', right: true, delim: ' ' },
    { header: 'Port', right: false, delim: '' },
    { header: 'Peer Address:', right: true, delim: ' ' },
    { header: 'Port', right: false, delim: '' },
    { header: 'Process', right: false, delim: '' },
  )
  const port = (p: number | '*') => (p === '*' ? '*' : numeric ? String(p) : (SERVICES[p] ?? String(p)))
  const rows = list.map((s) => {
    const row: string[] = []
    if (multiProto) row.push('tcp')
    row.push(
      s.state,
      '0'.padEnd(6),
      String(s.state === 'LISTEN' ? s.sendQ : 0).padEnd(6),
      `${ssAddr(s, 'local')}:`,
      port(s.localPort),
      `${ssAddr(s, 'peer')}:`,
      port(s.peerPort),
      showProc && s.process ? ` users:(("${s.process.name}",pid=${s.process.pid},fd=${s.process.fd}))` : '',
    )
    return row
  })
  const screen = ctx.tty ? ctx.tty.size.cols : undefined
  let out = render(columns, rows, screen)
  if (opts.has('H')) out = out.slice(out.indexOf('\n') + 1)
  return ok(out)
}

const NETSTAT_USAGE = `usage: netstat [-vWeenNcCF] [<Af>] -r         netstat {-V|--version|-h|--help}
       netstat [-vWnNcaeol] [<Socket> ...]
       netstat { [-vWeenNac] -i | [-cnNe] -M | -s [-6tuw] }

        -r, --route              display routing table
        -i, --interfaces         display interface list
        -g, --groups             display multicast group memberships
        -s, --statistics         display networking statistics (like SNMP)
        -M, --masquerade         display masqueraded connections

        -v, --verbose            be verbose
        -W, --wide               don't truncate IP addresses
        -n, --numeric            don't resolve names
        --numeric-hosts          don't resolve host names
        --numeric-ports          don't resolve port names
        --numeric-users          don't resolve user names
        -N, --symbolic           resolve hardware names
        -e, --extend             display other/more information
        -p, --programs           display PID/Program name for sockets
        -o, --timers             display timers
        -c, --continuous         continuous listing

        -l, --listening          display listening server sockets
        -a, --all                display all sockets (default: connected)
        -F, --fib                display Forwarding Information Base (default)
        -C, --cache              display routing cache instead of FIB
        -Z, --context            display SELinux security context for sockets

  <Socket>={-t|--tcp} {-u|--udp} {-U|--udplite} {-S|--sctp} {-w|--raw}
           {-x|--unix} --ax25 --ipx --netrom
  <AF>=Use '-6|-4' or '-A <af>' or '--<af>'; default: inet
  List of possible address families (which support routing):
    inet (DARPA Internet) inet6 (IPv6) ax25 (AMPR AX.25) 
    netrom (AMPR NET/ROM) ipx (Novell IPX) ddp (Appletalk DDP) 
    x25 (CCITT X.25) 
`

function netstatAddr(s: Socket, which: 'local' | 'peer'): string {
  const a = which === 'local' ? s.local : s.peer
  const p = which === 'local' ? s.localPort : s.peerPort
  let host = a
  if (a === '*' || a === '[::]') host = '::'
  else if (a.startsWith('[')) host = a.slice(1, -1)
  return `${host}:${p}`
}

async function netstat(ctx: SimCommandContext): Promise<CommandResult> {
  const r = getopt('netstat', ctx.args, {
    flags: 'tulpnaWevx46',
    long: {
      tcp: { key: 't' },
      udp: { key: 'u' },
      listening: { key: 'l' },
      programs: { key: 'p' },
      numeric: { key: 'n' },
      all: { key: 'a' },
      wide: { key: 'W' },
      help: { key: 'help' },
      version: { key: 'V' },
    },
  })
  if (!r.ok) return fail(`${r.error}\n${NETSTAT_USAGE}`, 1)
  const { opts } = r.parsed
  if (opts.has('help')) return fail(NETSTAT_USAGE, 0)
  let list = sockets(ctx.node)
  const listening = opts.has('l')
  if (listening) list = list.filter((s) => s.state === 'LISTEN')
  else if (!opts.has('a')) list = list.filter((s) => s.state !== 'LISTEN')
  if ((opts.has('u') || opts.has('x')) && !opts.has('t')) list = []
  // netstat walks /proc/net/tcp then /proc/net/tcp6.
  list = [...list.filter((s) => !s.v6), ...list.filter((s) => s.v6)]
  const prog = opts.has('p')
  let out = listening
    ? 'Active Internet connections (only servers)\n'
    : opts.has('a')
      ? 'Active Internet connections (servers and established)\n'
      : 'Active Internet connections (w/o servers)\n'
  out += `Proto Recv-Q Send-Q Local Address           Foreign Address         State      ${prog ? ' PID/Program name    ' : ''}\n`
  for (const s of list) {
    const state = s.state === 'ESTAB' ? 'ESTABLISHED' : 'LISTEN'
    const proc = s.process ? `${s.process.pid}/${s.process.name}` : '-'
    out += `${(s.v6 ? 'tcp6' : 'tcp').padEnd(5)} ${'0'.padStart(6)} ${'0'.padStart(6)} ${netstatAddr(s, 'local').padEnd(23)} ${netstatAddr(s, 'peer').padEnd(23)} ${state.padEnd(11)}${prog ? ` ${proc.padEnd(20)}` : ''}\n`
  }
  return ok(out)
}

export const socketCommands: SimCommand[] = [
  { name: 'ss', run: ss },
  { name: 'netstat', run: netstat },
]
