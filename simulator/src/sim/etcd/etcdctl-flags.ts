// etcdctl's command tree and flags per profile: the global flags, each
// command's own, the groups, and cobra's answer to a word that names no command.

import type { CommandResult } from '../commands/types'
import type { Profile } from '../profiles'
import type { FlagDef } from './flags'
import { RESTORE_FLAGS } from './flags'

export const EXIT_ERROR = 1
export const EXIT_BAD_CONNECTION = 2
export const EXIT_BAD_FEATURE = 4
export const EXIT_INTERRUPTED = 5
export const EXIT_BAD_ARGS = 128
export const GLOBAL: FlagDef[] = [
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
/** --max-recv-bytes and --max-request-bytes: etcdctl 3.6's (3.5.16 refuses them as unknown flags). */
export const CLIENT_SIZE_FLAGS: FlagDef[] = [
  { name: 'max-recv-bytes', type: 'int' },
  { name: 'max-request-bytes', type: 'int' },
]

export const LOCAL: Record<string, FlagDef[]> = {
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
  'move-leader': [],
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

export const GROUPS = new Set([
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

/** --count-only, --bump-revision and --mark-compacted came with etcdctl 3.5. */
const LOCAL_SINCE_35 = ['count-only', 'bump-revision', 'mark-compacted']

/** The flags a command knows: the global ones and its own, as the profile's etcdctl has them. */
export function flagsOf(profile: Profile, words: string[]): FlagDef[] {
  const since35 = profile.etcd.etcdctl.flagsOf35
  const sizes = profile.etcd.etcdctl.clientSizeFlags
  const local = (LOCAL[words.join(' ')] ?? []).filter((f) => since35 || !LOCAL_SINCE_35.includes(f.name))
  return sizes ? [...GLOBAL, ...CLIENT_SIZE_FLAGS, ...local] : [...GLOBAL, ...local]
}

export function leafCommands(profile: Profile): Set<string> {
  const s = new Set(Object.keys(LOCAL))
  if (!profile.etcdctlHasRestore) {
    s.delete('snapshot status')
    s.delete('snapshot restore')
  }
  return s
}

export function envFlagName(envName: string): string {
  return envName.slice('ETCDCTL_'.length).toLowerCase().replace(/_/g, '-')
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

export function unknownCommand(profile: Profile, word: string, parent: string): CommandResult {
  void profile
  const near = TOP.filter((c) => levenshtein(word, c) <= 2 || c.startsWith(word))
  const hint = near.length ? `\n\nDid you mean this?\n${near.map((c) => `\t${c}\n`).join('')}` : ''
  const msg = `unknown command "${word}" for "${parent}"${hint}`
  return {
    stdout: '',
    stderr: `Error: ${msg}\nRun '${parent} --help' for usage.\nError: ${msg}\n`,
    exitCode: 1,
  }
}
