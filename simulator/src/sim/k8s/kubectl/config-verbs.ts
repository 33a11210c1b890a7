import { parseDocument } from 'yaml'
import type { Parsed } from './args'
import { ConfigError, type Kubeconfig, viewConfig } from './config'
import { type Kube, UsageError } from './context'
import { goOrder } from './goorder'
import { jsonPath, parseOutput } from './output'
import { toOrderedJson } from './render'
import { formatTable } from './tabwriter'

// `kubectl config view|current-context|get-contexts|use-context|set-context`.

/** The kubeconfig as `config view` reads it: a --kubeconfig file that does not exist reads as empty. */
async function viewedConfig(k: Kube): Promise<Kubeconfig> {
  try {
    return (await k.config()).config
  } catch (err) {
    if (err instanceof ConfigError && err.message.startsWith('stat ') && k.minor >= 26)
      return { clusters: [], contexts: [], users: [], currentContext: '', preferences: {} }
    throw err
  }
}

export async function runConfigView(k: Kube, p: Parsed): Promise<number> {
  const config = await viewedConfig(k)
  const out = p.flags.output as string | undefined
  const text = viewConfig(config, {
    raw: !!p.flags.raw || !!p.flags.flatten,
    minify: !!p.flags.minify,
    context: k.global.context as string | undefined,
    minor: k.minor,
  })
  if (out) {
    const fmt = parseOutput(out)
    const doc = parseDocument(text).toJS()
    if (fmt.kind === 'jsonpath') {
      k.print(jsonPath(fmt.template, doc))
      return 0
    }
    if (fmt.kind === 'json') {
      k.print(toOrderedJson(goOrder(doc)))
      return 0
    }
  }
  k.print(text)
  return 0
}

/** `config get-clusters` and `config get-users`: a NAME column, by name. */
export function namesOf(what: 'clusters' | 'users') {
  return async (k: Kube): Promise<number> => {
    const { config } = await k.config()
    const names = config[what].map((x) => x.name).sort()
    k.print(`NAME\n${names.map((n) => `${n}\n`).join('')}`)
    return 0
  }
}

export async function runCurrentContext(k: Kube): Promise<number> {
  const { config } = await k.config()
  if (!config.currentContext) throw new UsageError('current-context is not set')
  k.print(`${config.currentContext}\n`)
  return 0
}

export async function runGetContexts(k: Kube, p: Parsed): Promise<number> {
  const { config } = await k.config()
  const header = ['CURRENT', 'NAME', 'CLUSTER', 'AUTHINFO', 'NAMESPACE']
  // kubectl keeps contexts in a map: listed by name
  let contexts = [...config.contexts].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  if (p.positional.length) {
    const missing = p.positional.filter((n) => !contexts.some((c) => c.name === n))
    if (missing.length) {
      // the table's header is already written when kubectl finds a name missing
      if (k.minor >= 26 && p.flags.output !== 'name' && !p.flags['no-headers']) k.print(formatTable([header]))
      throw new UsageError(`context ${missing[0]} not found`)
    }
    contexts = contexts.filter((c) => p.positional.includes(c.name))
  }
  if (p.flags.output === 'name') {
    for (const c of contexts) k.print(`${c.name}\n`)
    return 0
  }
  const rows: string[][] = p.flags['no-headers'] ? [] : [header]
  for (const c of contexts)
    rows.push([
      c.name === config.currentContext ? '*' : '',
      c.name,
      c.context.cluster ?? '',
      c.context.user ?? '',
      c.context.namespace ?? '',
    ])
  k.print(formatTable(rows))
  return 0
}

async function editConfig(k: Kube, edit: (doc: ReturnType<typeof parseDocument>) => void): Promise<void> {
  const loaded = await k.config()
  const path = loaded.files[0] ?? loaded.writeTarget
  let text = ''
  try {
    text = await k.ctx.fs.readFile(path)
  } catch {
    text = 'apiVersion: v1\nkind: Config\n'
  }
  const doc = parseDocument(text)
  edit(doc)
  await k.ctx.fs.writeFile(path, doc.toString({ indentSeq: false, lineWidth: 0 }))
}

export async function runUseContext(k: Kube, p: Parsed): Promise<number> {
  const name = p.positional[0]
  if (!name) throw new UsageError('empty context names are not allowed')
  const { config } = await k.config()
  if (!config.contexts.some((c) => c.name === name))
    throw new UsageError(`no context exists with the name: "${name}"`)
  await editConfig(k, (doc) => doc.set('current-context', name))
  k.print(`Switched to context "${name}".\n`)
  return 0
}

export async function runSetContext(k: Kube, p: Parsed): Promise<number> {
  const { config } = await k.config()
  const name = p.flags.current ? config.currentContext : p.positional[0]
  if (!name)
    throw new UsageError(
      p.flags.current
        ? 'no current context is set'
        : 'you must specify a non-empty context name or --current',
    )
  const exists = config.contexts.some((c) => c.name === name)
  const fields: Record<string, string> = {}
  for (const key of ['namespace', 'cluster', 'user']) {
    const v =
      (p.flags[`ctx-${key}`] as string | undefined) ??
      (key === 'namespace'
        ? (k.global.namespace as string | undefined)
        : (k.global[key] as string | undefined))
    if (v !== undefined) fields[key] = v
  }
  await editConfig(k, (doc) => {
    const contexts = (doc.get('contexts') as any)?.items ?? []
    let node = contexts.find((c: any) => c.get?.('name') === name)
    if (!node) {
      const list = (doc.get('contexts') as any) ?? doc.createNode([])
      list.add(doc.createNode({ context: {}, name }))
      doc.set('contexts', list)
      node = list.items[list.items.length - 1]
    }
    for (const [key, v] of Object.entries(fields)) node.setIn(['context', key], v)
  })
  k.print(`Context "${name}" ${exists ? 'modified' : 'created'}.\n`)
  return 0
}
