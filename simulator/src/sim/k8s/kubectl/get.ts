import { cooperate } from '../../shell/cooperate'
import { ApiError, type KubeObject } from '../api'
import type { FlagSpec, Parsed } from './args'
import { type Kube, RawError, UsageError } from './context'
import { customColumns, jsonPath, listOf, type OutputFormat, parseOutput, serialize } from './output'
import { ALL_CATEGORY, apiVersionOf, lookupResource, qualifiedKind, type ResourceType } from './resources'
import {
  matchesFields,
  matchesLabels,
  parseFieldSelector,
  parseLabelSelector,
  SelectorError,
} from './selectors'
import { labelString, tableFor } from './tables'
import { formatTable } from './tabwriter'

// `kubectl get`: resource arguments, selectors, namespaces and every output format.

export const GET_FLAGS: FlagSpec[] = [
  { name: 'output', short: 'o', type: 'string' },
  { name: 'selector', short: 'l', type: 'string' },
  { name: 'field-selector', type: 'string' },
  { name: 'all-namespaces', short: 'A', type: 'bool' },
  { name: 'show-labels', type: 'bool' },
  { name: 'no-headers', type: 'bool' },
  { name: 'show-kind', type: 'bool' },
  { name: 'ignore-not-found', type: 'bool' },
  { name: 'raw', type: 'string' },
  { name: 'watch', short: 'w', type: 'bool' },
  { name: 'label-columns', short: 'L', type: 'strings' },
  { name: 'sort-by', type: 'string' },
  { name: 'filename', short: 'f', type: 'strings' },
  { name: 'chunk-size', type: 'int' },
  { name: 'show-managed-fields', type: 'bool' },
]

export interface ResourceRequest {
  type: ResourceType
  names: string[]
}

/** Turn `pods x y`, `pods,svc`, `pod/x deploy/y` into typed requests; expands `all`. */
export function parseResourceArgs(args: string[]): { requests: ResourceRequest[]; slashForm: boolean } {
  if (args.length === 0) return { requests: [], slashForm: false }
  const resolve = (name: string): ResourceType[] => {
    if (name === 'all') return ALL_CATEGORY.map((n) => lookupResource(n) as ResourceType)
    const t = lookupResource(name)
    if (!t) throw new UsageError(`the server doesn't have a resource type "${name}"`)
    return [t]
  }
  if (args.some((a) => a.includes('/'))) {
    const requests: ResourceRequest[] = []
    for (const a of args) {
      const i = a.indexOf('/')
      if (i < 0)
        throw new UsageError(
          `there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'`,
        )
      const [t] = resolve(a.slice(0, i))
      const name = a.slice(i + 1)
      const prev = requests.find((r) => r.type === t)
      if (prev) prev.names.push(name)
      else requests.push({ type: t, names: [name] })
    }
    return { requests, slashForm: true }
  }
  const types: ResourceType[] = []
  for (const part of args[0].split(',')) {
    if (part === '') continue
    for (const t of resolve(part)) if (!types.includes(t)) types.push(t)
  }
  const names = args.slice(1)
  if (names.length > 0 && types.length > 1)
    throw new UsageError(`arguments in resource/name form must have a single resource and name`)
  return { requests: types.map((type) => ({ type, names })), slashForm: false }
}

export function withTypeMeta(o: KubeObject, t: ResourceType): KubeObject {
  if (o.apiVersion && o.kind) return o
  return { ...o, apiVersion: o.apiVersion || apiVersionOf(t), kind: o.kind || t.kind }
}

export async function fetchObjects(
  k: Kube,
  req: ResourceRequest,
  o: { namespace: string | undefined; labels?: string; fields?: string; ignoreNotFound?: boolean },
): Promise<{ objects: KubeObject[]; errors: string[] }> {
  const api = await k.api()
  const ns = req.type.namespaced ? o.namespace : undefined
  const errors: string[] = []
  let objects: KubeObject[] = []
  if (req.names.length === 0) {
    objects = await api.list(req.type.plural, { namespace: ns })
  } else {
    for (const name of req.names) {
      try {
        objects.push(await api.get(req.type.plural, name, ns))
      } catch (err) {
        if (err instanceof ApiError && err.reason === 'not-found') {
          if (!o.ignoreNotFound) errors.push(err.message)
        } else throw err
      }
    }
  }
  try {
    if (o.labels) {
      const reqs = parseLabelSelector(o.labels)
      objects = objects.filter((x) => matchesLabels(reqs, x.metadata.labels))
    }
    if (o.fields) {
      const reqs = parseFieldSelector(o.fields)
      objects = objects.filter((x) => matchesFields(reqs, x))
    }
  } catch (err) {
    if (err instanceof SelectorError) throw new UsageError(err.message)
    throw err
  }
  if (req.names.length === 0) objects.sort(byNamespaceName)
  return { objects: objects.map((x) => withTypeMeta(x, req.type)), errors }
}

