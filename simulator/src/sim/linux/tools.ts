import { type CommandResult, fail, ok, type SimCommand, type SimCommandContext } from '../commands/types'
import { agentOf } from '../k8s/world'
import { endpointAt } from './http'

// The node's other binaries a learner checks: kubelet and containerd
// versions, ctr's basics, nc's port probe, and apt on an offline node.
// There is no `etcd` on a kubeadm host: etcd runs only in its container.

async function kubelet(ctx: SimCommandContext): Promise<CommandResult> {
  const v = ctx.node.cluster.profile.kubernetesVersion
  if (ctx.args.includes('--version') || ctx.args.includes('--version=true')) return ok(`Kubernetes ${v}\n`)
  return fail(
    'E0000 00:00:00.000000    4242 run.go:72] "command failed" err="failed to run Kubelet: the kubelet is already running on this node (systemctl status kubelet); run it with --version to see its version"\n',
    1,
  )
}

/** containerd as installed from the upstream release tarball under /usr/local/bin. */
const CONTAINERD: Record<string, { module: string; commit: string }> = {
  '1.4.0': { module: 'github.com/containerd/containerd', commit: '09814d48d50816305a8e6c1a4ae3e2bcc4ba725a' },
  '1.7.18': {
    module: 'github.com/containerd/containerd',
    commit: 'ae71819c4f5e67bb4d5ae76a6b735f29cc25774e',
  },
  '2.1.4': {
    module: 'github.com/containerd/containerd/v2',
    commit: '75cb2b7193e4e490e9fbdc236c0e811ccaba3376',
  },
}

function containerdInfo(ctx: SimCommandContext) {
  const v = ctx.node.cluster.profile.containerdVersion
  return { v, ...(CONTAINERD[v] ?? { module: 'github.com/containerd/containerd', commit: '' }) }
}

async function containerd(ctx: SimCommandContext): Promise<CommandResult> {
  const c = containerdInfo(ctx)
  if (ctx.args[0] === '--version' || ctx.args[0] === '-v')
    return ok(`containerd ${c.module} v${c.v} ${c.commit}\n`)
  return fail(
    `containerd: failed to create listener: listen unix /run/containerd/containerd.sock: bind: address already in use (containerd already runs as containerd.service)\n`,
    1,
  )
}

function pad(cells: string[], widths: number[]): string {
  return `${cells.map((c, i) => c.padEnd(widths[i] as number)).join('')}\n`
}

async function ctr(ctx: SimCommandContext): Promise<CommandResult> {
  let ns = 'default'
  const words: string[] = []
  let quiet = false
  for (let i = 0; i < ctx.args.length; i++) {
    const a = ctx.args[i] as string
    if (a === '-n' || a === '--namespace') ns = ctx.args[++i] ?? ns
    else if (a.startsWith('--namespace=')) ns = a.slice(12)
    else if (a === '-q' || a === '--quiet') quiet = true
    else words.push(a)
  }
  const c = containerdInfo(ctx)
  const agent = agentOf(ctx.node)
  const [obj, verb] = words
  if (!agent.units.containerd.active && obj !== 'version')
    return fail(
      'ctr: failed to dial "/run/containerd/containerd.sock": connection error: desc = "transport: error while dialing: dial unix:///run/containerd/containerd.sock: connect: no such file or directory"\n',
      1,
    )
  if (obj === 'version') {
    let out = `Client:\n  Version:  v${c.v}\n  Revision: ${c.commit}\n  Go version: ${ctx.node.cluster.profile.goVersion}\n\n`
    if (agent.units.containerd.active)
      out += `Server:\n  Version:  v${c.v}\n  Revision: ${c.commit}\n  UUID: 7e215221-9f19-41e7-b845-35be094be35f\n`
    return ok(out)
  }
  const rt = agent.runtime
  const list = verb === 'ls' || verb === 'list' || verb === undefined
  if ((obj === 'containers' || obj === 'c' || obj === 'container') && list) {
    const items =
      ns === 'k8s.io'
        ? [
            ...rt.sandboxes.map((s) => ({ id: s.id, image: ctx.node.cluster.profile.pauseImage })),
            ...rt.containers.map((x) => ({ id: x.id, image: x.image })),
          ].sort((a, b) => (a.id < b.id ? -1 : 1))
        : []
    if (quiet) return ok(items.map((i) => `${i.id}\n`).join(''))
    let out = pad(['CONTAINER', 'IMAGE', 'RUNTIME'], [68, 46, 25])
    for (const i of items) out += pad([i.id, i.image, 'io.containerd.runc.v2'], [68, 46, 25])
    return ok(out)
  }
  if ((obj === 'images' || obj === 'i' || obj === 'image') && list) {
    const imgs =
      ns === 'k8s.io'
        ? [...rt.images.values()].sort((a, b) => (`${a.repo}:${a.tag}` < `${b.repo}:${b.tag}` ? -1 : 1))
        : []
    if (quiet) return ok(imgs.map((i) => `${i.repo}:${i.tag}\n`).join(''))
    let out = pad(['REF', 'TYPE', 'DIGEST', 'SIZE', 'PLATFORMS', 'LABELS'], [72, 53, 72, 10, 12, 32])
    for (const i of imgs)
      out += pad(
        [
          `${i.repo}:${i.tag}`,
          'application/vnd.docker.distribution.manifest.v2+json',
          `sha256:${i.id
            .replace(/^sha256:/, '')
            .padEnd(64, '0')
            .slice(0, 64)}`,
          i.size.replace(/MB$/, ' MiB'),
          'linux/amd64',
          'io.cri-containerd.image=managed',
        ],
        [72, 53, 72, 10, 12, 32],
      )
    return ok(out)
  }
  if (obj === 'namespaces' || obj === 'ns') return ok('NAME   LABELS \nk8s.io        \n')
  if (!obj)
    return ok(
      'NAME:\n   ctr - \n        __\n  _____/ /______\n / ___/ __/ ___/\n/ /__/ /_/ /\n\\___/\\__/_/\n\ncontainerd CLI\n\n\nUSAGE:\n   ctr [global options] command [command options] [arguments...]\n',
    )
  return fail(
    `ctr: ${obj} ${verb ?? ''}: not available on this practice node (try: ctr -n k8s.io containers ls, ctr -n k8s.io images ls, ctr version)\n`,
    1,
  )
}

