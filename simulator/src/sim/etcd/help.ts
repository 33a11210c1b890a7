import type { Profile } from '../profiles'

// Help screens of etcdctl and etcdutl (cobra with etcd's usage template).
// The 3.4 text is the real one; 3.5 and 3.6 follow the same template with
// their versions' command lists.

const GLOBAL_34 = `      --cacert=""				verify certificates of TLS-enabled secure servers using this CA bundle
      --cert=""					identify secure client using this TLS certificate file
      --command-timeout=5s			timeout for short running command (excluding dial timeout)
      --debug[=false]				enable client-side debug logging
      --dial-timeout=2s				dial timeout for client connections
  -d, --discovery-srv=""			domain name to query for SRV records describing cluster endpoints
      --discovery-srv-name=""			service name to query when using DNS discovery
      --endpoints=[127.0.0.1:2379]		gRPC endpoints
HELPLINE      --hex[=false]				print byte strings as hex encoded strings
      --insecure-discovery[=true]		accept insecure SRV records describing cluster endpoints
      --insecure-skip-tls-verify[=false]	skip server certificate verification (CAUTION: this option should be enabled only for testing purposes)
      --insecure-transport[=true]		disable transport security for client connections
      --keepalive-time=2s			keepalive time for client connections
      --keepalive-timeout=6s			keepalive timeout for client connections
      --key=""					identify secure client using this TLS key file
      --password=""				password for authentication (if this option is used, --user option shouldn't include password)
      --user=""					username[:password] for authentication (prompt if password is not supplied)
  -w, --write-out="simple"			set the output format (fields, json, protobuf, simple, table)
`

// etcdctl 3.5.16 prints 3.4's global flags unchanged; the client-side size
// limits are 3.6's (etcdctl/ctlv3/ctl.go at v3.6.x).
const GLOBAL_36 = GLOBAL_34.replace(
  '      --user=""',
  '      --max-recv-bytes=0				client-side response receive limit in bytes (if 0, it defaults to "math.MaxInt32")\n      --max-request-bytes=0			client-side request send limit in bytes (if 0, it defaults to 2.0 MiB (2 * 1024 * 1024).)\n      --user=""',
)

function globals(profile: Profile, helpLine?: string): string {
  const base = profile.etcd.etcdctl.clientSizeFlags ? GLOBAL_36 : GLOBAL_34
  return base.replace('HELPLINE', helpLine ? `${helpLine}\n` : '')
}

const COMMANDS_34 = [
  ['alarm disarm', 'Disarms all alarms'],
  ['alarm list', 'Lists all alarms'],
  ['auth disable', 'Disables authentication'],
  ['auth enable', 'Enables authentication'],
  [
    'check datascale',
    'Check the memory usage of holding data for different workloads on a given server endpoint.',
  ],
  ['check perf', 'Check the performance of the etcd cluster'],
  ['compaction', 'Compacts the event history in etcd'],
  ['completion bash', 'Generate the autocompletion script for bash'],
  ['completion fish', 'Generate the autocompletion script for fish'],
  ['completion powershell', 'Generate the autocompletion script for powershell'],
  ['completion zsh', 'Generate the autocompletion script for zsh'],
  ['defrag', 'Defragments the storage of the etcd members with given endpoints'],
  ['del', 'Removes the specified key or range of keys [key, range_end)'],
  ['elect', 'Observes and participates in leader election'],
  ['endpoint hashkv', 'Prints the KV history hash for each endpoint in --endpoints'],
  ['endpoint health', 'Checks the healthiness of endpoints specified in `--endpoints` flag'],
  ['endpoint status', 'Prints out the status of endpoints specified in `--endpoints` flag'],
  ['get', 'Gets the key or a range of keys'],
  ['help', 'Help about any command'],
  ['lease grant', 'Creates leases'],
  ['lease keep-alive', 'Keeps leases alive (renew)'],
  ['lease list', 'List all active leases'],
  ['lease revoke', 'Revokes leases'],
  ['lease timetolive', 'Get lease information'],
  ['lock', 'Acquires a named lock'],
  ['make-mirror', 'Makes a mirror at the destination etcd cluster'],
  ['member add', 'Adds a member into the cluster'],
  ['member list', 'Lists all members in the cluster'],
  ['member promote', 'Promotes a non-voting member in the cluster'],
  ['member remove', 'Removes a member from the cluster'],
  ['member update', 'Updates a member in the cluster'],
  ['migrate', 'Migrates keys in a v2 store to a mvcc store'],
  ['move-leader', 'Transfers leadership to another etcd cluster member.'],
  ['put', 'Puts the given key into the store'],
  ['role add', 'Adds a new role'],
  ['role delete', 'Deletes a role'],
  ['role get', 'Gets detailed information of a role'],
  ['role grant-permission', 'Grants a key to a role'],
  ['role list', 'Lists all roles'],
  ['role revoke-permission', 'Revokes a key from a role'],
  ['snapshot restore', 'Restores an etcd member snapshot to an etcd directory'],
  ['snapshot save', 'Stores an etcd node backend snapshot to a given file'],
  ['snapshot status', 'Gets backend snapshot status of a given file'],
  ['txn', 'Txn processes all the requests in one transaction'],
  ['user add', 'Adds a new user'],
  ['user delete', 'Deletes a user'],
  ['user get', 'Gets detailed information of a user'],
  ['user grant-role', 'Grants a role to a user'],
  ['user list', 'Lists all users'],
  ['user passwd', 'Changes password of user'],
  ['user revoke-role', 'Revokes a role from a user'],
  ['version', 'Prints the version of etcdctl'],
  ['watch', 'Watches events stream on keys or prefixes'],
]

