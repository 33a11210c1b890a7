import type { ApiClient, KubeObject } from '../api'
import { age, rfc1123z } from './age'
import { DESCRIBE_TABS, formatTabs } from './tabwriter'

// `kubectl describe` for pods, deployments and nodes (plus a short generic
// form), written through a prefix writer whose text goes through Go's tab
// writer, so the alignment of nested sections matches kubectl's.

export class PrefixWriter {
  private segments: string[] = []
  private buf = ''
  write(level: number, text: string): void {
    this.buf += '  '.repeat(level) + text
  }
  /** Ends the current tab-aligned section (kubectl flushes before Events). */
  flush(): void {
    if (this.buf) this.segments.push(formatTabs(this.buf, DESCRIBE_TABS))
    this.buf = ''
  }
  toString(): string {
    this.flush()
    return this.segments.join('')
  }
}

export interface DescribeEnv {
  now: number
  minor: number
  api: ApiClient
}

function sortedEntries(m: Record<string, string> | undefined): Array<[string, string]> {
  return Object.entries(m ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
}

function labelsMultiline(
  w: PrefixWriter,
  title: string,
  labels: Record<string, string> | undefined,
  level = 0,
): void {
  const e = sortedEntries(labels)
  if (e.length === 0) {
    w.write(level, `${title}:\t<none>\n`)
    return
  }
  e.forEach(([k, v], i) => {
    if (i === 0) w.write(level, `${title}:\t${k}=${v}\n`)
    else w.write(level, `\t${k}=${v}\n`)
  })
}

const MAX_ANNOTATION_LEN = 140

function annotationsMultiline(w: PrefixWriter, title: string, ann: Record<string, string> | undefined): void {
  const e = sortedEntries(ann).filter(([k]) => k !== 'kubectl.kubernetes.io/last-applied-configuration')
  if (e.length === 0) {
    w.write(0, `${title}:\t<none>\n`)
    return
  }
  e.forEach(([k, v], i) => {
    let line = `${k}: ${v}`
    if (line.length > MAX_ANNOTATION_LEN) line = `${line.slice(0, MAX_ANNOTATION_LEN)}...`
    w.write(0, i === 0 ? `${title}:\t${line}\n` : `\t${line}\n`)
  })
}

function tolerationsMultiline(w: PrefixWriter, title: string, tols: any[] | undefined): void {
  if (!tols || tols.length === 0) {
    w.write(0, `${title}:\t<none>\n`)
    return
  }
  tols.forEach((t, i) => {
    let s = ''
    if (t.key) s += t.key
    if (t.value) s += `=${t.value}`
    if (t.effect) s += `:${t.effect}`
    if (t.operator === 'Exists' && !t.value) s += t.key || t.effect ? ' op=Exists' : 'op=Exists'
    if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null) s += ` for ${t.tolerationSeconds}s`
    w.write(0, i === 0 ? `${title}:\t${s}\n` : `\t${s}\n`)
  })
}

/** Go's time.Duration String for whole seconds: 10s, 1m0s, 1h0m0s. */
export function goDuration(seconds: number): string {
  if (seconds === 0) return '0s'
  const h = Math.floor(seconds / 3600)
  const m = Math.floor((seconds % 3600) / 60)
  const s = seconds % 60
  if (h > 0) return `${h}h${m}m${s}s`
  if (m > 0) return `${m}m${s}s`
  return `${s}s`
}

function describeProbe(p: any): string {
  const attrs = `delay=${goDuration(p.initialDelaySeconds ?? 0)} timeout=${goDuration(p.timeoutSeconds ?? 1)} period=${goDuration(p.periodSeconds ?? 10)} #success=${p.successThreshold ?? 1} #failure=${p.failureThreshold ?? 3}`
  if (p.httpGet) {
    const h = p.httpGet
    const scheme = String(h.scheme ?? 'HTTP').toLowerCase()
    return `http-get ${scheme}://${h.host ?? ''}:${h.port}${h.path ?? ''} ${attrs}`
  }
  if (p.tcpSocket) return `tcp-socket ${p.tcpSocket.host ?? ''}:${p.tcpSocket.port} ${attrs}`
  if (p.exec) return `exec [${(p.exec.command ?? []).join(' ')}] ${attrs}`
  if (p.grpc) return `grpc <pod>:${p.grpc.port} ${p.grpc.service ?? ''} ${attrs}`
  return `unknown ${attrs}`
}

