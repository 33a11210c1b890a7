import { type CommandResult, fail, ok, type SimCommand, type SimCommandContext } from '../../commands/types'
import { cooperate } from '../../shell/cooperate'
import { execIn } from '../exec'
import type { Container } from '../runtime'
import { agentOf, rfc3339 } from '../world'
import { humanDuration, tabwrite } from './format'

// crictl against the node's runtime: ps, pods, images, logs, inspect, exec,
// version. Everything it shows comes from the same runtime the kubelet drives.

function fatal(msg: string): CommandResult {
  return fail(`FATA[0000] ${msg}\n`, 1)
}

function unreachable(ctx: SimCommandContext): CommandResult | undefined {
  if (agentOf(ctx.node).units.containerd.active) return undefined
  const api = ctx.node.cluster.profile.id === '1.20' ? 'v1alpha2' : 'v1'
  return fail(
    `FATA[0002] validate service connection: validate CRI ${api} runtime API for endpoint "unix:///run/containerd/containerd.sock": rpc error: code = Unavailable desc = connection error: desc = "transport: Error while dialing: dial unix /run/containerd/containerd.sock: connect: no such file or directory"\n`,
    1,
  )
}

const STATE: Record<string, string> = {
  CONTAINER_RUNNING: 'Running',
  CONTAINER_EXITED: 'Exited',
  CONTAINER_CREATED: 'Created',
  SANDBOX_READY: 'Ready',
  SANDBOX_NOTREADY: 'NotReady',
}

interface Parsed {
  flags: Map<string, string>
  positional: string[]
}

const VALUE_FLAGS = new Set([
  '--name',
  '--state',
  '--pod',
  '-p',
  '--namespace',
  '-n',
  '--label',
  '--image',
  '--tail',
  '-o',
  '--output',
  '--id',
  '--last',
])

function parse(args: string[]): Parsed {
  const flags = new Map<string, string>()
  const positional: string[] = []
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string
    if (a === '--') {
      positional.push(...args.slice(i + 1))
      break
    }
    if (positional.length > 0 && !a.startsWith('-')) {
      positional.push(...args.slice(i))
      break
    }
    if (a.startsWith('--') && a.includes('=')) {
      flags.set(a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1))
    } else if (VALUE_FLAGS.has(a)) {
      flags.set(a, args[++i] ?? '')
    } else if (/^-[a-z]{2,}$/.test(a)) {
      for (const ch of a.slice(1)) flags.set(`-${ch}`, 'true')
    } else if (a.startsWith('-')) {
      flags.set(a, 'true')
    } else positional.push(a)
  }
  return { flags, positional }
}

function short(id: string): string {
  return id.slice(0, 13)
}

function ps(ctx: SimCommandContext, p: Parsed): CommandResult {
  const now = ctx.node.cluster.clock.now()
  const rt = agentOf(ctx.node).runtime
  const all = p.flags.has('-a') || p.flags.has('--all')
  const name = p.flags.get('--name')
  const state = p.flags.get('--state')?.toLowerCase()
  const pod = p.flags.get('--pod') ?? p.flags.get('-p')
  let list = rt.containers.filter((c) => all || c.state === 'CONTAINER_RUNNING')
  if (state) list = list.filter((c) => STATE[c.state]?.toLowerCase() === state)
  if (name) {
    let re: RegExp
    try {
      re = new RegExp(name)
    } catch {
      return fatal(`error parsing regexp: invalid regular expression: \`${name}\``)
    }
    list = list.filter((c) => re.test(c.name))
  }
  if (pod) list = list.filter((c) => c.sandboxId.startsWith(pod))
  if (p.flags.has('--latest') || p.flags.has('-l')) list = list.slice(-1)
  list = [...list].sort((a, b) => b.createdAt - a.createdAt)
  if (p.flags.has('-q') || p.flags.has('--quiet')) return ok(list.map((c) => `${c.id}\n`).join(''))
  const output = p.flags.get('-o') ?? p.flags.get('--output')
  if (output === 'json')
    return ok(`${JSON.stringify({ containers: list.map((c) => containerJson(c)) }, null, 2)}\n`)
  const profile = ctx.node.cluster.profile.id
  const header = ['CONTAINER', 'IMAGE', 'CREATED', 'STATE', 'NAME', 'ATTEMPT', 'POD ID']
  if (profile !== '1.20') header.push('POD')
  if (profile === '1.34') header.push('NAMESPACE')
  const rows = [header]
  for (const c of list) {
    const image = rt.images.get(c.image)
    const row = [
      short(c.id),
      short(image?.id ?? c.imageRef.replace('sha256:', '')),
      `${humanDuration(now - c.createdAt)} ago`,
      STATE[c.state] ?? c.state,
      c.name,
      String(c.attempt),
      short(c.sandboxId),
    ]
    if (profile !== '1.20') row.push(c.podName)
    if (profile === '1.34') row.push(c.podNamespace)
    rows.push(row)
  }
  return ok(tabwrite(rows, 20, 3))
}

