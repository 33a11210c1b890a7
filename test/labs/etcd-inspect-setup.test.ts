import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { RealClock } from '../../simulator/src/sim/clock'
import { createSimCluster } from '../../simulator/src/sim/cluster'
import { standardParts } from '../../simulator/src/sim/standard'

// etcd-inspect's setup hands leadership away from cp1 with `etcdctl
// move-leader`. On the simulator, as a learner's attempt runs it (real time),
// that takes no waiting at all: the lab is ready in well under a second of
// work (the bound leaves room for a loaded test machine).

const SETUP = readFileSync(new URL('../../labs/etcd-inspect/setup.sh', import.meta.url), 'utf8')

describe('etcd-inspect setup on the simulator', () => {
  it('moves leadership off the local member at once, with move-leader', async () => {
    const c = await createSimCluster(
      { controlPlanes: 3, kubernetes: '1.34' },
      { ...standardParts(), clock: new RealClock() },
    )
    try {
      const cp1 = c.nodes[0]
      if (!cp1) throw new Error('no node')
      const t = performance.now()
      const r = await cp1.exec(SETUP)
      const ms = performance.now() - t
      expect(r.exitCode).toBe(0)
      const rows = r.stdout.trim().split('\n')
      const leader = rows.find((l) => l.split(', ')[8] === 'true')
      expect(leader, r.stdout).toBeDefined()
      expect(leader?.startsWith('https://172.30.1.2:')).toBe(false)
      expect(ms).toBeLessThan(5_000)
    } finally {
      await c.dispose()
    }
  }, 60_000)
})