function describeState(w: PrefixWriter, name: string, state: any): void {
  if (state?.running) {
    w.write(2, `${name}:\tRunning\n`)
    w.write(3, `Started:\t${rfc1123z(state.running.startedAt)}\n`)
  } else if (state?.waiting) {
    w.write(2, `${name}:\tWaiting\n`)
    if (state.waiting.reason) w.write(3, `Reason:\t${state.waiting.reason}\n`)
  } else if (state?.terminated) {
    const t = state.terminated
    w.write(2, `${name}:\tTerminated\n`)
    if (t.reason) w.write(3, `Reason:\t${t.reason}\n`)
    if (t.message) w.write(3, `Message:\t${t.message}\n`)
    w.write(3, `Exit Code:\t${t.exitCode ?? 0}\n`)
    if (t.signal) w.write(3, `Signal:\t${t.signal}\n`)
    w.write(3, `Started:\t${t.startedAt ? rfc1123z(t.startedAt) : 'Mon, 01 Jan 0001 00:00:00 +0000'}\n`)
    w.write(3, `Finished:\t${t.finishedAt ? rfc1123z(t.finishedAt) : 'Mon, 01 Jan 0001 00:00:00 +0000'}\n`)
  } else w.write(2, `${name}:\tWaiting\n`)
}

function portsText(ports: any[] | undefined, host: boolean): string {
  const list = (ports ?? []).map(
    (p) => `${host ? (p.hostPort ?? 0) : p.containerPort}/${p.protocol ?? 'TCP'}`,
  )
  return list.join(', ')
}

function describeContainers(
  w: PrefixWriter,
  section: string,
  containers: any[],
  statuses: any[],
  space: string,
): void {
  w.write(0, `${space}${section}:${containers.length ? '' : ' <none>'}\n`)
  const nameIndent = space ? ' ' : ''
  for (const c of containers) {
    const st = statuses.find((s) => s.name === c.name)
    w.write(1, `${nameIndent}${c.name}:\n`)
    if (st) w.write(2, `Container ID:\t${st.containerID ?? ''}\n`)
    w.write(2, `Image:\t${c.image ?? ''}\n`)
    if (st) w.write(2, `Image ID:\t${st.imageID ?? ''}\n`)
    const ports = portsText(c.ports, false)
    if (ports.includes(',')) w.write(2, `Ports:\t${ports}\n`)
    else w.write(2, `Port:\t${ports || '<none>'}\n`)
    const hostPorts = portsText(c.ports, true)
    if (hostPorts.includes(',')) w.write(2, `Host Ports:\t${hostPorts}\n`)
    else w.write(2, `Host Port:\t${hostPorts || '<none>'}\n`)
    if (c.command?.length) {
      w.write(2, 'Command:\n')
      for (const x of c.command) for (const line of String(x).split('\n')) w.write(3, `${line}\n`)
    }
    if (c.args?.length) {
      w.write(2, 'Args:\n')
      for (const x of c.args) for (const line of String(x).split('\n')) w.write(3, `${line}\n`)
    }
    if (st) {
      describeState(w, 'State', st.state)
      if (st.lastState?.terminated) describeState(w, 'Last State', st.lastState)
      w.write(2, `Ready:\t${st.ready ? 'True' : 'False'}\n`)
      w.write(2, `Restart Count:\t${st.restartCount ?? 0}\n`)
    }
    const res = c.resources ?? {}
    for (const [title, m] of [
      ['Limits', res.limits],
      ['Requests', res.requests],
    ] as const) {
      const e = sortedEntries(m)
      if (e.length === 0) continue
      w.write(2, `${title}:\n`)
      for (const [k, v] of e) w.write(3, `${k}:\t${v}\n`)
    }
    if (c.livenessProbe) w.write(2, `Liveness:\t${describeProbe(c.livenessProbe)}\n`)
    if (c.readinessProbe) w.write(2, `Readiness:\t${describeProbe(c.readinessProbe)}\n`)
    if (c.startupProbe) w.write(2, `Startup:\t${describeProbe(c.startupProbe)}\n`)
    const env: any[] = c.env ?? []
    w.write(2, `Environment:${env.length ? '' : '\t<none>'}\n`)
    for (const e of env) {
      let v = e.value ?? ''
      if (e.valueFrom?.fieldRef)
        v = ` (${e.valueFrom.fieldRef.apiVersion ?? 'v1'}:${e.valueFrom.fieldRef.fieldPath})`
      w.write(3, `${e.name}:\t${v}\n`)
    }
    const mounts: any[] = [...(c.volumeMounts ?? [])].sort((a, b) => (a.mountPath < b.mountPath ? -1 : 1))
    w.write(2, `Mounts:${mounts.length ? '' : '\t<none>'}\n`)
    for (const m of mounts) {
      const flags = [m.readOnly ? 'ro' : 'rw']
      if (m.subPath) flags.push(`path=${JSON.stringify(m.subPath)}`)
      w.write(3, `${m.mountPath} from ${m.name} (${flags.join(',')})\n`)
    }
  }
}

