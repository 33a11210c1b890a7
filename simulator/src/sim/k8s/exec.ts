import { Bash } from 'just-bash'
import type { CommandResult, SimCommandContext, Tty } from '../commands/types'
import { etcdVersionText } from '../etcd/server'
import { bindCommand, type SimNode } from '../node'
import type { Container } from './runtime'
import { agentOf } from './world'

// Running a program inside a container (`crictl exec`, `kubectl exec`): the
// program sees the container's filesystem (its rootfs plus hostPath mounts),
// the node's network (control plane pods use hostNetwork) and only the
// binaries its image ships.

export interface ExecOptions {
  stdin?: string
  tty?: Tty
  signal?: AbortSignal
}

export interface ContainerExecResult extends CommandResult {
  /**
   * Set when the program could not be started at all; the runtime's message,
   * e.g. `OCI runtime exec failed: exec failed: unable to start container
   * process: exec: "etcdutl": executable file not found in $PATH: unknown`.
   * crictl and kubectl wrap it in their own prefixes.
   */
  startError?: string
  /** The exec session id the runtime assigned (part of containerd's error texts). */
  execId?: string
  /** The container the command ran in. */
  containerId?: string
}

const CONTAINER_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
const SHELLS = new Set(['sh', 'bash', '/bin/sh', '/bin/bash', '/usr/bin/bash', '/usr/bin/sh'])

