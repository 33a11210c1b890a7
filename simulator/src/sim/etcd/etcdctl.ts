import { findCommand } from '../commands/pflag'
import { type CommandResult, type SimCommandContext, stderrFirst } from '../commands/types'
import type { Profile } from '../profiles'
import { createRng, randomHex, seedFrom } from '../random'
import {
  CLIENT_SEND_LIMIT,
  type ClientTls,
  dial,
  EtcdServerError,
  header,
  membersOf,
  NoLeaderError,
  putRequestBytes,
  serverDelete,
  serverPut,
  serverRange,
} from './client'
import { ClientLog } from './clientlog'
import { type FlagDef, parseArgs, parseBool, parseDuration, RESTORE_FLAGS, shapeOf } from './flags'
import { base64Of, goDuration, goJson, humanBytes, type JsonValue, renderTable } from './format'
import { etcdctlHelp, groupHelp, leafHelp, snapshotHelp } from './help'
import { hexId } from './ids'
import type { KeyValue } from './keyspace'
import { type EtcdProcess, etcdRuntime, joinedMemberId } from './server'
import { resolvePathFrom, snapshotRestore, snapshotStatus } from './snapshot'
import { snapshotBytes } from './storage'

// etcdctl for the profile's etcd version: flags and ETCDCTL_* variables, the
// commands learners use around backup and restore, the output formats, and
// the way connection problems surface (a warn line, then `context deadline
// exceeded` once the command timeout has passed on the simulated clock).

const EXIT_ERROR = 1
const EXIT_BAD_CONNECTION = 2
const EXIT_BAD_FEATURE = 4
const EXIT_INTERRUPTED = 5
const EXIT_BAD_ARGS = 128

const GLOBAL: FlagDef[] = [
  { name: 'endpoints', type: 'string' },
  { name: 'cacert', type: 'string' },
  { name: 'cert', type: 'string' },
  { name: 'key', type: 'string' },
  { name: 'command-timeout', type: 'duration' },
  { name: 'dial-timeout', type: 'duration' },
  { name: 'keepalive-time', type: 'duration' },
  { name: 'keepalive-timeout', type: 'duration' },
  { name: 'insecure-skip-tls-verify', type: 'bool' },
  { name: 'insecure-transport', type: 'bool' },
  { name: 'insecure-discovery', type: 'bool' },
  { name: 'hex', type: 'bool' },
  { name: 'debug', type: 'bool' },
  { name: 'discovery-srv', short: 'd', type: 'string' },
  { name: 'discovery-srv-name', type: 'string' },
  { name: 'user', type: 'string' },
  { name: 'password', type: 'string' },
  { name: 'write-out', short: 'w', type: 'string' },
  { name: 'help', short: 'h', type: 'bool' },
]
const GLOBAL_35: FlagDef[] = [
  { name: 'max-recv-bytes', type: 'int' },
  { name: 'max-request-bytes', type: 'int' },
]

const LOCAL: Record<string, FlagDef[]> = {
  'member list': [{ name: 'consistency', type: 'string' }],
  'member add': [
    { name: 'peer-urls', type: 'string' },
    { name: 'learner', type: 'bool' },
  ],
  'member remove': [],
  'member promote': [],
  'alarm list': [],
  'alarm disarm': [],
  defrag: [{ name: 'cluster', type: 'bool' }],
  compaction: [{ name: 'physical', type: 'bool' }],
  'endpoint status': [{ name: 'cluster', type: 'bool' }],
  'endpoint health': [{ name: 'cluster', type: 'bool' }],
  get: [
    { name: 'prefix', type: 'bool' },
    { name: 'keys-only', type: 'bool' },
    { name: 'print-value-only', type: 'bool' },
    { name: 'count-only', type: 'bool' },
    { name: 'from-key', type: 'bool' },
    { name: 'limit', type: 'int' },
    { name: 'rev', type: 'int' },
    { name: 'consistency', type: 'string' },
    { name: 'order', type: 'string' },
    { name: 'sort-by', type: 'string' },
  ],
  put: [
    { name: 'prev-kv', type: 'bool' },
    { name: 'lease', type: 'string' },
    { name: 'ignore-value', type: 'bool' },
    { name: 'ignore-lease', type: 'bool' },
  ],
  del: [
    { name: 'prefix', type: 'bool' },
    { name: 'prev-kv', type: 'bool' },
    { name: 'from-key', type: 'bool' },
  ],
  'snapshot save': [],
  'snapshot status': [],
  'snapshot restore': RESTORE_FLAGS,
  version: [],
}

const GROUPS = new Set([
  'member',
  'endpoint',
  'snapshot',
  'alarm',
  'auth',
  'lease',
  'role',
  'user',
  'check',
  'downgrade',
  'completion',
])

/** etcd 3.5's etcdctl still restores and reads snapshots, but says etcdutl is the tool now. */
function deprecationBanner(profile: Profile, verb: 'status' | 'restore'): string {
  return profile.etcdMinor === '3.5' ? `Deprecated: Use \`etcdutl snapshot ${verb}\` instead.\n\n` : ''
}

function leafCommands(profile: Profile): Set<string> {
  const s = new Set(Object.keys(LOCAL))
  if (!profile.etcdctlHasRestore) {
    s.delete('snapshot status')
    s.delete('snapshot restore')
  }
  return s
}

