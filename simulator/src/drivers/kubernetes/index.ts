// ckalab's `kubernetes` driver: lab environments as pods on a Kubernetes cluster behind the seam.
export { KubernetesDriver, type KubernetesDriverOptions, KubernetesEnvironment } from './driver'
export {
  KubernetesApiError,
  KubernetesCapacityError,
  KubernetesCreateError,
  PodGoneError,
} from './errors'
export { KubeNode } from './node'