const NC_USAGE = `usage: nc [-46CDdFhklNnrStUuvZz] [-I length] [-i interval] [-M ttl]
\t  [-m minttl] [-O length] [-P proxy_username] [-p source_port]
\t  [-q seconds] [-s sourceaddr] [-T keyword] [-V rtable] [-W recvlimit]
\t  [-w timeout] [-X proxy_protocol] [-x proxy_address[:port]]
\t  [destination] [port]
`

async function nc(ctx: SimCommandContext): Promise<CommandResult> {
  let verbose = false
  let zero = false
  const words: string[] = []
  for (let i = 0; i < ctx.args.length; i++) {
    const a = ctx.args[i] as string
    if (/^-[a-zA-Z46]+$/.test(a)) {
      if (a.includes('v')) verbose = true
      if (a.includes('z')) zero = true
      if (/[wWqipsIOPTVXxMm]$/.test(a)) i++
    } else words.push(a)
  }
  const [host, portText] = words
  if (!host || !portText) return { stdout: '', stderr: NC_USAGE, exitCode: 1 }
  const ports: number[] = []
  const range = /^(\d+)-(\d+)$/.exec(portText)
  if (range) for (let p = Number(range[1]); p <= Number(range[2]) && ports.length < 1000; p++) ports.push(p)
  else ports.push(Number(portText))
  const node = ctx.node.cluster.nodeByAddress(ctx.node, host)
  if (!node) {
    if (/^\d+\.\d+\.\d+\.\d+$/.test(host))
      return {
        stdout: '',
        stderr: verbose ? `nc: connect to ${host} port ${ports[0]} (tcp) failed: No route to host\n` : '',
        exitCode: 1,
      }
    return {
      stdout: '',
      stderr: `nc: getaddrinfo for host "${host}" port ${portText}: Name or service not known\n`,
      exitCode: 1,
    }
  }
  let err = ''
  let any = false
  for (const port of ports) {
    const ep = endpointAt(ctx.node, host, port)
    if (ep) {
      any = true
      if (verbose) err += `Connection to ${host} ${port} port [tcp/${port === 22 ? 'ssh' : '*'}] succeeded!\n`
    } else if (verbose) err += `nc: connect to ${host} port ${port} (tcp) failed: Connection refused\n`
  }
  if (!zero && any && !ctx.stdin) return { stdout: '', stderr: err, exitCode: 0 }
  return { stdout: '', stderr: err, exitCode: any ? 0 : 1 }
}