function pods(ctx: SimCommandContext, p: Parsed): CommandResult {
  const now = ctx.node.cluster.clock.now()
  const rt = agentOf(ctx.node).runtime
  let list = [...rt.sandboxes].sort((a, b) => b.createdAt - a.createdAt)
  const name = p.flags.get('--name')
  if (name) list = list.filter((s) => s.name.includes(name))
  const ns = p.flags.get('--namespace') ?? p.flags.get('-n')
  if (ns) list = list.filter((s) => s.namespace === ns)
  const state = p.flags.get('--state')?.toLowerCase()
  if (state) list = list.filter((s) => STATE[s.state]?.toLowerCase() === state)
  if (p.flags.has('-q') || p.flags.has('--quiet')) return ok(list.map((s) => `${s.id}\n`).join(''))
  const legacy = ctx.node.cluster.profile.id === '1.20'
  const header = ['POD ID', 'CREATED', 'STATE', 'NAME', 'NAMESPACE', 'ATTEMPT']
  if (!legacy) header.push('RUNTIME')
  const rows = [header]
  for (const s of list) {
    const row = [
      short(s.id),
      `${humanDuration(now - s.createdAt)} ago`,
      STATE[s.state] ?? s.state,
      s.name,
      s.namespace,
      String(s.attempt),
    ]
    if (!legacy) row.push('(default)')
    rows.push(row)
  }
  return ok(tabwrite(rows, 20, 3))
}

function images(ctx: SimCommandContext, p: Parsed): CommandResult {
  const rt = agentOf(ctx.node).runtime
  const list = [...rt.images.values()].sort((a, b) => a.repo.localeCompare(b.repo))
  if (p.flags.has('-q') || p.flags.has('--quiet')) return ok(list.map((i) => `sha256:${i.id}\n`).join(''))
  const rows = [['IMAGE', 'TAG', 'IMAGE ID', 'SIZE']]
  for (const i of list) rows.push([i.repo, i.tag, short(i.id), i.size])
  return ok(tabwrite(rows, 20, 3))
}

function find(ctx: SimCommandContext, id: string | undefined): Container | CommandResult {
  if (!id) return fatal('ID cannot be empty')
  const c = agentOf(ctx.node).runtime.findContainer(id)
  if (!c)
    return fatal(
      `rpc error: code = NotFound desc = an error occurred when try to find container "${id}": not found`,
    )
  return c
}

function containerJson(c: Container) {
  return {
    id: c.id,
    podSandboxId: c.sandboxId,
    metadata: { name: c.name, attempt: c.attempt },
    image: { image: c.image },
    imageRef: c.imageRef,
    state: c.state,
    createdAt: String(c.createdAt * 1_000_000),
    labels: c.labels,
    annotations: c.annotations,
  }
}

