import { type CommandResult, fail, ok, type SimCommand, type SimCommandContext } from '../../commands/types'
import type { SimNode } from '../../node'
import { syslogTime, systemdTime } from '../journal'
import { agentOf, type NodeAgent, type UnitName } from '../world'

// systemctl and journalctl for the node's two services (kubelet and
// containerd), and ps over everything that runs on the node.

const UNITS: Record<UnitName, { description: string; file: string; docs: string; dropIn?: string }> = {
  kubelet: {
    description: 'kubelet: The Kubernetes Node Agent',
    file: '/lib/systemd/system/kubelet.service',
    docs: 'https://kubernetes.io/docs/',
    dropIn: '10-kubeadm.conf',
  },
  containerd: {
    description: 'containerd container runtime',
    file: '/lib/systemd/system/containerd.service',
    docs: 'https://containerd.io',
  },
}

function unitName(raw: string | undefined): UnitName | undefined {
  const n = (raw ?? '').replace(/\.service$/, '')
  return n === 'kubelet' || n === 'containerd' ? n : undefined
}

export function kubeletCommandLine(node: SimNode): string {
  const p = node.cluster.profile
  if (p.id === '1.20')
    return `/usr/bin/kubelet --bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf --kubeconfig=/etc/kubernetes/kubelet.conf --config=/var/lib/kubelet/config.yaml --network-plugin=cni --pod-infra-container-image=${p.pauseImage}`
  return `/usr/bin/kubelet --bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf --kubeconfig=/etc/kubernetes/kubelet.conf --config=/var/lib/kubelet/config.yaml --container-runtime-endpoint=unix:///run/containerd/containerd.sock --node-ip=${node.ip} --pod-infra-container-image=${p.pauseImage}`
}

function mainCommand(node: SimNode, unit: UnitName): string {
  return unit === 'kubelet' ? kubeletCommandLine(node) : '/usr/local/bin/containerd'
}

function ago(ms: number): string {
  const s = Math.floor(ms / 1000)
  if (s < 60) return `${s}s ago`
  const m = Math.floor(s / 60)
  if (m < 60) return `${m}min ${s % 60}s ago`
  const h = Math.floor(m / 60)
  return `${h}h ${m % 60}min ago`
}

function systemdLog(agent: NodeAgent, unit: UnitName, text: string): void {
  const at = agent.node.cluster.clock.now()
  agent.journal.add({ at, unit, ident: 'systemd', pid: 1, text })
}

function modern(node: SimNode): boolean {
  return node.cluster.profile.id !== '1.20'
}

function unitLabel(node: SimNode, unit: UnitName): string {
  return modern(node) ? `${unit}.service - ${UNITS[unit].description}` : UNITS[unit].description
}

export function stopUnit(node: SimNode, unit: UnitName): void {
  const agent = agentOf(node)
  const u = agent.units[unit]
  if (!u.active) return
  systemdLog(agent, unit, `Stopping ${unitLabel(node, unit)}...`)
  if (unit === 'kubelet') agent.kubelet?.stop()
  u.active = false
  u.since = node.cluster.clock.now()
  if (modern(node)) systemdLog(agent, unit, `${unit}.service: Deactivated successfully.`)
  systemdLog(agent, unit, `Stopped ${unitLabel(node, unit)}.`)
}

export function startUnit(node: SimNode, unit: UnitName): void {
  const agent = agentOf(node)
  const u = agent.units[unit]
  if (u.active) return
  u.active = true
  u.pid += 17 + (u.restarts++ % 7) * 3
  u.since = node.cluster.clock.now()
  systemdLog(agent, unit, `Started ${unitLabel(node, unit)}.`)
  if (unit === 'kubelet') agent.kubelet?.start()
}

