import { KUBECTL_VERBS } from '../k8s/kubectl/commands-list'
import type { SimNode } from '../node'

// Tab completion for the cluster tools, as their own completion scripts give
// it (cobra's `__complete` for kubectl, etcdctl and etcdutl; urfave/cli's for
// crictl): subcommands, then flags when the word starts with `-`, kubectl's
// resource types after a verb that takes them, the objects of a named type,
// and namespaces after -n. Answers come from the node's own tools, so they
// agree with what the tools accept.

const KUBECTL_SUB: Record<string, string[]> = {
  config: [
    'current-context',
    'delete-cluster',
    'delete-context',
    'delete-user',
    'get-clusters',
    'get-contexts',
    'get-users',
    'rename-context',
    'set',
    'set-cluster',
    'set-context',
    'set-credentials',
    'unset',
    'use-context',
    'view',
  ],
  rollout: ['history', 'pause', 'restart', 'resume', 'status', 'undo'],
  create: [
    'clusterrole',
    'clusterrolebinding',
    'configmap',
    'cronjob',
    'deployment',
    'ingress',
    'job',
    'namespace',
    'poddisruptionbudget',
    'priorityclass',
    'quota',
    'role',
    'rolebinding',
    'secret',
    'service',
    'serviceaccount',
    'token',
  ],
  top: ['node', 'pod'],
  auth: ['can-i', 'reconcile', 'whoami'],
  certificate: ['approve', 'deny'],
  completion: ['bash', 'fish', 'powershell', 'zsh'],
}

/** Verbs whose first operand is a resource type, then objects of it. */
const TYPED_VERBS = new Set([
  'get',
  'describe',
  'delete',
  'edit',
  'label',
  'annotate',
  'patch',
  'explain',
  'wait',
])
/** Verbs whose operand is a pod. */
const POD_VERBS = new Set(['logs', 'exec', 'attach', 'port-forward', 'cp'])

/** Common kubectl flags, the long forms cobra lists for any subcommand. */
const KUBECTL_FLAGS = [
  '--all-namespaces',
  '--context',
  '--field-selector',
  '--filename',
  '--kubeconfig',
  '--namespace',
  '--output',
  '--selector',
  '--show-labels',
  '--watch',
]

const CRICTL = [
  'attach',
  'checkpoint',
  'completion',
  'config',
  'create',
  'events',
  'exec',
  'help',
  'image',
  'imagefsinfo',
  'images',
  'img',
  'info',
  'inspect',
  'inspecti',
  'inspectp',
  'logs',
  'pods',
  'port-forward',
  'ps',
  'pull',
  'rm',
  'rmi',
  'rmp',
  'run',
  'runp',
  'start',
  'stats',
  'statsp',
  'stop',
  'stopp',
  'update',
  'version',
]

export const COMPLETED_TOOLS = new Set(['kubectl', 'etcdctl', 'etcdutl', 'crictl'])

async function lines(node: SimNode, cmd: string): Promise<string> {
  const r = await node.exec(cmd, { timeoutMs: 5000 })
  return r.stdout
}

/** Long flags named in a help text. */
function flagsIn(help: string): string[] {
  return [...new Set(help.match(/--[a-z][a-z0-9-]*/g) ?? [])].sort()
}

/** Subcommands listed in cobra's and etcdctl's help ("COMMANDS:" / "Available Commands:"). */
function commandsIn(help: string, parent: string[]): string[] {
  const out = new Set<string>()
  let inList = false
  for (const line of help.split('\n')) {
    if (/^(COMMANDS:|Available Commands:)/.test(line)) {
      inList = true
      continue
    }
    if (inList && /^\S/.test(line)) inList = false
    if (!inList) continue
    const words =
      line
        .trim()
        .split(/\s{2,}|\t+/)[0]
        ?.split(' ') ?? []
    // etcdctl lists "alarm disarm" under its root: the word at this depth.
    if (parent.every((p, i) => words[i] === p) && words[parent.length])
      out.add(words[parent.length] as string)
  }
  return [...out].sort()
}

/** Words of a command line after the tool name that are not flags or flag values. */
function operands(words: string[]): string[] {
  const out: string[] = []
  for (let i = 0; i < words.length; i++) {
    const w = words[i] as string
    if (w.startsWith('-')) {
      if (/^(-n|--namespace|-o|--output|-l|--selector|-f|--filename|--context|-c|--container)$/.test(w)) i++
      continue
    }
    out.push(w)
  }
  return out
}

function namespaceOf(words: string[]): string | undefined {
  for (let i = 0; i < words.length; i++) {
    const w = words[i] as string
    if ((w === '-n' || w === '--namespace') && words[i + 1]) return words[i + 1]
    const m = /^--namespace=(.+)$/.exec(w)
    if (m) return m[1]
  }
  return undefined
}

async function kubectl(node: SimNode, words: string[], word: string): Promise<string[]> {
  const prev = words[words.length - 1]
  if (prev === '-n' || prev === '--namespace')
    return (await lines(node, 'kubectl get namespaces -o name'))
      .split('\n')
      .filter(Boolean)
      .map((n) => n.replace(/^namespace\//, ''))
  if (word.startsWith('-')) return KUBECTL_FLAGS
  const ops = operands(words)
  if (ops.length === 0) return KUBECTL_VERBS
  const verb = ops[0] as string
  const ns = namespaceOf(words)
  const nsFlag = ns ? ` -n ${ns}` : ''
  if (ops.length === 1 && KUBECTL_SUB[verb]) return KUBECTL_SUB[verb]
  if (TYPED_VERBS.has(verb)) {
    if (ops.length === 1)
      return (await lines(node, 'kubectl api-resources -o name')).split('\n').filter(Boolean)
    if (verb === 'explain') return []
    const type = ops[1] as string
    return (await lines(node, `kubectl get ${type}${nsFlag} -o name`))
      .split('\n')
      .filter(Boolean)
      .map((n) => n.slice(n.indexOf('/') + 1))
  }
  if (POD_VERBS.has(verb) && ops.length === 1)
    return (await lines(node, `kubectl get pods${nsFlag} -o name`))
      .split('\n')
      .filter(Boolean)
      .map((n) => n.replace(/^pod\//, ''))
  return []
}

async function cobraTool(node: SimNode, tool: string, words: string[], word: string): Promise<string[]> {
  const path = operands(words)
  const help = await lines(node, `${tool} ${path.join(' ')} --help`)
  if (word.startsWith('-')) return flagsIn(help)
  const root = path.length ? await lines(node, `${tool} --help`) : help
  // etcdctl lists every command path under its root; etcdutl lists each level's own.
  const listed = tool === 'etcdctl' ? commandsIn(root, path) : commandsIn(help, [])
  return listed
}

/**
 * Candidates for the word being typed after `tool` and `words`, or undefined
 * when `tool` has no completion of its own (files are completed then).
 */
export async function completeTool(
  node: SimNode,
  tool: string,
  words: string[],
  word: string,
): Promise<string[] | undefined> {
  let all: string[]
  if (tool === 'kubectl') all = await kubectl(node, words, word)
  else if (tool === 'etcdctl' || tool === 'etcdutl') all = await cobraTool(node, tool, words, word)
  else if (tool === 'crictl') all = operands(words).length === 0 && !word.startsWith('-') ? CRICTL : []
  else return undefined
  return all.filter((c) => c.startsWith(word))
}