function inspect(ctx: SimCommandContext, p: Parsed): CommandResult {
  const found = find(ctx, p.positional[0])
  if (!('id' in found)) return found
  const c = found
  const ts = (ms: number) =>
    ms
      ? new Date(ms)
          .toISOString()
          .replace('Z', '000000Z')
          .replace(/\.(\d{3})000000Z/, '.$1000000Z')
      : '0001-01-01T00:00:00Z'
  const body = {
    status: {
      id: c.id,
      metadata: { attempt: c.attempt, name: c.name },
      state: c.state,
      createdAt: ts(c.createdAt),
      startedAt: ts(c.startedAt),
      finishedAt: ts(c.finishedAt),
      exitCode: c.exitCode,
      image: { annotations: {}, image: c.image, runtimeHandler: '', userSpecifiedImage: '' },
      imageRef: c.imageRef,
      reason: c.reason,
      message: '',
      labels: c.labels,
      annotations: c.annotations,
      mounts: c.mounts.map((m) => ({
        containerPath: m.containerPath,
        gidMappings: [],
        hostPath: m.hostPath,
        propagation: 'PROPAGATION_PRIVATE',
        readonly: m.readOnly,
        recursiveReadOnly: false,
        selinuxRelabel: false,
        uidMappings: [],
      })),
      logPath: `/var/log/pods/${c.podNamespace}_${c.podName}_${c.podUid}/${c.name}/${c.attempt}.log`,
      resources: null,
    },
    info: {
      sandboxID: c.sandboxId,
      pid: c.state === 'CONTAINER_RUNNING' ? c.pid : 0,
      removing: false,
      snapshotKey: c.id,
      snapshotter: 'overlayfs',
      runtimeType: 'io.containerd.runc.v2',
      runtimeOptions: { systemd_cgroup: true },
      config: {
        metadata: { name: c.name, attempt: c.attempt },
        image: { image: c.image },
        command: c.argv,
        labels: c.labels,
        annotations: c.annotations,
        mounts: c.mounts.map((m) => ({
          container_path: m.containerPath,
          host_path: m.hostPath,
          ...(m.readOnly ? { readonly: true } : {}),
        })),
        log_path: `${c.name}/${c.attempt}.log`,
        linux: { security_context: { namespace_options: { network: 2, pid: 1 } } },
      },
      runtimeSpec: {
        ociVersion: '1.1.0',
        process: {
          user: { uid: 0, gid: 0 },
          args: c.argv,
          env: [
            'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
            `HOSTNAME=${ctx.node.name}`,
          ],
          cwd: '/',
        },
        root: { path: 'rootfs' },
        hostname: ctx.node.name,
        mounts: [
          { destination: '/proc', type: 'proc', source: 'proc', options: ['nosuid', 'noexec', 'nodev'] },
          ...c.mounts.map((m) => ({
            destination: m.containerPath,
            type: 'bind',
            source: m.hostPath,
            options: ['rbind', 'rprivate', m.readOnly ? 'ro' : 'rw'],
          })),
        ],
      },
    },
  }
  const out = p.flags.get('-o') ?? p.flags.get('--output')
  if (out === 'go-template' || out === 'yaml') return fatal(`unsupported output format "${out}" in this lab`)
  return ok(`${JSON.stringify(body, null, 2)}\n`)
}

async function logs(ctx: SimCommandContext, p: Parsed): Promise<CommandResult> {
  const follow =
    p.flags.has('-f') ||
    p.flags.has('--follow') ||
    p.positional.slice(1).some((a) => a === '-f' || a === '--follow')
  const found = find(ctx, p.positional[0])
  if (!('id' in found)) return found
  const runtime = agentOf(ctx.node).runtime
  let lines = runtime.logsOf(found)
  const tail = p.flags.get('--tail')
  if (tail !== undefined && Number(tail) >= 0) lines = Number(tail) === 0 ? [] : lines.slice(-Number(tail))
  const text = lines.length ? `${lines.join('\n')}\n` : ''
  // etcd and the control plane components log to stderr; crictl replays each stream to its own.
  const out = ctx.stderr
  if (!follow || !out?.isTerminal || found.state !== 'CONTAINER_RUNNING')
    return { stdout: '', stderr: text, exitCode: 0 }
  // -f: keep printing what the container logs until it exits or Ctrl-C.
  out.write(text)
  let shown = runtime.logsOf(found)
  const clock = ctx.node.cluster.clock
  while (found.state === 'CONTAINER_RUNNING') {
    await clock.sleep(1000, ctx.signal)
    await cooperate(ctx.signal)
    const now = runtime.logsOf(found)
    const last = shown[shown.length - 1]
    const from = last === undefined ? 0 : now.lastIndexOf(last) + 1
    const fresh = now.slice(from > 0 ? from : now.length === shown.length ? now.length : 0)
    if (fresh.length) out.write(`${fresh.join('\n')}\n`)
    shown = now
  }
  return { stdout: '', stderr: '', exitCode: 0 }
}

async function exec(ctx: SimCommandContext, p: Parsed): Promise<CommandResult> {
  const [id, ...argv] = p.positional
  const found = find(ctx, id)
  if (!('id' in found)) return found
  if (argv.length === 0) return fatal('Command cannot be empty')
  if (found.state !== 'CONTAINER_RUNNING')
    return fatal(
      `execing command in container: rpc error: code = Unknown desc = container ${found.id} is not running`,
    )
  const r = await execIn(ctx.node, found, argv, {
    stdin: p.flags.has('-i') ? ctx.stdin : undefined,
    tty: ctx.tty,
    signal: ctx.signal,
  })
  if (r.startError) {
    return fatal(
      `execing command in container: rpc error: code = Unknown desc = failed to exec in container: failed to start exec "${r.execId}": ${r.startError}`,
    )
  }
  return { stdout: r.stdout, stderr: r.stderr, exitCode: r.exitCode }
}

