// etcdctl's side of a connection: the client configuration from flags and
// ETCDCTL_* variables (TLS files, endpoints, timeouts), dialing the way the
// balancer does, and the lines clientv3 and zap leave on stderr when a call
// fails (retry warnings, server errors, stack traces).

import type { CommandResult, SimCommandContext } from '../commands/types'
import type { Profile } from '../profiles'
import { createRng, randomHex, seedFrom } from '../random'
import { type ClientTls, dial, EtcdServerError, type header, NoLeaderError } from './client'
import type { ClientLog } from './clientlog'
import {
  CLIENT_SIZE_FLAGS,
  EXIT_BAD_ARGS,
  EXIT_BAD_CONNECTION,
  EXIT_ERROR,
  envFlagName,
  GLOBAL,
} from './etcdctl-flags'
import { parseBool, parseDuration } from './flags'
import type { JsonValue } from './format'
import type { EtcdProcess } from './server'
import { resolvePathFrom } from './snapshot'

export interface Run {
  ctx: SimCommandContext
  profile: Profile
  /** The command cobra found, e.g. `member list`. */
  path: string
  flags: Map<string, string>
  explicit: Set<string>
  positional: string[]
  log: ClientLog
  stderr: string[]
}

export function out(stdout: string, stderr = '', exitCode = 0): CommandResult {
  return { stdout, stderr, exitCode }
}

export interface ClientCfg {
  endpoints: string[]
  tls: ClientTls
  commandTimeout: number
  commandTimeoutExplicit: boolean
  prefix: string
}

export async function clientConfig(run: Run): Promise<ClientCfg | { result: CommandResult }> {
  const { ctx, profile, flags, explicit, log } = run
  const facts = profile.etcd.etcdctl
  const envLog = facts.envLog
  let prefix = ''
  // Flags from ETCDCTL_* variables, after the command line has been read.
  for (const [k, v] of Object.entries(ctx.env)) {
    if (!k.startsWith('ETCDCTL_')) continue
    if (k === 'ETCDCTL_API' && facts.api2) continue
    const name = envFlagName(k)
    const known =
      GLOBAL.some((f) => f.name === name) ||
      (facts.clientSizeFlags && CLIENT_SIZE_FLAGS.some((f) => f.name === name))
    if (!known) {
      prefix +=
        envLog === 'capnslog'
          ? `${log.capnslog('W', 'pkg/flags', `unrecognized environment variable ${k}=${v}`)}\n`
          : `${log.line('warn', `flags/flag.go:${envLog.unrecognized}`, 'unrecognized environment variable', { 'environment-variable': `${k}=${v}` })}\n`
      continue
    }
    if (explicit.has(name)) {
      const text = `conflicting environment variable "${k}" is shadowed by corresponding command-line flag (either unset environment variable or disable flag)`
      const line =
        envLog === 'capnslog'
          ? log.capnslog('C', 'pkg/flags', text)
          : log.line(
              'fatal',
              `flags/flag.go:${envLog.conflict}`,
              // sic: pkg/flags/flag.go's message at v3.5.16 and v3.6.4 (seen in 3.5.16's output,
              // which also carries a stack trace of the command's own call path)
              'conflicting environment variable is shadowed by corresponding command-line flag (either unset environment variable or disable flag))',
              facts.stacks === 'v3.5.16'
                ? { 'environment-variable': k, stacktrace: envConflictStack35(run.path) }
                : { 'environment-variable': k },
            )
      return { result: out('', `${prefix}${line}\n`, 1) }
    }
    flags.set(name, v)
  }
  for (const opt of ['cert', 'key', 'cacert'] as const) {
    if (flags.has(opt) && flags.get(opt) === '')
      return { result: out('', `${prefix}Error: empty string is passed to --${opt} option\n`, EXIT_BAD_ARGS) }
  }
  const tls: ClientTls = {
    insecureSkipVerify: parseBool(flags.get('insecure-skip-tls-verify')),
    insecureTransport: flags.has('insecure-transport') ? parseBool(flags.get('insecure-transport')) : true,
  }
  const cert = flags.get('cert')
  const key = flags.get('key')
  const cacert = flags.get('cacert')
  const readPem = async (p: string): Promise<string | CommandResult> => {
    try {
      return await ctx.fs.readFile(resolvePathFrom(ctx.cwd, p))
    } catch {
      return out('', `${prefix}Error: open ${p}: no such file or directory\n`, EXIT_BAD_ARGS)
    }
  }
  if (cert || key) {
    if (!cert || !key)
      return {
        result: out(
          '',
          `${prefix}Error: KeyFile and CertFile must both be present[key: ${key ?? ''}, cert: ${cert ?? ''}]\n`,
          EXIT_BAD_ARGS,
        ),
      }
    const c = await readPem(cert)
    if (typeof c !== 'string') return { result: c }
    const k = await readPem(key)
    if (typeof k !== 'string') return { result: k }
    const ci = ctx.node.cluster.certs.lookup(c)
    const ki = ctx.node.cluster.certs.lookup(k)
    if (!c.includes('-----BEGIN'))
      return {
        result: out(
          '',
          `${prefix}Error: tls: failed to find any PEM data in certificate input\n`,
          EXIT_BAD_ARGS,
        ),
      }
    if (!k.includes('-----BEGIN'))
      return {
        result: out('', `${prefix}Error: tls: failed to find any PEM data in key input\n`, EXIT_BAD_ARGS),
      }
    if (ci?.kind === 'cert' && ki?.kind === 'key' && ci.keyId !== ki.keyId)
      return {
        result: out('', `${prefix}Error: tls: private key does not match public key\n`, EXIT_BAD_ARGS),
      }
    tls.cert = c
    tls.key = k
  }
  if (cacert) {
    const a = await readPem(cacert)
    if (typeof a !== 'string') return { result: a }
    const ai = ctx.node.cluster.certs.lookup(a)
    if (ai && ai.kind !== 'cert')
      return { result: out('', `${prefix}Error: x509: malformed tbs certificate\n`, EXIT_BAD_ARGS) }
    tls.cacert = a
  }
  const endpoints = (flags.get('endpoints') ?? '127.0.0.1:2379')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
  if (endpoints.length === 0)
    return { result: out('', `${prefix}Error: etcdclient: no available endpoints\n`, EXIT_BAD_CONNECTION) }
  const ct = flags.has('command-timeout') ? parseDuration(flags.get('command-timeout') as string) : 5000
  if (ct === undefined)
    return {
      result: out(
        '',
        `${prefix}Error: invalid argument "${flags.get('command-timeout')}" for "--command-timeout" flag: time: invalid duration "${flags.get('command-timeout')}"\n`,
        1,
      ),
    }
  return { endpoints, tls, commandTimeout: ct, commandTimeoutExplicit: flags.has('command-timeout'), prefix }
}