function commandList(profile: Profile): string[][] {
  let list = COMMANDS_34
  const facts = profile.etcd.etcdctl
  if (facts.flagsOf35) {
    // 3.5 drops the v2 migrate and adds auth status; snapshot status is deprecated in favour of etcdutl
    list = list.filter(([n]) => n !== 'migrate')
    list = [...list, ['auth status', 'Returns authentication status']]
    if (facts.restoreDeprecated)
      list = list.map(([n, d]) =>
        n === 'snapshot status' ? [n as string, `[deprecated] ${d}`] : [n as string, d as string],
      )
    // the downgrade commands are 3.6's (etcdctl/ctlv3/command/downgrade_command.go)
    if (facts.downgradeCommands)
      list = [
        ...list,
        ['downgrade cancel', 'Cancel the ongoing downgrade action to cluster'],
        ['downgrade enable', 'Start a downgrade action to cluster'],
        ['downgrade validate', 'Validate downgrade capability before starting downgrade'],
      ]
    list.sort((a, b) => ((a[0] as string) < (b[0] as string) ? -1 : 1))
  }
  if (!profile.etcdctlHasRestore)
    list = list.filter(([n]) => n !== 'snapshot restore' && n !== 'snapshot status')
  return list
}

/** Go's tabwriter with tab stops of 8 and a tab as padding character, as etcd's template renders. */
function tabbed(rows: string[][], indent = '\t'): string {
  const width = Math.max(...rows.map((r) => (r[0] as string).length))
  const col = Math.floor(width / 8) * 8 + 8
  return rows
    .map(([a, b]) => {
      const tabs = Math.ceil((col - (a as string).length) / 8)
      return `${indent}${a}${'\t'.repeat(Math.max(1, tabs))}${b}`
    })
    .join('\n')
}

export function etcdctlHelp(profile: Profile): string {
  return `NAME:
\tetcdctl - A simple command line client for etcd3.

USAGE:
\tetcdctl [flags]

VERSION:
\t${profile.etcdVersion}

API VERSION:
\t${profile.etcdMinor}


COMMANDS:
${tabbed(commandList(profile))}

OPTIONS:
${globals(profile, '  -h, --help[=false]\t\t\t\thelp for etcdctl')}
`
}

const GROUP_INFO: Record<string, { desc: string; cmds: string[][] }> = {
  snapshot: {
    desc: 'Manages etcd node snapshots',
    cmds: [
      ['restore', 'Restores an etcd member snapshot to an etcd directory'],
      ['save', 'Stores an etcd node backend snapshot to a given file'],
      ['status', 'Gets backend snapshot status of a given file'],
    ],
  },
  member: {
    desc: 'Membership related commands',
    cmds: [
      ['add', 'Adds a member into the cluster'],
      ['list', 'Lists all members in the cluster'],
      ['promote', 'Promotes a non-voting member in the cluster'],
      ['remove', 'Removes a member from the cluster'],
      ['update', 'Updates a member in the cluster'],
    ],
  },
  endpoint: {
    desc: 'Endpoint related commands',
    cmds: [
      ['hashkv', 'Prints the KV history hash for each endpoint in --endpoints'],
      ['health', 'Checks the healthiness of endpoints specified in `--endpoints` flag'],
      ['status', 'Prints out the status of endpoints specified in `--endpoints` flag'],
    ],
  },
  alarm: {
    desc: 'Alarm related commands',
    cmds: [
      ['disarm', 'Disarms all alarms'],
      ['list', 'Lists all alarms'],
    ],
  },
}

