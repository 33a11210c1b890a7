import { ApiError, type KubeObject } from '../api'
import { age } from './age'
import type { Parsed } from './args'
import { type Kube, RawError, UsageError } from './context'
import { describeDeployment, describeGeneric, describeNode, describePod } from './describe'
import { fetchObjects, parseResourceArgs } from './get'
import { jsonPath, parseOutput, serialize } from './output'
import { lookupResource, qualifiedKind, RESOURCE_TYPES, type ResourceType } from './resources'
import { formatTable } from './tabwriter'

// Read-mostly verbs: describe, logs, exec, version, cluster-info, rollout
// status, wait, api-resources.

export async function runDescribe(k: Kube, p: Parsed): Promise<number> {
  if (p.positional.length === 0) {
    k.warn(
      'error: You must specify the type of resource to describe. Use "kubectl api-resources" for a complete list of supported resources.\n',
    )
    return 1
  }
  const { requests } = parseResourceArgs(p.positional)
  const all = !!p.flags['all-namespaces']
  const ns = all ? undefined : await k.namespace()
  const api = await k.api()
  const env = { now: k.now(), minor: k.minor, api }
  const parts: string[] = []
  const errors: string[] = []
  let anyNamed = false
  for (const r of requests) {
    anyNamed ||= r.names.length > 0
    // describe NAME also matches by prefix when no exact object exists
    let got = await fetchObjects(k, r, { namespace: ns, labels: p.flags.selector as string | undefined })
    if (r.names.length > 0 && got.errors.length > 0) {
      const list = await fetchObjects(k, { type: r.type, names: [] }, { namespace: ns })
      const byPrefix = r.names.flatMap((n) => list.objects.filter((o) => o.metadata.name.startsWith(n)))
      if (byPrefix.length > 0) got = { objects: byPrefix, errors: [] }
    }
    errors.push(...got.errors)
    for (const o of got.objects) {
      if (r.type.plural === 'pods') parts.push(await describePod(env, o))
      else if (r.type.plural === 'deployments') parts.push(await describeDeployment(env, o))
      else if (r.type.plural === 'nodes') parts.push(await describeNode(env, o))
      else parts.push(await describeGeneric(env, o))
    }
  }
  k.print(parts.join('\n\n'))
  for (const e of errors) k.warn(`${e}\n`)
  if (parts.length === 0 && errors.length === 0 && !anyNamed)
    k.warn(
      ns && requests.some((r) => r.type.namespaced)
        ? `No resources found in ${ns} namespace.\n`
        : 'No resources found\n',
    )
  return errors.length ? 1 : 0
}

async function resolvePod(k: Kube, arg: string, verbForLogs: boolean): Promise<KubeObject> {
  const api = await k.api()
  const ns = await k.namespace()
  const slash = arg.indexOf('/')
  if (slash >= 0) {
    const t = lookupResource(arg.slice(0, slash))
    const name = arg.slice(slash + 1)
    if (!t) throw new UsageError(`the server doesn't have a resource type "${arg.slice(0, slash)}"`)
    if (t.plural !== 'pods') {
      const owner = await api.get(t.plural, name, ns)
      const sel = owner.spec?.selector?.matchLabels ?? owner.spec?.selector ?? {}
      const pods = (await api.list('pods', { namespace: ns }))
        .filter((p) => Object.entries(sel).every(([a, b]) => p.metadata.labels?.[a] === b))
        .sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1))
      if (pods.length === 0) throw new UsageError(`timed out waiting for the condition`)
      if (pods.length > 1 && verbForLogs)
        k.warn(`Found ${pods.length} pods, using pod/${pods[0].metadata.name}\n`)
      return pods[0]
    }
    return api.get('pods', name, ns)
  }
  return api.get('pods', arg, ns)
}