function describeVolumes(w: PrefixWriter, volumes: any[] | undefined, space: string, minor: number): void {
  if (!volumes || volumes.length === 0) {
    w.write(0, `${space}Volumes:\t<none>\n`)
    return
  }
  w.write(0, `${space}Volumes:\n`)
  for (const v of volumes) {
    w.write(1, `${space ? ' ' : ''}${v.name}:\n`)
    const l = 2
    if (v.hostPath) {
      w.write(l, 'Type:\tHostPath (bare host directory volume)\n')
      w.write(l, `Path:\t${v.hostPath.path}\n`)
      w.write(l, `HostPathType:\t${v.hostPath.type || (minor >= 20 ? '' : '<none>')}\n`)
    } else if (v.emptyDir) {
      w.write(l, "Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n")
      w.write(l, `Medium:\t${v.emptyDir.medium ?? ''}\n`)
      w.write(l, `SizeLimit:\t${v.emptyDir.sizeLimit ?? '<unset>'}\n`)
    } else if (v.configMap) {
      w.write(l, 'Type:\tConfigMap (a volume populated by a ConfigMap)\n')
      w.write(l, `Name:\t${v.configMap.name}\n`)
      w.write(l, `Optional:\t${v.configMap.optional ?? false}\n`)
    } else if (v.secret) {
      w.write(l, 'Type:\tSecret (a volume populated by a Secret)\n')
      w.write(l, `SecretName:\t${v.secret.secretName}\n`)
      w.write(l, `Optional:\t${v.secret.optional ?? false}\n`)
    } else if (v.projected) {
      w.write(l, 'Type:\tProjected (a volume that contains injected data from multiple sources)\n')
      for (const s of v.projected.sources ?? []) {
        if (s.serviceAccountToken)
          w.write(l, `TokenExpirationSeconds:\t${s.serviceAccountToken.expirationSeconds ?? 3607}\n`)
        if (s.configMap) {
          w.write(l, `ConfigMapName:\t${s.configMap.name}\n`)
          w.write(l, minor >= 30 ? `ConfigMapOptional:\t<nil>\n` : `Optional:\tfalse\n`)
        }
        if (s.downwardAPI) w.write(l, 'DownwardAPI:\ttrue\n')
      }
    } else w.write(l, 'Type:\t<unknown>\n')
  }
}

function qosClass(pod: KubeObject): string {
  if (pod.status?.qosClass) return pod.status.qosClass
  const cs: any[] = pod.spec?.containers ?? []
  const anyReq = cs.some(
    (c) => Object.keys(c.resources?.requests ?? {}).length || Object.keys(c.resources?.limits ?? {}).length,
  )
  if (!anyReq) return 'BestEffort'
  const guaranteed = cs.every((c) => {
    const l = c.resources?.limits ?? {}
    const r = c.resources?.requests ?? {}
    return l.cpu && l.memory && (!r.cpu || r.cpu === l.cpu) && (!r.memory || r.memory === l.memory)
  })
  return guaranteed ? 'Guaranteed' : 'Burstable'
}

