import { ApiError, type KubeObject } from '../api'
import { rfc3339 } from './age'
import type { Parsed } from './args'
import { type Kube, RawError, UsageError } from './context'
import { fetchObjects, parseResourceArgs, withTypeMeta } from './get'
import { goOrder } from './goorder'
import { readManifests, type SourcedObject, validateObject } from './manifests'
import { parseOutput, serialize } from './output'
import { toOrderedJson } from './render'
import { apiVersionOf, lookupResource, qualifiedKind, RESOURCE_TYPES, type ResourceType } from './resources'

// Verbs that change objects: create, run, apply, delete, scale, label, annotate.

function typeOfObject(o: SourcedObject, minor: number): ResourceType {
  const kind = String(o.obj.kind)
  const apiVersion = String(o.obj.apiVersion)
  const t = RESOURCE_TYPES.find((r) => r.kind === kind && apiVersionOf(r) === apiVersion)
  if (!t) {
    if (minor >= 26)
      throw new RawError(
        `error: resource mapping not found for name: "${o.obj.metadata?.name ?? ''}" namespace: "${o.obj.metadata?.namespace ?? ''}" from "${o.source}": no matches for kind "${kind}" in version "${apiVersion}"\nensure CRDs are installed first\n`,
      )
    throw new UsageError(
      `unable to recognize "${o.source}": no matches for kind "${kind}" in version "${apiVersion}"`,
    )
  }
  return t
}

async function placeNamespace(k: Kube, o: SourcedObject, t: ResourceType): Promise<void> {
  if (!t.namespaced) {
    if (o.obj.metadata) delete o.obj.metadata.namespace
    return
  }
  const ns = await k.namespace()
  const explicit = k.global.namespace as string | undefined
  if (!o.obj.metadata) o.obj.metadata = { name: '' }
  const md = o.obj.metadata
  if (md.namespace && explicit && md.namespace !== explicit)
    throw new UsageError(
      `the namespace from the provided object "${md.namespace}" does not match the namespace "${explicit}". You must pass '--namespace=${md.namespace}' to perform this operation.`,
    )
  md.namespace = md.namespace || ns
}

function dryRunMode(p: Parsed): 'none' | 'client' | 'server' {
  const v = p.flags['dry-run']
  if (v === undefined || v === false || v === 'none') return 'none'
  if (v === true || v === 'client' || v === '') return 'client'
  if (v === 'server') return 'server'
  throw new UsageError(`Invalid dry-run value (${v}). Must be "none", "server", or "client".`)
}

/** The -o values create, run, apply and friends accept (their printers have no table). */
const CHANGE_PRINTERS = new Set([
  'json',
  'yaml',
  'name',
  'jsonpath',
  'jsonpath-as-json',
  'jsonpath-file',
  'go-template',
  'go-template-file',
  'template',
  'templatefile',
])

function checkChangeOutput(p: Parsed): void {
  const out = p.flags.output as string | undefined
  if (out === undefined || out === '') return
  const name = out.split('=')[0]
  if (!CHANGE_PRINTERS.has(name))
    throw new UsageError(
      `unable to match a printer suitable for the output format "${out}", allowed formats are: ${[...CHANGE_PRINTERS].sort().join(',')}`,
    )
}

/**
 * Since 1.34 a zero metadata.creationTimestamp is omitted rather than printed
 * as null (kubernetes#130989, CHANGELOG-1.34; kubectl 1.36 confirms).
 */
function dropNullTimestamps(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(dropNullTimestamps)
  if (v === null || typeof v !== 'object') return v
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(v)) {
    if (key === 'creationTimestamp' && value === null) continue
    out[key] = dropNullTimestamps(value)
  }
  return out
}

function printResult(k: Kube, p: Parsed, t: ResourceType, obj: KubeObject, verb: string): void {
  const dry = dryRunMode(p)
  const out = p.flags.output as string | undefined
  if (out) {
    const fmt = parseOutput(out)
    if (fmt.kind === 'json' || fmt.kind === 'yaml') {
      const full = withTypeMeta(obj, t)
      const typed = k.minor >= 34 ? (dropNullTimestamps(full) as KubeObject) : full
      k.print(fmt.kind === 'json' ? toOrderedJson(goOrder(typed)) : serialize('yaml', typed))
      return
    }
    if (fmt.kind === 'name') {
      k.print(`${qualifiedKind(t)}/${obj.metadata.name}\n`)
      return
    }
  }
  const suffix = dry === 'client' ? ' (dry run)' : dry === 'server' ? ' (server dry run)' : ''
  k.print(`${qualifiedKind(t)}/${obj.metadata.name} ${verb}${suffix}\n`)
}