export function hostPort(ep: string): string {
  return ep.replace(/^[a-z]+:\/\//i, '')
}

export function uuid(seed: string): string {
  const rng = createRng(seedFrom(seed))
  const h = randomHex(rng, 32)
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${'89ab'[Math.floor(rng() * 4)]}${h.slice(17, 20)}-${h.slice(20, 32)}`
}

/** The clientv3 retry warning a failed unary call leaves on stderr. */
export function warnLine(
  run: Run,
  cfg: ClientCfg,
  detail: string,
  opts: { perEndpoint?: string; logger?: string } = {},
): string {
  const { profile, log } = run
  const now = run.ctx.node.cluster.clock.now()
  const client = profile.etcd.etcdctl.client
  if (client.oldBalancer) {
    const target = opts.perEndpoint
      ? `passthrough:///${opts.perEndpoint}`
      : `endpoint://client-${uuid(`${now}/${cfg.endpoints.join(',')}`)}/${hostPort(cfg.endpoints[0] ?? '')}`
    const err = opts.perEndpoint
      ? `rpc error: code = DeadlineExceeded desc = latest balancer error: ${detail === 'connection closed' ? 'connection closed' : `connection error: desc = "${detail}"`}`
      : 'rpc error: code = DeadlineExceeded desc = latest balancer error: all SubConns are in TransientFailure'
    return log.line('warn', clientCaller(profile, 'retry'), 'retrying of unary invoker failed', {
      target,
      attempt: 0,
      error: err,
    })
  }
  const ptr = `0xc000${(now % 0xfffff).toString(16).padStart(6, '0')}`
  const target = `etcd-endpoints://${ptr}/${hostPort(opts.perEndpoint ?? cfg.endpoints[0] ?? '')}`
  const err = `rpc error: code = DeadlineExceeded desc = latest balancer error: last connection error: ${detail === 'connection closed' ? 'connection closed' : `connection error: desc = "${detail}"`}`
  return log.line(
    'warn',
    clientCaller(profile, 'retry'),
    'retrying of unary invoker failed',
    { target, attempt: 0, error: err },
    { logger: opts.logger ?? 'etcd-client' },
  )
}

