import type { V1Pod } from '@kubernetes/client-node'
import { describe, expect, it } from 'vitest'
import { environmentState, podState } from './pod-state'

// Status shapes as a 1.20 API server reports them: the Unschedulable one as the fixture's scheduler
// writes it (test/kubernetes sees it live), the eviction one in the shape the kubelet writes.
const pending: V1Pod = {
  status: {
    phase: 'Pending',
    conditions: [
      {
        type: 'PodScheduled',
        status: 'False',
        reason: 'Unschedulable',
        message: '0/1 nodes are available: 1 Insufficient cpu.',
      },
    ],
  },
}
const creating: V1Pod = {
  status: {
    phase: 'Pending',
    conditions: [{ type: 'PodScheduled', status: 'True' }],
    containerStatuses: [
      {
        name: 'node',
        image: 'i',
        imageID: '',
        ready: false,
        restartCount: 0,
        state: { waiting: { reason: 'ContainerCreating' } },
      },
    ],
  },
}
const running = (ready: boolean): V1Pod => ({
  status: {
    phase: 'Running',
    conditions: [{ type: 'PodScheduled', status: 'True' }],
    containerStatuses: [
      { name: 'node', image: 'i', imageID: '', ready, restartCount: 0, state: { running: {} } },
    ],
  },
})
const evicted: V1Pod = {
  status: {
    phase: 'Failed',
    reason: 'Evicted',
    message:
      'The node was low on resource: memory. Container node was using 600Mi, which exceeds its request of 128Mi.',
  },
}

describe('podState', () => {
  it('Unschedulable is a wait for capacity, with the scheduler’s words', () => {
    expect(podState(pending)).toEqual({
      kind: 'waiting-capacity',
      why: '0/1 nodes are available: 1 Insufficient cpu.',
    })
  })
  it('on the way to ready', () => {
    expect(podState(creating)).toEqual({ kind: 'starting', step: 'Creating the node container' })
    expect(podState(running(false))).toEqual({ kind: 'starting', step: 'Starting the lab node' })
    expect(podState(running(true))).toEqual({ kind: 'ready' })
  })
  it('an evicted pod says what the kubelet ran short of', () => {
    const s = podState(evicted)
    expect(s.kind).toBe('failed')
    expect(s.kind === 'failed' && s.why).toMatch(
      /^evicted by Kubernetes: The node was low on resource: memory/,
    )
  })
  it('an image that cannot be pulled fails at once, naming the image', () => {
    const pod: V1Pod = {
      status: {
        phase: 'Pending',
        conditions: [{ type: 'PodScheduled', status: 'True' }],
        containerStatuses: [
          {
            name: 'node',
            image: 'ckalab/lab-node:x',
            imageID: '',
            ready: false,
            restartCount: 0,
            state: {
              waiting: {
                reason: 'ErrImageNeverPull',
                message: 'Container image "ckalab/lab-node:x" is not present',
              },
            },
          },
        ],
      },
    }
    const s = podState(pod)
    expect(s.kind === 'failed' && s.why).toMatch(/ErrImageNeverPull.*ckalab\/lab-node:x/)
  })
  it('a pod being deleted is not usable', () => {
    expect(podState({ ...running(true), metadata: { deletionTimestamp: new Date() } }).kind).toBe('failed')
  })
  it('an environment is as far as its slowest pod; a failure wins', () => {
    expect(environmentState([running(true), pending]).kind).toBe('waiting-capacity')
    expect(environmentState([running(true), running(false)]).kind).toBe('starting')
    expect(environmentState([pending, evicted]).kind).toBe('failed')
    expect(environmentState([running(true), running(true)]).kind).toBe('ready')
  })
})