async function createOne(k: Kube, p: Parsed, t: ResourceType, obj: KubeObject): Promise<void> {
  checkChangeOutput(p)
  if (dryRunMode(p) === 'client') {
    await k.restConfig()
    printResult(k, p, t, obj, 'created')
    return
  }
  const api = await k.api()
  // kubectl sends a namespaced object to its namespace's URL even when the object names none
  if (t.namespaced && !obj.metadata.namespace) obj.metadata.namespace = await k.namespace()
  const created = await api.create(t.plural, obj)
  printResult(k, p, t, created ?? obj, 'created')
}

function containerName(image: string): string {
  const noDigest = image.split('@')[0]
  const last = noDigest.split('/').pop() ?? noDigest
  return last.split(':')[0].replace(/[^a-z0-9-]/g, '-')
}

/** The create generators hand their object to createOne. */
export const submitCreate = createOne

export async function runCreate(k: Kube, p: Parsed): Promise<number> {
  if (p.positional.length > 0 && k.minor >= 26)
    throw new UsageError(`Unexpected args: [${p.positional.join(' ')}]`, true)
  const files = (p.flags.filename as string[] | undefined) ?? []
  if (files.length === 0) {
    k.warn(`error: must specify one of -f and -k\n${k.minor >= 26 ? '' : '\n'}`)
    return 1
  }
  const objs = await readManifests(k, files)
  let failed = false
  for (const o of objs) {
    validateObject(o)
    const t = typeOfObject(o, k.minor)
    await placeNamespace(k, o, t)
    try {
      await createOne(k, p, t, o.obj)
    } catch (err) {
      if (!(err instanceof ApiError) || err.reason === 'unavailable') throw err
      failed = true
      k.warn(
        `${err.message.replace(/^Error from server \((\w+)\): /, `Error from server ($1): error when creating "${o.source}": `)}\n`,
      )
    }
  }
  return failed ? 1 : 0
}

function requireImage(p: Parsed): string {
  const image = p.flags.image as string | undefined
  if (!image) throw new UsageError('required flag(s) "image" not set')
  return image
}

export async function runCreateDeployment(k: Kube, p: Parsed): Promise<number> {
  if (p.positional.length !== 1)
    throw new RawError(
      `error: exactly one NAME is required, got ${p.positional.length}\nSee 'kubectl create deployment -h' for help and examples\n`,
    )
  const name = p.positional[0]
  const images = (p.flags.image as string[] | undefined) ?? []
  if (images.length === 0) throw new UsageError('required flag(s) "image" not set')
  const replicas = (p.flags.replicas as number | undefined) ?? 1
  const ns = await k.namespace()
  const containers: any[] = images.map((img) => ({ image: img, name: containerName(img), resources: {} }))
  const port = p.flags.port as number | undefined
  if (port !== undefined && port >= 0) containers[0].ports = [{ containerPort: port }]
  // `-- COMMAND [args...]` becomes the (single) container's command
  if (p.afterDash?.length && containers.length === 1)
    containers[0] = { command: p.afterDash, ...containers[0] }
  const obj: KubeObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { creationTimestamp: null as unknown as string, labels: { app: name }, name, namespace: ns },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      strategy: {},
      template: {
        metadata: { creationTimestamp: null, labels: { app: name } },
        spec: { containers },
      },
    },
    status: {},
  }
  if (dryRunMode(p) === 'client' && !k.global.namespace) delete obj.metadata.namespace
  await createOne(k, p, lookupResource('deployments') as ResourceType, obj)
  return 0
}

export async function runCreateNamespace(k: Kube, p: Parsed): Promise<number> {
  if (p.positional.length !== 1)
    throw new RawError(
      `error: exactly one NAME is required, got ${p.positional.length}\nSee 'kubectl create namespace -h' for help and examples\n`,
    )
  const obj: KubeObject = {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { creationTimestamp: null as unknown as string, name: p.positional[0] },
    spec: {},
    status: {},
  }
  await createOne(k, p, lookupResource('namespaces') as ResourceType, obj)
  return 0
}