export type Conn = { ok: true; proc: EtcdProcess } | { ok: false; error: string }

/** Connect the way the balancer does: the first endpoint that answers. */
export function connectAny(run: Run, cfg: ClientCfg): Conn {
  let last = 'context deadline exceeded'
  for (const ep of cfg.endpoints) {
    const r = dial(run.ctx.node.cluster, run.ctx.node, ep, cfg.tls)
    if (r.ok) return r
    last = r.error
  }
  return { ok: false, error: last }
}

export async function waitTimeout(run: Run, ms: number): Promise<void> {
  await run.ctx.node.cluster.clock.sleep(ms, run.ctx.signal)
}

export async function failUnary(run: Run, cfg: ClientCfg, detail: string): Promise<CommandResult> {
  await waitTimeout(run, cfg.commandTimeout)
  return out('', `${cfg.prefix}${warnLine(run, cfg, detail)}\nError: context deadline exceeded\n`, EXIT_ERROR)
}

export async function withLeader<T>(
  run: Run,
  cfg: ClientCfg,
  fn: (p: EtcdProcess) => T,
): Promise<T | CommandResult> {
  const c = connectAny(run, cfg)
  if (!c.ok) return failUnary(run, cfg, c.error)
  try {
    return fn(c.proc)
  } catch (err) {
    if (err instanceof NoLeaderError) {
      await waitTimeout(run, cfg.commandTimeout)
      return out('', `${cfg.prefix}Error: context deadline exceeded\n`, EXIT_ERROR)
    }
    if (err instanceof EtcdServerError) return serverError(run, cfg, err.code, err.message)
    throw err
  }
}

export function isResult(x: unknown): x is CommandResult {
  return typeof x === 'object' && x !== null && 'exitCode' in x && 'stdout' in x
}

/**
 * zap's stack traces in etcdctl 3.5 (error and fatal lines), as etcdctl 3.5.16
 * prints them: the frames below the command are cobra's and main's, with the
 * file lines of the build (Debian trixie's: cobra 1.8, Go 1.24's runtime).
 */
export function stack35(frames: Array<[fn: string, file: string]>): string {
  const all: Array<[string, string]> = [
    ...frames,
    ['github.com/spf13/cobra.(*Command).execute', 'github.com/spf13/cobra/command.go:989'],
    ['github.com/spf13/cobra.(*Command).ExecuteC', 'github.com/spf13/cobra/command.go:1117'],
    ['github.com/spf13/cobra.(*Command).Execute', 'github.com/spf13/cobra/command.go:1041'],
    ['go.etcd.io/etcd/etcdctl/ctlv3.Start', 'go.etcd.io/etcd/etcdctl/ctlv3/ctl.go:107'],
    ['go.etcd.io/etcd/etcdctl/ctlv3.MustStart', 'go.etcd.io/etcd/etcdctl/ctlv3/ctl.go:111'],
    ['main.main', 'go.etcd.io/etcd/etcdctl/main.go:59'],
    ['runtime.main', 'runtime/proc.go:283'],
  ]
  return all.map(([fn, file]) => `${fn}\n\t${file}`).join('\n')
}