async function eventsFor(env: DescribeEnv, obj: KubeObject): Promise<any[]> {
  let all: KubeObject[]
  try {
    all = await env.api.list('events', { namespace: obj.metadata.namespace })
  } catch {
    return []
  }
  return all.filter((e: any) => {
    const io = e.involvedObject ?? {}
    if (io.name !== obj.metadata.name || io.kind !== obj.kind) return false
    if (obj.metadata.uid && io.uid && io.uid !== obj.metadata.uid) return false
    return true
  })
}

function eventTime(e: any): number {
  return (
    Date.parse(e.lastTimestamp || e.eventTime || e.firstTimestamp || e.metadata?.creationTimestamp || '') || 0
  )
}

export function describeEvents(w: PrefixWriter, events: any[], now: number): void {
  if (events.length === 0) {
    w.write(0, 'Events:\t<none>\n')
    return
  }
  w.flush()
  const sorted = [...events].sort((a, b) => eventTime(a) - eventTime(b))
  w.write(0, 'Events:\n  Type\tReason\tAge\tFrom\tMessage\n')
  w.write(1, '----\t------\t----\t----\t-------\n')
  for (const e of sorted) {
    const first = age(e.eventTime || e.firstTimestamp || e.metadata?.creationTimestamp, now)
    let interval = first
    if (e.series) interval = `${age(e.series.lastObservedTime, now)} (x${e.series.count} over ${first})`
    else if ((e.count ?? 1) > 1) interval = `${age(e.lastTimestamp, now)} (x${e.count} over ${first})`
    const source = e.source?.component || e.reportingComponent || e.reportingController || ''
    w.write(
      1,
      `${e.type ?? ''}\t${e.reason ?? ''}\t${interval}\t${source}\t${String(e.message ?? '').trim()}\n`,
    )
  }
}

export async function describePod(env: DescribeEnv, pod: KubeObject): Promise<string> {
  const w = new PrefixWriter()
  const spec = pod.spec ?? {}
  const st = pod.status ?? {}
  w.write(0, `Name:\t${pod.metadata.name}\n`)
  w.write(0, `Namespace:\t${pod.metadata.namespace ?? ''}\n`)
  if (spec.priority !== undefined) w.write(0, `Priority:\t${spec.priority}\n`)
  if (spec.priorityClassName) w.write(0, `Priority Class Name:\t${spec.priorityClassName}\n`)
  if (env.minor >= 25 && spec.serviceAccountName) w.write(0, `Service Account:\t${spec.serviceAccountName}\n`)
  w.write(0, `Node:\t${spec.nodeName ? `${spec.nodeName}/${st.hostIP ?? ''}` : '<none>'}\n`)
  if (st.startTime) w.write(0, `Start Time:\t${rfc1123z(st.startTime)}\n`)
  labelsMultiline(w, 'Labels', pod.metadata.labels)
  annotationsMultiline(w, 'Annotations', pod.metadata.annotations)
  if (pod.metadata.deletionTimestamp) {
    const left = Date.parse(pod.metadata.deletionTimestamp) - env.now
    w.write(0, `Status:\tTerminating (lasts ${age(new Date(env.now - left).toISOString(), env.now)})\n`)
    w.write(0, `Termination Grace Period:\t${(pod.metadata as any).deletionGracePeriodSeconds ?? 30}s\n`)
  } else w.write(0, `Status:\t${st.phase ?? ''}\n`)
  if (st.reason) w.write(0, `Reason:\t${st.reason}\n`)
  if (st.message) w.write(0, `Message:\t${st.message}\n`)
  if (env.minor >= 25 && spec.securityContext?.seccompProfile)
    w.write(0, `SeccompProfile:\t${spec.securityContext.seccompProfile.type}\n`)
  w.write(0, `IP:\t${st.podIP ?? ''}\n`)
  const ips: any[] = st.podIPs ?? (st.podIP ? [{ ip: st.podIP }] : [])
  if (ips.length === 0) w.write(0, 'IPs:\t<none>\n')
  else {
    w.write(0, 'IPs:\n')
    for (const ip of ips) w.write(1, `IP:\t${ip.ip}\n`)
  }
  const owner = (pod.metadata.ownerReferences ?? []).find((o) => o.controller)
  if (owner) w.write(0, `Controlled By:\t${owner.kind}/${owner.name}\n`)
  if (spec.initContainers?.length)
    describeContainers(w, 'Init Containers', spec.initContainers, st.initContainerStatuses ?? [], '')
  describeContainers(w, 'Containers', spec.containers ?? [], st.containerStatuses ?? [], '')
  const conds: any[] = st.conditions ?? []
  if (conds.length) {
    w.write(0, 'Conditions:\n  Type\tStatus\n')
    for (const c of conds) w.write(1, `${c.type} \t${c.status} \n`)
  }
  describeVolumes(w, spec.volumes, '', env.minor)
  w.write(0, `QoS Class:\t${qosClass(pod)}\n`)
  labelsMultiline(w, 'Node-Selectors', spec.nodeSelector)
  tolerationsMultiline(w, 'Tolerations', spec.tolerations)
  describeEvents(w, await eventsFor(env, pod), env.now)
  return w.toString()
}