export async function runRun(k: Kube, p: Parsed): Promise<number> {
  if (p.positional.length === 0) throw new UsageError('NAME is required for run', k.minor >= 26)
  const name = p.positional[0]
  const image = requireImage(p)
  const restart = (p.flags.restart as string | undefined) ?? 'Always'
  if (!['Always', 'OnFailure', 'Never'].includes(restart))
    throw new UsageError(`invalid restart policy: ${restart}`, k.minor >= 26)
  const labels: Record<string, string> = {}
  if (p.flags.labels) {
    for (const pair of String(p.flags.labels).split(',')) {
      const [a, b] = pair.split('=')
      labels[a] = b ?? ''
    }
  } else labels.run = name
  const container: any = { image, name, resources: {} }
  const extra = [...p.positional.slice(1), ...(p.afterDash ?? [])]
  if (extra.length) {
    if (p.flags.command) container.command = extra
    else container.args = extra
  }
  if (p.flags.port !== undefined) container.ports = [{ containerPort: Number(p.flags.port) }]
  const env = (p.flags.env as string[] | undefined) ?? []
  if (env.length)
    container.env = env.map((e) => {
      const i = e.indexOf('=')
      return { name: e.slice(0, i), value: e.slice(i + 1) }
    })
  const obj: KubeObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { creationTimestamp: null as unknown as string, labels, name, namespace: await k.namespace() },
    spec: { containers: [container], dnsPolicy: 'ClusterFirst', restartPolicy: restart },
    status: {},
  }
  if (dryRunMode(p) === 'client' && !k.global.namespace) delete obj.metadata.namespace
  await createOne(k, p, lookupResource('pods') as ResourceType, obj)
  return 0
}

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration'

function compactJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(compactJson).join(',')}]`
  if (v && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .filter((key) => (v as any)[key] !== undefined)
      .map((key) => `${JSON.stringify(key)}:${compactJson((v as any)[key])}`)
      .join(',')}}`
  return JSON.stringify(v ?? null)
}

function sameJson(a: unknown, b: unknown): boolean {
  return compactJson(a) === compactJson(b)
}

export async function runApply(k: Kube, p: Parsed): Promise<number> {
  const files = (p.flags.filename as string[] | undefined) ?? []
  if (files.length === 0) throw new UsageError('must specify one of -f and -k')
  const objs = await readManifests(k, files)
  if (objs.length === 0) throw new UsageError('no objects passed to apply')
  const api = await k.api()
  let failed = false
  for (const o of objs) {
    validateObject(o)
    const t = typeOfObject(o, k.minor)
    await placeNamespace(k, o, t)
    const applied = JSON.parse(JSON.stringify(o.obj)) as KubeObject
    const lastApplied = `${compactJson(applied)}\n`
    let current: KubeObject | undefined
    try {
      current = await api.get(t.plural, applied.metadata.name, applied.metadata.namespace)
    } catch (err) {
      if (!(err instanceof ApiError) || err.reason !== 'not-found') throw err
    }
    if (dryRunMode(p) === 'client') {
      printResult(k, p, t, applied, current ? 'configured' : 'created')
      continue
    }
    try {
      if (!current) {
        const md = applied.metadata
        md.annotations = { ...(md.annotations ?? {}), [LAST_APPLIED]: lastApplied }
        const created = await api.create(t.plural, applied)
        printResult(k, p, t, created ?? applied, 'created')
        continue
      }
      const prev = current.metadata.annotations?.[LAST_APPLIED]
      let unchanged = prev === lastApplied
      const next: KubeObject = JSON.parse(JSON.stringify(current))
      for (const [key, value] of Object.entries(applied)) {
        if (key === 'metadata' || key === 'status' || key === 'apiVersion' || key === 'kind') continue
        if (!sameJson((next as any)[key], value)) {
          ;(next as any)[key] = value
        }
      }
      next.metadata.labels = applied.metadata.labels ?? next.metadata.labels
      next.metadata.annotations = {
        ...(next.metadata.annotations ?? {}),
        ...(applied.metadata.annotations ?? {}),
        [LAST_APPLIED]: lastApplied,
      }
      if (!unchanged && prev === undefined && k.minor >= 20)
        k.warn(
          `Warning: resource ${t.plural}/${applied.metadata.name} is missing the kubectl.kubernetes.io/last-applied-configuration annotation which is required by kubectl apply. kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be patched automatically.\n`,
        )
      if (unchanged) {
        printResult(k, p, t, current, 'unchanged')
        continue
      }
      if (t.group === 'apps' && !sameJson(current.spec, next.spec))
        next.metadata.generation = (current.metadata.generation ?? 1) + 1
      const updated = await api.update(t.plural, next)
      printResult(k, p, t, updated ?? next, 'configured')
      unchanged = false
    } catch (err) {
      if (!(err instanceof ApiError) || err.reason === 'unavailable') throw err
      failed = true
      k.warn(
        `${err.message.replace(/^Error from server \((\w+)\): /, `Error from server ($1): error when ${current ? 'applying patch' : 'creating'} "${o.source}": `)}\n`,
      )
    }
  }
  return failed ? 1 : 0
}