function version(ctx: SimCommandContext): CommandResult {
  const p = ctx.node.cluster.profile
  return ok(
    `Version:  0.1.0\nRuntimeName:  containerd\nRuntimeVersion:  v${p.containerdVersion}\nRuntimeApiVersion:  ${p.id === '1.20' ? 'v1alpha2' : 'v1'}\n`,
  )
}

const USAGE = `NAME:
   crictl - client for CRI

USAGE:
   crictl [global options] command [command options]

COMMANDS:
   attach              Attach to a running container
   create              Create a new container
   exec                Run a command in a running container
   version             Display runtime version information
   images, image, img  List images
   inspect             Display the status of one or more containers
   inspecti            Return the status of one or more images
   inspectp            Display the status of one or more pods
   logs                Fetch the logs of a container
   pods                List pods
   ps                  List containers
   rm                  Remove one or more containers
   rmp                 Remove one or more pods
   stop                Stop one or more running containers
   stopp               Stop one or more running pods
   help, h             Shows a list of commands or help for one command
`

async function run(ctx: SimCommandContext): Promise<CommandResult> {
  const [sub, ...rest] = ctx.args
  if (!sub || sub === 'help' || sub === '-h' || sub === '--help') return ok(USAGE)
  const down = unreachable(ctx)
  const p = parse(rest)
  switch (sub) {
    case 'ps':
      return down ?? ps(ctx, p)
    case 'pods':
      return down ?? pods(ctx, p)
    case 'images':
    case 'image':
    case 'img':
      return down ?? images(ctx, p)
    case 'inspect':
      return down ?? inspect(ctx, p)
    case 'inspectp': {
      if (down) return down
      const sb = agentOf(ctx.node).runtime.sandboxes.find((s) => s.id.startsWith(p.positional[0] ?? '\0'))
      if (!sb)
        return fatal(
          `getting the pod sandbox status for "${p.positional[0] ?? ''}": rpc error: code = NotFound desc = an error occurred when try to find sandbox: not found`,
        )
      return ok(
        `${JSON.stringify({ status: { id: sb.id, metadata: { attempt: sb.attempt, name: sb.name, namespace: sb.namespace, uid: sb.uid }, state: sb.state, createdAt: rfc3339(sb.createdAt), network: { ip: ctx.node.ip }, labels: sb.labels, annotations: sb.annotations } }, null, 2)}\n`,
      )
    }
    case 'logs':
      return down ?? logs(ctx, p)
    case 'exec':
      return down ?? exec(ctx, p)
    case 'version':
      return down ?? version(ctx)
    case 'stopp':
    case 'rmp': {
      if (down) return down
      const rt = agentOf(ctx.node).runtime
      const out: string[] = []
      for (const id of p.positional) {
        const matches = rt.sandboxes.filter((sb) => sb.id.startsWith(id))
        const sb = matches.length === 1 ? matches[0] : undefined
        if (!sb)
          return fatal(
            `getting sandbox status of pod "${id}": rpc error: code = NotFound desc = an error occurred when try to find sandbox: not found`,
          )
        if (sub === 'rmp' && sb.state === 'SANDBOX_READY' && !p.flags.has('-f') && !p.flags.has('--force'))
          return fatal(`pod sandbox "${sb.id}" is running, please stop it first`)
        if (sub === 'rmp') rt.removeSandbox(sb.id)
        else rt.stopSandbox(sb.id)
        out.push(sub === 'rmp' ? `Removed sandbox ${id}` : `Stopped sandbox ${id}`)
      }
      return ok(out.map((x) => `${x}\n`).join(''))
    }
    case 'stop':
    case 'rm': {
      if (down) return down
      const out: string[] = []
      for (const id of p.positional) {
        const c = find(ctx, id)
        if (!('id' in c)) return c
        agentOf(ctx.node).runtime.stopContainer(c.id, 137, 'Error')
        out.push(id)
      }
      return ok(out.map((x) => `${x}\n`).join(''))
    }
    default:
      return fail(`FATA[0000] no help topic for '${sub}'\n`, 3)
  }
}

export const crictl: SimCommand = {
  name: 'crictl',
  run,
}