function status(ctx: SimCommandContext, unit: UnitName): CommandResult {
  const node = ctx.node
  const agent = agentOf(node)
  const u = agent.units[unit]
  const now = node.cluster.clock.now()
  const info = UNITS[unit]
  const m = modern(node)
  const lines: string[] = []
  lines.push(`${u.active ? '●' : '○'} ${unit}.service - ${info.description}`)
  lines.push(
    `     Loaded: loaded (${info.file}; enabled; ${m ? 'preset: enabled' : 'vendor preset: enabled'})`,
  )
  if (info.dropIn) {
    lines.push(
      `    Drop-In: ${m ? '/usr/lib/systemd/system/kubelet.service.d' : '/etc/systemd/system/kubelet.service.d'}`,
    )
    lines.push(`             └─${info.dropIn}`)
  }
  if (u.active) {
    lines.push(`     Active: active (running) since ${systemdTime(u.since)}; ${ago(now - u.since)}`)
    lines.push(`       Docs: ${info.docs}`)
    lines.push(`   Main PID: ${u.pid} (${unit})`)
    lines.push(`      Tasks: ${unit === 'kubelet' ? 15 : 42}${m ? ' (limit: 4613)' : ''}`)
    lines.push(`     Memory: ${unit === 'kubelet' ? '47.1M' : '63.8M'}`)
    if (m)
      lines.push(
        `        CPU: ${Math.max(1, Math.floor((now - u.since) / 40_000))}.${String(((now / 7) % 1000) | 0).padStart(3, '0')}s`,
      )
    lines.push(
      `     CGroup: ${unit === 'kubelet' ? '/kubelet.slice/kubelet.service' : '/system.slice/containerd.service'}`,
    )
    lines.push(`             └─${u.pid} ${mainCommand(node, unit)}`)
  } else {
    lines.push(`     Active: inactive (dead) since ${systemdTime(u.since)}; ${ago(now - u.since)}`)
    lines.push(`       Docs: ${info.docs}`)
    lines.push(
      `    Process: ${u.pid} ExecStart=${mainCommand(node, unit).split(' ')[0]} $KUBELET_KUBECONFIG_ARGS $KUBELET_CONFIG_ARGS $KUBELET_KUBEADM_ARGS $KUBELET_EXTRA_ARGS (code=exited, status=0/SUCCESS)`,
    )
    lines.push(`   Main PID: ${u.pid} (code=exited, status=0/SUCCESS)`)
  }
  const tail = agent.journal
    .forUnit(unit)
    .slice(-10)
    .map((e) => agent.journal.format(e))
  let out = `${lines.join('\n')}\n`
  if (tail.length) out += `\n${tail.join('\n')}\n`
  return { stdout: out, stderr: '', exitCode: u.active ? 0 : 3 }
}

async function systemctl(ctx: SimCommandContext): Promise<CommandResult> {
  const args = ctx.args.filter((a) => !a.startsWith('-'))
  const [verb, ...names] = args
  if (!verb)
    return fail(
      'systemctl: this lab models only: status, start, stop, restart, is-active, enable, daemon-reload\n',
      1,
    )
  if (verb === 'daemon-reload') return ok()
  if (names.length === 0 && verb !== 'status') return fail(`Too few arguments.\n`, 1)
  let out = ''
  let code = 0
  for (const raw of names.length ? names : ['kubelet']) {
    const unit = unitName(raw)
    if (!unit) {
      const n = raw.includes('.') ? raw : `${raw}.service`
      if (verb === 'status') {
        out += ''
        return { stdout: out, stderr: `Unit ${n} could not be found.\n`, exitCode: 4 }
      }
      return fail(`Failed to ${verb} ${n}: Unit ${n} not found.\n`, 5)
    }
    switch (verb) {
      case 'status': {
        const r = status(ctx, unit)
        out += r.stdout
        code = Math.max(code, r.exitCode)
        break
      }
      case 'stop':
        stopUnit(ctx.node, unit)
        break
      case 'start':
        startUnit(ctx.node, unit)
        break
      case 'restart':
        stopUnit(ctx.node, unit)
        startUnit(ctx.node, unit)
        break
      case 'is-active': {
        const a = agentOf(ctx.node).units[unit].active
        out += a ? 'active\n' : 'inactive\n'
        if (!a) code = 3
        break
      }
      case 'is-enabled':
      case 'enable':
        if (verb === 'is-enabled') out += 'enabled\n'
        break
      default:
        return fail(`Unknown command verb ${verb}.\n`, 1)
    }
  }
  return { stdout: out, stderr: '', exitCode: code }
}