interface Run {
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

function out(stdout: string, stderr = '', exitCode = 0): CommandResult {
  return { stdout, stderr, exitCode }
}

function envFlagName(envName: string): string {
  return envName.slice('ETCDCTL_'.length).toLowerCase().replace(/_/g, '-')
}

export async function runEtcdctl(ctx: SimCommandContext): Promise<CommandResult> {
  const profile = ctx.node.cluster.profile
  const clock = ctx.node.cluster.clock
  const log = new ClientLog(profile, () => clock.now())
  const env = { ...ctx.env }
  if (profile.etcdMinor !== '3.6' && 'ETCDCTL_API' in env) {
    const api = env.ETCDCTL_API ?? ''
    delete env.ETCDCTL_API
    if (api === '2') return runV2(ctx, profile)
    if (api !== '' && api !== '3')
      return out(
        '',
        profile.etcdMinor === '3.4'
          ? `unsupported API version ${api}\n`
          : `unsupported API version: ${api}\n`,
        1,
      )
  }
  const globals = profile.etcdMinor === '3.4' ? GLOBAL : [...GLOBAL, ...GLOBAL_35]
  const leaves = leafCommands(profile)
  // --count-only, --bump-revision and --mark-compacted came with etcdctl 3.5.
  const newIn35 = ['count-only', 'bump-revision', 'mark-compacted']
  const flagsAt = (words: string[]): FlagDef[] => {
    const local = (LOCAL[words.join(' ')] ?? []).filter(
      (f) => profile.etcdMinor !== '3.4' || !newIn35.includes(f.name),
    )
    return [...globals, ...local]
  }
  // cobra finds the command before it parses a flag: an unknown flag before the
  // command words takes the next word as its value, and what is left may name no command
  const found = findCommand(ctx.args, {
    has: (words, word) =>
      words.length === 0
        ? word === 'help' || GROUPS.has(word) || leaves.has(word)
        : words.length === 1 && GROUPS.has(words[0] as string) && leaves.has(`${words[0]} ${word}`),
    shape: (words) => shapeOf(flagsAt(words)),
  })
  if (found.unknownAtRoot !== undefined) return unknownCommand(profile, found.unknownAtRoot, 'etcdctl')
  const path = found.path.join(' ')
  const defs = flagsAt(found.path)
  const parsed = parseArgs(
    found.args,
    (name) => defs.find((f) => f.name === name),
    (c) => defs.find((f) => f.short === c),
  )
  if (parsed.error) {
    // cobra shows the usage of the command the flag was given to.
    const usage = leaves.has(path)
      ? leafHelp(profile, path)
      : GROUPS.has(path)
        ? groupHelp(profile, path)
        : etcdctlHelp(profile)
    // cobra prints the error, then etcdctl's usage (on stdout), a blank line, and etcdctl the error again
    const error = `Error: ${parsed.error}\n`
    return { ...out(usage, `${error}\n${error}`, 1), shown: `${error}${usage}\n${error}` }
  }
  const run: Run = {
    ctx,
    profile,
    path,
    flags: parsed.values,
    explicit: parsed.explicit,
    positional: parsed.words,
    log,
    stderr: [],
  }
  if (path === '' || path === 'help') return out(etcdctlHelp(profile))
  if (path === 'snapshot') return out(snapshotHelp(profile))
  if (GROUPS.has(path)) return out(groupHelp(profile, path))
  if (parseBool(run.flags.get('help'))) return out(leafHelp(profile, path))
  const format = run.flags.get('write-out') ?? 'simple'
  if (!['simple', 'json', 'table', 'fields', 'protobuf'].includes(format))
    return out('', 'Error: unsupported output format\n', EXIT_BAD_FEATURE)
  switch (path) {
    case 'version':
      return out(`etcdctl version: ${profile.etcdVersion}\nAPI version: ${profile.etcdMinor}\n`)
    case 'snapshot status': {
      const banner = deprecationBanner(profile, 'status')
      if (run.positional.length !== 1)
        return out('', `${banner}Error: snapshot status requires exactly one argument\n`, EXIT_BAD_ARGS)
      const r = await snapshotStatus({
        fs: ctx.fs,
        cwd: ctx.cwd,
        profile,
        path: run.positional[0] as string,
        format,
      })
      // 3.5 prints its deprecation banner before it reads the file
      return banner && !r.stderr ? stderrFirst({ ...r, stderr: banner }) : { ...r, stderr: banner + r.stderr }
    }
    case 'snapshot restore': {
      const banner = deprecationBanner(profile, 'restore')
      if (run.positional.length !== 1)
        return out('', `${banner}Error: snapshot restore requires exactly one argument\n`, EXIT_BAD_ARGS)
      const r = await snapshotRestore({
        fs: ctx.fs,
        cwd: ctx.cwd,
        profile,
        tool: 'etcdctl',
        log,
        snapshot: run.positional[0] as string,
        dataDir: run.flags.get('data-dir'),
        walDir: run.flags.get('wal-dir'),
        name: run.flags.get('name') ?? 'default',
        initialCluster: run.flags.get('initial-cluster'),
        initialClusterToken: run.flags.get('initial-cluster-token') ?? 'etcd-cluster',
        initialAdvertisePeerUrls: run.flags.get('initial-advertise-peer-urls') ?? 'http://localhost:2380',
        skipHashCheck: parseBool(run.flags.get('skip-hash-check')),
        bumpRevision: Number(run.flags.get('bump-revision') ?? 0) || 0,
        markCompacted: parseBool(run.flags.get('mark-compacted')),
      })
      return { ...r, stderr: banner + r.stderr }
    }
  }
  // Everything below talks to a server: build the client config first.
  const cfg = await clientConfig(run)
  if ('result' in cfg) return cfg.result
  switch (path) {
    case 'member list':
      return memberList(run, cfg, format)
    case 'endpoint status':
      return endpointStatus(run, cfg, format)
    case 'endpoint health':
      return endpointHealth(run, cfg, format)
    case 'get':
      return get(run, cfg, format)
    case 'put':
      return put(run, cfg, format)
    case 'del':
      return del(run, cfg, format)
    case 'snapshot save':
      return snapshotSave(run, cfg)
    case 'member add':
      return memberAdd(run, cfg)
    case 'member remove':
    case 'member promote':
      return memberChange(run, cfg, path === 'member remove' ? 'removed from' : 'promoted in')
    case 'alarm list':
      return alarmList(run, cfg)
    case 'alarm disarm':
      return alarmDisarm(run, cfg)
    case 'defrag':
      return defrag(run, cfg)
    case 'compaction':
      return compaction(run, cfg)
  }
  return out('', `Error: unknown command "${path}" for "etcdctl"\n`, 1)
}

const TOP = [
  'alarm',
  'auth',
  'check',
  'compaction',
  'completion',
  'defrag',
  'del',
  'elect',
  'endpoint',
  'get',
  'help',
  'lease',
  'lock',
  'make-mirror',
  'member',
  'migrate',
  'move-leader',
  'put',
  'role',
  'snapshot',
  'txn',
  'user',
  'version',
  'watch',
]

function levenshtein(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)])
  for (let j = 1; j <= b.length; j++) (d[0] as number[])[j] = j
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const row = d[i] as number[]
      const prev = d[i - 1] as number[]
      row[j] = Math.min(
        (prev[j] as number) + 1,
        (row[j - 1] as number) + 1,
        (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1),
      )
    }
  return (d[a.length] as number[])[b.length] as number
}

function unknownCommand(profile: Profile, word: string, parent: string): CommandResult {
  void profile
  const near = TOP.filter((c) => levenshtein(word, c) <= 2 || c.startsWith(word))
  const hint = near.length ? `\n\nDid you mean this?\n${near.map((c) => `\t${c}\n`).join('')}` : ''
  const msg = `unknown command "${word}" for "${parent}"${hint}`
  return out('', `Error: ${msg}\nRun '${parent} --help' for usage.\nError: ${msg}\n`, 1)
}

interface ClientCfg {
  endpoints: string[]
  tls: ClientTls
  commandTimeout: number
  commandTimeoutExplicit: boolean
  prefix: string
}

