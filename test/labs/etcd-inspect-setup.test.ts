import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { RealClock } from '../../simulator/src/sim/clock'
import { createSimCluster } from '../../simulator/src/sim/cluster'
import { standardParts } from '../../simulator/src/sim/standard'

// etcd-inspect's setup hands leadership away from cp1. On the simulator, as a
// learner's attempt runs it (real time), it polls for the new leader instead
// of sleeping a fixed 50 s.

const SETUP = readFileSync(new URL('../../labs/etcd-inspect/setup.sh', import.meta.url), 'utf8')

describe('etcd-inspect setup on the simulator', () => {
  it('moves leadership off the local member within seconds, not a fixed 50 s wait', async () => {
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
      expect(ms).toBeLessThan(20_000)
    } finally {
      await c.dispose()
    }
  }, 60_000)
})