const SNAPSHOT_STREAM_STACK_35 = stack35([
  [
    'go.etcd.io/etcd/client/v3.(*Client).streamClientInterceptor.func1',
    'go.etcd.io/etcd/client/v3/retry_interceptor.go:130',
  ],
  ['google.golang.org/grpc.(*ClientConn).NewStream', 'google.golang.org/grpc/stream.go:167'],
  [
    'go.etcd.io/etcd/api/etcdserverpb.(*maintenanceClient).Snapshot',
    'go.etcd.io/etcd/api/etcdserverpb/rpc.pb.go:7358',
  ],
  ['go.etcd.io/etcd/client/v3.(*retryMaintenanceClient).Snapshot', 'go.etcd.io/etcd/client/v3/retry.go:214'],
  ['go.etcd.io/etcd/client/v3.(*maintenance).Snapshot', 'go.etcd.io/etcd/client/v3/maintenance.go:207'],
  ['go.etcd.io/etcd/client/v3/snapshot.Save', 'go.etcd.io/etcd/client/v3/snapshot/v3_snapshot.go:69'],
  [
    'go.etcd.io/etcd/etcdctl/ctlv3/command.snapshotSaveCommandFunc',
    'go.etcd.io/etcd/etcdctl/ctlv3/command/snapshot_command.go:122',
  ],
])

const STACK_34 =
  'go.etcd.io/etcd/clientv3.(*Client).streamClientInterceptor.func1\n\tgo.etcd.io/etcd/clientv3/retry_interceptor.go:129\ngoogle.golang.org/grpc.(*ClientConn).NewStream\n\tgoogle.golang.org/grpc/stream.go:148\ngoogle.golang.org/grpc.NewClientStream\n\tgoogle.golang.org/grpc/stream.go:155\ngo.etcd.io/etcd/etcdserver/etcdserverpb.(*maintenanceClient).Snapshot\n\tgo.etcd.io/etcd/etcdserver/etcdserverpb/rpc.pb.go:4296\ngo.etcd.io/etcd/clientv3.(*retryMaintenanceClient).Snapshot\n\tgo.etcd.io/etcd/clientv3/retry.go:214\ngo.etcd.io/etcd/clientv3.(*maintenance).Snapshot\n\tgo.etcd.io/etcd/clientv3/maintenance.go:195\ngo.etcd.io/etcd/clientv3/snapshot.(*v3Manager).Save\n\tgo.etcd.io/etcd/clientv3/snapshot/v3_snapshot.go:123\ngo.etcd.io/etcd/etcdctl/ctlv3/command.snapshotSaveCommandFunc\n\tgo.etcd.io/etcd/etcdctl/ctlv3/command/snapshot_command.go:113\ngithub.com/spf13/cobra.(*Command).execute\n\tgithub.com/spf13/cobra/command.go:920\ngithub.com/spf13/cobra.(*Command).ExecuteC\n\tgithub.com/spf13/cobra/command.go:1044\ngithub.com/spf13/cobra.(*Command).Execute\n\tgithub.com/spf13/cobra/command.go:968\ngo.etcd.io/etcd/etcdctl/ctlv3.Start\n\tgo.etcd.io/etcd/etcdctl/ctlv3/ctl_nocov.go:26\nmain.main\n\tgo.etcd.io/etcd/etcdctl/main.go:35\nruntime.main\n\truntime/proc.go:250'

/** The stack trace of the snapshot stream's error line, for the builds whose traces were captured. */
export function streamErrorStack(profile: Profile): string | undefined {
  const build = profile.etcd.etcdctl.stacks
  return build === 'v3.4.23' ? STACK_34 : build === 'v3.5.16' ? SNAPSHOT_STREAM_STACK_35 : undefined
}

/**
 * Where each command reads its ETCDCTL_* variables (etcdctl/ctlv3/command at
 * v3.5.16): through mustClientFromCmd, mustClientCfgFromCmd (snapshot save) or
 * directly (endpoint health), from the command function at this line.
 */
const ENV_CALLERS_35: Record<string, [fn: string, file: string, via?: 'cfg' | 'direct']> = {
  'member list': ['memberListCommandFunc', 'member_command.go:229'],
  'member add': ['memberAddCommandFunc', 'member_command.go:141'],
  'member remove': ['memberRemoveCommandFunc', 'member_command.go:191'],
  'member promote': ['memberPromoteCommandFunc', 'member_command.go:250'],
  'endpoint status': ['epStatusCommandFunc', 'ep_command.go:187'],
  'endpoint health': ['epHealthCommandFunc', 'ep_command.go:96', 'direct'],
  get: ['getCommandFunc', 'get_command.go:64'],
  put: ['putCommandFunc', 'put_command.go:72'],
  del: ['delCommandFunc', 'del_command.go:52'],
  'snapshot save': ['snapshotSaveCommandFunc', 'snapshot_command.go:112', 'cfg'],
  'alarm list': ['alarmListCommandFunc', 'alarm_command.go:76'],
  'alarm disarm': ['alarmDisarmCommandFunc', 'alarm_command.go:53'],
  defrag: ['defragCommandFunc', 'defrag_command.go:53'],
  compaction: ['compactionCommandFunc', 'compaction_command.go:55'],
}

