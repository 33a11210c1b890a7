import type Docker from 'dockerode'
import { describe, expect, it } from 'vitest'
import type { NodeContainer } from './docker'
import { KindNode } from './node'

const container: NodeContainer = {
  id: 'abc',
  name: 'ckalab-1-control-plane',
  role: 'control-plane',
  cluster: 'ckalab-1',
  image: 'kindest/node:v1.31.0',
  state: 'running',
  created: 0,
}
const docker = {} as Docker

describe('KindNode safety', () => {
  it('is only made from a container that carries the cluster label', () => {
    const node = KindNode.fromContainer(docker, container, 'ckalab-1')
    expect([node.name, node.role, node.containerId]).toEqual([
      'ckalab-1-control-plane',
      'control-plane',
      'abc',
    ])
    expect(() => KindNode.fromContainer(docker, container, 'ckalab-2')).toThrow(
      /does not carry io.x-k8s.kind.cluster=ckalab-2; refusing to use it/,
    )
    expect(() => KindNode.fromContainer(docker, { ...container, cluster: '' }, 'ckalab-1')).toThrow(
      /refusing/,
    )
  })

  it('maps kind roles onto the seam', () => {
    expect(KindNode.fromContainer(docker, { ...container, role: 'worker' }, 'ckalab-1').role).toBe('worker')
  })
})