function templateSection(w: PrefixWriter, template: any, minor: number): void {
  w.write(0, 'Pod Template:\n')
  labelsMultiline(w, '  Labels', template?.metadata?.labels)
  if (Object.keys(template?.metadata?.annotations ?? {}).length)
    annotationsMultiline(w, '  Annotations', template.metadata.annotations)
  if (minor >= 25 && template?.spec?.serviceAccountName)
    w.write(1, `Service Account:\t${template.spec.serviceAccountName}\n`)
  const ic: any[] = template?.spec?.initContainers ?? []
  if (ic.length) describeContainers(w, 'Init Containers', ic, [], '  ')
  describeContainers(w, 'Containers', template?.spec?.containers ?? [], [], '  ')
  describeVolumes(w, template?.spec?.volumes, '  ', minor)
  if (minor >= 30) {
    const ns = sortedEntries(template?.spec?.nodeSelector)
    w.write(1, `Node-Selectors:\t${ns.length ? ns.map(([k, v]) => `${k}=${v}`).join('\n') : '<none>'}\n`)
    w.write(1, `Tolerations:\t${(template?.spec?.tolerations ?? []).length ? 'present' : '<none>'}\n`)
  }
}

export async function describeDeployment(env: DescribeEnv, d: KubeObject): Promise<string> {
  const w = new PrefixWriter()
  const spec = d.spec ?? {}
  const st = d.status ?? {}
  w.write(0, `Name:\t${d.metadata.name}\n`)
  w.write(0, `Namespace:\t${d.metadata.namespace ?? ''}\n`)
  w.write(0, `CreationTimestamp:\t${rfc1123z(d.metadata.creationTimestamp ?? env.now)}\n`)
  labelsMultiline(w, 'Labels', d.metadata.labels)
  annotationsMultiline(w, 'Annotations', d.metadata.annotations)
  const sel = spec.selector?.matchLabels
    ? sortedEntries(spec.selector.matchLabels)
        .map(([k, v]) => `${k}=${v}`)
        .join(',')
    : ''
  w.write(0, `Selector:\t${sel}\n`)
  const desired = spec.replicas ?? 1
  w.write(
    0,
    `Replicas:\t${desired} desired | ${st.updatedReplicas ?? 0} updated | ${st.replicas ?? 0} total | ${st.availableReplicas ?? 0} available | ${st.unavailableReplicas ?? 0} unavailable\n`,
  )
  const strategy = spec.strategy?.type ?? 'RollingUpdate'
  w.write(0, `StrategyType:\t${strategy}\n`)
  w.write(0, `MinReadySeconds:\t${spec.minReadySeconds ?? 0}\n`)
  if (strategy === 'RollingUpdate') {
    const ru = spec.strategy?.rollingUpdate ?? {}
    w.write(
      0,
      `RollingUpdateStrategy:\t${ru.maxUnavailable ?? '25%'} max unavailable, ${ru.maxSurge ?? '25%'} max surge\n`,
    )
  }
  templateSection(w, spec.template, env.minor)
  const conds: any[] = st.conditions ?? []
  if (conds.length) {
    w.write(0, 'Conditions:\n  Type\tStatus\tReason\n')
    w.write(1, '----\t------\t------\n')
    for (const c of conds) w.write(1, `${c.type} \t${c.status}\t${c.reason ?? ''}\n`)
  }
  let rsList: KubeObject[] = []
  try {
    rsList = (await env.api.list('replicasets', { namespace: d.metadata.namespace })).filter((rs) =>
      (rs.metadata.ownerReferences ?? []).some((o) => o.uid === d.metadata.uid || o.name === d.metadata.name),
    )
  } catch {
    rsList = []
  }
  const rev = d.metadata.annotations?.['deployment.kubernetes.io/revision']
  const newRs =
    rsList.find((rs) => rs.metadata.annotations?.['deployment.kubernetes.io/revision'] === rev) ?? rsList[0]
  const old = rsList.filter((rs) => rs !== newRs && (rs.spec?.replicas ?? 0) > 0)
  const rsText = (rs: KubeObject) =>
    `${rs.metadata.name} (${rs.status?.replicas ?? 0}/${rs.spec?.replicas ?? 0} replicas created)`
  w.write(
    0,
    `OldReplicaSets:\t${old.length ? old.map(rsText).join(', ') : env.minor >= 26 ? '<none>' : '<none>'}\n`,
  )
  w.write(0, `NewReplicaSet:\t${newRs ? rsText(newRs) : '<none>'}\n`)
  describeEvents(w, await eventsFor(env, d), env.now)
  return w.toString()
}

