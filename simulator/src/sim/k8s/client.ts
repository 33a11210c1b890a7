import { parseEndpoint } from '../net'
import type { SimNode } from '../node'
import { type ApiClient, ApiError, type KubeObject, type ListOptions } from './api'
import { type ApiServer, apiServerAt } from './apiserver'
import { resourceInfo } from './codec'
import { agentOf, k8sWorld } from './world'

// What a client on a node (kubectl, the kubelet, the controllers) reaches when
// it dials the apiserver address: the server's state decides which error a
// real client would print.

function refused(server: string): ApiError {
  return new ApiError(
    'unavailable',
    `The connection to the server ${server} was refused - did you specify the right host or port?`,
  )
}

/** The default server kubeadm's kubeconfigs name: the first control plane. */
export function defaultServer(node: SimNode): string {
  const cp = node.cluster.controlPlanes[0] ?? node
  return `https://${cp.ip}:6443`
}

/**
 * The client kubectl on `node` uses. `server` is the kubeconfig's
 * `clusters[].cluster.server` (https://172.30.1.2:6443); kubectl picks the
 * kubeconfig, this function only dials.
 */
export function apiClientFor(node: SimNode, server: string = defaultServer(node)): ApiClient {
  const u = parseEndpoint(server, 'https')
  const hostPort = u ? `${u.host}:${u.port}` : server
  const connect = (): ApiServer => {
    if (!u)
      throw new ApiError(
        'unavailable',
        `Unable to connect to the server: dial tcp: address ${server}: missing port in address`,
      )
    if (!node.cluster.network.nodeFor(node.name, u.host))
      throw new ApiError('unavailable', `Unable to connect to the server: dial tcp ${hostPort}: i/o timeout`)
    const s = apiServerAt(node, u.host, u.port)
    if (!s || s.state === 'exited') throw refused(hostPort)
    if (s.state === 'starting')
      throw new ApiError('unavailable', 'Unable to connect to the server: net/http: TLS handshake timeout')
    return s
  }
  return {
    server: hostPort,
    async list(resource: string, opts?: ListOptions) {
      return connect().list(resource, opts)
    },
    async get(resource: string, name: string, namespace?: string) {
      return connect().get(resource, name, namespace)
    },
    async create(resource: string, obj: KubeObject) {
      return connect().create(resource, obj)
    },
    async update(resource: string, obj: KubeObject) {
      return connect().update(resource, obj)
    },
    async delete(resource: string, name: string, namespace?: string) {
      return connect().delete(resource, name, namespace)
    },
    async raw(path: string) {
      return connect().raw(path)
    },
    async logs(namespace: string, pod: string, container?: string) {
      const s = connect()
      const obj = await s.get('pods', pod, namespace)
      const nodeName = obj.spec?.nodeName as string | undefined
      const containers: string[] = (obj.spec?.containers ?? []).map((c: { name: string }) => c.name)
      const name = container ?? (containers.length === 1 ? containers[0] : undefined)
      if (!name) {
        throw new ApiError(
          'invalid',
          `error: a container name must be specified for pod ${pod}, choose one of: [${containers.join(' ')}]`,
        )
      }
      if (!containers.includes(name)) {
        throw new ApiError(
          'invalid',
          `Error from server (BadRequest): container ${name} is not valid for pod ${pod}`,
        )
      }
      const target = nodeName ? node.cluster.node(nodeName) : undefined
      if (!target) {
        throw new ApiError(
          'invalid',
          `Error from server (BadRequest): container "${name}" in pod "${pod}" is waiting to start: ContainerCreating`,
        )
      }
      const rt = agentOf(target).runtime
      // A static pod's mirror name is <pod>-<node>; the runtime knows the pod by its manifest name.
      const candidates = rt.containers.filter(
        (c) =>
          c.podNamespace === namespace &&
          c.name === name &&
          (c.podName === pod || `${c.podName}-${target.name}` === pod),
      )
      const current = candidates.filter((c) => c.state === 'CONTAINER_RUNNING').at(-1) ?? candidates.at(-1)
      if (!current) {
        throw new ApiError(
          'invalid',
          `Error from server (BadRequest): container "${name}" in pod "${pod}" is waiting to start: ContainerCreating`,
        )
      }
      const lines = rt.logsOf(current)
      return lines.length ? `${lines.join('\n')}\n` : ''
    },
  }
}

/** For tests and checks: the resource a kubectl-style name refers to. */
export { resourceInfo }

/** Wait until every start-up the simulator has begun has finished (tests, boot). */
export function settledK8s(node: SimNode): Promise<void> {
  return k8sWorld(node.cluster).idle()
}
