import { type CommandResult, fail, ok, type SimCommand, type SimCommandContext } from '../../commands/types'
import type { SimNode } from '../../node'

// ssh between the cluster's nodes, hostname and ip: what a learner uses to
// find and reach the other control planes.

function mac(node: SimNode): string {
  const parts = node.ip.split('.').map((n) => Number(n).toString(16).padStart(2, '0'))
  return `02:42:${parts.join(':')}`
}

function ifaceIndex(node: SimNode): number {
  return 5 + Math.max(0, node.cluster.nodes.indexOf(node)) * 2
}

function ipAddr(node: SimNode, family: '4' | '6' | undefined, brief: boolean): string {
  const idx = ifaceIndex(node)
  const base = node.ip.split('.').slice(0, 3).join('.')
  if (brief) {
    return `lo               UNKNOWN        127.0.0.1/8 ::1/128 \neth0@if${idx}        UP             ${node.ip}/24 \n`
  }
  let lo = '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000\n'
  if (!family) lo += '    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n'
  if (family !== '6')
    lo += '    inet 127.0.0.1/8 scope host lo\n       valid_lft forever preferred_lft forever\n'
  if (family !== '4') lo += '    inet6 ::1/128 scope host \n       valid_lft forever preferred_lft forever\n'
  let eth = `2: eth0@if${idx}: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP group default \n`
  if (!family) eth += `    link/ether ${mac(node)} brd ff:ff:ff:ff:ff:ff link-netnsid 0\n`
  if (family !== '6')
    eth += `    inet ${node.ip}/24 brd ${base}.255 scope global eth0\n       valid_lft forever preferred_lft forever\n`
  return lo + eth
}

async function ip(ctx: SimCommandContext): Promise<CommandResult> {
  let family: '4' | '6' | undefined
  let brief = false
  const words: string[] = []
  for (const a of ctx.args) {
    if (a === '-4') family = '4'
    else if (a === '-6') family = '6'
    else if (a === '-br' || a === '-brief' || a === '--brief') brief = true
    else if (a === '-c' || a === '-color' || a.startsWith('--color')) continue
    else words.push(a)
  }
  const obj = words[0] ?? ''
  if (!obj) {
    return fail(
      'Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }\n       ip [ -force ] -batch filename\nwhere  OBJECT := { address | link | route | neigh | netns | ... }\n',
      255,
    )
  }
  if ('address'.startsWith(obj) || obj === 'addr' || obj === 'a') {
    const dev =
      words.indexOf('dev') >= 0
        ? words[words.indexOf('dev') + 1]
        : words[2] && words[1] === 'show'
          ? words[2]
          : undefined
    let out = ipAddr(ctx.node, family, brief)
    if (dev === 'eth0') out = out.slice(out.indexOf('2: eth0'))
    else if (dev === 'lo') out = out.slice(0, out.indexOf('2: eth0'))
    else if (dev) return fail(`Device "${dev}" does not exist.\n`, 1)
    return ok(out)
  }
  if ('route'.startsWith(obj) || obj === 'r') {
    const base = ctx.node.ip.split('.').slice(0, 3).join('.')
    return ok(
      `default via ${base}.1 dev eth0 \n${base}.0/24 dev eth0 proto kernel scope link src ${ctx.node.ip} \n`,
    )
  }
  if ('link'.startsWith(obj) || obj === 'l') {
    const idx = ifaceIndex(ctx.node)
    return ok(
      `1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000\n    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00\n2: eth0@if${idx}: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default \n    link/ether ${mac(ctx.node)} brd ff:ff:ff:ff:ff:ff link-netnsid 0\n`,
    )
  }
  return fail(`Object "${obj}" is unknown, try "ip help".\n`, 1)
}

async function hostname(ctx: SimCommandContext): Promise<CommandResult> {
  const a = ctx.args[0]
  if (a === '-I' || a === '--all-ip-addresses') return ok(`${ctx.node.ip} \n`)
  if (a === '-i' || a === '--ip-address') return ok(`${ctx.node.ip}\n`)
  if (a && !a.startsWith('-')) return fail('hostname: you must be root to change the host name\n', 1)
  return ok(`${ctx.node.name}\n`)
}

const SSH_VALUE_FLAGS = new Set([
  '-i',
  '-p',
  '-l',
  '-o',
  '-F',
  '-J',
  '-L',
  '-R',
  '-D',
  '-E',
  '-b',
  '-c',
  '-m',
  '-S',
  '-W',
])

