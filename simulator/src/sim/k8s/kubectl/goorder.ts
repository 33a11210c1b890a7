// kubectl's -o json prints objects as Go's encoding/json does: struct fields
// in their declaration order, map keys sorted. Object literals here are built
// in any order, so before printing JSON the keys are put back in Go's order.
//
// One rank list serves every type kubectl prints on its own side (the create
// generators, run, config view): within each Go struct the listed fields keep
// their declaration order relative to each other, and no two structs need
// them in opposite orders. Fields that are Go maps are sorted by key.

const RANK = [
  // TypeMeta, then kubeconfig v1.Config
  'kind',
  'apiVersion',
  'preferences',
  'clusters',
  'users',
  'contexts',
  'current-context',
  // ObjectMeta (and Named*, Container, ServicePort, ContainerPort start with name)
  'name',
  'generateName',
  'namespace',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'labels',
  'annotations',
  'ownerReferences',
  'finalizers',
  // kubeconfig Cluster, AuthInfo, Context
  'server',
  'tls-server-name',
  'insecure-skip-tls-verify',
  'certificate-authority',
  'certificate-authority-data',
  'client-certificate',
  'client-certificate-data',
  'client-key',
  'client-key-data',
  'token',
  'tokenFile',
  'username',
  'password',
  'cluster',
  'user',
  'context',
  // objects
  'metadata',
  'immutable',
  'data',
  'stringData',
  'binaryData',
  // CronJobSpec, DeploymentSpec, JobSpec, ServiceSpec
  'schedule',
  'timeZone',
  'replicas',
  'parallelism',
  'completions',
  'backoffLimit',
  // Container
  'image',
  'command',
  'args',
  'workingDir',
  // ContainerPort and ServicePort, then ServiceSpec
  'hostPort',
  'containerPort',
  'protocol',
  'appProtocol',
  'port',
  'targetPort',
  'nodePort',
  'ports',
  'envFrom',
  'env',
  'value',
  'resources',
  'selector',
  'clusterIP',
  'clusterIPs',
  'template',
  'strategy',
  'jobTemplate',
  // PodSpec
  'volumes',
  'initContainers',
  'containers',
  'restartPolicy',
  'terminationGracePeriodSeconds',
  'dnsPolicy',
  'nodeSelector',
  'serviceAccountName',
  'type',
  'externalIPs',
  'externalName',
  'spec',
  'status',
]
const RANKS = new Map(RANK.map((k, i) => [k, i]))

/** Fields that are Go maps: encoding/json sorts their keys and their values are not structs. */
const MAPS = new Set([
  'labels',
  'annotations',
  'data',
  'stringData',
  'binaryData',
  'matchLabels',
  'nodeSelector',
  'preferences',
  'limits',
  'requests',
])

function sortedMap(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.keys(o)
      .sort()
      .map((k) => [k, o[k]]),
  )
}

/** A deep copy of `v` with object keys in the order Go's encoding/json would print them. */
export function goOrder(v: unknown, field = ''): unknown {
  if (Array.isArray(v)) return v.map((x) => goOrder(x, field))
  if (v === null || typeof v !== 'object') return v
  const o = v as Record<string, unknown>
  if (MAPS.has(field)) return sortedMap(o)
  // a Service's selector is a map; a Deployment's or Job's is a LabelSelector struct
  if (field === 'selector' && !('matchLabels' in o) && !('matchExpressions' in o)) return sortedMap(o)
  const keys = Object.keys(o)
  const rank = (k: string) => RANKS.get(k) ?? RANK.length
  keys.sort((a, b) => rank(a) - rank(b))
  return Object.fromEntries(keys.map((k) => [k, goOrder(o[k], k)]))
}
