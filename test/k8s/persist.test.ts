import { describe, expect, it } from 'vitest'
import { VirtualClock } from '../../simulator/src/sim/clock'
import { createSimCluster } from '../../simulator/src/sim/cluster'
import { apiClientFor } from '../../simulator/src/sim/k8s/client'
import { standardParts } from '../../simulator/src/sim/standard'
import { cluster, deployments, pass, running } from './helpers'

describe('serialization', () => {
  it('a restored environment restarts the kubelet from the manifests and etcd from its data dir', async () => {
    const c = await cluster()
    const node = c.nodes[0]
    if (!node) throw new Error('no node')
    await apiClientFor(node).create('deployments', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'kept', namespace: 'default' },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'kept' } },
        template: {
          metadata: { labels: { app: 'kept' } },
          spec: { containers: [{ name: 'c', image: 'nginx' }] },
        },
      },
    })
    await pass(c, 5000)
    const state = await c.serialize()
    await c.dispose()
    const back = await createSimCluster(state.spec, {
      ...standardParts(),
      restore: JSON.parse(JSON.stringify(state)),
      clock: new VirtualClock(state.now),
    })
    const n2 = back.nodes[0]
    if (!n2) throw new Error('no node')
    expect(await deployments(n2)).toEqual(['kept'])
    expect(running(n2, 'etcd')).toHaveLength(1)
    const pods = await apiClientFor(n2).list('pods', { namespace: 'default' })
    expect(pods).toHaveLength(2)
    await pass(back, 5000)
    expect(
      (await apiClientFor(n2).list('pods', { namespace: 'default' })).every(
        (p) => p.status?.phase === 'Running',
      ),
    ).toBe(true)
  })
})