function pickContainer(k: Kube, pod: KubeObject, wanted: string | undefined): string {
  const names: string[] = (pod.spec?.containers ?? []).map((c: any) => c.name)
  if (wanted) {
    const init: string[] = (pod.spec?.initContainers ?? []).map((c: any) => c.name)
    if (!names.includes(wanted) && !init.includes(wanted))
      throw new UsageError(`container ${wanted} is not valid for pod ${pod.metadata.name}`)
    return wanted
  }
  if (names.length > 1) {
    const defaulted = pod.metadata.annotations?.['kubectl.kubernetes.io/default-container'] ?? names[0]
    if (k.minor < 21)
      throw new UsageError(
        `a container name must be specified for pod ${pod.metadata.name}, choose one of: [${names.join(' ')}]`,
      )
    k.warn(`Defaulted container "${defaulted}" out of: ${names.join(', ')}\n`)
    return defaulted
  }
  return names[0] ?? ''
}

export async function runLogs(k: Kube, p: Parsed): Promise<number> {
  if (p.positional.length === 0)
    throw new UsageError(
      "expected 'logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER]'.\nPOD or TYPE/NAME is a required argument for the logs command",
    )
  const pod = await resolvePod(k, p.positional[0], true)
  const container = pickContainer(k, pod, (p.flags.container as string | undefined) ?? p.positional[1])
  const api = await k.api()
  let text = await api.logs(pod.metadata.namespace ?? (await k.namespace()), pod.metadata.name, container)
  const tail = p.flags.tail as number | undefined
  if (tail !== undefined && tail >= 0) {
    const lines = text.split('\n')
    if (lines[lines.length - 1] === '') lines.pop()
    text = lines.slice(Math.max(0, lines.length - tail)).join('\n') + (lines.length && tail > 0 ? '\n' : '')
  }
  k.print(text)
  return 0
}

export async function runExec(k: Kube, p: Parsed): Promise<number> {
  let argv = p.afterDash
  let podArg = p.positional[0]
  if (!podArg) throw new UsageError('pod, type/name or --filename must be specified')
  if (!argv) {
    argv = p.positional.slice(1)
    if (argv.length > 0) {
      if (k.minor >= 31)
        throw new UsageError(
          'exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead',
        )
      k.warn(
        'kubectl exec [POD] [COMMAND] is DEPRECATED and will be removed in a future version. Use kubectl exec [POD] -- [COMMAND] instead.\n',
      )
    }
  } else if (p.positional.length > 1) argv = [...p.positional.slice(1), ...argv]
  if (!argv || argv.length === 0)
    throw new UsageError('you must specify at least one command for the container')
  podArg = podArg.trim()
  const pod = await resolvePod(k, podArg, false)
  if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed')
    throw new UsageError(
      `cannot exec into a container in a completed pod; current phase is ${pod.status.phase}`,
    )
  const container = pickContainer(k, pod, p.flags.container as string | undefined)
  const wantTty = !!p.flags.tty
  if (wantTty && !k.ctx.tty)
    k.warn('Unable to use a TTY - input is not a terminal or the right kind of file\n')
  if (!k.backend.exec)
    throw new UsageError('unable to upgrade connection: exec is not available in this cluster')
  const r = await k.backend.exec({
    nodeName: pod.spec?.nodeName,
    namespace: pod.metadata.namespace ?? (await k.namespace()),
    pod: pod.metadata.name,
    container,
    argv,
    stdin: p.flags.stdin ? k.ctx.stdin : '',
    tty: wantTty && !!k.ctx.tty,
    ctx: k.ctx,
  })
  if (r.notRunning) throw new UsageError(`unable to upgrade connection: container not found ("${container}")`)
  if (r.startError)
    throw new UsageError(
      `Internal error occurred: error executing command in container: failed to exec in container: failed to start exec "${r.execId ?? ''}": ${r.startError}`,
    )
  k.print(r.stdout)
  k.warn(r.stderr)
  if (r.exitCode !== 0) k.warn(`command terminated with exit code ${r.exitCode}\n`)
  return r.exitCode
}