function parseQuantity(q: string | undefined): number {
  if (!q) return 0
  const m = String(q).match(/^([0-9.]+)([a-zA-Z]*)$/)
  if (!m) return 0
  const n = Number(m[1])
  const mult: Record<string, number> = {
    '': 1,
    m: 0.001,
    k: 1e3,
    M: 1e6,
    G: 1e9,
    Ki: 1024,
    Mi: 1024 ** 2,
    Gi: 1024 ** 3,
    Ti: 1024 ** 4,
  }
  return n * (mult[m[2]] ?? 1)
}

function pct(part: number, total: number): string {
  return total > 0 ? `${Math.trunc((part / total) * 100)}%` : '0%'
}

function cpuText(v: number): string {
  if (v === 0) return '0'
  return Number.isInteger(v) ? String(v) : `${Math.round(v * 1000)}m`
}

function memText(v: number): string {
  if (v === 0) return '0'
  if (v % 1024 ** 3 === 0) return `${v / 1024 ** 3}Gi`
  if (v % 1024 ** 2 === 0) return `${v / 1024 ** 2}Mi`
  if (v % 1024 === 0) return `${v / 1024}Ki`
  return String(v)
}

export async function describeNode(env: DescribeEnv, node: KubeObject): Promise<string> {
  const w = new PrefixWriter()
  const st = node.status ?? {}
  const roles = Object.keys(node.metadata.labels ?? {})
    .filter((k) => k.startsWith('node-role.kubernetes.io/'))
    .map((k) => k.slice('node-role.kubernetes.io/'.length))
    .filter(Boolean)
    .sort()
  w.write(0, `Name:\t${node.metadata.name}\n`)
  w.write(0, `Roles:\t${roles.length ? roles.join(',') : '<none>'}\n`)
  labelsMultiline(w, 'Labels', node.metadata.labels)
  annotationsMultiline(w, 'Annotations', node.metadata.annotations)
  w.write(0, `CreationTimestamp:\t${rfc1123z(node.metadata.creationTimestamp ?? env.now)}\n`)
  const taints: any[] = node.spec?.taints ?? []
  if (taints.length === 0) w.write(0, 'Taints:\t<none>\n')
  taints.forEach((t, i) => {
    const s = `${t.key}${t.value ? `=${t.value}` : ''}:${t.effect}`
    w.write(0, i === 0 ? `Taints:\t${s}\n` : `\t${s}\n`)
  })
  w.write(0, `Unschedulable:\t${node.spec?.unschedulable ?? false}\n`)
  w.write(0, 'Lease:\n')
  w.write(1, `HolderIdentity:\t${node.metadata.name}\n`)
  w.write(1, 'AcquireTime:\t<unset>\n')
  const hb = (st.conditions ?? []).find((c: any) => c.type === 'Ready')?.lastHeartbeatTime
  w.write(1, `RenewTime:\t${rfc1123z(hb ?? env.now)}\n`)
  const conds: any[] = st.conditions ?? []
  if (conds.length) {
    w.write(0, 'Conditions:\n  Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage\n')
    w.write(1, '----\t------\t-----------------\t------------------\t------\t-------\n')
    for (const c of conds)
      w.write(
        1,
        `${c.type} \t${c.status} \t${rfc1123z(c.lastHeartbeatTime ?? env.now)} \t${rfc1123z(c.lastTransitionTime ?? env.now)} \t${c.reason ?? ''} \t${c.message ?? ''}\n`,
      )
  }
  w.write(0, 'Addresses:\n')
  for (const a of st.addresses ?? []) w.write(1, `${a.type}:\t${a.address}\n`)
  for (const [title, m] of [
    ['Capacity', st.capacity],
    ['Allocatable', st.allocatable],
  ] as const) {
    w.write(0, `${title}:\n`)
    for (const [k, v] of sortedEntries(m)) w.write(1, `${k}:\t${v}\n`)
  }
  const info = st.nodeInfo ?? {}
  w.write(0, 'System Info:\n')
  w.write(1, `Machine ID:\t${info.machineID ?? ''}\n`)
  w.write(1, `System UUID:\t${info.systemUUID ?? ''}\n`)
  w.write(1, `Boot ID:\t${info.bootID ?? ''}\n`)
  w.write(1, `Kernel Version:\t${info.kernelVersion ?? ''}\n`)
  w.write(1, `OS Image:\t${info.osImage ?? ''}\n`)
  w.write(1, `Operating System:\t${info.operatingSystem ?? 'linux'}\n`)
  w.write(1, `Architecture:\t${info.architecture ?? 'amd64'}\n`)
  w.write(1, `Container Runtime Version:\t${info.containerRuntimeVersion ?? ''}\n`)
  w.write(1, `Kubelet Version:\t${info.kubeletVersion ?? ''}\n`)
  // kubectl still prints the line up to 1.32; from 1.31 the kubelet leaves the field empty
  // (DisableNodeKubeProxyVersion), so the value is shown only when the node reports one.
  if (env.minor < 33) {
    const proxy = info.kubeProxyVersion ?? (env.minor < 31 ? info.kubeletVersion : undefined) ?? ''
    w.write(1, `Kube-Proxy Version:\t${proxy}\n`)
  }
  if (node.spec?.podCIDR) {
    w.write(0, `PodCIDR:\t${node.spec.podCIDR}\n`)
    if (node.spec.podCIDRs?.length) w.write(0, `PodCIDRs:\t${node.spec.podCIDRs.join(',')}\n`)
  }
  let pods: KubeObject[] = []
  try {
    pods = (await env.api.list('pods', {})).filter(
      (p) => p.spec?.nodeName === node.metadata.name && !['Succeeded', 'Failed'].includes(p.status?.phase),
    )
  } catch {
    pods = []
  }
  pods.sort((a, b) =>
    (a.metadata.namespace ?? '') + a.metadata.name < (b.metadata.namespace ?? '') + b.metadata.name ? -1 : 1,
  )
  const alloc = st.allocatable ?? {}
  const cpuTotal = parseQuantity(alloc.cpu)
  const memTotal = parseQuantity(alloc.memory)
  const sum = (p: KubeObject, kind: 'requests' | 'limits', res: string) =>
    (p.spec?.containers ?? []).reduce((n: number, c: any) => n + parseQuantity(c.resources?.[kind]?.[res]), 0)
  w.write(0, `Non-terminated Pods:\t(${pods.length} in total)\n`)
  w.write(1, 'Namespace\tName\tCPU Requests\tCPU Limits\tMemory Requests\tMemory Limits\tAge\n')
  w.write(1, '---------\t----\t------------\t----------\t---------------\t-------------\t---\n')
  let cr = 0
  let cl = 0
  let mr = 0
  let ml = 0
  for (const p of pods) {
    const a = sum(p, 'requests', 'cpu')
    const b = sum(p, 'limits', 'cpu')
    const c = sum(p, 'requests', 'memory')
    const d = sum(p, 'limits', 'memory')
    cr += a
    cl += b
    mr += c
    ml += d
    w.write(
      1,
      `${p.metadata.namespace}\t${p.metadata.name}\t${cpuText(a)} (${pct(a, cpuTotal)})\t${cpuText(b)} (${pct(b, cpuTotal)})\t${memText(c)} (${pct(c, memTotal)})\t${memText(d)} (${pct(d, memTotal)})\t${age(p.metadata.creationTimestamp, env.now)}\n`,
    )
  }
  w.write(0, 'Allocated resources:\n')
  w.write(1, '(Total limits may be over 100 percent, i.e., overcommitted.)\n')
  w.write(1, 'Resource\tRequests\tLimits\n')
  w.write(1, '--------\t--------\t------\n')
  w.write(1, `cpu\t${cpuText(cr)} (${pct(cr, cpuTotal)})\t${cpuText(cl)} (${pct(cl, cpuTotal)})\n`)
  w.write(1, `memory\t${memText(mr)} (${pct(mr, memTotal)})\t${memText(ml)} (${pct(ml, memTotal)})\n`)
  w.write(1, 'ephemeral-storage\t0 (0%)\t0 (0%)\n')
  // Extended resources (hugepages) appear only when the node reports them.
  for (const key of Object.keys(alloc).sort())
    if (key.startsWith('hugepages-')) w.write(1, `${key}\t0 (0%)\t0 (0%)\n`)
  describeEvents(w, await eventsFor(env, node), env.now)
  return w.toString()
}

