import { findCommand } from '../commands/pflag'
import type { CommandResult, SimCommandContext } from '../commands/types'
import type { Profile } from '../profiles'
import { ClientLog } from './clientlog'
import { type FlagDef, parseArgs, parseBool, RESTORE_FLAGS, shapeOf } from './flags'
import { etcdutlHelp } from './help'
import { snapshotRestore, snapshotStatus } from './snapshot'

// etcdutl (3.5, 3.6): the offline tool for snapshot files and data dirs.

const GLOBAL: FlagDef[] = [
  { name: 'write-out', short: 'w', type: 'string' },
  { name: 'help', short: 'h', type: 'bool' },
]

const RESTORE: FlagDef[] = [...RESTORE_FLAGS, { name: 'initial-memory-map-size', type: 'int' }]

const GLOBAL_FLAGS = `Global Flags:
  -w, --write-out string   set the output format (fields, json, protobuf, simple, table) (default "simple")
`

// cobra's usage of each etcdutl command (what --help prints too: these
// commands have no long description). Seen in etcdutl 3.5.16's output.
const USAGE: Record<string, string> = {
  snapshot: `Usage:
  etcdutl snapshot [command]

Available Commands:
  restore     Restores an etcd member snapshot to an etcd directory
  status      Gets backend snapshot status of a given file

Flags:
  -h, --help   help for snapshot

${GLOBAL_FLAGS}
Use "etcdutl snapshot [command] --help" for more information about a command.
`,
  'snapshot status': `Usage:
  etcdutl snapshot status <filename> [flags]

Flags:
  -h, --help   help for status

${GLOBAL_FLAGS}`,
  'snapshot restore': `Usage:
  etcdutl snapshot restore <filename> --data-dir {output dir} [options] [flags]

Flags:
      --bump-revision uint                   How much to increase the latest revision after restore
      --data-dir string                      Path to the output data directory
  -h, --help                                 help for restore
      --initial-advertise-peer-urls string   List of this member's peer URLs to advertise to the rest of the cluster (default "http://localhost:2380")
      --initial-cluster string               Initial cluster configuration for restore bootstrap (default "default=http://localhost:2380")
      --initial-cluster-token string         Initial cluster token for the etcd cluster during restore bootstrap (default "etcd-cluster")
      --initial-memory-map-size uint         Initial memory map size of the database in bytes. It uses the default value if not defined or defined to 0 (default 10737418240)
      --mark-compacted                       Mark the latest revision after restore as the point of scheduled compaction (required if --bump-revision > 0, disallowed otherwise)
      --name string                          Human-readable name for this member (default "default")
      --skip-hash-check                      Ignore snapshot integrity hash value (required if copied from data directory)
      --wal-dir string                       Path to the WAL directory (use --data-dir if none given)

${GLOBAL_FLAGS}`,
  defrag: `Usage:
  etcdutl defrag [flags]

Flags:
      --data-dir string   Required. Defragments a data directory not in use by etcd.
  -h, --help              help for defrag

${GLOBAL_FLAGS}`,
}

/** etcdutl's commands: 3.5.16's help (binary); 3.6's from etcdutl/ctl.go at v3.6.4. */
function topCommands(profile: Profile): string[] {
  return profile.etcd.etcdutlCommands ?? []
}

/** The command a word list names, as cobra finds it before parsing flags ('' is etcdutl itself). */
function commandPath(words: string[]): string {
  const [a, b] = words
  if (a === 'snapshot' && (b === 'status' || b === 'restore' || b === 'save')) return `snapshot ${b}`
  if (a === 'snapshot' || a === 'defrag') return a
  return ''
}

function usageOf(profile: Profile, path: string): string {
  return USAGE[path] ?? etcdutlHelp(profile)
}

/** cobra's refusal: the error, the command's usage, the error again (all on stderr), exit 1. */
function refuse(profile: Profile, path: string, error: string): CommandResult {
  return {
    stdout: '',
    stderr: `Error: ${error}
${usageOf(profile, path)}
Error: ${error}
`,
    exitCode: 1,
  }
}

function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)])
  for (let j = 1; j <= b.length; j++) d[0]![j] = j
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++)
      d[i]![j] = Math.min(
        d[i - 1]![j]! + 1,
        d[i]![j - 1]! + 1,
        d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      )
  return d[a.length]![b.length]!
}

