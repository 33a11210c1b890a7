import type { V1NetworkPolicy, V1Pod, V1Toleration } from '@kubernetes/client-node'
import type { ClusterSpec } from '../../seam'

// The Kubernetes objects of one lab environment, as plain data: one pod per
// lab node and one NetworkPolicy per attempt, all labelled with the attempt
// they belong to, plus the namespace-wide policy that keeps learners apart.

export const MANAGED_BY = 'app.kubernetes.io/managed-by'
export const MANAGER = 'ckalab'
export const ATTEMPT_LABEL = 'ckalab.dev/environment'
export const NODE_LABEL = 'ckalab.dev/node'
export const ROLE_LABEL = 'ckalab.dev/role'
export const PROFILE_LABEL = 'ckalab.dev/kubernetes'
/** The labels kind puts on its node containers, on kind node pods too (same names, same meaning). */
export const KIND_CLUSTER_LABEL = 'io.x-k8s.kind.cluster'
export const KIND_ROLE_LABEL = 'io.x-k8s.kind.role'
export const SPEC_ANNOTATION = 'ckalab.dev/spec'
/** The container of a lab pod that is the lab node. */
export const NODE_CONTAINER = 'node'
/** The taint of the node pool set aside for lab pods (docs/scale.md); lab pods tolerate it. */
export const LAB_POOL_TAINT: V1Toleration = {
  key: 'ckalab.dev/labs',
  operator: 'Exists',
  effect: 'NoSchedule',
}

export interface Resources {
  requests: { cpu: string; memory: string }
  limits: { cpu: string; memory: string }
}

export interface PodOptions {
  image: string
  resources: Resources
  /**
   * The pod is a kind node (a node image whose PID 1 runs containerd, the kubelet and a kubeadm control
   * plane, docs/scale.md): privileged, with the mounts a kind node container gets. The stand-in needs none.
   */
  privileged?: boolean
  nodeSelector?: Record<string, string>
  tolerations?: V1Toleration[]
  /** Seconds a deleted pod gets to stop (default 5: a lab node has nothing to flush). */
  gracePeriodSeconds?: number
  imagePullPolicy?: 'Always' | 'IfNotPresent' | 'Never'
}

export interface LabNodeName {
  /** The node's name inside the lab (its hostname), e.g. `lab-control-plane2`. */
  node: string
  role: 'control-plane' | 'worker'
}

/** Node names as kind gives them: `<name>-control-plane`, `-control-plane2`, `-worker`, `-worker2`. */
export function labNodeNames(spec: ClusterSpec): LabNodeName[] {
  const base = dnsLabel(spec.name ?? 'lab', 40)
  const out: LabNodeName[] = []
  for (let i = 1; i <= spec.controlPlanes; i++)
    out.push({ node: `${base}-control-plane${i === 1 ? '' : i}`, role: 'control-plane' })
  for (let i = 1; i <= (spec.workers ?? 0); i++)
    out.push({ node: `${base}-worker${i === 1 ? '' : i}`, role: 'worker' })
  return out
}

/** The pod of one lab node: `<prefix><id>-<n>` (n counts from 0 in labNodeNames order). */
export function podName(prefix: string, id: string, index: number): string {
  return `${prefix}${id}-${index}`
}

/** Lowercase letters, digits and '-', as a Kubernetes name or hostname must be. */
export function dnsLabel(text: string, max = 63): string {
  const s = text
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, max)
    .replace(/-+$/g, '')
  return s || 'lab'
}

export function attemptLabels(id: string): Record<string, string> {
  return { [MANAGED_BY]: MANAGER, [ATTEMPT_LABEL]: id }
}

/** `key=value,…` for a list call. */
export function selector(labels: Record<string, string>): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',')
}