const KUSTOMIZE: Record<number, string> = { 31: 'v5.4.2', 34: 'v5.7.1' }
const GIT_COMMITS: Record<string, string> = {
  'v1.20.2': 'faecb196815e248d3ecfb03c680a4507229c2a56',
  'v1.31.1': '948afe5ca072329a73c8e79ed5938717a5cb3d21',
  'v1.34.1': '93248f9ae092f571eb870b7664c534bfc7d00f03',
}

/** version.Info; the emulation fields only come from an apiserver (a 1.34+ client never fills them, as kubectl 1.36 shows). */
function versionInfo(k: Kube, v: string, build: string, server = false): Record<string, string> {
  const [major, minor] = v.replace(/^v/, '').split('.')
  const info: Record<string, string> = {
    major,
    minor,
    gitVersion: v,
    gitCommit: GIT_COMMITS[v] ?? '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: build,
    goVersion: k.profile.goVersion,
    compiler: 'gc',
    platform: 'linux/amd64',
  }
  if (server && k.minor >= 34) {
    info.emulationMajor = major
    info.emulationMinor = minor
    info.minCompatibilityMajor = major
    info.minCompatibilityMinor = String(Number(minor) - 1)
  }
  return info
}

function goInfo(info: Record<string, string>): string {
  const cap = (s: string) => s[0].toUpperCase() + s.slice(1)
  return `version.Info{${Object.entries(info)
    .map(([a, b]) => `${cap(a)}:"${b}"`)
    .join(', ')}}`
}

export async function runVersion(k: Kube, p: Parsed): Promise<number> {
  const v = k.profile.kubernetesVersion
  const client = versionInfo(k, v, '2026-01-01T00:00:00Z')
  const out = p.flags.output as string | undefined
  if (out && out !== 'json' && out !== 'yaml') throw new UsageError(`--output must be 'yaml' or 'json'`)
  if (p.flags.short && k.minor >= 28)
    throw new RawError(
      `${k.minor >= 26 ? 'error' : 'Error'}: unknown flag: --short\nSee 'kubectl version --help' for usage.\n`,
    )
  const clientOnly = !!p.flags.client
  const kustomize = KUSTOMIZE[k.minor]
  let server: Record<string, string> | undefined
  let serverErr: ApiError | undefined
  if (!clientOnly) {
    try {
      const raw = await (await k.api()).raw('/version')
      const reported = JSON.parse(raw) as Record<string, string>
      // version.Info's field order; fields the server left out keep their defaults.
      server = { ...versionInfo(k, reported.gitVersion ?? v, '2026-01-01T00:00:00Z', true), ...reported }
      server = Object.fromEntries(
        Object.keys(versionInfo(k, v, '', true)).map((key) => [key, server?.[key] ?? '']),
      )
    } catch (err) {
      if (err instanceof ApiError) serverErr = err
      else server = versionInfo(k, v, '2026-01-01T00:00:00Z', true)
    }
  }
  if (out) {
    const doc: Record<string, unknown> = { clientVersion: client }
    if (kustomize) doc.kustomizeVersion = kustomize
    if (server) doc.serverVersion = server
    k.print(out === 'json' ? `${JSON.stringify(doc, null, 2)}\n` : `${serialize('yaml', doc)}\n`)
  } else if (k.minor < 28) {
    if (p.flags.short) {
      k.print(`Client Version: ${v}\n`)
      if (server) k.print(`Server Version: ${server.gitVersion}\n`)
    } else {
      k.print(`Client Version: ${goInfo(client)}\n`)
      if (server) k.print(`Server Version: ${goInfo(server)}\n`)
    }
  } else {
    k.print(`Client Version: ${v}\n`)
    if (kustomize) k.print(`Kustomize Version: ${kustomize}\n`)
    if (server) k.print(`Server Version: ${server.gitVersion}\n`)
  }
  if (serverErr) throw serverErr
  return 0
}