async function journalctl(ctx: SimCommandContext): Promise<CommandResult> {
  let unit: string | undefined
  let n: number | undefined
  let follow = false
  const args = ctx.args
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string
    if (a === '-u' || a === '--unit') unit = args[++i]
    else if (a.startsWith('--unit=')) unit = a.slice(7)
    else if (a.startsWith('-u') && a.length > 2) unit = a.slice(2)
    else if (a === '-n' || a === '--lines') n = Number(args[++i])
    else if (a.startsWith('--lines=')) n = Number(a.slice(8))
    else if (/^-n\d+$/.test(a)) n = Number(a.slice(2))
    else if (a === '-f' || a === '--follow') follow = true
    else if (a === '-xe' || a === '-ex' || a === '-e') n ??= 1000
    else if (a === '--no-pager' || a === '-x' || a === '-l' || a === '--no-hostname' || a === '-q') continue
    else if (a === '--since' || a === '-S' || a === '--until' || a === '-U' || a === '-o') i++
    else if (a.startsWith('-')) return fail(`journalctl: unrecognized option '${a}'\n`, 1)
  }
  const agent = agentOf(ctx.node)
  const u = unit ? unitName(unit) : undefined
  if (unit && !u) return ok('-- No entries --\n')
  let entries = agent.journal.forUnit(u)
  if (follow && n === undefined) n = 10
  if (n !== undefined && Number.isFinite(n)) entries = entries.slice(-Math.max(0, n))
  const header =
    ctx.node.cluster.profile.id === '1.20' && agent.journal.entries.length
      ? `-- Logs begin at ${systemdTime(agent.journal.entries[0]?.at ?? 0)}, end at ${systemdTime(agent.journal.entries.at(-1)?.at ?? 0)}. --\n`
      : ''
  const body = entries.length
    ? entries.map((e) => `${agent.journal.format(e)}\n`).join('')
    : '-- No entries --\n'
  const stdout = ctx.stdout
  if (!follow || !stdout?.isTerminal) return ok(header + body)
  // Follow: stream new entries to the terminal until Ctrl-C.
  stdout.write(header + body)
  await new Promise<void>((resolve) => {
    const off = agent.journal.onEntry((e) => {
      if (!u || e.unit === u) stdout.write(`${agent.journal.format(e)}\n`)
    })
    const done = () => {
      off()
      resolve()
    }
    if (!ctx.signal) return done()
    if (ctx.signal.aborted) return done()
    ctx.signal.addEventListener('abort', done, { once: true })
  })
  return { stdout: '', stderr: '', exitCode: 130 }
}

interface Proc {
  user: string
  pid: number
  ppid: number
  start: number
  stat: string
  vsz: number
  rss: number
  cmd: string
  cpu: number
}

function hhmm(at: number): string {
  const d = new Date(at)
  return `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`
}

/** Everything running on a node, for ps and for checks. */
export function processes(
  node: SimNode,
): Array<{ pid: number; ppid: number; user: string; command: string; start: number }> {
  return processList(node).map((p) => ({
    pid: p.pid,
    ppid: p.ppid,
    user: p.user,
    command: p.cmd,
    start: p.start,
  }))
}

function processList(node: SimNode): Proc[] {
  const agent = agentOf(node)
  const now = node.cluster.clock.now()
  const boot = agent.units.containerd.since - 5_000
  const procs: Proc[] = [
    {
      user: 'root',
      pid: 1,
      ppid: 0,
      start: boot,
      stat: 'Ss',
      vsz: 20040,
      rss: 11236,
      cmd: '/sbin/init',
      cpu: 0,
    },
  ]
  procs.push({
    user: 'root',
    pid: 98,
    ppid: 1,
    start: boot,
    stat: 'Ss',
    vsz: 32976,
    rss: 14080,
    cmd: '/lib/systemd/systemd-journald',
    cpu: 0,
  })
  const c = agent.units.containerd
  if (c.active)
    procs.push({
      user: 'root',
      pid: c.pid,
      ppid: 1,
      start: c.since,
      stat: 'Ssl',
      vsz: 1880960,
      rss: 54120,
      cmd: '/usr/local/bin/containerd',
      cpu: 0.9,
    })
  const k = agent.units.kubelet
  if (k.active)
    procs.push({
      user: 'root',
      pid: k.pid,
      ppid: 1,
      start: k.since,
      stat: 'Ssl',
      vsz: 2215240,
      rss: 98004,
      cmd: kubeletCommandLine(node),
      cpu: 2.1,
    })
  const rt = agent.runtime
  for (const sb of rt.sandboxes) {
    if (sb.state !== 'SANDBOX_READY') continue
    const shim = sb.pid - 1
    procs.push({
      user: 'root',
      pid: shim,
      ppid: 1,
      start: sb.createdAt,
      stat: 'Sl',
      vsz: 1238384,
      rss: 13440,
      cmd: `/usr/local/bin/containerd-shim-runc-v2 -namespace k8s.io -id ${sb.id} -address /run/containerd/containerd.sock`,
      cpu: 0,
    })
    procs.push({
      user: '65535',
      pid: sb.pid,
      ppid: shim,
      start: sb.createdAt,
      stat: 'Ss',
      vsz: 1020,
      rss: 4,
      cmd: '/pause',
      cpu: 0,
    })
    for (const ct of rt.containers) {
      if (ct.sandboxId !== sb.id || ct.state !== 'CONTAINER_RUNNING') continue
      const big = ct.name === 'kube-apiserver' || ct.name === 'etcd'
      procs.push({
        user: 'root',
        pid: ct.pid,
        ppid: shim,
        start: ct.startedAt,
        stat: 'Ssl',
        vsz: big ? 11214524 : 1290000,
        rss: big ? 312440 : 52000,
        cmd: ct.argv.join(' '),
        cpu: big ? 4.2 : 0.6,
      })
    }
  }
  procs.push({
    user: 'root',
    pid: 608,
    ppid: 1,
    start: boot,
    stat: 'Ss',
    vsz: 15432,
    rss: 9320,
    cmd: 'sshd: /usr/sbin/sshd -D [listener] 0 of 10-100 startups',
    cpu: 0,
  })
  procs.push({
    user: 'root',
    pid: 2801,
    ppid: 1,
    start: boot,
    stat: 'Ss',
    vsz: 7236,
    rss: 4132,
    cmd: '-bash',
    cpu: 0,
  })
  procs.push({
    user: 'root',
    pid: 2900 + (Math.floor(now / 1000) % 5000),
    ppid: 2801,
    start: now,
    stat: 'R+',
    vsz: 10072,
    rss: 3300,
    cmd: 'ps',
    cpu: 0,
  })
  return procs.sort((a, b) => a.pid - b.pid)
}