export function labPod(
  opts: PodOptions,
  at: { prefix: string; id: string; spec: ClusterSpec; index: number; node: LabNodeName },
): V1Pod {
  const { node } = at
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: podName(at.prefix, at.id, at.index),
      labels: {
        ...attemptLabels(at.id),
        [NODE_LABEL]: node.node,
        [ROLE_LABEL]: node.role,
        [PROFILE_LABEL]: at.spec.kubernetes,
        ...(opts.privileged
          ? { [KIND_CLUSTER_LABEL]: `${at.prefix}${at.id}`, [KIND_ROLE_LABEL]: node.role }
          : {}),
      },
      annotations: { [SPEC_ANNOTATION]: JSON.stringify(at.spec) },
    },
    spec: {
      hostname: node.node,
      // a lab node never talks to this cluster's API: no token to steal from inside it
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      // a restarted container would come back empty: the learner's work is lost, so say so instead
      restartPolicy: 'Never',
      terminationGracePeriodSeconds: opts.gracePeriodSeconds ?? 5,
      ...(opts.nodeSelector ? { nodeSelector: opts.nodeSelector } : {}),
      tolerations: opts.tolerations ?? [LAB_POOL_TAINT],
      containers: [
        {
          name: NODE_CONTAINER,
          image: opts.image,
          imagePullPolicy: opts.imagePullPolicy ?? 'IfNotPresent',
          resources: opts.resources,
          securityContext: opts.privileged
            ? { privileged: true }
            : { privileged: false, allowPrivilegeEscalation: false },
          readinessProbe: {
            exec: { command: ['test', '-f', '/run/ckalab-ready'] },
            periodSeconds: 2,
            failureThreshold: 1,
          },
          ...(opts.privileged ? { volumeMounts: KIND_NODE_MOUNTS } : {}),
        },
      ],
      ...(opts.privileged ? { volumes: KIND_NODE_VOLUMES } : {}),
    },
  }
}

/**
 * What kind gives a node container, as pod volumes: /run and /tmp as tmpfs (systemd-style nodes expect
 * them empty at boot; the readiness marker lives in /run), and containerd's store on an emptyDir, because
 * its overlayfs snapshots cannot sit on the pod's own overlay root filesystem. No hostPath: kind's read-only
 * /lib/modules serves kube-proxy's module loading, and a lab node runs no kube-proxy (nor has every node a
 * /lib/modules to share).
 */
const KIND_NODE_VOLUMES = [
  { name: 'containerd', emptyDir: {} },
  { name: 'run', emptyDir: { medium: 'Memory' } },
  { name: 'tmp', emptyDir: { medium: 'Memory' } },
]
const KIND_NODE_MOUNTS = [
  { name: 'containerd', mountPath: '/var/lib/containerd' },
  { name: 'run', mountPath: '/run' },
  { name: 'tmp', mountPath: '/tmp' },
]

/**
 * Nothing reaches a lab pod and a lab pod reaches nothing, except the other
 * nodes of its own environment (see attemptPolicy). Applied once per namespace.
 */
export function denyAllPolicy(): V1NetworkPolicy {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: 'ckalab-deny-between-learners', labels: { [MANAGED_BY]: MANAGER } },
    spec: {
      podSelector: { matchLabels: { [MANAGED_BY]: MANAGER } },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [],
      egress: [],
    },
  }
}

/** The nodes of one environment may talk to each other (etcd peers, ssh between nodes). */
export function attemptPolicy(prefix: string, id: string): V1NetworkPolicy {
  const same = { podSelector: { matchLabels: attemptLabels(id) } }
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: `${prefix}${id}`, labels: attemptLabels(id) },
    spec: {
      podSelector: { matchLabels: attemptLabels(id) },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [{ _from: [same] }],
      egress: [{ to: [same] }],
    },
  }
}

/**
 * Requests and limits of one lab node. The stand-in node (etcd only) is small;
 * a node that runs a whole kind control plane needs what kind does (docs/scale.md).
 */
export function defaultResources(kind: 'stand-in' | 'kind-node'): Resources {
  return kind === 'stand-in'
    ? { requests: { cpu: '100m', memory: '128Mi' }, limits: { cpu: '1', memory: '512Mi' } }
    : { requests: { cpu: '1', memory: '1536Mi' }, limits: { cpu: '2', memory: '3Gi' } }
}