export async function runDelete(k: Kube, p: Parsed): Promise<number> {
  const f = p.flags
  const files = (f.filename as string[] | undefined) ?? []
  const force = !!f.force
  const grace = f['grace-period'] as number | undefined
  const targets: Array<{ type: ResourceType; obj: KubeObject }> = []
  const errors: string[] = []
  if (force && grace === 0)
    k.warn(
      'Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n',
    )
  else if (force && grace === undefined)
    throw new UsageError('--force only works with --grace-period=0 (or --now) to delete immediately')
  if (files.length) {
    for (const o of await readManifests(k, files)) {
      validateObject(o)
      const t = typeOfObject(o, k.minor)
      await placeNamespace(k, o, t)
      targets.push({ type: t, obj: o.obj })
    }
  } else {
    if (p.positional.length === 0) {
      k.warn(
        "error: You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'\n",
      )
      return 1
    }
    const { requests } = parseResourceArgs(p.positional)
    const all = !!f.all
    const selector = f.selector as string | undefined
    for (const r of requests) {
      if (r.names.length === 0 && !all && !selector && !f['field-selector'])
        throw new UsageError('resource(s) were provided, but no name was specified')
    }
    const ns = f['all-namespaces'] ? undefined : await k.namespace()
    for (const r of requests) {
      const got = await fetchObjects(k, r, {
        namespace: ns,
        labels: selector,
        fields: f['field-selector'] as string | undefined,
        ignoreNotFound: !!f['ignore-not-found'],
      })
      errors.push(...got.errors)
      for (const obj of got.objects) targets.push({ type: r.type, obj })
    }
    if (targets.length === 0 && errors.length === 0) {
      k.warn('No resources found\n')
      return 0
    }
  }
  const api = await k.api()
  for (const { type, obj } of targets) {
    const ns = type.namespaced ? (obj.metadata.namespace ?? (await k.namespace())) : undefined
    try {
      await api.delete(type.plural, obj.metadata.name, ns)
    } catch (err) {
      if (err instanceof ApiError && err.reason === 'not-found') {
        if (!f['ignore-not-found']) errors.push(err.message)
        continue
      }
      throw err
    }
    const where = k.minor >= 33 && ns ? ` from ${ns} namespace` : ''
    k.print(
      `${qualifiedKind(type)} "${obj.metadata.name}" ${force && grace === 0 ? 'force deleted' : 'deleted'}${where}\n`,
    )
    if (!(force && grace === 0) && f.wait !== false) await waitGone(k, type, obj, ns)
  }
  for (const e of errors) k.warn(`${e}\n`)
  return errors.length ? 1 : 0
}

/**
 * kubectl delete waits (--wait=true) until the object is really gone: until
 * no object with that UID is left, so a mirror pod the kubelet recreates at
 * once under the same name does not keep it waiting.
 */
async function waitGone(k: Kube, t: ResourceType, obj: KubeObject, ns: string | undefined): Promise<void> {
  const api = await k.api()
  const clock = k.ctx.node.cluster.clock
  for (let i = 0; i < 120; i++) {
    try {
      const cur = await api.get(t.plural, obj.metadata.name, ns)
      if (obj.metadata.uid && cur.metadata.uid !== obj.metadata.uid) return
    } catch {
      return
    }
    await clock.sleep(1000, k.ctx.signal)
  }
}

