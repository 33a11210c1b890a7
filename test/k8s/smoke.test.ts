import { describe, expect, it } from 'vitest'
import '../../simulator/src/sim/index'
import { VirtualClock } from '../../simulator/src/sim/clock'
import { createSimCluster } from '../../simulator/src/sim/cluster'
import { apiClientFor } from '../../simulator/src/sim/k8s/client'
import { agentOf } from '../../simulator/src/sim/k8s/world'

describe('smoke', () => {
  it('boots', async () => {
    const t0 = Date.now()
    const cluster = await createSimCluster(
      { controlPlanes: 1, kubernetes: '1.34' },
      { clock: new VirtualClock() },
    )
    console.log('boot ms', Date.now() - t0)
    const node = cluster.nodes[0]
    const api = apiClientFor(node)
    const pods = await api.list('pods')
    console.log(
      pods.map((p) => `${p.metadata.namespace}/${p.metadata.name} ${p.status?.phase} ${p.spec?.nodeName}`),
    )
    console.log(agentOf(node).runtime.containers.map((c) => `${c.name} ${c.state}`))
    console.log(
      agentOf(node)
        .journal.entries.map((e) => e.text)
        .join('\n'),
    )
    expect(pods.length).toBeGreaterThan(4)
  })
})
