// The resource types kubectl knows here: every name a person may type
// (plural, singular, short name, Kind, group-qualified) maps to one entry.

export interface ResourceType {
  /** Plural lower-case name, the ApiClient's resource name. */
  plural: string
  singular: string
  kind: string
  shortNames: string[]
  group: string // '' for the core group
  version: string
  namespaced: boolean
  verbs: string[]
}

const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch']

function rt(
  plural: string,
  singular: string,
  kind: string,
  shortNames: string[],
  group: string,
  namespaced: boolean,
  version = 'v1',
  verbs = ALL_VERBS,
): ResourceType {
  return { plural, singular, kind, shortNames, group, version, namespaced, verbs }
}

/** In `kubectl api-resources` order (core group first, then by group name). */
export const RESOURCE_TYPES: ResourceType[] = [
  rt('bindings', 'binding', 'Binding', [], '', true, 'v1', ['create']),
  rt('componentstatuses', 'componentstatus', 'ComponentStatus', ['cs'], '', false, 'v1', ['get', 'list']),
  rt('configmaps', 'configmap', 'ConfigMap', ['cm'], '', true),
  rt('endpoints', 'endpoints', 'Endpoints', ['ep'], '', true),
  rt('events', 'event', 'Event', ['ev'], '', true),
  rt('limitranges', 'limitrange', 'LimitRange', ['limits'], '', true),
  rt('namespaces', 'namespace', 'Namespace', ['ns'], '', false, 'v1', [
    'create',
    'delete',
    'get',
    'list',
    'patch',
    'update',
    'watch',
  ]),
  rt('nodes', 'node', 'Node', ['no'], '', false),
  rt('persistentvolumeclaims', 'persistentvolumeclaim', 'PersistentVolumeClaim', ['pvc'], '', true),
  rt('persistentvolumes', 'persistentvolume', 'PersistentVolume', ['pv'], '', false),
  rt('pods', 'pod', 'Pod', ['po'], '', true),
  rt('replicationcontrollers', 'replicationcontroller', 'ReplicationController', ['rc'], '', true),
  rt('resourcequotas', 'resourcequota', 'ResourceQuota', ['quota'], '', true),
  rt('secrets', 'secret', 'Secret', [], '', true),
  rt('serviceaccounts', 'serviceaccount', 'ServiceAccount', ['sa'], '', true),
  rt('services', 'service', 'Service', ['svc'], '', true),
  rt('daemonsets', 'daemonset', 'DaemonSet', ['ds'], 'apps', true),
  rt('deployments', 'deployment', 'Deployment', ['deploy'], 'apps', true),
  rt('replicasets', 'replicaset', 'ReplicaSet', ['rs'], 'apps', true),
  rt('statefulsets', 'statefulset', 'StatefulSet', ['sts'], 'apps', true),
  rt('cronjobs', 'cronjob', 'CronJob', ['cj'], 'batch', true),
  rt('jobs', 'job', 'Job', [], 'batch', true),
  rt('leases', 'lease', 'Lease', [], 'coordination.k8s.io', true),
]

const byName = new Map<string, ResourceType>()
for (const t of RESOURCE_TYPES) {
  const names = [t.plural, t.singular, t.kind.toLowerCase(), ...t.shortNames]
  if (t.group) names.push(...[t.plural, t.singular].map((n) => `${n}.${t.group}`))
  names.push(...[t.plural, t.singular].map((n) => `${n}.${t.version}.${t.group || ''}`.replace(/\.$/, '')))
  for (const n of names) if (!byName.has(n)) byName.set(n, t)
}

/** The type a typed name means (`po`, `Pods`, `deployment.apps`), or undefined. */
export function lookupResource(name: string): ResourceType | undefined {
  return byName.get(name.toLowerCase())
}

export function apiVersionOf(t: ResourceType): string {
  return t.group ? `${t.group}/${t.version}` : t.version
}

/** How `-o name` and `get all` qualify a name: `pod`, `deployment.apps`. */
export function qualifiedKind(t: ResourceType): string {
  const k = t.kind.toLowerCase()
  return t.group ? `${k}.${t.group}` : k
}

/** What `kubectl get all` lists, in its order. */
export const ALL_CATEGORY = [
  'pods',
  'services',
  'daemonsets',
  'deployments',
  'replicasets',
  'statefulsets',
  'jobs',
  'cronjobs',
]