function byNamespaceName(a: KubeObject, b: KubeObject): number {
  const an = a.metadata.namespace ?? ''
  const bn = b.metadata.namespace ?? ''
  if (an !== bn) return an < bn ? -1 : 1
  return a.metadata.name < b.metadata.name ? -1 : a.metadata.name > b.metadata.name ? 1 : 0
}

export interface TableFlags {
  allNamespaces: boolean
  showLabels: boolean
  noHeaders: boolean
  withKind: boolean
  labelColumns: string[]
}

export function renderTable(
  k: Kube,
  t: ResourceType,
  objs: KubeObject[],
  fmt: { wide: boolean },
  f: TableFlags,
): string {
  const def = tableFor(t.plural)
  const opts = { now: k.now(), wide: fmt.wide, minor: k.minor }
  const rows: string[][] = []
  const lc = f.labelColumns
  if (!f.noHeaders) {
    const h = [...def.headers]
    if (fmt.wide) h.push(...def.wideHeaders)
    if (f.allNamespaces && t.namespaced) h.unshift('NAMESPACE')
    h.push(...lc.map((l) => (l.split('/').pop() ?? l).toUpperCase()))
    if (f.showLabels) h.push('LABELS')
    rows.push(h)
  }
  for (const o of objs) {
    const r = def.row(o, opts)
    if (f.withKind && t.plural !== 'events') r[0] = `${qualifiedKind(t)}/${r[0]}`
    if (fmt.wide && def.wideRow) r.push(...def.wideRow(o, opts))
    if (f.allNamespaces && t.namespaced) r.unshift(o.metadata.namespace ?? '')
    r.push(...lc.map((l) => o.metadata.labels?.[l] ?? ''))
    if (f.showLabels) r.push(labelString(o.metadata.labels))
    rows.push(r)
  }
  return formatTable(rows)
}

export function noResourcesMessage(ns: string | undefined, namespaced: boolean): string {
  return namespaced && ns ? `No resources found in ${ns} namespace.\n` : 'No resources found\n'
}

async function served(k: Kube, req: ResourceRequest): Promise<boolean> {
  try {
    await (await k.api()).list(req.type.plural, { namespace: 'default' })
    return true
  } catch (err) {
    if (err instanceof ApiError && err.reason === 'not-found') return false
    throw err
  }
}

export async function runGet(k: Kube, p: Parsed): Promise<number> {
  const f = p.flags
  if (f.raw !== undefined) {
    const path = String(f.raw)
    // --raw talks to the path directly, without discovery: no memcache lines.
    try {
      const api = await k.api()
      k.print(await api.raw(path))
    } catch (err) {
      if (err instanceof ApiError) throw new RawError(`${err.message}\n`)
      throw err
    }
    return 0
  }
  const fmt: OutputFormat = parseOutput(f.output as string | undefined)
  if (p.positional.length === 0) {
    k.warn(
      'You must specify the type of resource to get. Use "kubectl api-resources" for a complete list of supported resources.\n\n' +
        'error: Required resource not specified.\n' +
        'Use "kubectl explain <resource>" for a detailed description of that resource (e.g. kubectl explain pods).\n' +
        "See 'kubectl get -h' for help and examples\n",
    )
    return 1
  }
  const { requests, slashForm } = parseResourceArgs(p.positional)
  const all = !!f['all-namespaces']
  if (all && requests.some((r) => r.names.length > 0))
    throw new UsageError('a resource cannot be retrieved by name across all namespaces')
  const ns = all ? undefined : await k.namespace()
  const isAll = p.positional[0].split(',').includes('all')
  const multi = requests.length > 1 || slashForm || isAll || !!f['show-kind']
  const singleObject = requests.length === 1 && requests[0].names.length === 1 && !slashForm
  const results: Array<{ type: ResourceType; objects: KubeObject[] }> = []
  const errors: string[] = []
  for (const req of requests) {
    // `all` covers types this apiserver may not serve; kubectl lists what exists.
    if (isAll && req.names.length === 0 && !(await served(k, req))) continue
    const r = await fetchObjects(k, req, {
      namespace: ns,
      labels: f.selector as string | undefined,
      fields: f['field-selector'] as string | undefined,
      ignoreNotFound: !!f['ignore-not-found'],
    })
    results.push({ type: req.type, objects: r.objects })
    errors.push(...r.errors)
  }
  const total = results.reduce((n, r) => n + r.objects.length, 0)
  const anyNames = requests.some((r) => r.names.length > 0)
  if (fmt.kind === 'table') {
    const blocks: string[] = []
    for (const r of results) {
      if (r.objects.length === 0) continue
      blocks.push(
        renderTable(k, r.type, r.objects, fmt, {
          allNamespaces: all,
          showLabels: !!f['show-labels'],
          noHeaders: !!f['no-headers'],
          withKind: multi,
          labelColumns: (f['label-columns'] as string[] | undefined) ?? [],
        }),
      )
    }
    k.print(blocks.join('\n'))
  } else if (fmt.kind === 'name') {
    for (const r of results)
      for (const o of r.objects) k.print(`${qualifiedKind(r.type)}/${o.metadata.name}\n`)
  } else {
    const objs = results.flatMap((r) => r.objects)
    if (objs.length > 0 || !anyNames) {
      const data = singleObject && objs.length === 1 ? objs[0] : listOf(objs, k.minor)
      if (fmt.kind === 'json' || fmt.kind === 'yaml') k.print(serialize(fmt.kind, data))
      else if (fmt.kind === 'jsonpath') k.print(jsonPath(fmt.template, data))
      else if (fmt.kind === 'custom-columns') k.print(customColumns(objs, fmt.columns, !!f['no-headers']))
    }
  }
  for (const e of errors) k.warn(`${e}\n`)
  if (f.watch && fmt.kind === 'table' && terminalOut(k) && !k.ctx.node.cluster.clock.virtual)
    return watchTable(k, requests, results, fmt.wide, ns, { all, labels: f.selector as string | undefined })
  if (
    total === 0 &&
    !anyNames &&
    (fmt.kind === 'table' || fmt.kind === 'custom-columns' || fmt.kind === 'name')
  )
    k.warn(
      noResourcesMessage(
        ns,
        requests.some((r) => r.type.namespaced),
      ),
    )
  return errors.length > 0 ? 1 : 0
}