/** cobra's unknown command: suggestions within two edits (or by prefix), printed twice around the hint. */
function unknownCommand(profile: Profile, word: string): CommandResult {
  const near = topCommands(profile).filter(
    (c) => c !== 'help' && (editDistance(word, c) <= 2 || c.startsWith(word)),
  )
  const msg = `unknown command "${word}" for "etcdutl"${near.length ? `\n\nDid you mean this?\n${near.map((c) => `\t${c}\n`).join('')}` : ''}`
  return {
    stdout: '',
    stderr: `Error: ${msg}\nRun 'etcdutl --help' for usage.\nError: ${msg}\n`,
    exitCode: 1,
  }
}

export async function runEtcdutl(ctx: SimCommandContext): Promise<CommandResult> {
  const profile = ctx.node.cluster.profile
  const log = new ClientLog(profile, () => ctx.node.cluster.clock.now())
  const flagsAt = (path: string[]): FlagDef[] => {
    const p = path.join(' ')
    if (p === 'snapshot restore') return [...GLOBAL, ...RESTORE]
    if (p === 'defrag') return [...GLOBAL, { name: 'data-dir', type: 'string' }]
    return GLOBAL
  }
  // cobra finds the command first: an unknown command stops there, a bad flag
  // is then refused with the found command's usage
  const found = findCommand(ctx.args, {
    has: (path, word) =>
      path.length === 0
        ? topCommands(profile).includes(word)
        : path.length === 1 && path[0] === 'snapshot' && ['status', 'restore', 'save'].includes(word),
    shape: (path) => shapeOf(flagsAt(path)),
  })
  if (found.unknownAtRoot !== undefined) return unknownCommand(profile, found.unknownAtRoot)
  const path = commandPath(found.path)
  const defs = flagsAt(found.path)
  const parsed = parseArgs(
    found.args,
    (name) => defs.find((f) => f.name === name),
    (c) => defs.find((f) => f.short === c),
  )
  if (parsed.error) return refuse(profile, path, parsed.error)
  const w = [...found.path, ...parsed.words]
  const format = parsed.values.get('write-out') ?? 'simple'
  const [a, b, ...rest] = w
  if (!a || a === 'help' || (parseBool(parsed.values.get('help')) && a !== 'snapshot' && a !== 'defrag'))
    return { stdout: etcdutlHelp(profile), stderr: '', exitCode: 0 }
  if (a === 'version')
    return {
      stdout: `etcdutl version: ${profile.etcdVersion}\nAPI version: ${profile.etcdMinor}\n`,
      stderr: '',
      exitCode: 0,
    }
  if (a === 'defrag') {
    if (parseBool(parsed.values.get('help')))
      return { stdout: usageOf(profile, 'defrag'), stderr: '', exitCode: 0 }
    if (!parsed.values.get('data-dir'))
      return refuse(profile, 'defrag', 'required flag(s) "data-dir" not set')
  }
  if (a === 'snapshot') {
    if (!b || parseBool(parsed.values.get('help')))
      return { stdout: usageOf(profile, path), stderr: '', exitCode: 0 }
    if (b === 'save' && profile.etcd.etcdutlSaveStub)
      // Deprecated in 3.5 with a Run that refuses: cobra's deprecation notice, then etcdutl's error.
      return {
        stdout: '',
        stderr:
          'Command "save" is deprecated, Use `etcdctl snapshot save` to download snapshot\n' +
          'Error: In order to download snapshot use: `etcdctl snapshot save ...`\n',
        exitCode: 128,
      }
    if (b === 'status') {
      if (rest.length !== 1)
        return { stdout: '', stderr: 'Error: snapshot status requires exactly one argument\n', exitCode: 128 }
      return snapshotStatus({ fs: ctx.fs, cwd: ctx.cwd, profile, path: rest[0] as string, format })
    }
    if (b === 'restore') {
      // cobra checks required flags before the command's own argument check. 3.5 marks --data-dir
      // required (seen in 3.5.16); 3.6 restores into <name>.etcd without it (snapshot_command.go at v3.6.4).
      if (profile.etcd.etcdutlRestoreNeedsDataDir && !parsed.values.get('data-dir'))
        return refuse(profile, 'snapshot restore', 'required flag(s) "data-dir" not set')
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
    return { stdout: usageOf(profile, 'snapshot'), stderr: '', exitCode: 0 }
  }
  return {
    stdout: '',
    stderr: `Error: unknown command "${a}" for "etcdutl"\nRun 'etcdutl --help' for usage.\n`,
    exitCode: 1,
  }
}
