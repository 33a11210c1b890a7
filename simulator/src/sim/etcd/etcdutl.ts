import type { CommandResult, SimCommandContext } from '../commands/types'
import { ClientLog } from './clientlog'
import { commandWords, type FlagDef, parseArgs, parseBool, RESTORE_FLAGS } from './flags'
import { etcdutlHelp } from './help'
import { snapshotRestore, snapshotStatus } from './snapshot'

// etcdutl (3.5, 3.6): the offline tool for snapshot files and data dirs.

const GLOBAL: FlagDef[] = [
  { name: 'write-out', short: 'w', type: 'string' },
  { name: 'help', short: 'h', type: 'bool' },
]

const RESTORE: FlagDef[] = [...RESTORE_FLAGS, { name: 'initial-memory-map-size', type: 'int' }]

const SNAPSHOT_HELP = `Manages etcd node snapshots

Usage:
  etcdutl snapshot [command]

Available Commands:
  restore     Restores an etcd member snapshot to an etcd directory
  status      Gets backend snapshot status of a given file

Flags:
  -h, --help   help for snapshot

Global Flags:
  -w, --write-out string   set the output format (fields, json, protobuf, simple, table) (default "simple")

Use "etcdutl snapshot [command] --help" for more information about a command.
`

export async function runEtcdutl(ctx: SimCommandContext): Promise<CommandResult> {
  const profile = ctx.node.cluster.profile
  const log = new ClientLog(profile, () => ctx.node.cluster.clock.now())
  const isRestore = (w: string[]) => w[0] === 'snapshot' && w[1] === 'restore'
  const cmdWords = commandWords(ctx.args, (n) =>
    [...GLOBAL, ...RESTORE].some((f) => (f.name === n || f.short === n) && f.type === 'bool'),
  )
  const parsed = parseArgs(
    ctx.args,
    (name) =>
      GLOBAL.find((f) => f.name === name) ??
      (isRestore(cmdWords) ? RESTORE.find((f) => f.name === name) : undefined),
    (s) => GLOBAL.find((f) => f.short === s),
  )
  const w = parsed.words
  if (parsed.error) {
    return { stdout: '', stderr: `Error: ${parsed.error}\n`, exitCode: 1 }
  }
  const format = parsed.values.get('write-out') ?? 'simple'
  const [a, b, ...rest] = w
  if (!a || a === 'help' || (parseBool(parsed.values.get('help')) && a !== 'snapshot'))
    return { stdout: etcdutlHelp(profile), stderr: '', exitCode: 0 }
  if (a === 'version')
    return {
      stdout: `etcdutl version: ${profile.etcdVersion}\nAPI version: ${profile.etcdMinor}\n`,
      stderr: '',
      exitCode: 0,
    }
  if (a === 'snapshot') {
    if (!b || parseBool(parsed.values.get('help'))) return { stdout: SNAPSHOT_HELP, stderr: '', exitCode: 0 }
    if (b === 'status') {
      if (rest.length !== 1)
        return { stdout: '', stderr: 'Error: snapshot status requires exactly one argument\n', exitCode: 128 }
      return snapshotStatus({ fs: ctx.fs, cwd: ctx.cwd, profile, path: rest[0] as string, format })
    }
    if (b === 'restore') {
      if (rest.length !== 1)
        return {
          stdout: '',
          stderr: 'Error: snapshot restore requires exactly one argument\n',
          exitCode: 128,
        }
      const v = parsed.values
      return snapshotRestore({
        fs: ctx.fs,
        cwd: ctx.cwd,
        profile,
        tool: 'etcdutl',
        log,
        snapshot: rest[0] as string,
        dataDir: v.get('data-dir'),
        walDir: v.get('wal-dir'),
        name: v.get('name') ?? 'default',
        initialCluster: v.get('initial-cluster'),
        initialClusterToken: v.get('initial-cluster-token') ?? 'etcd-cluster',
        initialAdvertisePeerUrls: v.get('initial-advertise-peer-urls') ?? 'http://localhost:2380',
        skipHashCheck: parseBool(v.get('skip-hash-check')),
        bumpRevision: Number(v.get('bump-revision') ?? 0) || 0,
        markCompacted: parseBool(v.get('mark-compacted')),
      })
    }
    return { stdout: SNAPSHOT_HELP, stderr: '', exitCode: 0 }
  }
  return {
    stdout: '',
    stderr: `Error: unknown command "${a}" for "etcdutl"\nRun 'etcdutl --help' for usage.\n`,
    exitCode: 1,
  }
}
