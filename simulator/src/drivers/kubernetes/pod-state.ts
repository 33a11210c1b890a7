import type { V1Pod } from '@kubernetes/client-node'

// Where a lab pod is on its way to ready, read from its status alone (pure):
// the driver turns this into progress lines, a capacity wait, or an error.

export type PodState =
  | { kind: 'unscheduled'; why: string }
  | { kind: 'waiting-capacity'; why: string }
  | { kind: 'starting'; step: string }
  | { kind: 'ready' }
  | { kind: 'failed'; why: string }

/** Container waiting reasons that will not fix themselves. */
const FATAL_WAITING = new Set([
  'ErrImagePull',
  'ImagePullBackOff',
  'ErrImageNeverPull',
  'InvalidImageName',
  'CreateContainerConfigError',
  'CreateContainerError',
  'RunContainerError',
  'CrashLoopBackOff',
])

export function podState(pod: V1Pod): PodState {
  const status = pod.status ?? {}
  if (pod.metadata?.deletionTimestamp) return { kind: 'failed', why: 'the pod is being deleted' }
  if (status.phase === 'Failed') return { kind: 'failed', why: failedWhy(pod) }
  if (status.phase === 'Succeeded') return { kind: 'failed', why: 'the node stopped (its container exited)' }
  const scheduled = status.conditions?.find((c) => c.type === 'PodScheduled')
  if (scheduled?.status === 'False') {
    // "0/3 nodes are available: 3 Insufficient memory." — the scheduler's own words
    const why = scheduled.message ?? scheduled.reason ?? 'not scheduled yet'
    return scheduled.reason === 'Unschedulable'
      ? { kind: 'waiting-capacity', why }
      : { kind: 'unscheduled', why }
  }
  if (!status.conditions?.length && status.phase === 'Pending')
    return { kind: 'unscheduled', why: 'just created' }
  const container = status.containerStatuses?.[0]
  const waiting = container?.state?.waiting
  if (waiting?.reason && FATAL_WAITING.has(waiting.reason)) {
    return {
      kind: 'failed',
      why: `${waiting.reason}${waiting.message ? `: ${waiting.message}` : ''} (image ${container?.image ?? '?'})`,
    }
  }
  const terminated = container?.state?.terminated
  if (terminated) {
    return {
      kind: 'failed',
      why: `the node's container exited with ${terminated.exitCode}${terminated.reason ? ` (${terminated.reason})` : ''}${terminated.message ? `: ${terminated.message}` : ''}`,
    }
  }
  if (status.phase === 'Running' && container?.ready) return { kind: 'ready' }
  if (status.phase === 'Running') return { kind: 'starting', step: 'Starting the lab node' }
  if (waiting?.reason === 'ContainerCreating' || !container)
    return { kind: 'starting', step: 'Creating the node container' }
  return { kind: 'starting', step: waiting?.reason ?? 'Starting' }
}

/** Why a pod ended: an eviction says what the kubelet ran short of. */
export function failedWhy(pod: V1Pod): string {
  const s = pod.status ?? {}
  if (s.reason === 'Evicted') return `evicted by Kubernetes${s.message ? `: ${s.message}` : ''}`
  const t = s.containerStatuses?.[0]?.state?.terminated
  if (t) return `the node's container exited with ${t.exitCode}${t.reason ? ` (${t.reason})` : ''}`
  return s.reason ? `${s.reason}${s.message ? `: ${s.message}` : ''}` : 'the pod failed'
}

/** The environment's state is its least advanced pod's. */
export function environmentState(pods: V1Pod[]): PodState {
  const states = pods.map(podState)
  return (
    states.find((s) => s.kind === 'failed') ??
    states.find((s) => s.kind === 'waiting-capacity') ??
    states.find((s) => s.kind === 'unscheduled') ??
    states.find((s) => s.kind === 'starting') ?? { kind: 'ready' }
  )
}
