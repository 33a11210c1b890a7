import type { KubeObject } from './api'
import type { ResourceInfo } from './codec'

// Defaulting and validation the apiserver applies on create, kept apart from
// storage so it is easy to test. Only the fields kubectl shows are modelled.

export function deepClone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T
}

function imagePullPolicy(image: string): string {
  const tag = /:([^/:]+)$/.exec(image)?.[1]
  return !tag || tag === 'latest' ? 'Always' : 'IfNotPresent'
}

function defaultPodSpec(spec: any): void {
  spec.restartPolicy ??= 'Always'
  spec.dnsPolicy ??= 'ClusterFirst'
  spec.schedulerName ??= 'default-scheduler'
  spec.terminationGracePeriodSeconds ??= 30
  spec.securityContext ??= {}
  spec.enableServiceLinks ??= true
  spec.preemptionPolicy ??= 'PreemptLowerPriority'
  spec.priority ??= 0
  for (const c of Array.isArray(spec.containers) ? spec.containers : []) {
    c.imagePullPolicy ??= imagePullPolicy(String(c.image ?? ''))
    c.resources ??= {}
    c.terminationMessagePath ??= '/dev/termination-log'
    c.terminationMessagePolicy ??= 'File'
  }
}

/** Field errors for an object about to be created; empty when valid. */
export function validate(info: ResourceInfo, obj: KubeObject): string[] {
  const errs: string[] = []
  const name = obj.metadata?.name
  if (!name && !obj.metadata?.generateName)
    errs.push('metadata.name: Required value: name or generateName is required')
  else if (name && !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(name))
    errs.push(
      `metadata.name: Invalid value: "${name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
    )
  const podSpec = (spec: any, path: string) => {
    const cs = Array.isArray(spec?.containers) ? spec.containers : []
    if (cs.length === 0) errs.push(`${path}.containers: Required value`)
    cs.forEach((c: any, i: number) => {
      if (!c?.name) errs.push(`${path}.containers[${i}].name: Required value`)
      if (!c?.image) errs.push(`${path}.containers[${i}].image: Required value`)
    })
  }
  if (info.kind === 'Pod') podSpec(obj.spec, 'spec')
  if (info.kind === 'Deployment' || info.kind === 'ReplicaSet' || info.kind === 'DaemonSet') {
    const sel = obj.spec?.selector?.matchLabels
    if (!obj.spec?.selector) errs.push('spec.selector: Required value')
    podSpec(obj.spec?.template?.spec, 'spec.template.spec')
    const labels = obj.spec?.template?.metadata?.labels ?? {}
    if (sel && Object.entries(sel).some(([k, v]) => labels[k] !== v))
      errs.push(
        `spec.template.metadata.labels: Invalid value: ${JSON.stringify(labels)}: \`selector\` does not match template \`labels\``,
      )
  }
  return errs
}

/** Fill in what the apiserver's defaulters would. Mutates and returns obj. */
export function applyDefaults(info: ResourceInfo, obj: KubeObject, clusterIp: () => string): KubeObject {
  switch (info.kind) {
    case 'Pod':
      obj.spec ??= {}
      defaultPodSpec(obj.spec)
      obj.status ??= { phase: 'Pending', qosClass: 'BestEffort' }
      break
    case 'Deployment':
      obj.spec.replicas ??= 1
      obj.spec.revisionHistoryLimit ??= 10
      obj.spec.progressDeadlineSeconds ??= 600
      obj.spec.strategy ??= {
        type: 'RollingUpdate',
        rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' },
      }
      obj.spec.template.metadata ??= {}
      defaultPodSpec(obj.spec.template.spec)
      obj.status ??= {}
      obj.metadata.generation = 1
      break
    case 'ReplicaSet':
    case 'DaemonSet':
      if (info.kind === 'ReplicaSet') obj.spec.replicas ??= 1
      defaultPodSpec(obj.spec.template.spec)
      obj.status ??= info.kind === 'ReplicaSet' ? { replicas: 0 } : {}
      obj.metadata.generation = 1
      break
    case 'Namespace':
      obj.spec ??= { finalizers: ['kubernetes'] }
      obj.status ??= { phase: 'Active' }
      obj.metadata.labels = {
        ...(obj.metadata.labels ?? {}),
        'kubernetes.io/metadata.name': obj.metadata.name,
      }
      break
    case 'Service':
      obj.spec ??= {}
      obj.spec.type ??= 'ClusterIP'
      if (obj.spec.type !== 'ExternalName' && !obj.spec.clusterIP) obj.spec.clusterIP = clusterIp()
      if (obj.spec.clusterIP) obj.spec.clusterIPs ??= [obj.spec.clusterIP]
      obj.spec.sessionAffinity ??= 'None'
      obj.spec.ipFamilies ??= ['IPv4']
      for (const p of Array.isArray(obj.spec.ports) ? obj.spec.ports : []) {
        p.protocol ??= 'TCP'
        p.targetPort ??= p.port
      }
      obj.status ??= { loadBalancer: {} }
      break
    default:
      break
  }
  return obj
}