function cpuTime(p: Proc, now: number): number {
  return Math.floor(((now - p.start) / 1000) * (p.cpu / 100))
}

async function ps(ctx: SimCommandContext): Promise<CommandResult> {
  const now = ctx.node.cluster.clock.now()
  const procs = processList(ctx.node)
  const args = ctx.args.join(' ')
  const self = procs.find((p) => p.cmd === 'ps')
  if (self) {
    self.cmd = `ps ${args}`.trim()
    // The other commands of the pipeline run at the same time: `ps aux | grep etcd` lists the grep.
    const partners = (ctx.pipeline ?? []).filter((c) => !/^ps(\s|$)/.test(c.trim()))
    partners.forEach((c, i) => {
      procs.push({ ...self, pid: self.pid + i + 1, stat: 'S+', vsz: 6332, rss: 2076, cmd: c.trim() })
    })
    procs.sort((a, b) => a.pid - b.pid)
  }
  const bsd = ctx.args.some((a) => /^-?aux?$|^aux$|^-?ef$|^axu$/.test(a))
    ? ctx.args.some((a) => a.includes('u'))
    : false
  if (bsd || ctx.args.includes('aux') || ctx.args.includes('-aux')) {
    let out = 'USER         PID %CPU %MEM    VSZ   RSS TTY      STAT START   TIME COMMAND\n'
    for (const p of procs) {
      const t = cpuTime(p, now)
      out += `${p.user.padEnd(8)}${String(p.pid).padStart(8)} ${p.cpu.toFixed(1).padStart(4)} ${((p.rss / 4_027_508) * 100).toFixed(1).padStart(4)} ${String(p.vsz).padStart(6)} ${String(p.rss).padStart(5)} ${(p.stat.endsWith('+') || p.cmd === '-bash' ? 'pts/0' : '?').padEnd(8)} ${p.stat.padEnd(4)} ${hhmm(p.start).padStart(5)} ${`${Math.floor(t / 60)}:${String(t % 60).padStart(2, '0')}`.padStart(6)} ${p.cmd}\n`
    }
    return ok(out)
  }
  if (ctx.args.some((a) => a.startsWith('-') && (a.includes('e') || a.includes('A')))) {
    let out = 'UID          PID    PPID  C STIME TTY          TIME CMD\n'
    for (const p of procs) {
      const t = cpuTime(p, now)
      const time = `${String(Math.floor(t / 3600)).padStart(2, '0')}:${String(Math.floor(t / 60) % 60).padStart(2, '0')}:${String(t % 60).padStart(2, '0')}`
      out += `${p.user.padEnd(8)}${String(p.pid).padStart(8)}${String(p.ppid).padStart(8)}${String(Math.floor(p.cpu)).padStart(3)} ${hhmm(p.start)} ${(p.stat.endsWith('+') || p.cmd === '-bash' ? 'pts/0' : '?').padEnd(8)} ${time} ${p.cmd}\n`
    }
    return ok(out)
  }
  // Plain `ps`: the processes of this terminal.
  const mine = procs.filter((p) => p.cmd === '-bash' || p.cmd.startsWith('ps'))
  let out = '    PID TTY          TIME CMD\n'
  for (const p of mine)
    out += `${String(p.pid).padStart(7)} pts/0    00:00:00 ${p.cmd === '-bash' ? 'bash' : 'ps'}\n`
  return ok(out)
}

export const systemCommands: SimCommand[] = [
  { name: 'systemctl', run: systemctl },
  { name: 'journalctl', run: journalctl },
  { name: 'ps', run: ps },
  {
    name: 'service',
    run: async (ctx) => {
      const [name, verb] = ctx.args
      return systemctl({ ...ctx, args: [verb ?? 'status', name ?? ''] })
    },
  },
]

export { syslogTime }