export async function runClusterInfo(k: Kube, p: Parsed): Promise<number> {
  if (p.positional[0] === 'dump') throw new UsageError('cluster-info dump is not available in this lab')
  const t = await k.target()
  const debug = "\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n"
  let services: KubeObject[]
  try {
    const api = await k.api()
    services = await api.list('services', { namespace: 'kube-system' })
  } catch (err) {
    k.print(debug)
    throw err
  }
  const green = (s: string) => `\x1b[0;32m${s}\x1b[0m`
  const yellow = (s: string) => `\x1b[0;33m${s}\x1b[0m`
  k.print(`${green('Kubernetes control plane')} is running at ${yellow(t.serverUrl)}\n`)
  for (const s of services) {
    if (s.metadata.labels?.['kubernetes.io/cluster-service'] !== 'true') continue
    const name = s.metadata.labels?.['kubernetes.io/name'] ?? s.metadata.name
    const port = s.spec?.ports?.[0]?.name ? `:${s.spec.ports[0].name}` : ''
    k.print(
      `${green(name)} is running at ${yellow(`${t.serverUrl}/api/v1/namespaces/kube-system/services/${s.metadata.name}${port}/proxy`)}\n`,
    )
  }
  k.print(debug)
  return 0
}

function deploymentRolloutStatus(d: KubeObject): { done: boolean; message: string; error?: string } {
  const name = d.metadata.name
  const st = d.status ?? {}
  if ((d.metadata.generation ?? 0) <= (st.observedGeneration ?? 0)) {
    const prog = (st.conditions ?? []).find((c: any) => c.type === 'Progressing')
    if (prog?.reason === 'ProgressDeadlineExceeded')
      return { done: false, message: '', error: `deployment "${name}" exceeded its progress deadline` }
    const want = d.spec?.replicas ?? 1
    if ((st.updatedReplicas ?? 0) < want)
      return {
        done: false,
        message: `Waiting for deployment "${name}" rollout to finish: ${st.updatedReplicas ?? 0} out of ${want} new replicas have been updated...\n`,
      }
    if ((st.replicas ?? 0) > (st.updatedReplicas ?? 0))
      return {
        done: false,
        message: `Waiting for deployment "${name}" rollout to finish: ${(st.replicas ?? 0) - (st.updatedReplicas ?? 0)} old replicas are pending termination...\n`,
      }
    if ((st.availableReplicas ?? 0) < (st.updatedReplicas ?? 0))
      return {
        done: false,
        message: `Waiting for deployment "${name}" rollout to finish: ${st.availableReplicas ?? 0} of ${st.updatedReplicas ?? 0} updated replicas are available...\n`,
      }
    return { done: true, message: `deployment "${name}" successfully rolled out\n` }
  }
  return { done: false, message: 'Waiting for deployment spec update to be observed...\n' }
}

/** Parse a Go duration like 30s, 2m, 1m30s, 500ms; bare numbers are seconds. */
export function parseGoDuration(text: string): number | undefined {
  if (/^\d+$/.test(text)) return Number(text) * 1000
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/g
  let total = 0
  let consumed = ''
  for (let m = re.exec(text); m; m = re.exec(text)) {
    consumed += m[0]
    total += Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h']
  }
  return consumed === text && text !== '' ? total : undefined
}

export async function runRolloutStatus(k: Kube, p: Parsed): Promise<number> {
  if (p.positional.length === 0) throw new UsageError('required resource not specified')
  const { requests } = parseResourceArgs(p.positional)
  const req = requests[0]
  if (req.names.length === 0) throw new UsageError('required resource not specified')
  if (req.type.plural !== 'deployments')
    throw new UsageError(`no status viewer has been implemented for ${req.type.kind}`)
  const api = await k.api()
  const ns = await k.namespace()
  const timeoutText = p.flags.timeout as string | undefined
  const timeout = timeoutText ? parseGoDuration(timeoutText) : 0
  if (timeout === undefined)
    throw new UsageError(
      `invalid argument "${timeoutText}" for "--timeout" flag: time: invalid duration "${timeoutText}"`,
    )
  const clock = k.ctx.node.cluster.clock
  const start = clock.now()
  let last = ''
  for (;;) {
    const d = await api.get('deployments', req.names[0], ns)
    const s = deploymentRolloutStatus(d)
    if (s.error) throw new UsageError(s.error)
    if (s.done) {
      k.print(s.message)
      return 0
    }
    if (s.message !== last) k.print(s.message)
    last = s.message
    if (p.flags.watch === false) return 0
    const limit = timeout || 10 * 60_000
    if (clock.now() - start >= limit) {
      if (timeout) throw new UsageError('timed out waiting for the condition')
      return 1
    }
    await clock.sleep(1000, k.ctx.signal)
  }
}