/** Packages an apt on this node knows (its last `apt-get update`), with what Debian 12 would fetch. */
const AVAILABLE: Record<string, { version: string; size: string; installed: string; path: string }> = {
  tree: { version: '2.1.0-1', size: '52.5 kB', installed: '116 kB', path: 't/tree/tree_2.1.0-1_amd64.deb' },
  'net-tools': {
    version: '2.10-0.1',
    size: '243 kB',
    installed: '1,005 kB',
    path: 'n/net-tools/net-tools_2.10-0.1_amd64.deb',
  },
  jq: { version: '1.6-2.1', size: '135 kB', installed: '102 kB', path: 'j/jq/jq_1.6-2.1_amd64.deb' },
  htop: { version: '3.2.2-2', size: '152 kB', installed: '387 kB', path: 'h/htop/htop_3.2.2-2_amd64.deb' },
  'etcd-client': {
    version: '3.4.23-4+b6',
    size: '4,651 kB',
    installed: '15.5 MB',
    path: 'e/etcd/etcd-client_3.4.23-4+b6_amd64.deb',
  },
}
const INSTALLED: Record<string, string> = {
  curl: '7.88.1-10+deb12u15',
  openssl: '3.0.20-1~deb12u2',
  less: '590-2.1~deb12u2',
  procps: '2:4.0.2-3',
  iproute2: '6.1.0-3',
  'netcat-openbsd': '1.219-1',
  vim: '2:9.0.1378-2+deb12u2',
  nano: '7.2-1+deb12u1',
  'man-db': '2.11.2-2',
}

async function apt(ctx: SimCommandContext, prog: 'apt' | 'apt-get'): Promise<CommandResult> {
  const words = ctx.args.filter((a) => !a.startsWith('-'))
  const [verb, ...pkgs] = words
  const banner =
    prog === 'apt'
      ? '\nWARNING: apt does not have a stable CLI interface. Use with caution in scripts.\n\n'
      : ''
  if (!verb) return fail(`${prog} 2.6.1 (amd64)\nUsage: ${prog} [options] command\n`, 1)
  if (verb === 'update') {
    // The node's sources.list has the one bookworm entry, as in the kind node image.
    const out =
      "Ign:1 http://deb.debian.org/debian bookworm InRelease\nIgn:1 http://deb.debian.org/debian bookworm InRelease\nIgn:1 http://deb.debian.org/debian bookworm InRelease\nErr:1 http://deb.debian.org/debian bookworm InRelease\n  Temporary failure resolving 'deb.debian.org'\nReading package lists...\n"
    const err =
      "W: Failed to fetch http://deb.debian.org/debian/dists/bookworm/InRelease  Temporary failure resolving 'deb.debian.org'\nW: Some index files failed to download. They have been ignored, or old ones used instead.\n"
    return { stdout: out, stderr: banner + err, exitCode: 0, shown: banner + out + err }
  }
  if (verb !== 'install')
    return fail(
      `${banner}E: ${prog} ${verb}: not available on this practice node (it has no network access)\n`,
      100,
    )
  let out = 'Reading package lists...\nBuilding dependency tree...\n'
  for (const p of pkgs) {
    if (!AVAILABLE[p] && !INSTALLED[p])
      return {
        stdout: out,
        stderr: `${banner}E: Unable to locate package ${p}\n`,
        exitCode: 100,
        shown: `${banner}${out}E: Unable to locate package ${p}\n`,
      }
  }
  const fresh = pkgs.filter((p) => AVAILABLE[p])
  for (const p of pkgs.filter((x) => INSTALLED[x]))
    out += `${p} is already the newest version (${INSTALLED[p]}).\n`
  if (fresh.length === 0) {
    out += '0 upgraded, 0 newly installed, 0 to remove and 0 not upgraded.\n'
    return { stdout: out, stderr: banner, exitCode: 0, shown: banner + out }
  }
  out += `The following NEW packages will be installed:\n  ${fresh.join(' ')}\n0 upgraded, ${fresh.length} newly installed, 0 to remove and 0 not upgraded.\n`
  const first = AVAILABLE[fresh[0] as string] as (typeof AVAILABLE)[string]
  out += `Need to get ${first.size} of archives.\nAfter this operation, ${first.installed} of additional disk space will be used.\n`
  let err = ''
  fresh.forEach((p, i) => {
    const a = AVAILABLE[p] as (typeof AVAILABLE)[string]
    const line = `http://deb.debian.org/debian bookworm/main amd64 ${p} amd64 ${a.version}`
    out += `Ign:${i + 1} ${line}\nIgn:${i + 1} ${line}\nIgn:${i + 1} ${line}\nErr:${i + 1} ${line}\n  Temporary failure resolving 'deb.debian.org'\n`
    err += `E: Failed to fetch http://deb.debian.org/debian/pool/main/${a.path}  Temporary failure resolving 'deb.debian.org'\n`
  })
  err += 'E: Unable to fetch some archives, maybe run apt-get update or try with --fix-missing?\n'
  return { stdout: out, stderr: banner + err, exitCode: 100, shown: banner + out + err }
}

export const toolCommands: SimCommand[] = [
  { name: 'kubelet', run: kubelet },
  { name: 'containerd', run: containerd },
  { name: 'ctr', run: ctr },
  { name: 'nc', run: nc },
  { name: 'apt', run: (ctx) => apt(ctx, 'apt') },
  { name: 'apt-get', run: (ctx) => apt(ctx, 'apt-get') },
]
