import { KubeConfig } from '@kubernetes/client-node'
import { parseNodeImages, parseWarmPool } from '../kind/from-env'
import type { KubernetesDriverOptions } from './driver'

// The kubernetes driver's settings from the environment (what the manifests in
// deploy/kubernetes set), read in one place:
//   CKALAB_K8S_KUBECONFIG      a kubeconfig file; unset: the pod's service account in a cluster, else KUBECONFIG
//   CKALAB_K8S_NAMESPACE       namespace of the lab pods (default ckalab-labs)
//   CKALAB_K8S_IMAGE           the lab node image for every version, or `1.20=repo/node:tag,1.34=…`
//   CKALAB_K8S_PRIVILEGED      1: the lab node image is a kind node, run as a privileged pod (docs/scale.md)
//   CKALAB_K8S_CPU / _MEMORY   requests of each lab node pod, e.g. 500m / 1Gi (limits: CKALAB_K8S_CPU_LIMIT / _MEMORY_LIMIT)
//   CKALAB_K8S_NODE_SELECTOR   `key=value,…` for the lab node pool
//   CKALAB_K8S_CAPACITY_WAIT   seconds a start may wait for room in the cluster (default 600)
//   CKALAB_K8S_WARM_POOL       `<count>:<version>[:<control planes>]`, as CKALAB_KIND_WARM_POOL
//   CKALAB_K8S_PULL_POLICY     Always | IfNotPresent | Never
//   CKALAB_K8S_CREATE_NAMESPACE 0: never make the labs namespace (the manifests make it; RBAC stays in it)

export class KubernetesEnvError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'KubernetesEnvError'
  }
}

const QUANTITY = /^\d+(\.\d+)?(m|Ki|Mi|Gi|Ti|k|M|G|T)?$/

function nonEmpty(value: string | undefined): string | undefined {
  const v = value?.trim()
  return v ? v : undefined
}

function quantity(name: string, value: string | undefined, fallback: string): string {
  const v = nonEmpty(value)
  if (v === undefined) return fallback
  if (!QUANTITY.test(v))
    throw new KubernetesEnvError(`${name}: "${v}" is not a Kubernetes quantity (e.g. 500m, 2, 1Gi)`)
  return v
}

export function kubernetesOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): KubernetesDriverOptions {
  const image = nonEmpty(env.CKALAB_K8S_IMAGE)
  if (!image)
    throw new KubernetesEnvError(
      'CKALAB_K8S_IMAGE is not set: name the lab node image the pods run (one for all versions, or 1.20=repo/node:tag,…)',
    )
  const images = image.includes('=') ? parseNodeImages(image) : image
  const privileged = env.CKALAB_K8S_PRIVILEGED === '1' || env.CKALAB_K8S_PRIVILEGED === 'true'
  const options: KubernetesDriverOptions = { images, privileged }
  const file = nonEmpty(env.CKALAB_K8S_KUBECONFIG)
  if (file) {
    const kc = new KubeConfig()
    kc.loadFromFile(file)
    options.kubeConfig = kc
  }
  const ns = nonEmpty(env.CKALAB_K8S_NAMESPACE)
  if (ns) {
    if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(ns))
      throw new KubernetesEnvError(`CKALAB_K8S_NAMESPACE: "${ns}" is not a namespace name`)
    options.namespace = ns
  }
  if (
    env.CKALAB_K8S_CPU ||
    env.CKALAB_K8S_MEMORY ||
    env.CKALAB_K8S_CPU_LIMIT ||
    env.CKALAB_K8S_MEMORY_LIMIT
  ) {
    const cpu = quantity('CKALAB_K8S_CPU', env.CKALAB_K8S_CPU, privileged ? '1' : '100m')
    const memory = quantity('CKALAB_K8S_MEMORY', env.CKALAB_K8S_MEMORY, privileged ? '1536Mi' : '128Mi')
    options.resources = {
      requests: { cpu, memory },
      limits: {
        cpu: quantity('CKALAB_K8S_CPU_LIMIT', env.CKALAB_K8S_CPU_LIMIT, privileged ? '2' : '1'),
        memory: quantity(
          'CKALAB_K8S_MEMORY_LIMIT',
          env.CKALAB_K8S_MEMORY_LIMIT,
          privileged ? '3Gi' : '512Mi',
        ),
      },
    }
  }
  const sel = nonEmpty(env.CKALAB_K8S_NODE_SELECTOR)
  if (sel) {
    const pairs = sel.split(',').map((p) => p.trim().split('='))
    if (pairs.some((p) => p.length !== 2 || !p[0]))
      throw new KubernetesEnvError(`CKALAB_K8S_NODE_SELECTOR: "${sel}" is not key=value[,key=value…]`)
    options.nodeSelector = Object.fromEntries(pairs)
  }
  const wait = nonEmpty(env.CKALAB_K8S_CAPACITY_WAIT)
  if (wait) {
    const s = Number(wait)
    if (!Number.isFinite(s) || s < 0)
      throw new KubernetesEnvError(`CKALAB_K8S_CAPACITY_WAIT: "${wait}" is not a number of seconds`)
    options.capacityTimeoutMs = s * 1000
  }
  const warm = nonEmpty(env.CKALAB_K8S_WARM_POOL)
  if (warm) options.warmPool = parseWarmPool(warm)
  const pull = nonEmpty(env.CKALAB_K8S_PULL_POLICY)
  if (pull) {
    if (pull !== 'Always' && pull !== 'IfNotPresent' && pull !== 'Never')
      throw new KubernetesEnvError(`CKALAB_K8S_PULL_POLICY: "${pull}" is not Always, IfNotPresent or Never`)
    options.imagePullPolicy = pull
  }
  if (env.CKALAB_K8S_CREATE_NAMESPACE === '0' || env.CKALAB_K8S_CREATE_NAMESPACE === 'false')
    options.createNamespace = false
  return options
}