async function clientConfig(run: Run): Promise<ClientCfg | { result: CommandResult }> {
  const { ctx, profile, flags, explicit, log } = run
  let prefix = ''
  // Flags from ETCDCTL_* variables, after the command line has been read.
  for (const [k, v] of Object.entries(ctx.env)) {
    if (!k.startsWith('ETCDCTL_')) continue
    if (k === 'ETCDCTL_API' && profile.etcdMinor !== '3.6') continue
    const name = envFlagName(k)
    const known =
      GLOBAL.some((f) => f.name === name) ||
      (profile.etcdMinor !== '3.4' && GLOBAL_35.some((f) => f.name === name))
    if (!known) {
      prefix +=
        profile.etcdMinor === '3.4'
          ? `${log.capnslog('W', 'pkg/flags', `unrecognized environment variable ${k}=${v}`)}\n`
          : `${log.line('warn', `flags/flag.go:${profile.etcdMinor === '3.5' ? 93 : 94}`, 'unrecognized environment variable', { 'environment-variable': `${k}=${v}` })}\n`
      continue
    }
    if (explicit.has(name)) {
      const text = `conflicting environment variable "${k}" is shadowed by corresponding command-line flag (either unset environment variable or disable flag)`
      const line =
        profile.etcdMinor === '3.4'
          ? log.capnslog('C', 'pkg/flags', text)
          : log.line(
              'fatal',
              `flags/flag.go:${profile.etcdMinor === '3.5' ? 85 : 86}`,
              // sic: pkg/flags/flag.go's message at v3.5.16 and v3.6.4 (seen in 3.5.16's output,
              // which also carries a stack trace of the command's own call path)
              'conflicting environment variable is shadowed by corresponding command-line flag (either unset environment variable or disable flag))',
              profile.etcdMinor === '3.5'
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

function hostPort(ep: string): string {
  return ep.replace(/^[a-z]+:\/\//i, '')
}

function uuid(seed: string): string {
  const rng = createRng(seedFrom(seed))
  const h = randomHex(rng, 32)
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${'89ab'[Math.floor(rng() * 4)]}${h.slice(17, 20)}-${h.slice(20, 32)}`
}

/** The clientv3 retry warning a failed unary call leaves on stderr. */
function warnLine(
  run: Run,
  cfg: ClientCfg,
  detail: string,
  opts: { perEndpoint?: string; logger?: string } = {},
): string {
  const { profile, log } = run
  const now = run.ctx.node.cluster.clock.now()
  if (profile.etcdMinor === '3.4') {
    const target = opts.perEndpoint
      ? `passthrough:///${opts.perEndpoint}`
      : `endpoint://client-${uuid(`${now}/${cfg.endpoints.join(',')}`)}/${hostPort(cfg.endpoints[0] ?? '')}`
    const err = opts.perEndpoint
      ? `rpc error: code = DeadlineExceeded desc = latest balancer error: ${detail === 'connection closed' ? 'connection closed' : `connection error: desc = "${detail}"`}`
      : 'rpc error: code = DeadlineExceeded desc = latest balancer error: all SubConns are in TransientFailure'
    return log.line('warn', 'clientv3/retry_interceptor.go:62', 'retrying of unary invoker failed', {
      target,
      attempt: 0,
      error: err,
    })
  }
  const ptr = `0xc000${(now % 0xfffff).toString(16).padStart(6, '0')}`
  const target = `etcd-endpoints://${ptr}/${hostPort(opts.perEndpoint ?? cfg.endpoints[0] ?? '')}`
  const err = `rpc error: code = DeadlineExceeded desc = latest balancer error: last connection error: ${detail === 'connection closed' ? 'connection closed' : `connection error: desc = "${detail}"`}`
  const caller = clientCaller(profile, 'retry_interceptor.go', 63, 65)
  return log.line(
    'warn',
    caller,
    'retrying of unary invoker failed',
    { target, attempt: 0, error: err },
    { logger: opts.logger ?? 'etcd-client' },
  )
}

type Conn = { ok: true; proc: EtcdProcess } | { ok: false; error: string }

/** Connect the way the balancer does: the first endpoint that answers. */
function connectAny(run: Run, cfg: ClientCfg): Conn {
  let last = 'context deadline exceeded'
  for (const ep of cfg.endpoints) {
    const r = dial(run.ctx.node.cluster, run.ctx.node, ep, cfg.tls)
    if (r.ok) return r
    last = r.error
  }
  return { ok: false, error: last }
}

async function waitTimeout(run: Run, ms: number): Promise<void> {
  await run.ctx.node.cluster.clock.sleep(ms, run.ctx.signal)
}

async function failUnary(run: Run, cfg: ClientCfg, detail: string): Promise<CommandResult> {
  await waitTimeout(run, cfg.commandTimeout)
  return out('', `${cfg.prefix}${warnLine(run, cfg, detail)}\nError: context deadline exceeded\n`, EXIT_ERROR)
}

function hdrJson(h: ReturnType<typeof header>): Record<string, JsonValue> {
  const o: Record<string, JsonValue> = { cluster_id: h.cluster_id, member_id: h.member_id }
  if (h.revision) o.revision = h.revision
  if (h.raft_term) o.raft_term = h.raft_term
  return o
}

function fieldsHdr(h: ReturnType<typeof header>): string {
  return `"ClusterID" : ${h.cluster_id}\n"MemberID" : ${h.member_id}\n"Revision" : ${h.revision}\n"RaftTerm" : ${h.raft_term}\n`
}

async function memberList(run: Run, cfg: ClientCfg, format: string): Promise<CommandResult> {
  const c = connectAny(run, cfg)
  if (!c.ok) return failUnary(run, cfg, c.error)
  const p = c.proc
  // MemberList is linearizable from 3.5 on: without a leader it times out.
  if (run.profile.etcdMinor !== '3.4' && run.flags.get('consistency') !== 's' && !p.group?.leader) {
    await waitTimeout(run, cfg.commandTimeout)
    return out('', `${cfg.prefix}Error: context deadline exceeded\n`, EXIT_ERROR)
  }
  const members = membersOf(p)
  const h = header(p, false)
  const hex = parseBool(run.flags.get('hex'))
  const rows = members.map((m) => [
    m.id,
    m.name ? 'started' : 'unstarted',
    m.name,
    m.peerURLs.join(','),
    m.clientURLs.join(','),
    String(!!m.isLearner),
  ])
  let stdout: string
  if (format === 'json') {
    const idv = (id: string): JsonValue => (hex && run.profile.etcdMinor !== '3.4' ? id : BigInt(`0x${id}`))
    stdout = `${goJson({
      header: { ...hdrJson(h), cluster_id: idv(hexId(h.cluster_id)), member_id: idv(hexId(h.member_id)) },
      members: members.map((m) => {
        const o: Record<string, JsonValue> = { ID: idv(m.id) }
        if (m.name) o.name = m.name
        o.peerURLs = m.peerURLs
        // etcdctl 3.5's hand-written --hex printer spells the key clientURLS (printer_json.go
        // at v3.5.16, seen in its output); 3.6 fixed it
        if (m.clientURLs.length)
          o[hex && run.profile.etcdMinor === '3.5' ? 'clientURLS' : 'clientURLs'] = m.clientURLs
        if (m.isLearner) o.isLearner = true
        return o
      }),
    })}\n`
  } else if (format === 'table') {
    stdout = renderTable(['ID', 'Status', 'Name', 'Peer Addrs', 'Client Addrs', 'Is Learner'], rows)
  } else if (format === 'fields') {
    stdout = fieldsHdr(h)
    for (const m of members) {
      stdout += `"ID" : ${BigInt(`0x${m.id}`)}\n"Name" : "${m.name}"\n`
      for (const u of m.peerURLs) stdout += `"PeerURL" : "${u}"\n`
      for (const u of m.clientURLs) stdout += `"ClientURL" : "${u}"\n`
      stdout += `"IsLearner" : ${!!m.isLearner}\n\n`
    }
  } else {
    stdout = rows.map((r) => `${r.join(', ')}\n`).join('')
  }
  return out(stdout, cfg.prefix)
}

/** --cluster: the client URLs of every member, from the member list. */
async function clusterEndpoints(run: Run, cfg: ClientCfg): Promise<string[] | CommandResult> {
  const c = connectAny(run, cfg)
  if (!c.ok) {
    await waitTimeout(run, cfg.commandTimeout)
    return out(
      '',
      `${cfg.prefix}${warnLine(run, cfg, c.error)}\nError: failed to fetch endpoints from etcd cluster member list: context deadline exceeded\n`,
      EXIT_ERROR,
    )
  }
  const eps: string[] = []
  for (const m of membersOf(c.proc)) for (const u of m.clientURLs) if (!eps.includes(u)) eps.push(u)
  return eps
}

interface StatusRow {
  ep: string
  p: EtcdProcess
}

async function endpointStatus(run: Run, cfg: ClientCfg, format: string): Promise<CommandResult> {
  let eps = cfg.endpoints
  if (parseBool(run.flags.get('cluster'))) {
    const r = await clusterEndpoints(run, cfg)
    if (!Array.isArray(r)) return r
    eps = r
  }
  let stderr = cfg.prefix
  const ok: StatusRow[] = []
  for (const ep of eps) {
    const r = dial(run.ctx.node.cluster, run.ctx.node, ep, cfg.tls)
    if (r.ok) {
      ok.push({ ep, p: r.proc })
      continue
    }
    await waitTimeout(run, cfg.commandTimeout)
    // 3.4 dials each endpoint on its own (passthrough target), 3.6 makes a client per endpoint;
    // 3.5 asks each through the one client, whose grpc target names the first --endpoints entry
    // (ep_command.go at v3.5.16 and v3.6.4)
    const minor = run.profile.etcdMinor
    const logCfg = minor === '3.6' ? { ...cfg, endpoints: [ep] } : cfg
    const opts = minor === '3.4' ? { perEndpoint: ep } : {}
    stderr += `${warnLine(run, logCfg, r.error, opts)}\nFailed to get the status of endpoint ${ep} (context deadline exceeded)\n`
  }
  const v36 = run.profile.etcdMinor === '3.6'
  const rows = ok.map(({ ep, p }) => {
    const size = p.data.dbSize()
    const inUse = Math.min(size, p.data.inUseBytes())
    const base = [ep, hexId(p.memberId), run.profile.etcdVersion]
    const tail = [
      String(p.isLeader),
      'false',
      String(p.raftTerm),
      String(p.raftIndex),
      String(p.raftIndex),
      '',
    ]
    if (v36)
      return [
        ...base,
        '3.6.0',
        humanBytes(size),
        humanBytes(inUse),
        `${Math.trunc(100 - (inUse * 100) / size)}%`,
        humanBytes(0),
        ...tail,
        '',
        'false',
      ]
    return [...base, humanBytes(size), ...tail]
  })
  let stdout: string
  if (format === 'json') {
    stdout = `${goJson(
      ok.map(({ ep, p }) => {
        const st: Record<string, JsonValue> = {
          header: hdrJson(header(p)),
          version: run.profile.etcdVersion,
          dbSize: p.data.dbSize(),
          leader: p.leaderId,
          raftIndex: p.raftIndex,
          raftTerm: p.raftTerm,
          raftAppliedIndex: p.raftIndex,
          dbSizeInUse: Math.min(p.data.dbSize(), p.data.inUseBytes()),
        }
        if (!p.leaderId) delete st.leader
        if (v36) st.storageVersion = '3.6.0'
        return { Endpoint: ep, Status: st }
      }),
    )}\n`
  } else if (format === 'table') {
    const head = v36
      ? [
          'Endpoint',
          'ID',
          'Version',
          'Storage Version',
          'DB Size',
          'In Use',
          'Percentage Not In Use',
          'Quota',
          'Is Leader',
          'Is Learner',
          'Raft Term',
          'Raft Index',
          'Raft Applied Index',
          'Errors',
          'Downgrade Target Version',
          'Downgrade Enabled',
        ]
      : [
          'Endpoint',
          'ID',
          'Version',
          'DB Size',
          'Is Leader',
          'Is Learner',
          'Raft Term',
          'Raft Index',
          'Raft Applied Index',
          'Errors',
        ]
    stdout = renderTable(head, rows)
  } else if (format === 'fields') {
    stdout = ''
    for (const { ep, p } of ok) {
      stdout += fieldsHdr(header(p))
      stdout += `"Version" : "${run.profile.etcdVersion}"\n"DBSize" : ${p.data.dbSize()}\n"Leader" : ${p.leaderId}\n"IsLearner" : false\n"RaftIndex" : ${p.raftIndex}\n"RaftTerm" : ${p.raftTerm}\n"RaftAppliedIndex" : ${p.raftIndex}\n"Errors" : []\n"Endpoint" : "${ep}"\n\n`
    }
  } else {
    stdout = rows.map((r) => `${r.join(', ')}\n`).join('')
  }
  return out(stdout, stderr, ok.length === eps.length ? 0 : EXIT_ERROR)
}

async function endpointHealth(run: Run, cfg: ClientCfg, format: string): Promise<CommandResult> {
  let eps = cfg.endpoints
  if (parseBool(run.flags.get('cluster'))) {
    const r = await clusterEndpoints(run, cfg)
    if (!Array.isArray(r)) return r
    eps = r
  }
  let stderr = cfg.prefix
  let stdout = ''
  const results: Array<{ ep: string; health: boolean; took: string; error?: string }> = []
  const rng = createRng(seedFrom(`${run.ctx.node.cluster.clock.now()}`))
  for (const ep of eps) {
    const r = dial(run.ctx.node.cluster, run.ctx.node, ep, cfg.tls)
    if (!r.ok) {
      await waitTimeout(run, cfg.commandTimeout)
      // etcdctl 3.5.16's per-endpoint health clients log as "client" (the capture shows it)
      stderr += `${warnLine(run, { ...cfg, endpoints: [ep] }, r.error, run.profile.etcdMinor === '3.5' ? { logger: 'client' } : {})}\n`
      results.push({
        ep,
        health: false,
        took: goDuration(cfg.commandTimeout + 1.236329),
        error: 'context deadline exceeded',
      })
      continue
    }
    if (!r.proc.group?.leader) {
      await waitTimeout(run, cfg.commandTimeout)
      results.push({
        ep,
        health: false,
        took: goDuration(cfg.commandTimeout + 1.236329),
        error: 'context deadline exceeded',
      })
      continue
    }
    results.push({ ep, health: true, took: goDuration(6 + Math.round(rng() * 6e6) / 1e6) })
  }
  const healthyToStdout = run.profile.etcdMinor !== '3.4'
  if (format === 'json') {
    stdout = `${goJson(results.map((x) => ({ endpoint: x.ep, health: x.health, took: x.took, ...(x.error ? { error: x.error } : {}) })))}\n`
  } else if (format === 'table') {
    stdout = renderTable(
      ['endpoint', 'health', 'took', 'error'],
      results.map((x) => [x.ep, String(x.health), x.took, x.error ?? '']),
    )
  } else {
    for (const x of results) {
      if (x.health) {
        const line = `${x.ep} is healthy: successfully committed proposal: took = ${x.took}\n`
        if (healthyToStdout) stdout += line
        else stderr += line
      } else stderr += `${x.ep} is unhealthy: failed to commit proposal: ${x.error}\n`
    }
  }
  if (results.some((x) => !x.health)) return out(stdout, `${stderr}Error: unhealthy cluster\n`, EXIT_ERROR)
  return out(stdout, stderr)
}

function kvJson(kv: KeyValue): Record<string, JsonValue> {
  const o: Record<string, JsonValue> = {
    key: base64Of(kv.key),
    create_revision: kv.createRevision,
    mod_revision: kv.modRevision,
    version: kv.version,
  }
  if (kv.value) o.value = base64Of(kv.value)
  return o
}

function toHex(s: string): string {
  let h = ''
  for (const b of new TextEncoder().encode(s)) h += `\\x${b.toString(16).padStart(2, '0')}`
  return h
}

async function withLeader<T>(
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

function isResult(x: unknown): x is CommandResult {
  return typeof x === 'object' && x !== null && 'exitCode' in x && 'stdout' in x
}

async function get(run: Run, cfg: ClientCfg, format: string): Promise<CommandResult> {
  const args = run.positional
  const fromKey = parseBool(run.flags.get('from-key'))
  if (args.length === 0 || args.length > 2)
    return out(
      '',
      `${cfg.prefix}Error: get command needs one argument as key and an optional argument as range_end\n`,
      EXIT_BAD_ARGS,
    )
  if (format === 'table')
    return out('', `${cfg.prefix}Error: table not supported as output format\n`, EXIT_BAD_FEATURE)
  const prefix = parseBool(run.flags.get('prefix'))
  if ((prefix || fromKey) && args.length === 2)
    return out(
      '',
      `${cfg.prefix}Error: too many arguments, only accept one argument when \`--prefix\` or \`--from-key\` is set\n`,
      EXIT_BAD_ARGS,
    )
  const serializable = run.flags.get('consistency') === 's'
  const r = await withLeader(run, cfg, (p) => {
    let kvs = serverRange(p, args[0] as string, {
      prefix,
      end: args[1] ?? (fromKey ? '' : undefined),
      serializable,
    })
    const count = kvs.length
    const limit = Number(run.flags.get('limit') ?? 0)
    if (limit > 0) kvs = kvs.slice(0, limit)
    if (run.flags.get('order') === 'DESCEND') kvs = [...kvs].reverse()
    return { kvs, count, h: header(p) }
  })
  if (isResult(r)) return r
  const keysOnly = parseBool(run.flags.get('keys-only'))
  const valueOnly = parseBool(run.flags.get('print-value-only'))
  const hex = parseBool(run.flags.get('hex'))
  if (parseBool(run.flags.get('count-only'))) {
    if (format === 'json') return out(`${goJson({ header: hdrJson(r.h), count: r.count })}\n`, cfg.prefix)
    return out(`${r.count}\n`, cfg.prefix)
  }
  if (format === 'json') {
    const o: Record<string, JsonValue> = { header: hdrJson(r.h) }
    if (r.kvs.length) o.kvs = r.kvs.map((kv) => (keysOnly ? { ...kvJson(kv), value: undefined } : kvJson(kv)))
    if (r.kvs.length < r.count) o.more = true
    if (r.count) o.count = r.count
    return out(`${goJson(o)}\n`, cfg.prefix)
  }
  if (format === 'fields') {
    let s = fieldsHdr(r.h)
    for (const kv of r.kvs) {
      s += `"Key" : ${JSON.stringify(kv.key)}\n"CreateRevision" : ${kv.createRevision}\n"ModRevision" : ${kv.modRevision}\n"Version" : ${kv.version}\n"Value" : ${JSON.stringify(keysOnly ? '' : kv.value)}\n"Lease" : 0\n`
    }
    s += `"More" : ${r.kvs.length < r.count}\n"Count" : ${r.count}\n`
    return out(s, cfg.prefix)
  }
  let s = ''
  for (const kv of r.kvs) {
    const k = hex ? toHex(kv.key) : kv.key
    const v = keysOnly ? '' : hex ? toHex(kv.value) : kv.value
    if (!valueOnly) s += `${k}\n`
    if (!(keysOnly && valueOnly)) s += `${v}\n`
  }
  return out(s, cfg.prefix)
}

async function put(run: Run, cfg: ClientCfg, format: string): Promise<CommandResult> {
  const args = run.positional
  let value = args[1]
  // The value read from stdin keeps its trailing newline, as etcdctl stores it.
  if (args.length === 1 && run.ctx.stdin) value = run.ctx.stdin
  if (args.length === 0 || args.length > 2 || value === undefined)
    return out(
      '',
      `${cfg.prefix}Error: put command needs 1 argument and input from stdin or 2 arguments\n`,
      EXIT_BAD_ARGS,
    )
  if (format === 'table')
    return out('', `${cfg.prefix}Error: table not supported as output format\n`, EXIT_BAD_FEATURE)
  // clientv3 refuses to send a message over its 2 MiB limit before the member sees it
  const bytes = putRequestBytes(args[0] as string, value)
  if (bytes > CLIENT_SEND_LIMIT) {
    const c = connectAny(run, cfg)
    if (!c.ok) return failUnary(run, cfg, c.error)
    return serverError(
      run,
      cfg,
      'ResourceExhausted',
      `trying to send message larger than max (${bytes} vs. ${CLIENT_SEND_LIMIT})`,
      true,
    )
  }
  let leader: EtcdProcess | undefined
  const r = await withLeader(run, cfg, (p) => {
    const res = serverPut(p, args[0] as string, value as string)
    leader = p.group?.leader ?? p
    return { ...res, h: header(p) }
  })
  if (isResult(r)) return r
  // The write is answered once it is on the member's disk: a disk too full for
  // it ends the member (etcd's fatal "failed to commit tx") and the client
  // hears no OK, so nothing is acknowledged that a restart would not find.
  if (leader && !(await leader.flushNow()) && leader.status !== 'running') {
    const c = connectAny(run, cfg)
    if (!c.ok) return failUnary(run, cfg, c.error)
  }
  const prevKv = parseBool(run.flags.get('prev-kv'))
  if (format === 'json') {
    const o: Record<string, JsonValue> = { header: hdrJson(r.h) }
    if (prevKv && r.prev) o.prev_kv = kvJson(r.prev)
    return out(`${goJson(o)}\n`, cfg.prefix)
  }
  if (format === 'fields') return out(fieldsHdr(r.h), cfg.prefix)
  let s = 'OK\n'
  if (prevKv && r.prev) s += `${r.prev.key}\n${r.prev.value}\n`
  return out(s, cfg.prefix)
}

async function del(run: Run, cfg: ClientCfg, format: string): Promise<CommandResult> {
  const args = run.positional
  if (args.length === 0 || args.length > 2)
    return out(
      '',
      `${cfg.prefix}Error: del command needs one argument as key and an optional argument as range_end\n`,
      EXIT_BAD_ARGS,
    )
  if (format === 'table')
    return out('', `${cfg.prefix}Error: table not supported as output format\n`, EXIT_BAD_FEATURE)
  const prefix = parseBool(run.flags.get('prefix'))
  const fromKey = parseBool(run.flags.get('from-key'))
  const r = await withLeader(run, cfg, (p) => {
    const gone = serverDelete(p, args[0] as string, { prefix, end: args[1] ?? (fromKey ? '' : undefined) })
    return { gone, h: header(p) }
  })
  if (isResult(r)) return r
  const prevKv = parseBool(run.flags.get('prev-kv'))
  if (format === 'json') {
    const o: Record<string, JsonValue> = { header: hdrJson(r.h) }
    if (r.gone.length) o.deleted = r.gone.length
    if (prevKv && r.gone.length) o.prev_kvs = r.gone.map(kvJson)
    return out(`${goJson(o)}\n`, cfg.prefix)
  }
  let s = `${r.gone.length}\n`
  if (prevKv) for (const kv of r.gone) s += `${kv.key}\n${kv.value}\n`
  return out(s, cfg.prefix)
}

async function snapshotSave(run: Run, cfg: ClientCfg): Promise<CommandResult> {
  const { profile, log, ctx } = run
  const minor = profile.etcdMinor
  if (run.positional.length !== 1)
    return out(
      '',
      `${cfg.prefix}Error: snapshot save expects one argument${minor === '3.6' ? ' <filename>' : ''}\n`,
      EXIT_BAD_ARGS,
    )
  if (cfg.endpoints.length !== 1)
    return out(
      '',
      `${cfg.prefix}Error: snapshot must be requested to one selected node, not multiple [${cfg.endpoints.join(' ')}]\n`,
      EXIT_INTERRUPTED,
    )
  const path = run.positional[0] as string
  const part = `${path}.part`
  const abs = resolvePathFrom(ctx.cwd, path)
  const absPart = `${abs}.part`
  const parent = absPart.replace(/\/[^/]*$/, '') || '/'
  const parentOk = await ctx.fs
    .stat(parent)
    .then((st) => st.isDirectory)
    .catch(() => false)
  if (!parentOk)
    return out(
      '',
      `${cfg.prefix}Error: could not open ${part} (open ${part}: no such file or directory)\n`,
      EXIT_INTERRUPTED,
    )
  await ctx.fs.writeFile(absPart, '')
  const c34 = minor === '3.4'
  const snapCaller = (n: number) => `snapshot/v3_snapshot.go:${n}`
  const lines: string[] = []
  const L = (level: string, caller: string, msg: string, f: Record<string, JsonValue> = {}, client = false) =>
    lines.push(
      c34
        ? log.line(level, caller, msg, f, { floatTs: !client })
        : log.line(level, caller, msg, f, client ? { logger: 'client' } : {}),
    )
  const calls = c34 ? [119, 127, 142, 152] : minor === '3.5' ? [65, 73, 88, 97] : [83, 96, 111, 121]
  const maint = c34
    ? ['clientv3/maintenance.go:200', 'clientv3/maintenance.go:208']
    : minor === '3.5'
      ? ['v3/maintenance.go:212', 'v3/maintenance.go:220']
      : ['v3/maintenance.go:236', 'v3/maintenance.go:302']
  L('info', snapCaller(calls[0] as number), 'created temporary db file', { path: part })
  const ep = cfg.endpoints[0] as string
  const r = dial(ctx.node.cluster, ctx.node, ep, cfg.tls)
  if (!r.ok) {
    const cleanup = async () => {
      await ctx.fs.rm(absPart, { force: true }).catch(() => {})
    }
    if (!cfg.commandTimeoutExplicit) {
      // The snapshot stream has no deadline: it waits until interrupted. At a
      // terminal the lines so far are already on the screen while it waits.
      if (ctx.tty) ctx.tty.write(`${cfg.prefix}${lines.join('\n')}\n`.replace(/\n/g, '\r\n'))
      // Ctrl-C kills etcdctl before its deferred cleanup: the .part file stays, as with the real one.
      await new Promise<void>((_, reject) => {
        const abort = () => {
          const e = new Error('interrupted')
          e.name = 'AbortError'
          reject(e)
        }
        if (!ctx.signal) return
        if (ctx.signal.aborted) abort()
        ctx.signal.addEventListener('abort', abort, { once: true })
      })
    }
    await waitTimeout(run, cfg.commandTimeout)
    await cleanup()
    const err =
      'rpc error: code = DeadlineExceeded desc = latest balancer error: all SubConns are in TransientFailure'
    if (c34) {
      lines.push(
        log.line('error', 'clientv3/retry_interceptor.go:129', 'streamer failed to create ClientStream', {
          error: err,
          stacktrace: STACK_34,
        }),
      )
    } else {
      lines.push(
        log.line(
          'error',
          clientCaller(profile, 'retry_interceptor.go', 130, 130),
          'streamer failed to create ClientStream',
          {
            error: `rpc error: code = DeadlineExceeded desc = latest balancer error: last connection error: ${r.error === 'connection closed' ? 'connection closed' : `connection error: desc = "${r.error}"`}`,
            ...(minor === '3.5' ? { stacktrace: SNAPSHOT_STREAM_STACK_35 } : {}),
          },
          // the snapshot manager's own client logs as "client" in etcdctl 3.5.16 (the capture shows it)
          { logger: profile.etcdMinor === '3.5' ? 'client' : 'etcd-client' },
        ),
      )
    }
    return out('', `${cfg.prefix}${lines.join('\n')}\nError: context deadline exceeded\n`, EXIT_INTERRUPTED)
  }
  const p = r.proc
  const db = p.dbBytes()
  L('info', maint[0] as string, 'opened snapshot stream; downloading', {}, true)
  L('info', snapCaller(calls[1] as number), 'fetching snapshot', { endpoint: ep })
  L('info', maint[1] as string, 'completed snapshot read; closing', {}, true)
  const took: JsonValue = c34
    ? 0.012 + (db.length % 997) / 100000
    : minor === '3.5'
      ? 'now'
      : goDuration(12 + (db.length % 97) / 10)
  const fetched: Record<string, JsonValue> = { endpoint: ep, size: humanBytes(db.length), took }
  if (minor === '3.6') fetched['etcd-version'] = '3.6.0'
  L('info', snapCaller(calls[2] as number), 'fetched snapshot', fetched)
  const targetIsDir = await ctx.fs
    .stat(abs)
    .then((st) => st.isDirectory)
    .catch(() => false)
  if (targetIsDir) {
    await ctx.fs.rm(absPart, { force: true }).catch(() => {})
    return out(
      '',
      `${cfg.prefix}${lines.join('\n')}\nError: could not rename ${part} to ${path} (rename ${part} ${path}: file exists)\n`,
      EXIT_INTERRUPTED,
    )
  }
  try {
    await ctx.fs.writeFile(abs, snapshotBytes(db))
    await ctx.fs.chmod(abs, 0o600).catch(() => {}) // etcdctl creates it with 0600
    await ctx.fs.rm(absPart, { force: true })
  } catch (err) {
    return out('', `${cfg.prefix}${lines.join('\n')}\nError: ${(err as Error).message}\n`, EXIT_INTERRUPTED)
  }
  L('info', snapCaller(calls[3] as number), 'saved', { path })
  const stdout = `Snapshot saved at ${path}\n${minor === '3.6' ? 'Server version 3.6.0\n' : ''}`
  // the log lines come as the snapshot is taken, the result line at the end
  return stderrFirst(out(stdout, `${cfg.prefix}${lines.join('\n')}\n`))
}

const STACK_34 =
  'go.etcd.io/etcd/clientv3.(*Client).streamClientInterceptor.func1\n\tgo.etcd.io/etcd/clientv3/retry_interceptor.go:129\ngoogle.golang.org/grpc.(*ClientConn).NewStream\n\tgoogle.golang.org/grpc/stream.go:148\ngoogle.golang.org/grpc.NewClientStream\n\tgoogle.golang.org/grpc/stream.go:155\ngo.etcd.io/etcd/etcdserver/etcdserverpb.(*maintenanceClient).Snapshot\n\tgo.etcd.io/etcd/etcdserver/etcdserverpb/rpc.pb.go:4296\ngo.etcd.io/etcd/clientv3.(*retryMaintenanceClient).Snapshot\n\tgo.etcd.io/etcd/clientv3/retry.go:214\ngo.etcd.io/etcd/clientv3.(*maintenance).Snapshot\n\tgo.etcd.io/etcd/clientv3/maintenance.go:195\ngo.etcd.io/etcd/clientv3/snapshot.(*v3Manager).Save\n\tgo.etcd.io/etcd/clientv3/snapshot/v3_snapshot.go:123\ngo.etcd.io/etcd/etcdctl/ctlv3/command.snapshotSaveCommandFunc\n\tgo.etcd.io/etcd/etcdctl/ctlv3/command/snapshot_command.go:113\ngithub.com/spf13/cobra.(*Command).execute\n\tgithub.com/spf13/cobra/command.go:920\ngithub.com/spf13/cobra.(*Command).ExecuteC\n\tgithub.com/spf13/cobra/command.go:1044\ngithub.com/spf13/cobra.(*Command).Execute\n\tgithub.com/spf13/cobra/command.go:968\ngo.etcd.io/etcd/etcdctl/ctlv3.Start\n\tgo.etcd.io/etcd/etcdctl/ctlv3/ctl_nocov.go:26\nmain.main\n\tgo.etcd.io/etcd/etcdctl/main.go:35\nruntime.main\n\truntime/proc.go:250'

/**
 * zap's stack traces in etcdctl 3.5 (error and fatal lines), as etcdctl 3.5.16
 * prints them: the frames below the command are cobra's and main's, with the
 * file lines of the build (Debian trixie's: cobra 1.8, Go 1.24's runtime).
 */
function stack35(frames: Array<[fn: string, file: string]>): string {
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

const V2_HELP = (version: string) => `NAME:
   etcdctl - A simple command line client for etcd.

USAGE:
   etcdctl [global options] command [command options] [arguments...]

VERSION:
   ${version}

COMMANDS:
   backup          ${version.startsWith('3.4.') ? 'backup an etcd directory' : '--data-dir=... --backup-dir={output}'}
   cluster-health  check the health of the etcd cluster
   mk              make a new key with a given value
   mkdir           make a new directory
   rm              remove a key or a directory
   rmdir           removes the key if it is an empty directory or a key-value pair
   get             retrieve the value of a key
   ls              retrieve a directory
   set             set the value of a key
   setdir          create a new directory or update an existing directory TTL
   update          update an existing key with a given value
   updatedir       update an existing directory
   watch           watch a key for changes
   exec-watch      watch a key for changes and exec an executable
   member          member add, remove and list subcommands
   user            user add, grant and revoke subcommands
   role            role add, grant and revoke subcommands
   auth            overall auth controls
   help, h         Shows a list of commands or help for one command

GLOBAL OPTIONS:
   --debug                          output cURL commands which can be used to reproduce the request
   --no-sync                        don't synchronize cluster information before sending request
   --output simple, -o simple       output response in the given format (simple, \`extended\` or \`json\`) (default: "simple")
   --discovery-srv value, -D value  domain name to query for SRV records describing cluster endpoints
   --insecure-discovery             accept insecure SRV records describing cluster endpoints
   --peers value, -C value          DEPRECATED - "--endpoints" should be used instead
   --endpoint value                 DEPRECATED - "--endpoints" should be used instead
   --endpoints value                a comma-delimited list of machine addresses in the cluster (default: "http://127.0.0.1:2379,http://127.0.0.1:4001")
   --cert-file value                identify HTTPS client using this SSL certificate file
   --key-file value                 identify HTTPS client using this SSL key file
   --ca-file value                  verify certificates of HTTPS-enabled servers using this CA bundle
   --username value, -u value       provide username[:password] and prompt if password is not supplied.
   --timeout value                  connection timeout per request (default: 2s)
   --total-timeout value            timeout for the command execution (except watch) (default: 5s)
   --help, -h                       show help
   --version, -v                    print the version
`

const V2_FLAGS = new Set([
  'debug',
  'no-sync',
  'output',
  'o',
  'discovery-srv',
  'D',
  'insecure-discovery',
  'peers',
  'C',
  'endpoint',
  'endpoints',
  'cert-file',
  'key-file',
  'ca-file',
  'username',
  'u',
  'timeout',
  'total-timeout',
  'help',
  'h',
  'version',
  'v',
])
const V2_BOOL = new Set(['debug', 'no-sync', 'insecure-discovery', 'help', 'h', 'version', 'v'])

/** The v2 etcdctl (ETCDCTL_API=2), kept to the few answers learners meet by mistake. */
function runV2(ctx: SimCommandContext, profile: Profile): CommandResult {
  const args = ctx.args
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string
    if (!a.startsWith('-')) {
      if (
        [
          'backup',
          'cluster-health',
          'mk',
          'mkdir',
          'rm',
          'rmdir',
          'get',
          'ls',
          'set',
          'setdir',
          'update',
          'updatedir',
          'watch',
          'exec-watch',
          'member',
          'user',
          'role',
          'auth',
        ].includes(a)
      )
        return out(
          '',
          `Error:  client: etcd cluster is unavailable or misconfigured; error #0: dial tcp 127.0.0.1:4001: connect: connection refused\n; error #1: dial tcp 127.0.0.1:2379: connect: connection refused\n\nerror #0: dial tcp 127.0.0.1:4001: connect: connection refused\nerror #1: dial tcp 127.0.0.1:2379: connect: connection refused\n\n`,
          4,
        )
      if (a === 'help' || a === 'h') return out(V2_HELP(profile.etcdVersion))
      return out('', `No help topic for '${a}'\n`, 3)
    }
    const name = a.replace(/^--?/, '').split('=')[0] as string
    if (!V2_FLAGS.has(name))
      return out(
        `Incorrect Usage. flag provided but not defined: -${name}\n\n${V2_HELP(profile.etcdVersion)}`,
        `flag provided but not defined: -${name}\n`,
        1,
      )
    if (name === 'version' || name === 'v')
      return out(`etcdctl version: ${profile.etcdVersion}\nAPI version: 2\n`)
    if (name === 'help' || name === 'h') return out(V2_HELP(profile.etcdVersion))
    if (!V2_BOOL.has(name) && !a.includes('=')) i++
  }
  return out(V2_HELP(profile.etcdVersion))
}

/**
 * zap's short caller for a file of etcd's client module. etcdctl 3.5 and 3.6
 * build the client from their own source tree (etcdctl/go.mod replaces
 * go.etcd.io/etcd/client/v3 with ../client/v3), so the path is `v3/<file>`:
 * seen in etcdctl 3.5.16's output; the 3.6 line numbers are those of
 * client/v3 at v3.6.4.
 */
function clientCaller(profile: Run['profile'], file: string, line35: number, line36: number): string {
  return `v3/${file}:${profile.etcdMinor === '3.5' ? line35 : line36}`
}

/** A server-side error: clientv3's retry interceptor logs the gRPC status, then etcdctl prints the message. */
function serverError(run: Run, cfg: ClientCfg, code: string, msg: string, clientSide = false): CommandResult {
  const { profile, log } = run
  const now = run.ctx.node.cluster.clock.now()
  const err = `rpc error: code = ${code} desc = ${msg}`
  let line: string
  if (profile.etcdMinor === '3.4') {
    const target = `endpoint://client-${uuid(`${now}/${cfg.endpoints.join(',')}`)}/${hostPort(cfg.endpoints[0] ?? '')}`
    line = log.line('warn', 'clientv3/retry_interceptor.go:62', 'retrying of unary invoker failed', {
      target,
      attempt: 0,
      error: err,
    })
  } else {
    const ptr = `0xc000${(now % 0xfffff).toString(16).padStart(6, '0')}`
    const caller = clientCaller(profile, 'retry_interceptor.go', 63, 65)
    line = log.line(
      'warn',
      caller,
      'retrying of unary invoker failed',
      { target: `etcd-endpoints://${ptr}/${hostPort(cfg.endpoints[0] ?? '')}`, attempt: 0, error: err },
      { logger: 'etcd-client' },
    )
  }
  // a client-side refusal is printed with its gRPC status, a member's answer without it
  return out('', `${cfg.prefix}${line}\nError: ${clientSide ? err : msg}\n`, EXIT_ERROR)
}

function idText(id: bigint): string {
  return id.toString(16).padStart(16, ' ')
}

async function memberAdd(run: Run, cfg: ClientCfg): Promise<CommandResult> {
  const name = run.positional[0]
  if (run.positional.length !== 1 || !name)
    return out('', `${cfg.prefix}Error: member name not provided\n`, EXIT_BAD_ARGS)
  const urls = (run.flags.get('peer-urls') ?? '').split(',').filter(Boolean)
  if (urls.length === 0) return out('', `${cfg.prefix}Error: member peer urls not provided\n`, EXIT_BAD_ARGS)
  const learner = parseBool(run.flags.get('learner'))
  const r = await withLeader(run, cfg, (p) => {
    const g = p.group
    if (!g?.leader) throw new NoLeaderError()
    for (const m of g.members)
      if (m.peerURLs.some((u) => urls.includes(u)))
        return { code: 'FailedPrecondition', error: 'etcdserver: Peer URLs already exists' }
    const id = joinedMemberId(urls[0] as string, '', Math.floor(run.ctx.node.cluster.clock.now() / 1000))
    g.members.push({
      id: hexId(id),
      name: '',
      peerURLs: urls,
      clientURLs: [],
      isLearner: learner || undefined,
    })
    g.commit()
    for (const x of g.processes) void x.writeWal()
    etcdRuntime(run.ctx.node.cluster).recompute()
    return { id, p, members: membersOf(p).map((m) => ({ ...m })) }
  })
  if (isResult(r)) return r
  if ('error' in r) return serverError(run, cfg, r.code ?? 'Unknown', r.error ?? '')
  // etcdctl 3.4 does not say "as learner".
  const as = learner && run.profile.etcdMinor !== '3.4' ? ' as learner ' : ' '
  let s = `Member ${idText(r.id)} added${as}to cluster ${idText(r.p.clusterId)}\n`
  const conf: string[] = []
  for (const m of r.members)
    for (const u of m.peerURLs) conf.push(`${m.id === hexId(r.id) ? name : m.name}=${u}`)
  s += `\nETCD_NAME=${JSON.stringify(name)}\nETCD_INITIAL_CLUSTER=${JSON.stringify(conf.join(','))}\nETCD_INITIAL_ADVERTISE_PEER_URLS=${JSON.stringify(urls.join(','))}\nETCD_INITIAL_CLUSTER_STATE="existing"\n`
  return out(s, cfg.prefix)
}

async function memberChange(
  run: Run,
  cfg: ClientCfg,
  verb: 'removed from' | 'promoted in',
): Promise<CommandResult> {
  const arg = run.positional[0]
  if (run.positional.length !== 1 || !arg)
    return out('', `${cfg.prefix}Error: member ID is not provided\n`, EXIT_BAD_ARGS)
  if (!/^[0-9a-fA-F]{1,16}$/.test(arg))
    return out(
      '',
      `${cfg.prefix}Error: bad member ID arg (strconv.ParseUint: parsing ${JSON.stringify(arg)}: invalid syntax), expecting ID in Hex\n`,
      EXIT_BAD_ARGS,
    )
  const id = BigInt(`0x${arg}`)
  const r = await withLeader(run, cfg, (p) => {
    const g = p.group
    if (!g?.leader) throw new NoLeaderError()
    const m = g.members.find((x) => x.id === hexId(id))
    if (!m) return { code: 'NotFound', error: 'etcdserver: member not found' }
    if (verb === 'promoted in') {
      if (!m.isLearner)
        return { code: 'FailedPrecondition', error: 'etcdserver: can only promote a learner member' }
      m.isLearner = undefined
    } else {
      g.members.splice(g.members.indexOf(m), 1)
    }
    g.commit()
    for (const x of g.processes) void x.writeWal()
    const removed = verb === 'removed from' ? g.processes.find((x) => x.memberId === id) : undefined
    if (removed) void removed.removedFromCluster()
    etcdRuntime(run.ctx.node.cluster).recompute()
    return { p }
  })
  if (isResult(r)) return r
  if ('error' in r) return serverError(run, cfg, r.code ?? 'Unknown', r.error ?? '')
  return out(`Member ${idText(id)} ${verb} cluster ${idText(r.p.clusterId)}\n`, cfg.prefix)
}

/** `memberID:<decimal> alarm:NOSPACE ` per raised alarm (with the trailing space etcdctl prints). */
function alarmLines(alarms: Array<{ memberId: bigint; alarm: string }>): string {
  return alarms.map((a) => `memberID:${a.memberId} alarm:${a.alarm} \n`).join('')
}

async function alarmList(run: Run, cfg: ClientCfg): Promise<CommandResult> {
  const r = await withLeader(run, cfg, (p) => {
    if (!p.group?.leader) throw new NoLeaderError()
    return alarmLines(p.group.alarms)
  })
  if (isResult(r)) return r
  return out(r, cfg.prefix)
}

/** Clears every alarm and prints the ones it cleared (a write past the quota raises NOSPACE again). */
async function alarmDisarm(run: Run, cfg: ClientCfg): Promise<CommandResult> {
  const r = await withLeader(run, cfg, (p) => {
    const g = p.group
    if (!g?.leader) throw new NoLeaderError()
    const cleared = alarmLines(g.alarms)
    g.alarms = []
    g.flush()
    return cleared
  })
  if (isResult(r)) return r
  return out(r, cfg.prefix)
}

async function defrag(run: Run, cfg: ClientCfg): Promise<CommandResult> {
  let eps = cfg.endpoints
  // --cluster defragments every member at the client URLs it advertises
  if (parseBool(run.flags.get('cluster'))) {
    const r = await clusterEndpoints(run, cfg)
    if (!Array.isArray(r)) return r
    eps = r
  }
  let stdout = ''
  let stderr = cfg.prefix
  let failed = false
  for (const ep of eps) {
    const c = dial(run.ctx.node.cluster, run.ctx.node, ep, cfg.tls)
    if (!c.ok) {
      await waitTimeout(run, cfg.commandTimeout)
      // 3.5 defragments each endpoint through the one client, whose grpc target names the first
      // endpoint; 3.4 and 3.6 dial each (defrag_command.go at v3.5.16 and v3.6.4)
      const logCfg = run.profile.etcdMinor === '3.5' ? cfg : { ...cfg, endpoints: [ep] }
      const took = run.profile.etcdMinor === '3.6' ? `. took ${goDuration(cfg.commandTimeout + 0.4)}.` : ''
      stderr += `${warnLine(run, logCfg, c.error)}\nFailed to defragment etcd member[${ep}]${took} (context deadline exceeded)\n`
      failed = true
      continue
    }
    c.proc.data.defragment()
    c.proc.queueFlush()
    // 3.6 says how long it took (defrag_command.go at v3.6.4)
    const took =
      run.profile.etcdMinor === '3.6' ? `. took ${goDuration(8 + (c.proc.data.dbSize() % 997) / 100)}` : ''
    stdout += `Finished defragmenting etcd member[${ep}]${took}\n`
  }
  return out(stdout, stderr, failed ? EXIT_ERROR : 0)
}

async function compaction(run: Run, cfg: ClientCfg): Promise<CommandResult> {
  const arg = run.positional[0]
  if (run.positional.length !== 1 || !arg)
    return out('', `${cfg.prefix}Error: compaction command needs 1 argument\n`, EXIT_BAD_ARGS)
  const rev = Number(arg)
  if (!Number.isInteger(rev))
    return out(
      '',
      `${cfg.prefix}Error: strconv.ParseInt: parsing ${JSON.stringify(arg)}: invalid syntax\n`,
      EXIT_BAD_ARGS,
    )
  const r = await withLeader(run, cfg, (p) => {
    const g = p.group
    if (!g?.leader) throw new NoLeaderError()
    if (rev <= g.keyspace.compactRevision)
      return { code: 'OutOfRange', error: 'etcdserver: mvcc: required revision has been compacted' }
    if (rev > g.keyspace.revision)
      return { code: 'OutOfRange', error: 'etcdserver: mvcc: required revision is a future revision' }
    g.keyspace.compact(rev)
    g.commit()
    return { ok: true }
  })
  if (isResult(r)) return r
  if ('error' in r) return serverError(run, cfg, r.code ?? 'Unknown', r.error ?? '')
  return out(`compacted revision ${rev}\n`, cfg.prefix)
}