/** The programs an image ships: its own binaries, plus a shell and coreutils when it has one. */
export function imageBinaries(node: SimNode, image: string): { binaries: Set<string>; shell: boolean } {
  const profile = node.cluster.profile
  const name = image.replace(/[:@].*$/, '').replace(/.*\//, '')
  if (name === 'etcd') {
    const binaries = new Set(['etcd', 'etcdctl'])
    if (profile.etcdutlInImage) binaries.add('etcdutl')
    // k8s.gcr.io/etcd:3.4.x is built on debian-base and has a shell; 3.5+ images are distroless.
    return { binaries, shell: profile.etcd.imageHasShell }
  }
  if (['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kube-proxy'].includes(name)) {
    return { binaries: new Set([name]), shell: name === 'kube-proxy' && profile.id === '1.20' }
  }
  if (name === 'coredns' || name === 'pause') return { binaries: new Set([name]), shell: false }
  return { binaries: new Set(), shell: true }
}

function notFound(binary: string): string {
  return `OCI runtime exec failed: exec failed: unable to start container process: exec: "${binary}": executable file not found in $PATH: unknown`
}

/** The running container of a pod on a node; pod is the API name (mirror `etcd-<node>` or the manifest's `etcd`). */
export function findPodContainer(
  node: SimNode,
  namespace: string,
  pod: string,
  container?: string,
): Container | undefined {
  const rt = agentOf(node).runtime
  return rt
    .running()
    .find(
      (c) =>
        c.podNamespace === namespace &&
        (c.podName === pod || c.podName === `${pod}-${node.name}`) &&
        (container === undefined || c.name === container),
    )
}

/**
 * A plain line-reading shell on the terminal (`kubectl exec -it … -- sh`):
 * echo, backspace, Ctrl-C to drop the line, Ctrl-D or `exit` to leave.
 */
async function interactiveShell(bash: Bash, tty: Tty, prompt: string, signal?: AbortSignal): Promise<number> {
  let line = ''
  let busy = false
  let last = 0
  const crlf = (t: string) => t.replace(/\r?\n/g, '\r\n')
  return new Promise<number>((resolve) => {
    const finish = (code: number) => {
      off()
      signal?.removeEventListener('abort', onAbort)
      resolve(code)
    }
    const onAbort = () => finish(130)
    signal?.addEventListener('abort', onAbort, { once: true })
    const run = async (text: string) => {
      busy = true
      const cmd = text.trim()
      if (cmd === 'exit' || cmd.startsWith('exit ')) {
        tty.write('exit\r\n')
        finish(Number(cmd.split(/\s+/)[1] ?? last) || 0)
        return
      }
      if (cmd) {
        const r = await bash.exec(cmd, { signal })
        last = r.exitCode
        tty.write(crlf(r.stdout + r.stderr))
      }
      busy = false
      tty.write(prompt)
    }
    const off = tty.onInput((data) => {
      if (busy) return
      for (const ch of data) {
        if (ch === '\r' || ch === '\n') {
          tty.write('\r\n')
          const text = line
          line = ''
          void run(text)
          return
        }
        if (ch === '\x03') {
          line = ''
          tty.write('^C\r\n' + prompt)
        } else if (ch === '\x04') {
          if (!line) {
            tty.write('\r\n')
            finish(last)
            return
          }
        } else if (ch === '\x7f' || ch === '\b') {
          if (line) {
            line = line.slice(0, -1)
            tty.write('\b \b')
          }
        } else if (ch >= ' ') {
          line += ch
          tty.write(ch)
        }
      }
    })
    tty.write(prompt)
  })
}

/** The image's own server binary run a second time: `--version` answers, anything else fails to bind. */
function serverBinary(node: SimNode, bin: string, args: string[]): CommandResult {
  const p = node.cluster.profile
  if (args.includes('--version') || args[0] === 'version') {
    if (bin === 'etcd') return { stdout: etcdVersionText(p), stderr: '', exitCode: 0 }
    return { stdout: `Kubernetes ${p.kubernetesVersion}\n`, stderr: '', exitCode: 0 }
  }
  if (bin === 'etcd') {
    return {
      stdout: '',
      stderr: `{"level":"fatal","msg":"listener failed","error":"listen tcp 127.0.0.1:2379: bind: address already in use"}\n`,
      exitCode: 1,
    }
  }
  return {
    stdout: '',
    stderr:
      'Error: failed to create listener: failed to listen on 0.0.0.0:6443: listen tcp 0.0.0.0:6443: bind: address already in use\n',
    exitCode: 1,
  }
}

/** Run argv in a container (by runtime object). */
export async function execIn(
  node: SimNode,
  c: Container,
  argv: string[],
  opts: ExecOptions = {},
): Promise<ContainerExecResult> {
  const execId = agentOf(node).runtime.newId()
  const base = { execId, containerId: c.id }
  const program = argv[0]
  if (!program) return { ...base, stdout: '', stderr: '', exitCode: 126, startError: notFound('') }
  const { binaries, shell } = imageBinaries(node, c.image)
  const bin = program.replace(/.*\//, '')
  const sims = [...node.cluster.commands.values()].filter(
    (cmd) => binaries.has(cmd.name) || (shell && cmd.name === 'etcdctl' && binaries.has('etcdctl')),
  )
  const env = { PATH: CONTAINER_PATH, HOSTNAME: node.name, HOME: '/root' }
  if (shell && SHELLS.has(program)) {
    const bash = new Bash({
      fs: c.fs,
      cwd: '/',
      env,
      customCommands: sims.map((cmd) => bindCommand(cmd, node, { tty: opts.tty }, 'sh')),
      sleep: (ms) => node.cluster.clock.sleep(ms),
      defenseInDepth: false,
    })
    const rest = argv.slice(1)
    if (rest.length === 0 && opts.tty) {
      const code = await interactiveShell(
        bash,
        opts.tty,
        program.endsWith('bash') ? `root@${node.name}:/# ` : '# ',
        opts.signal,
      )
      return { ...base, stdout: '', stderr: '', exitCode: code }
    }
    let script: string
    if (rest[0] === '-c') script = rest[1] ?? ''
    else if (rest.length === 0) script = opts.stdin ?? ''
    else
      return { ...base, stdout: '', stderr: `${bin}: 0: cannot open ${rest[0]}: No such file\n`, exitCode: 2 }
    const r = await bash.exec(script, {
      stdin: rest[0] === '-c' ? opts.stdin : undefined,
      signal: opts.signal,
    })
    return { ...base, stdout: r.stdout, stderr: r.stderr, exitCode: r.exitCode }
  }
  const sim = sims.find((cmd) => cmd.name === bin)
  if (!binaries.has(bin) && !(shell && sim)) {
    if (shell && !binaries.size) {
      // A general-purpose image: coreutils through a shell.
      const bash = new Bash({
        fs: c.fs,
        cwd: '/',
        env,
        defenseInDepth: false,
        sleep: (ms) => node.cluster.clock.sleep(ms),
      })
      const quoted = argv.map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ')
      const probe = await bash.exec(`command -v '${program.replace(/'/g, '')}'`)
      if (probe.exitCode !== 0)
        return { ...base, stdout: '', stderr: '', exitCode: 126, startError: notFound(program) }
      const r = await bash.exec(quoted, { stdin: opts.stdin, signal: opts.signal })
      return { ...base, stdout: r.stdout, stderr: r.stderr, exitCode: r.exitCode }
    }
    return { ...base, stdout: '', stderr: '', exitCode: 126, startError: notFound(program) }
  }
  if (!sim) return { ...base, ...serverBinary(node, bin, argv.slice(1)) }
  const ctx: SimCommandContext = {
    node,
    args: argv.slice(1),
    cwd: '/',
    env,
    stdin: opts.stdin ?? '',
    fs: c.fs,
    signal: opts.signal,
    tty: opts.tty,
    exec: async () => ({ stdout: '', stderr: '', exitCode: 126 }),
  }
  try {
    const r = await sim.run(ctx)
    return { ...base, ...r }
  } catch (err) {
    return { ...base, stdout: '', stderr: `${bin}: ${(err as Error)?.message ?? err}\n`, exitCode: 2 }
  }
}

/**
 * `kubectl exec` / `crictl exec` for other modules: run argv in the named
 * container of a pod on `node`. Returns undefined when no such container is
 * running there (kubectl then reports the pod or container as not found).
 */
export async function execInContainer(
  node: SimNode,
  podName: string,
  container: string | undefined,
  argv: string[],
  opts: ExecOptions & { namespace?: string } = {},
): Promise<ContainerExecResult | undefined> {
  const c =
    findPodContainer(node, opts.namespace ?? 'kube-system', podName, container) ??
    (opts.namespace ? undefined : findPodContainer(node, 'default', podName, container))
  if (!c) return undefined
  return execIn(node, c, argv, opts)
}
