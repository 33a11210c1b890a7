// etcdctl for the profile's etcd version: finds the command as cobra does,
// reads its flags, and runs it. The parts: etcdctl-flags.ts (command tree and
// flags), etcdctl-client.ts (client config, TLS, dialing, the lines a failed
// call logs), etcdctl-cluster.ts / etcdctl-kv.ts / etcdctl-snapshot.ts (the
// verbs), etcdctl-v2.ts (ETCDCTL_API=2).

import { findCommand } from '../commands/pflag'
import { type CommandResult, type SimCommandContext, stderrFirst } from '../commands/types'
import { ClientLog } from './clientlog'
import { clientConfig, out, type Run } from './etcdctl-client'
import {
  alarmDisarm,
  alarmList,
  compaction,
  defrag,
  endpointHealth,
  endpointStatus,
  memberAdd,
  memberChange,
  memberList,
  moveLeader,
} from './etcdctl-cluster'
import {
  EXIT_BAD_ARGS,
  EXIT_BAD_FEATURE,
  flagsOf,
  GROUPS,
  leafCommands,
  unknownCommand,
} from './etcdctl-flags'
import { del, get, put } from './etcdctl-kv'
import { deprecationBanner, snapshotSave } from './etcdctl-snapshot'
import { runV2 } from './etcdctl-v2'
import { type FlagDef, parseArgs, parseBool, shapeOf } from './flags'
import { etcdctlHelp, groupHelp, leafHelp, snapshotHelp } from './help'
import { snapshotRestore, snapshotStatus } from './snapshot'

export async function runEtcdctl(ctx: SimCommandContext): Promise<CommandResult> {
  const profile = ctx.node.cluster.profile
  const clock = ctx.node.cluster.clock
  const log = new ClientLog(profile, () => clock.now())
  const env = { ...ctx.env }
  const facts = profile.etcd.etcdctl
  if (facts.api2 && 'ETCDCTL_API' in env) {
    const api = env.ETCDCTL_API ?? ''
    delete env.ETCDCTL_API
    if (api === '2') return runV2(ctx, profile)
    if (api !== '' && api !== '3') return out('', `${facts.unsupportedApi}${api}\n`, 1)
  }
  const leaves = leafCommands(profile)
  const flagsAt = (words: string[]): FlagDef[] => flagsOf(profile, words)
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
    case 'move-leader':
      return moveLeader(run, cfg)
  }
  return out('', `Error: unknown command "${path}" for "etcdctl"\n`, 1)
}