type WaitCond =
  | { kind: 'delete' }
  | { kind: 'condition'; name: string; value: string }
  | { kind: 'jsonpath'; path: string; value?: string }

function parseFor(text: string | undefined): WaitCond {
  if (!text) throw new UsageError('unrecognized condition: ""')
  if (text === 'delete') return { kind: 'delete' }
  if (text.startsWith('condition=')) {
    const rest = text.slice('condition='.length)
    const [name, value] = rest.split('=')
    return { kind: 'condition', name: name.toLowerCase(), value: (value ?? 'true').toLowerCase() }
  }
  if (text.startsWith('jsonpath=')) {
    const rest = text.slice('jsonpath='.length)
    const m = rest.match(/^(\{.*\}|[^=]+)(?:=(.*))?$/)
    if (!m) throw new UsageError(`jsonpath wait format must be --for=jsonpath='{.status.readyReplicas}'=3`)
    const path = m[1].startsWith('{') ? m[1] : `{${m[1]}}`
    return { kind: 'jsonpath', path, value: m[2] }
  }
  throw new UsageError(`unrecognized condition: "${text}"`)
}

function conditionMet(o: KubeObject, c: WaitCond): boolean {
  if (c.kind === 'condition') {
    return (o.status?.conditions ?? []).some(
      (x: any) => String(x.type).toLowerCase() === c.name && String(x.status).toLowerCase() === c.value,
    )
  }
  if (c.kind === 'jsonpath') {
    const v = jsonPath(c.path, o)
    return c.value === undefined ? v !== '' : v === c.value
  }
  return false
}

export async function runWait(k: Kube, p: Parsed): Promise<number> {
  const cond = parseFor(p.flags.for as string | undefined)
  const timeoutText = (p.flags.timeout as string | undefined) ?? '30s'
  const timeout = parseGoDuration(timeoutText)
  if (timeout === undefined)
    throw new UsageError(
      `invalid argument "${timeoutText}" for "--timeout" flag: time: invalid duration "${timeoutText}"`,
    )
  if (p.positional.length === 0) throw new UsageError('resource(s) were provided, but no name was specified')
  const { requests } = parseResourceArgs(p.positional)
  const ns = p.flags['all-namespaces'] ? undefined : await k.namespace()
  const clock = k.ctx.node.cluster.clock
  const start = clock.now()
  const targets: Array<{ type: ResourceType; name: string; ns?: string }> = []
  for (const r of requests) {
    if (r.names.length === 0 && !p.flags.all && !p.flags.selector)
      throw new UsageError('resource(s) were provided, but no name was specified')
    const got = await fetchObjects(k, r, { namespace: ns, labels: p.flags.selector as string | undefined })
    if (got.errors.length && cond.kind !== 'delete') {
      for (const e of got.errors) k.warn(`${e}\n`)
      return 1
    }
    for (const o of got.objects)
      targets.push({ type: r.type, name: o.metadata.name, ns: o.metadata.namespace })
  }
  if (targets.length === 0) {
    if (cond.kind === 'delete') return 0
    throw new UsageError('no matching resources found')
  }
  const api = await k.api()
  let failed = false
  for (const t of targets) {
    for (;;) {
      let obj: KubeObject | undefined
      try {
        obj = await api.get(t.type.plural, t.name, t.type.namespaced ? t.ns : undefined)
      } catch (err) {
        if (!(err instanceof ApiError) || err.reason !== 'not-found') throw err
      }
      if (cond.kind === 'delete' ? !obj : obj && conditionMet(obj, cond)) {
        k.print(`${qualifiedKind(t.type)}/${t.name} condition met\n`)
        break
      }
      if (clock.now() - start >= timeout) {
        k.warn(`error: timed out waiting for the condition on ${t.type.plural}/${t.name}\n`)
        failed = true
        break
      }
      await clock.sleep(Math.min(1000, Math.max(1, timeout - (clock.now() - start))), k.ctx.signal)
    }
  }
  return failed ? 1 : 0
}