export async function runScale(k: Kube, p: Parsed): Promise<number> {
  const replicas = p.flags.replicas as number | undefined
  if (replicas === undefined) throw new UsageError('required flag(s) "replicas" not set')
  if (replicas < 0)
    throw new UsageError(
      'The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0',
    )
  if (p.positional.length === 0)
    throw new UsageError('must provide one or more resources by argument or filename')
  const { requests } = parseResourceArgs(p.positional)
  const api = await k.api()
  const ns = await k.namespace()
  let failed = false
  for (const r of requests) {
    if (!['deployments', 'replicasets', 'statefulsets', 'replicationcontrollers'].includes(r.type.plural)) {
      k.warn(`error: no scaler has been implemented for {"${r.type.group}" "${r.type.kind}"}\n`)
      failed = true
      continue
    }
    const got = await fetchObjects(k, r, { namespace: ns, labels: p.flags.selector as string | undefined })
    for (const e of got.errors) {
      k.warn(`${e}\n`)
      failed = true
    }
    for (const obj of got.objects) {
      const cur = p.flags['current-replicas'] as number | undefined
      if (cur !== undefined && cur !== -1 && (obj.spec?.replicas ?? 1) !== cur) {
        k.warn(`error: Expected replicas to be ${cur}, was ${obj.spec?.replicas ?? 1}\n`)
        failed = true
        continue
      }
      const next: KubeObject = JSON.parse(JSON.stringify(obj))
      next.spec = { ...(next.spec ?? {}), replicas }
      await api.update(r.type.plural, next)
      k.print(`${qualifiedKind(r.type)}/${obj.metadata.name} scaled\n`)
    }
  }
  return failed ? 1 : 0
}

export async function runLabelOrAnnotate(
  k: Kube,
  p: Parsed,
  which: 'labels' | 'annotations',
): Promise<number> {
  const verbWord = which === 'labels' ? 'label' : 'annotate'
  const pastTense = which === 'labels' ? 'labeled' : 'annotated'
  const args = [...p.positional]
  const changes = args.filter((a) => /=/.test(a) || /-$/.test(a))
  const resourceArgs = args.filter((a) => !changes.includes(a))
  if (changes.length === 0)
    throw new UsageError(`at least one ${which === 'labels' ? 'label' : 'annotation'} update is required`)
  if (resourceArgs.length === 0)
    throw new UsageError('one or more resources must be specified as <resource> <name> or <resource>/<name>')
  const { requests } = parseResourceArgs(resourceArgs)
  const api = await k.api()
  const ns = await k.namespace()
  let failed = false
  for (const r of requests) {
    if (r.names.length === 0 && !p.flags.all && !p.flags.selector)
      throw new UsageError('resource(s) were provided, but no name was specified')
    const got = await fetchObjects(k, r, { namespace: ns, labels: p.flags.selector as string | undefined })
    for (const e of got.errors) {
      k.warn(`${e}\n`)
      failed = true
    }
    for (const obj of got.objects) {
      const next: KubeObject = JSON.parse(JSON.stringify(obj))
      const map: Record<string, string> = { ...((next.metadata as any)[which] ?? {}) }
      let changed = false
      let skip = false
      for (const c of changes) {
        if (c.endsWith('-') && !c.includes('=')) {
          const key = c.slice(0, -1)
          if (Object.hasOwn(map, key)) {
            delete map[key]
            changed = true
          } else if (which === 'labels') k.warn(`${`label "${key}" not found.`}\n`)
          continue
        }
        const i = c.indexOf('=')
        const key = c.slice(0, i)
        const value = c.slice(i + 1)
        if (Object.hasOwn(map, key) && map[key] !== value && !p.flags.overwrite) {
          k.warn(`error: '${key}' already has a value (${map[key]}), and --overwrite is false\n`)
          failed = true
          skip = true
          break
        }
        if (map[key] !== value) changed = true
        map[key] = value
      }
      if (skip) continue
      ;(next.metadata as any)[which] = map
      if (changed) await api.update(r.type.plural, next)
      const word = changed ? pastTense : which === 'labels' ? 'not labeled' : 'annotated'
      const removedOnly = changes.every((c) => c.endsWith('-') && !c.includes('='))
      k.print(
        `${qualifiedKind(r.type)}/${obj.metadata.name} ${changed && removedOnly && which === 'labels' ? 'unlabeled' : word}\n`,
      )
    }
  }
  void verbWord
  return failed ? 1 : 0
}

export function timestampNow(k: Kube): string {
  return rfc3339(k.now())
}
