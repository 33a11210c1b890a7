import type { KubeObject } from '../api'
import { age } from './age'

// The columns the apiserver's table printer gives each resource type, per
// profile where they differ. Cells only; alignment is the tab writer's job.

export interface TableOptions {
  now: number
  wide: boolean
  /** Kubernetes minor version of the server, e.g. 20, 31, 34. */
  minor: number
}

export interface TableDef {
  headers: string[]
  wideHeaders: string[]
  row(o: KubeObject, opts: TableOptions): string[]
  wideRow?(o: KubeObject, opts: TableOptions): string[]
}

const none = (s: string | undefined | null) => (s === undefined || s === null || s === '' ? '<none>' : s)

function labelString(labels: Record<string, string> | undefined): string {
  const entries = Object.entries(labels ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return entries.length ? entries.map(([k, v]) => `${k}=${v}`).join(',') : '<none>'
}

export { labelString }

function selectorString(sel: any): string {
  if (!sel) return '<none>'
  const parts: string[] = []
  for (const [k, v] of Object.entries(sel.matchLabels ?? {}).sort(([a], [b]) => (a < b ? -1 : 1)))
    parts.push(`${k}=${v}`)
  for (const e of sel.matchExpressions ?? []) {
    const op = String(e.operator ?? '').toLowerCase()
    if (op === 'exists') parts.push(e.key)
    else if (op === 'doesnotexist') parts.push(`!${e.key}`)
    else parts.push(`${e.key} ${op} (${(e.values ?? []).join(',')})`)
  }
  return parts.length ? parts.join(',') : '<none>'
}

export { selectorString }

/** STATUS and RESTARTS the way kubectl's pod printer derives them. */
export function podStatus(
  pod: KubeObject,
  opts: TableOptions,
): { ready: string; status: string; restarts: string } {
  const spec = pod.spec ?? {}
  const status = pod.status ?? {}
  const total = (spec.containers ?? []).length
  let ready = 0
  let restarts = 0
  let lastRestart = 0
  let reason: string = status.reason || status.phase || ''
  let initializing = false
  const initStatuses: any[] = status.initContainerStatuses ?? []
  for (let i = 0; i < initStatuses.length; i++) {
    const c = initStatuses[i]
    restarts += c.restartCount ?? 0
    const t = c.state?.terminated
    if (t && t.exitCode === 0) continue
    if (t) {
      reason = t.reason
        ? `Init:${t.reason}`
        : t.signal
          ? `Init:Signal:${t.signal}`
          : `Init:ExitCode:${t.exitCode}`
      initializing = true
    } else if (c.state?.waiting?.reason && c.state.waiting.reason !== 'PodInitializing') {
      reason = `Init:${c.state.waiting.reason}`
      initializing = true
    } else {
      reason = `Init:${i}/${(spec.initContainers ?? []).length}`
      initializing = true
    }
    break
  }
  if (!initializing) {
    restarts = 0
    let hasRunning = false
    const cs: any[] = status.containerStatuses ?? []
    for (let i = cs.length - 1; i >= 0; i--) {
      const c = cs[i]
      restarts += c.restartCount ?? 0
      const fin = c.lastState?.terminated?.finishedAt
      if (fin) lastRestart = Math.max(lastRestart, Date.parse(fin) || 0)
      if (c.state?.waiting?.reason) reason = c.state.waiting.reason
      else if (c.state?.terminated?.reason) reason = c.state.terminated.reason
      else if (c.state?.terminated)
        reason = c.state.terminated.signal
          ? `Signal:${c.state.terminated.signal}`
          : `ExitCode:${c.state.terminated.exitCode ?? 0}`
      else if (c.ready && c.state?.running) {
        hasRunning = true
        ready++
      }
    }
    if (reason === 'Completed' && hasRunning) {
      const readyCond = (status.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True')
      reason = readyCond ? 'Running' : 'NotReady'
    }
  }
  if (pod.metadata.deletionTimestamp) reason = status.reason === 'NodeLost' ? 'Unknown' : 'Terminating'
  let restartsText = String(restarts)
  if (opts.minor >= 22 && restarts !== 0 && lastRestart > 0)
    restartsText = `${restarts} (${age(new Date(lastRestart).toISOString(), opts.now)} ago)`
  return { ready: `${ready}/${total}`, status: reason, restarts: restartsText }
}

function containersImages(template: any): [string, string] {
  const cs: any[] = template?.spec?.containers ?? []
  return [cs.map((c) => c.name).join(','), cs.map((c) => c.image).join(',')]
}

function servicePorts(svc: KubeObject): string {
  const ports: any[] = svc.spec?.ports ?? []
  if (ports.length === 0) return '<none>'
  return ports
    .map((p) =>
      p.nodePort ? `${p.port}:${p.nodePort}/${p.protocol ?? 'TCP'}` : `${p.port}/${p.protocol ?? 'TCP'}`,
    )
    .join(',')
}

function externalIp(svc: KubeObject): string {
  const type = svc.spec?.type ?? 'ClusterIP'
  const ext: string[] = svc.spec?.externalIPs ?? []
  if (type === 'LoadBalancer') {
    const ing: any[] = svc.status?.loadBalancer?.ingress ?? []
    const ips = [...ing.map((i) => i.ip || i.hostname), ...ext]
    return ips.length ? ips.join(',') : '<pending>'
  }
  if (type === 'ExternalName') return svc.spec?.externalName ?? '<none>'
  return ext.length ? ext.join(',') : '<none>'
}

function endpointsText(ep: KubeObject): string {
  // Ports outer, addresses inner, at most three shown: kubectl's formatEndpoints.
  const list: string[] = []
  let count = 0
  for (const s of (ep as any).subsets ?? []) {
    const ports: any[] = s.ports ?? []
    const addrs: any[] = s.addresses ?? []
    if (ports.length === 0) {
      for (const a of addrs) {
        if (list.length < 3) list.push(a.ip)
        count++
      }
      continue
    }
    for (const p of ports)
      for (const a of addrs) {
        if (list.length < 3) list.push(`${a.ip}:${p.port}`)
        count++
      }
  }
  if (list.length === 0) return '<none>'
  return count > 3 ? `${list.join(',')} + ${count - 3} more...` : list.join(',')
}

function nodeRoles(node: KubeObject): string {
  const roles = new Set<string>()
  for (const [k, v] of Object.entries(node.metadata.labels ?? {})) {
    if (k.startsWith('node-role.kubernetes.io/')) {
      const r = k.slice('node-role.kubernetes.io/'.length)
      if (r) roles.add(r)
    } else if (k === 'kubernetes.io/role' && v) roles.add(v)
  }
  return roles.size ? [...roles].sort().join(',') : '<none>'
}

function nodeStatus(node: KubeObject): string {
  const conds: any[] = node.status?.conditions ?? []
  const ready = conds.find((c) => c.type === 'Ready')
  const parts = [ready ? (ready.status === 'True' ? 'Ready' : 'NotReady') : 'Unknown']
  if (node.spec?.unschedulable) parts.push('SchedulingDisabled')
  return parts.join(',')
}

function nodeAddress(node: KubeObject, type: string): string {
  const a = (node.status?.addresses ?? []).find((x: any) => x.type === type)
  return a?.address ?? '<none>'
}

function eventTime(ev: any): string | undefined {
  return ev.lastTimestamp || ev.eventTime || ev.firstTimestamp || ev.metadata?.creationTimestamp
}

const ts = (o: KubeObject, opts: TableOptions) => age(o.metadata.creationTimestamp, opts.now)

export const TABLES: Record<string, TableDef> = {
  pods: {
    headers: ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE'],
    wideHeaders: ['IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES'],
    row(o, opts) {
      const s = podStatus(o, opts)
      return [o.metadata.name, s.ready, s.status, s.restarts, ts(o, opts)]
    },
    wideRow(o) {
      const ip = o.status?.podIPs?.[0]?.ip ?? o.status?.podIP
      return [none(ip), none(o.spec?.nodeName), none(o.status?.nominatedNodeName), '<none>']
    },
  },
  deployments: {
    headers: ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE'],
    wideHeaders: ['CONTAINERS', 'IMAGES', 'SELECTOR'],
    row(o, opts) {
      const st = o.status ?? {}
      return [
        o.metadata.name,
        `${st.readyReplicas ?? 0}/${o.spec?.replicas ?? 1}`,
        String(st.updatedReplicas ?? 0),
        String(st.availableReplicas ?? 0),
        ts(o, opts),
      ]
    },
    wideRow(o) {
      return [...containersImages(o.spec?.template), selectorString(o.spec?.selector)]
    },
  },
  replicasets: {
    headers: ['NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE'],
    wideHeaders: ['CONTAINERS', 'IMAGES', 'SELECTOR'],
    row(o, opts) {
      const st = o.status ?? {}
      return [
        o.metadata.name,
        String(o.spec?.replicas ?? 0),
        String(st.replicas ?? 0),
        String(st.readyReplicas ?? 0),
        ts(o, opts),
      ]
    },
    wideRow(o) {
      return [...containersImages(o.spec?.template), selectorString(o.spec?.selector)]
    },
  },
  daemonsets: {
    headers: ['NAME', 'DESIRED', 'CURRENT', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'NODE SELECTOR', 'AGE'],
    wideHeaders: ['CONTAINERS', 'IMAGES', 'SELECTOR'],
    row(o, opts) {
      const st = o.status ?? {}
      const ns = Object.entries(o.spec?.template?.spec?.nodeSelector ?? {}).map(([k, v]) => `${k}=${v}`)
      return [
        o.metadata.name,
        String(st.desiredNumberScheduled ?? 0),
        String(st.currentNumberScheduled ?? 0),
        String(st.numberReady ?? 0),
        String(st.updatedNumberScheduled ?? 0),
        String(st.numberAvailable ?? 0),
        ns.length ? ns.join(',') : '<none>',
        ts(o, opts),
      ]
    },
    wideRow(o) {
      return [...containersImages(o.spec?.template), selectorString(o.spec?.selector)]
    },
  },
  statefulsets: {
    headers: ['NAME', 'READY', 'AGE'],
    wideHeaders: ['CONTAINERS', 'IMAGES'],
    row(o, opts) {
      return [o.metadata.name, `${o.status?.readyReplicas ?? 0}/${o.spec?.replicas ?? 1}`, ts(o, opts)]
    },
    wideRow(o) {
      return containersImages(o.spec?.template)
    },
  },
  jobs: {
    headers: ['NAME', 'COMPLETIONS', 'DURATION', 'AGE'],
    wideHeaders: ['CONTAINERS', 'IMAGES', 'SELECTOR'],
    row(o, opts) {
      return [o.metadata.name, `${o.status?.succeeded ?? 0}/${o.spec?.completions ?? 1}`, '0s', ts(o, opts)]
    },
    wideRow(o) {
      return [...containersImages(o.spec?.template), selectorString(o.spec?.selector)]
    },
  },
  cronjobs: {
    headers: ['NAME', 'SCHEDULE', 'SUSPEND', 'ACTIVE', 'LAST SCHEDULE', 'AGE'],
    wideHeaders: ['CONTAINERS', 'IMAGES', 'SELECTOR'],
    row(o, opts) {
      return [
        o.metadata.name,
        o.spec?.schedule ?? '',
        String(o.spec?.suspend ?? false),
        String((o.status?.active ?? []).length),
        o.status?.lastScheduleTime ? age(o.status.lastScheduleTime, opts.now) : '<none>',
        ts(o, opts),
      ]
    },
    wideRow(o) {
      return [...containersImages(o.spec?.jobTemplate?.spec?.template), '<none>']
    },
  },
  nodes: {
    headers: ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION'],
    wideHeaders: ['INTERNAL-IP', 'EXTERNAL-IP', 'OS-IMAGE', 'KERNEL-VERSION', 'CONTAINER-RUNTIME'],
    row(o, opts) {
      return [
        o.metadata.name,
        nodeStatus(o),
        nodeRoles(o),
        ts(o, opts),
        o.status?.nodeInfo?.kubeletVersion ?? '',
      ]
    },
    wideRow(o) {
      const info = o.status?.nodeInfo ?? {}
      return [
        nodeAddress(o, 'InternalIP'),
        nodeAddress(o, 'ExternalIP'),
        none(info.osImage),
        none(info.kernelVersion),
        none(info.containerRuntimeVersion),
      ]
    },
  },
  namespaces: {
    headers: ['NAME', 'STATUS', 'AGE'],
    wideHeaders: [],
    row(o, opts) {
      return [o.metadata.name, o.status?.phase ?? 'Active', ts(o, opts)]
    },
  },
  services: {
    headers: ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE'],
    wideHeaders: ['SELECTOR'],
    row(o, opts) {
      return [
        o.metadata.name,
        o.spec?.type ?? 'ClusterIP',
        none(o.spec?.clusterIP),
        externalIp(o),
        servicePorts(o),
        ts(o, opts),
      ]
    },
    wideRow(o) {
      return [o.spec?.selector ? labelString(o.spec.selector) : '<none>']
    },
  },
  endpoints: {
    headers: ['NAME', 'ENDPOINTS', 'AGE'],
    wideHeaders: [],
    row(o, opts) {
      return [o.metadata.name, endpointsText(o), ts(o, opts)]
    },
  },
  events: {
    headers: ['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE'],
    wideHeaders: ['SUBOBJECT', 'SOURCE', 'FIRST SEEN', 'COUNT', 'NAME'],
    row(o, opts) {
      const ev = o as any
      const io = ev.involvedObject ?? {}
      return [
        age(eventTime(ev), opts.now),
        ev.type ?? '',
        ev.reason ?? '',
        `${String(io.kind ?? '').toLowerCase()}/${io.name ?? ''}`,
        String(ev.message ?? '').trim(),
      ]
    },
    wideRow(o, opts) {
      const ev = o as any
      const src = ev.source?.component
        ? [ev.source.component, ev.source.host].filter(Boolean).join(', ')
        : ev.reportingComponent || ''
      return [
        ev.involvedObject?.fieldPath ?? '',
        src,
        age(ev.firstTimestamp || ev.eventTime, opts.now),
        String(ev.count ?? 1),
        o.metadata.name,
      ]
    },
  },
  configmaps: {
    headers: ['NAME', 'DATA', 'AGE'],
    wideHeaders: [],
    row(o, opts) {
      const n = Object.keys((o as any).data ?? {}).length + Object.keys((o as any).binaryData ?? {}).length
      return [o.metadata.name, String(n), ts(o, opts)]
    },
  },
  secrets: {
    headers: ['NAME', 'TYPE', 'DATA', 'AGE'],
    wideHeaders: [],
    row(o, opts) {
      const n = Object.keys((o as any).data ?? {}).length
      return [o.metadata.name, String((o as any).type ?? 'Opaque'), String(n), ts(o, opts)]
    },
  },
  serviceaccounts: {
    headers: ['NAME', 'SECRETS', 'AGE'],
    wideHeaders: [],
    row(o, opts) {
      return [o.metadata.name, String(((o as any).secrets ?? []).length), ts(o, opts)]
    },
  },
}

export const GENERIC_TABLE: TableDef = {
  headers: ['NAME', 'AGE'],
  wideHeaders: [],
  row(o, opts) {
    return [o.metadata.name, ts(o, opts)]
  },
}

/** Events sort by last-seen time in `kubectl get events`? No: by name, as the server lists them. */
export function tableFor(resource: string): TableDef {
  return TABLES[resource] ?? GENERIC_TABLE
}