/** `etcdctl <group>`: the group's commands (also shown for an unknown subcommand). */
export function groupHelp(profile: Profile, group: string): string {
  const info = GROUP_INFO[group] ?? { desc: `${group} related commands`, cmds: [] }
  let cmds = info.cmds
  if (group === 'snapshot' && !profile.etcdctlHasRestore) cmds = cmds.filter(([n]) => n === 'save')
  if (group === 'snapshot' && profile.etcd.etcdctl.restoreDeprecated)
    cmds = cmds.map(([n, d]) => (n === 'status' ? [n, `[deprecated] ${d}`] : [n as string, d as string]))
  // endpoint's --cluster is a persistent flag of the group
  const groupFlags =
    group === 'endpoint' ? '      --cluster[=false]\tuse all endpoints from the cluster member list\n' : ''
  return `NAME:
\t${group} - ${info.desc}

USAGE:
\tetcdctl ${group} <subcommand> [flags]

API VERSION:
\t${profile.etcdMinor}


COMMANDS:
${tabbed(cmds)}

OPTIONS:
${groupFlags}  -h, --help[=false]\thelp for ${group}

GLOBAL OPTIONS:
${globals(profile)}
`
}

export function snapshotHelp(profile: Profile): string {
  return groupHelp(profile, 'snapshot')
}

/** Help of a leaf or group command, in the same template. */
export function commandHelp(
  profile: Profile,
  path: string,
  usage: string,
  desc: string,
  options: string,
): string {
  return `NAME:
\t${path} - ${desc}

USAGE:
\tetcdctl ${usage}

API VERSION:
\t${profile.etcdMinor}


OPTIONS:
${options}
GLOBAL OPTIONS:
${globals(profile)}
`
}

export function etcdutlHelp(profile: Profile): string {
  const text = `Usage:
  etcdutl [command]

Available Commands:
  backup      [legacy] offline backup of etcd directory
  check       commands for checking properties
  completion  Generate the autocompletion script for the specified shell
  defrag      Defragments the storage of the etcd
  help        Help about any command
  hashkv      Prints the KV history hash of a given file
  migrate     Migrates schema of etcd data dir files to make them compatible with different etcd version
  snapshot    Manages etcd node snapshots
  version     Prints the version of etcdutl

Flags:
  -h, --help                help for etcdutl
  -w, --write-out string    set the output format (fields, json, protobuf, simple, table) (default "simple")

Use "etcdutl [command] --help" for more information about a command.
`
  // pflag pads the flag column to the longest flag plus three spaces (etcdutl 3.5.16's output)
  const narrow = text
    .replace('  -h, --help                help', '  -h, --help               help')
    .replace('  -w, --write-out string    set', '  -w, --write-out string   set')
  // 3.5.16 (binary): backup, no check, hashkv or migrate. 3.6 (etcdutl/ctl.go at v3.6.4):
  // defrag, snapshot, hashkv, version, completion, migrate; no backup, no check.
  const commands = profile.etcd.etcdutlCommands ?? []
  return narrow.replace(/^ {2}([a-z]+) {2,}.*\n/gm, (line, name: string) =>
    commands.includes(name) ? line : '',
  )
}

