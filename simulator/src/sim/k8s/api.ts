// The contract between the simulated apiserver (kube-runtime) and its clients
// (kubectl, crictl's view of pods, lab checks through kubectl). Objects are
// plain Kubernetes JSON shapes; the apiserver keeps them in the node's etcd
// under the real /registry/... keys.

export interface ObjectMeta {
  name: string
  namespace?: string
  uid?: string
  resourceVersion?: string
  generation?: number
  creationTimestamp?: string
  deletionTimestamp?: string
  labels?: Record<string, string>
  annotations?: Record<string, string>
  ownerReferences?: Array<{
    apiVersion: string
    kind: string
    name: string
    uid: string
    controller?: boolean
  }>
  [key: string]: unknown
}

export interface KubeObject {
  apiVersion: string
  kind: string
  metadata: ObjectMeta
  spec?: any
  status?: any
  [key: string]: unknown
}

/** A resource as kubectl names it: plural lower-case, e.g. `pods`, `deployments`. */
export type ResourceName =
  | 'pods'
  | 'deployments'
  | 'replicasets'
  | 'nodes'
  | 'namespaces'
  | 'services'
  | 'events'
  | 'endpoints'
  | 'configmaps'
  | 'secrets'
  | 'serviceaccounts'
  | string

export interface ListOptions {
  namespace?: string // undefined = all namespaces (for namespaced resources)
  labelSelector?: string
  fieldSelector?: string
}

/**
 * Why a request failed, with the text kubectl prints. `unavailable` covers
 * every way the server cannot be reached or cannot reach etcd; its `message`
 * is the exact line kubectl shows (e.g. `The connection to the server
 * 172.30.1.2:6443 was refused - did you specify the right host or port?`).
 */
export class ApiError extends Error {
  constructor(
    readonly reason:
      | 'unavailable'
      | 'timeout'
      | 'not-found'
      | 'already-exists'
      | 'invalid'
      | 'conflict'
      | 'forbidden',
    message: string,
    readonly code = 1,
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

export interface ApiClient {
  /** Address kubectl dials, e.g. `172.30.1.2:6443`. */
  readonly server: string
  list(resource: ResourceName, opts?: ListOptions): Promise<KubeObject[]>
  get(resource: ResourceName, name: string, namespace?: string): Promise<KubeObject>
  create(resource: ResourceName, obj: KubeObject): Promise<KubeObject>
  update(resource: ResourceName, obj: KubeObject): Promise<KubeObject>
  delete(resource: ResourceName, name: string, namespace?: string): Promise<KubeObject>
  /** GET on a raw path such as /readyz, /livez, /version. */
  raw(path: string): Promise<string>
  /** Container log lines of a pod (etcd's and the apiserver's are modelled). */
  logs(namespace: string, pod: string, container?: string): Promise<string>
}