export async function runApiResources(k: Kube, p: Parsed): Promise<number> {
  await (await k.api()).raw('/version')
  const out = p.flags.output as string | undefined
  const nsFilter = p.flags.namespaced as string | undefined
  let types = RESOURCE_TYPES
  if (nsFilter !== undefined) types = types.filter((t) => t.namespaced === (nsFilter !== 'false'))
  if (out === 'name') {
    for (const t of [...types].sort((a, b) => (a.plural < b.plural ? -1 : 1)))
      k.print(`${t.plural}${t.group ? `.${t.group}` : ''}\n`)
    return 0
  }
  if (out && out !== 'wide') parseOutput(`__${out}`)
  const rows: string[][] = []
  if (!p.flags['no-headers'])
    rows.push([
      'NAME',
      'SHORTNAMES',
      'APIVERSION',
      'NAMESPACED',
      'KIND',
      ...(out === 'wide' ? ['VERBS'] : []),
    ])
  for (const t of types)
    rows.push([
      t.plural,
      t.shortNames.join(','),
      t.group ? `${t.group}/${t.version}` : t.version,
      String(t.namespaced),
      t.kind,
      ...(out === 'wide' ? [`[${t.verbs.join(' ')}]`] : []),
    ])
  k.print(formatTable(rows))
  return 0
}

/** `kubectl events` (1.26+): events sorted by last seen, oldest first. */
export async function runEvents(k: Kube, p: Parsed): Promise<number> {
  const all = !!p.flags['all-namespaces']
  const ns = all ? undefined : await k.namespace()
  const api = await k.api()
  let events = await api.list('events', { namespace: ns })
  const forObj = p.flags.for as string | undefined
  if (forObj) {
    const [kindText, name] = forObj.includes('/') ? forObj.split('/') : ['pod', forObj]
    const t = lookupResource(kindText)
    events = events.filter(
      (e: any) => e.involvedObject?.name === name && (!t || e.involvedObject?.kind === t.kind),
    )
  }
  const types = (p.flags.types as string[] | undefined) ?? []
  if (types.length) events = events.filter((e: any) => types.includes(e.type))
  const when = (e: any) => Date.parse(e.lastTimestamp || e.eventTime || e.firstTimestamp || '') || 0
  events.sort((a, b) => when(a) - when(b))
  if (events.length === 0) {
    k.warn(ns ? `No events found in ${ns} namespace.\n` : 'No events found.\n')
    return 0
  }
  const rows: string[][] = p.flags['no-headers']
    ? []
    : [[...(all ? ['NAMESPACE'] : []), 'LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE']]
  const now = k.now()
  for (const e of events as any[]) {
    const io = e.involvedObject ?? {}
    const first = e.firstTimestamp || e.eventTime
    let seen = age(e.lastTimestamp || e.eventTime || first, now)
    if ((e.count ?? 1) > 1) seen = `${seen} (x${e.count} over ${age(first, now)})`
    rows.push([
      ...(all ? [e.metadata.namespace ?? ''] : []),
      seen,
      e.type ?? '',
      e.reason ?? '',
      `${io.kind ?? ''}/${io.name ?? ''}`,
      String(e.message ?? '').trim(),
    ])
  }
  k.print(formatTable(rows))
  return 0
}