const LEAVES: Record<string, { usage: string; desc: string; flags: Array<[string, string]> }> = {
  'snapshot restore': {
    usage: 'snapshot restore <filename> [options]',
    desc: 'Restores an etcd member snapshot to an etcd directory',
    flags: [
      ['--data-dir=""', 'Path to the data directory'],
      [
        '--initial-advertise-peer-urls="http://localhost:2380"',
        "List of this member's peer URLs to advertise to the rest of the cluster",
      ],
      [
        '--initial-cluster="default=http://localhost:2380"',
        'Initial cluster configuration for restore bootstrap',
      ],
      [
        '--initial-cluster-token="etcd-cluster"',
        'Initial cluster token for the etcd cluster during restore bootstrap',
      ],
      ['--name="default"', 'Human-readable name for this member'],
      [
        '--skip-hash-check[=false]',
        'Ignore snapshot integrity hash value (required if copied from data directory)',
      ],
      ['--wal-dir=""', 'Path to the WAL directory (use --data-dir if none given)'],
    ],
  },
  'snapshot save': {
    usage: 'snapshot save <filename>',
    desc: 'Stores an etcd node backend snapshot to a given file',
    flags: [],
  },
  'snapshot status': {
    usage: 'snapshot status <filename>',
    desc: 'Gets backend snapshot status of a given file',
    flags: [],
  },
  'member list': { usage: 'member list', desc: 'Lists all members in the cluster', flags: [] },
  'endpoint status': {
    usage: 'endpoint status',
    desc: 'Prints out the status of endpoints specified in `--endpoints` flag',
    flags: [],
  },
  'endpoint health': {
    usage: 'endpoint health',
    desc: 'Checks the healthiness of endpoints specified in `--endpoints` flag',
    flags: [],
  },
  get: {
    usage: 'get [options] <key> [range_end]',
    desc: 'Gets the key or a range of keys',
    flags: [
      ['--consistency="l"', 'Linearizable(l) or Serializable(s)'],
      ['--from-key[=false]', 'Get keys that are greater than or equal to the given key using byte compare'],
      ['--keys-only[=false]', 'Get only the keys'],
      ['--limit=0', 'Maximum number of results'],
      ['--order=""', 'Order of results; ASCEND or DESCEND (ASCEND by default)'],
      ['--prefix[=false]', 'Get keys with matching prefix'],
      ['--print-value-only[=false]', 'Only write values when using the "simple" output format'],
      ['--rev=0', 'Specify the kv revision'],
      ['--sort-by=""', 'Sort target; CREATE, KEY, MODIFY, VALUE, or VERSION'],
    ],
  },
  put: {
    usage: 'put [options] <key> <value> (<value> can also be given from stdin)',
    desc: 'Puts the given key into the store',
    flags: [
      ['--ignore-lease[=false]', 'updates the key using its current lease'],
      ['--ignore-value[=false]', 'updates the key using its current value'],
      ['--lease="0"', 'lease ID (in hexadecimal) to attach to the key'],
      ['--prev-kv[=false]', 'return the previous key-value pair before modification'],
    ],
  },
  del: {
    usage: 'del [options] <key> [range_end]',
    desc: 'Removes the specified key or range of keys [key, range_end)',
    flags: [
      [
        '--from-key[=false]',
        'delete keys that are greater than or equal to the given key using byte compare',
      ],
      ['--prefix[=false]', 'delete keys with matching prefix'],
      ['--prev-kv[=false]', 'return deleted key-value pairs'],
    ],
  },
  version: { usage: 'version', desc: 'Prints the version of etcdctl', flags: [] },
}

/** `etcdctl <command> --help`. */
export function leafHelp(profile: Profile, path: string): string {
  const leaf = { ...(LEAVES[path] ?? { usage: path, desc: path, flags: [] }) }
  if (profile.etcd.etcdctl.flagsOf35 && path === 'snapshot restore')
    leaf.flags = [
      ...leaf.flags,
      ['--bump-revision=0', 'How much to increase the latest revision after restore'],
      [
        '--mark-compacted[=false]',
        'Mark the latest revision after restore as the point of scheduled compaction (required if --bump-revision > 0, disallowed otherwise)',
      ],
    ]
  let description = ''
  if (profile.etcd.etcdctl.restoreDeprecated && path === 'snapshot restore') {
    leaf.flags = [
      ...leaf.flags,
      [
        '--initial-memory-map-size=0',
        'Initial memory map size of the database in bytes. It uses the default value if not defined or defined to 0',
      ],
    ]
    description = 'Moved to `etcdctl snapshot restore ...`'
  }
  if (profile.etcd.etcdctl.restoreDeprecated && path === 'snapshot status') {
    leaf.desc = `[deprecated] ${leaf.desc}`
    description =
      'When --write-out is set to simple, this command prints out comma-separated status lists for each endpoint.\n' +
      '\tThe items in the lists are hash, revision, total keys, total size.\n\t\n' +
      "\tMoved to 'etcdctl snapshot status ...'"
  }
  if (profile.etcd.etcdctl.flagsOf35 && path === 'get')
    leaf.flags = [...leaf.flags, ['--count-only[=false]', 'Get only the count']]
  const name = path.split(' ').pop() as string
  const rows = [
    ...leaf.flags.map(([f, d]) => [`      ${f}`, d]),
    ['  -h, --help[=false]', `help for ${name}`],
  ]
  rows.sort((a, b) => {
    const ka = (a[0] as string).replace(/^\s*(-\w, )?--/, '').replace(/[=[].*$/, '')
    const kb = (b[0] as string).replace(/^\s*(-\w, )?--/, '').replace(/[=[].*$/, '')
    return ka < kb ? -1 : 1
  })
  return `NAME:
\t${path} - ${leaf.desc}

USAGE:
\tetcdctl ${leaf.usage} [flags]
${description ? `\nDESCRIPTION:\n\t${description}\n` : ''}
OPTIONS:
${tabbed(rows, '')}

GLOBAL OPTIONS:
${globals(profile)}
`
}
