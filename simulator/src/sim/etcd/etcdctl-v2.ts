// The v2 etcdctl (ETCDCTL_API=2 on 3.4 and 3.5), kept to the few answers
// learners meet by mistake: its help, its version, its flag errors, and every
// command failing to reach a v2 store.

import type { CommandResult, SimCommandContext } from '../commands/types'
import type { Profile } from '../profiles'
import { out } from './etcdctl-client'

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
export function runV2(ctx: SimCommandContext, profile: Profile): CommandResult {
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