function envConflictStack35(path: string): string {
  const [fn, file, via] = ENV_CALLERS_35[path] ?? ENV_CALLERS_35['member list']!
  const pkg = 'go.etcd.io/etcd/etcdctl/ctlv3/command'
  const dir = 'go.etcd.io/etcd/etcdctl/ctlv3/command'
  const frames: Array<[string, string]> = [
    ['go.etcd.io/etcd/pkg/flags.verifyEnv', 'go.etcd.io/etcd/pkg/flags/flag.go:85'],
    ['go.etcd.io/etcd/pkg/flags.SetPflagsFromEnv', 'go.etcd.io/etcd/pkg/flags/flag.go:63'],
  ]
  if (via !== 'direct') {
    frames.push([`${pkg}.clientConfigFromCmd`, `${dir}/global.go:129`])
    frames.push(
      via === 'cfg'
        ? [`${pkg}.mustClientCfgFromCmd`, `${dir}/global.go:166`]
        : [`${pkg}.mustClientFromCmd`, `${dir}/global.go:175`],
    )
  }
  frames.push([`${pkg}.${fn}`, `${dir}/${file}`])
  return stack35(frames)
}

/**
 * zap's short caller for clientv3's retry or stream interceptor. etcdctl 3.5
 * and 3.6 build the client from their own source tree (etcdctl/go.mod replaces
 * go.etcd.io/etcd/client/v3 with ../client/v3), so the path is `v3/<file>`
 * (seen in etcdctl 3.5.16's output); 3.4's is `clientv3/<file>`.
 */
export function clientCaller(profile: Run['profile'], interceptor: 'retry' | 'stream'): string {
  const c = profile.etcd.etcdctl.client
  return `${c.caller}/retry_interceptor.go:${interceptor === 'retry' ? c.retryLine : c.streamLine}`
}

/** A server-side error: clientv3's retry interceptor logs the gRPC status, then etcdctl prints the message. */
export function serverError(
  run: Run,
  cfg: ClientCfg,
  code: string,
  msg: string,
  clientSide = false,
): CommandResult {
  const { profile, log } = run
  const now = run.ctx.node.cluster.clock.now()
  const err = `rpc error: code = ${code} desc = ${msg}`
  let line: string
  if (profile.etcd.etcdctl.client.oldBalancer) {
    const target = `endpoint://client-${uuid(`${now}/${cfg.endpoints.join(',')}`)}/${hostPort(cfg.endpoints[0] ?? '')}`
    line = log.line('warn', clientCaller(profile, 'retry'), 'retrying of unary invoker failed', {
      target,
      attempt: 0,
      error: err,
    })
  } else {
    const ptr = `0xc000${(now % 0xfffff).toString(16).padStart(6, '0')}`
    line = log.line(
      'warn',
      clientCaller(profile, 'retry'),
      'retrying of unary invoker failed',
      { target: `etcd-endpoints://${ptr}/${hostPort(cfg.endpoints[0] ?? '')}`, attempt: 0, error: err },
      { logger: 'etcd-client' },
    )
  }
  // a client-side refusal is printed with its gRPC status, a member's answer without it
  return out('', `${cfg.prefix}${line}\nError: ${clientSide ? err : msg}\n`, EXIT_ERROR)
}

export function hdrJson(h: ReturnType<typeof header>): Record<string, JsonValue> {
  const o: Record<string, JsonValue> = { cluster_id: h.cluster_id, member_id: h.member_id }
  if (h.revision) o.revision = h.revision
  if (h.raft_term) o.raft_term = h.raft_term
  return o
}

export function fieldsHdr(h: ReturnType<typeof header>): string {
  return `"ClusterID" : ${h.cluster_id}\n"MemberID" : ${h.member_id}\n"Revision" : ${h.revision}\n"RaftTerm" : ${h.raft_term}\n`
}