async function ssh(ctx: SimCommandContext): Promise<CommandResult> {
  let host: string | undefined
  const command: string[] = []
  for (let i = 0; i < ctx.args.length; i++) {
    const a = ctx.args[i] as string
    if (host) {
      command.push(a)
      continue
    }
    if (SSH_VALUE_FLAGS.has(a)) i++
    else if (a.startsWith('-')) continue
    else host = a
  }
  if (!host) {
    return fail(
      'usage: ssh [-46AaCfGgKkMNnqsTtVvXxYy] [-B bind_interface] [-b bind_address]\n           [-c cipher_spec] [-D [bind_address:]port] [-E log_file]\n           [-e escape_char] [-F configfile] [-I pkcs11] [-i identity_file]\n           [-J destination] [-L address] [-l login_name] [-m mac_spec]\n           [-O ctl_cmd] [-o option] [-P tag] [-p port] [-Q query_option]\n           [-R address] [-S ctl_path] [-W host:port] [-w local_tun[:remote_tun]]\n           destination [command [argument ...]]\n',
      255,
    )
  }
  const target = host.includes('@') ? host.slice(host.indexOf('@') + 1) : host
  const remote = ctx.node.cluster.nodeByAddress(ctx.node, target)
  if (!remote) return fail(`ssh: Could not resolve hostname ${target}: Name or service not known\n`, 255)
  if (command.length > 0) {
    const r = await remote.exec(command.join(' '), { stdin: ctx.stdin })
    return { stdout: r.stdout, stderr: r.stderr, exitCode: r.exitCode }
  }
  const tty = ctx.tty
  if (!tty) {
    const r = await remote.exec(ctx.stdin)
    return {
      stdout: r.stdout,
      stderr: `Pseudo-terminal will not be allocated because stdin is not a terminal.\n${r.stderr}`,
      exitCode: r.exitCode,
    }
  }
  // An interactive login: the other node's shell, bridged through this terminal.
  const stream = await remote.openTerminal(tty.size)
  const code = await new Promise<number>((resolve) => {
    const offs: Array<() => void> = []
    const finish = (c: number) => {
      for (const o of offs.splice(0)) o()
      stream.dispose()
      resolve(c)
    }
    const decoder = new TextDecoder()
    offs.push(stream.onData((d) => tty.write(decoder.decode(d, { stream: true }))))
    offs.push(stream.onExit((c) => finish(c)))
    offs.push(tty.onInput((d) => stream.write(d)))
    offs.push(tty.onResize((s) => stream.resize(s)))
  })
  tty.write(`Connection to ${target} closed.\r\n`)
  return { stdout: '', stderr: '', exitCode: code }
}

/** `host:path` → the node and path; a plain path is local. */
function splitRemote(ctx: SimCommandContext, spec: string): { node: SimNode; path: string } | string {
  const m = /^(?:[^@/:]+@)?([^/:]+):(.*)$/.exec(spec)
  if (!m) return { node: ctx.node, path: ctx.fs.resolvePath(ctx.cwd, spec) }
  const host = m[1] as string
  const node = ctx.node.cluster.nodeByAddress(ctx.node, host)
  if (!node) return `ssh: Could not resolve hostname ${host}: Name or service not known`
  const path = m[2] || '/root'
  return { node, path: path.startsWith('/') ? path : `/root/${path}` }
}

async function copyTree(
  from: SimNode,
  src: string,
  to: SimNode,
  dst: string,
  recursive: boolean,
): Promise<string | undefined> {
  const st = await from.fs.stat(src).catch(() => undefined)
  if (!st) return `scp: ${src}: No such file or directory`
  let target = dst
  const dstSt = await to.fs.stat(dst).catch(() => undefined)
  if (dstSt?.isDirectory) target = `${dst.replace(/\/$/, '')}/${src.replace(/\/$/, '').replace(/.*\//, '')}`
  if (st.isDirectory) {
    if (!recursive) return `scp: ${src}: not a regular file`
    await to.fs.mkdir(target, { recursive: true })
    for (const name of await from.fs.readdir(src)) {
      const err = await copyTree(from, `${src}/${name}`, to, `${target}/${name}`, true)
      if (err) return err
    }
    return undefined
  }
  try {
    await to.fs.writeFile(target, await from.fs.readFileBuffer(src))
  } catch {
    return `scp: ${target}: No such file or directory`
  }
  return undefined
}

async function scp(ctx: SimCommandContext): Promise<CommandResult> {
  const recursive = ctx.args.some((a) => /^-[a-zA-Z]*r/.test(a))
  const paths = ctx.args.filter((a, i) => !a.startsWith('-') && !SSH_VALUE_FLAGS.has(ctx.args[i - 1] ?? ''))
  if (paths.length < 2) {
    return fail(
      'usage: scp [-346ABCOpqRrsTv] [-c cipher] [-D sftp_server_path] [-F ssh_config]\n           [-i identity_file] [-J destination] [-l limit] [-o ssh_option]\n           [-P port] [-S program] [-X sftp_option] source ... target\n',
      1,
    )
  }
  const target = splitRemote(ctx, paths.at(-1) as string)
  if (typeof target === 'string') return fail(`${target}\n`, 255)
  for (const s of paths.slice(0, -1)) {
    const src = splitRemote(ctx, s)
    if (typeof src === 'string') return fail(`${src}\n`, 255)
    const err = await copyTree(src.node, src.path, target.node, target.path, recursive)
    if (err) return fail(`${err}\n`, 1)
  }
  return ok()
}

export const netCommands: SimCommand[] = [
  { name: 'scp', run: scp },
  { name: 'ssh', run: ssh },
  { name: 'hostname', run: hostname },
  { name: 'ip', run: ip },
]