/**
 * How -w writes to the terminal its stdout is on: the shell's stdout stream at
 * a terminal, or, for a caller that hands the command a terminal without
 * streams, the terminal itself (LF written as CRLF as a pty does). Undefined
 * when stdout is not a terminal.
 */
function terminalOut(k: Kube): ((text: string) => void) | undefined {
  const { stdout, tty, stdoutIsTerminal } = k.ctx
  if (stdout) return stdout.isTerminal ? (text) => stdout.write(text) : undefined
  if (tty && stdoutIsTerminal !== false) return (text) => tty.write(text.replace(/\n/g, '\r\n'))
  return undefined
}

/**
 * `get -w` with stdout on a terminal: the table goes out at once, then one
 * line per change, written as it happens until Ctrl-C (the clock's sleep
 * aborts with the signal). Each event line is aligned on its own, as
 * kubectl's per-event flush does. Into a pipe or a file (which only see output
 * when a command ends in this shell), -w prints the table once.
 */
async function watchTable(
  k: Kube,
  requests: ResourceRequest[],
  first: Array<{ type: ResourceType; objects: KubeObject[] }>,
  wide: boolean,
  ns: string | undefined,
  o: { all: boolean; labels?: string },
): Promise<number> {
  const out = terminalOut(k)
  if (!out) return 0
  out(k.stdout)
  if (first.every((r) => r.objects.length === 0))
    (k.ctx.stderr ? (t: string) => k.ctx.stderr?.write(t) : out)(k.stderr)
  k.stdout = ''
  k.stderr = ''
  k.shown = ''
  const seen = new Map<string, string>()
  const key = (t: ResourceType, x: KubeObject) =>
    `${t.plural}/${x.metadata.namespace ?? ''}/${x.metadata.name}`
  const fingerprint = (t: ResourceType, x: KubeObject) =>
    renderTable(
      k,
      t,
      [x],
      { wide },
      { allNamespaces: o.all, showLabels: false, noHeaders: true, withKind: false, labelColumns: [] },
    ).replace(/ +\S+\n$/, '')
  for (const r of first) for (const x of r.objects) seen.set(key(r.type, x), fingerprint(r.type, x))
  const clock = k.ctx.node.cluster.clock
  for (;;) {
    await clock.sleep(1000, k.ctx.signal)
    // A virtual clock sleeps without waiting: let the rest of the process run between polls.
    await cooperate(k.ctx.signal)
    for (const req of requests) {
      let objs: KubeObject[]
      try {
        objs = (await fetchObjects(k, req, { namespace: ns, labels: o.labels, ignoreNotFound: true })).objects
      } catch {
        continue
      }
      for (const x of objs) {
        const id = key(req.type, x)
        const fp = fingerprint(req.type, x)
        if (seen.get(id) === fp) continue
        seen.set(id, fp)
        out(
          renderTable(
            k,
            req.type,
            [x],
            { wide },
            { allNamespaces: o.all, showLabels: false, noHeaders: true, withKind: false, labelColumns: [] },
          ),
        )
      }
    }
  }
}