export async function describeGeneric(env: DescribeEnv, o: KubeObject): Promise<string> {
  const w = new PrefixWriter()
  w.write(0, `Name:\t${o.metadata.name}\n`)
  if (o.metadata.namespace) w.write(0, `Namespace:\t${o.metadata.namespace}\n`)
  labelsMultiline(w, 'Labels', o.metadata.labels)
  annotationsMultiline(w, 'Annotations', o.metadata.annotations)
  if (o.kind === 'Namespace') {
    w.write(0, '\n')
    w.write(0, `Status:\t${o.status?.phase ?? 'Active'}\n`)
    w.write(0, '\n')
    w.write(0, 'No resource quota.\n\nNo LimitRange resource.\n')
    return w.toString()
  }
  if (o.kind === 'Service') {
    const sel = sortedEntries(o.spec?.selector).map(([k, v]) => `${k}=${v}`)
    w.write(0, `Selector:\t${sel.join(',') || '<none>'}\n`)
    w.write(0, `Type:\t${o.spec?.type ?? 'ClusterIP'}\n`)
    w.write(0, `IP:\t${o.spec?.clusterIP ?? ''}\n`)
    for (const p of o.spec?.ports ?? []) {
      w.write(0, `Port:\t${p.name ?? '<unset>'}  ${p.port}/${p.protocol ?? 'TCP'}\n`)
      w.write(0, `TargetPort:\t${p.targetPort ?? p.port}/${p.protocol ?? 'TCP'}\n`)
    }
  }
  if (o.kind === 'ReplicaSet') {
    const sel = sortedEntries(o.spec?.selector?.matchLabels).map(([k, v]) => `${k}=${v}`)
    w.write(0, `Selector:\t${sel.join(',')}\n`)
    const owner = (o.metadata.ownerReferences ?? []).find((x) => x.controller)
    if (owner) w.write(0, `Controlled By:\t${owner.kind}/${owner.name}\n`)
    w.write(0, `Replicas:\t${o.status?.replicas ?? 0} current / ${o.spec?.replicas ?? 0} desired\n`)
    w.write(0, `Pods Status:\t${o.status?.readyReplicas ?? 0} Running / 0 Waiting / 0 Succeeded / 0 Failed\n`)
    templateSection(w, o.spec?.template, env.minor)
  }
  if (o.kind === 'ConfigMap') {
    w.write(0, '\nData\n====\n')
    for (const [k, v] of sortedEntries((o as any).data)) w.write(0, `${k}:\n----\n${v}\n\n`)
  }
  describeEvents(w, await eventsFor(env, o), env.now)
  return w.toString()
}
