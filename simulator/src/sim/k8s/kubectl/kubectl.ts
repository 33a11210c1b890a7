import type { CommandResult, SimCommand, SimCommandContext } from '../../commands/types'
import { ApiError } from '../api'
import { FlagError, type FlagSpec, GLOBAL_FLAGS, type Parsed, parseArgs, splitVerb } from './args'
import { KUBECTL_VERBS } from './commands-list'
import { ConfigError } from './config'
import { discoveryErrorLines, Kube, type KubectlBackend, RawError, UsageError } from './context'
import { VERBS, type Verb } from './verbs'

// The `kubectl` command: finds the verb, parses its flags, runs it, and turns
// every failure into the text and exit code real kubectl gives.

function lookup(table: Record<string, Verb>, word: string): [string, Verb] | undefined {
  if (Object.hasOwn(table, word)) return [word, table[word]]
  return Object.entries(table).find(([, v]) => v.aliases?.includes(word))
}

function findVerb(path: string[]): Verb | undefined {
  return canonical(path)?.verb
}

/** The verb a path names and the path in the verbs' own names (what cobra prints), aliases resolved. */
function canonical(path: string[]): { verb: Verb; names: string[] } | undefined {
  let table = VERBS
  let v: Verb | undefined
  const names: string[] = []
  for (const word of path) {
    const hit = lookup(table, word)
    if (!hit) return undefined
    names.push(hit[0])
    v = hit[1]
    table = v.sub ?? {}
  }
  return v ? { verb: v, names } : undefined
}

const HELP = `kubectl controls the Kubernetes cluster manager.

 Find more information at: https://kubernetes.io/docs/reference/kubectl/

Basic Commands (Beginner):
  create          Create a resource from a file or from stdin
  run             Run a particular image on the cluster

Basic Commands (Intermediate):
  get             Display one or many resources
  delete          Delete resources by file names, stdin, resources and names, or by resources and label selector

Deploy Commands:
  rollout         Manage the rollout of a resource
  scale           Set a new size for a deployment, replica set, or replication controller

Cluster Management Commands:
  cluster-info    Display cluster information

Troubleshooting and Debugging Commands:
  describe        Show details of a specific resource or group of resources
  logs            Print the logs for a container in a pod
  exec            Execute a command in a container

Advanced Commands:
  apply           Apply a configuration to a resource by file name or stdin
  wait            Experimental: Wait for a specific condition on one or many resources

Settings Commands:
  label           Update the labels on a resource
  annotate        Update the annotations on a resource

Other Commands:
  api-resources   Print the supported API resources on the server
  config          Modify kubeconfig files
  version         Print the client and server version information

Usage:
  kubectl [flags] [options]

Use "kubectl <command> --help" for more information about a given command.
`

export async function runKubectl(ctx: SimCommandContext, backend: KubectlBackend): Promise<CommandResult> {
  const { path, rest } = splitVerb(ctx.args, (p) => findVerb(p) !== undefined)
  const minor = Number(ctx.node.cluster.profile?.kubernetesVersion.split('.')[1] ?? 34)
  const found = findVerb(path)
  // A verb newer than the profile's kubectl does not exist there.
  if (found?.minMinor && minor < found.minMinor) return unknownCommand(ctx, path[0])
  const verb = found
  const pathText = ['kubectl', ...(canonical(path)?.names ?? path)].join(' ')
  // kubectl 1.26+ reports cobra's own errors through its error handler
  // ("error: …", verified on 1.32 and 1.36); older ones let cobra print "Error: …".
  const cobra = minor >= 26 ? 'error' : 'Error'
  let parsed: Parsed
  const specs: FlagSpec[] = [...GLOBAL_FLAGS, ...(verb?.flags ?? [])]
  try {
    parsed = parseArgs(rest, specs)
  } catch (err) {
    if (err instanceof FlagError)
      return {
        stdout: '',
        stderr: `${cobra}: ${err.message}\nSee '${pathText} --help' for usage.\n`,
        exitCode: 1,
      }
    throw err
  }
  if (!verb || (verb.sub && !verb.run)) {
    if (parsed.flags.help || (!verb && parsed.positional.length === 0))
      return { stdout: verb?.help ?? HELP, stderr: '', exitCode: 0 }
    if (!verb) return unknownCommand(ctx, parsed.positional[0])
    if (parsed.positional.length > 0)
      return {
        stdout: '',
        stderr:
          minor >= 26
            ? `error: unknown command "${parsed.positional[0]}"\nSee '${pathText} -h' for help and examples\n`
            : `error: unknown command "${parsed.positional[0]}" for "${pathText}"\n`,
        exitCode: 1,
      }
    return { stdout: verb.help ?? '', stderr: '', exitCode: 0 }
  }
  if (parsed.flags.help) return { stdout: verb.help ?? `${verb.short ?? ''}\n`, stderr: '', exitCode: 0 }
  const k = new Kube(ctx, backend, parsed.flags)
  const missing = (verb.required ?? []).filter((f) => parsed.flags[f] === undefined)
  if (missing.length) {
    const list = missing.map((f) => `"${f}"`).join(', ')
    return { stdout: '', stderr: `${cobra}: required flag(s) ${list} not set\n`, exitCode: 1 }
  }
  let code: number
  try {
    code = await (verb.run as NonNullable<Verb['run']>)(k, parsed)
  } catch (err) {
    code = 1
    if (err instanceof UsageError)
      k.warn(`error: ${err.message}\n${err.seeHelp ? `See '${pathText} -h' for help and examples\n` : ''}`)
    else if (err instanceof RawError) {
      k.warn(err.text)
      code = err.code
    } else if (err instanceof ConfigError) k.warn(`error: ${err.message}\n`)
    else if (err instanceof ApiError) {
      if (err.reason === 'unavailable' && verb.discovery) {
        const t = await k.target().catch(() => undefined)
        k.warn(discoveryErrorLines(k, err.message, t?.serverUrl ?? 'http://localhost:8080'))
      }
      k.warn(`${err.message}\n`)
    } else throw err
  }
  const result = { stdout: k.stdout, stderr: k.stderr, exitCode: code }
  // a warning written before the result: the terminal shows that order
  return k.shown === k.stdout + k.stderr ? result : { ...result, shown: k.shown }
}

function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array(b.length).fill(0)])
  for (let j = 1; j <= b.length; j++) d[0][j] = j
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++)
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1))
  return d[a.length][b.length]
}

function unknownCommand(ctx: SimCommandContext, word: string): CommandResult {
  const suggestions = KUBECTL_VERBS.filter(
    (v) => distance(v, word) <= 2 || (word.length > 1 && v.startsWith(word)),
  )
  const minor = Number(ctx.node.cluster.profile?.kubernetesVersion.split('.')[1] ?? 34)
  let text = `${minor >= 26 ? 'error' : 'Error'}: unknown command "${word}" for "kubectl"`
  if (suggestions.length) text += `\n\nDid you mean this?\n${suggestions.map((s) => `\t${s}\n`).join('')}`
  // cobra's own printing ends with a blank line (and, before 1.24, a hint); kubectl's error handler does not.
  if (minor < 26 || !suggestions.length) text += '\n'
  if (minor < 24) text += "Run 'kubectl --help' for usage.\n"
  return { stdout: '', stderr: text, exitCode: 1 }
}

export function createKubectlCommand(backend: () => KubectlBackend): SimCommand {
  return {
    name: 'kubectl',
    run: (ctx) => runKubectl(ctx, backend()),
  }
}
