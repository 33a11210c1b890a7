import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { VirtualClock } from '../clock'
import { createSimCluster, type SimCluster } from '../cluster'
import { standardParts } from '../standard'

let cluster: SimCluster
let clock: VirtualClock
beforeAll(async () => {
  clock = new VirtualClock()
  cluster = await createSimCluster({ controlPlanes: 1, kubernetes: '1.34' }, { ...standardParts(), clock })
})
afterAll(async () => {
  await cluster.dispose()
})

describe('date on the simulated clock', () => {
  it('tells the node time that uptime tells, and moves with the clock', async () => {
    const node = cluster.nodes[0]
    if (!node) throw new Error('no node')
    const now = clock.now()
    const r = await node.exec('date +%s; date "+%H:%M:%S"; uptime')
    const [epoch, time, uptime] = r.stdout.split('\n')
    expect(Number(epoch)).toBe(Math.floor(now / 1000))
    expect(uptime?.startsWith(` ${time} up `)).toBe(true)
    await clock.advance(60_000)
    expect((await node.exec('date +%s')).stdout).toBe(`${Math.floor(now / 1000) + 60}\n`)
    // A date given on the command line is formatted as given.
    expect((await node.exec('date -u -d @86400')).stdout).toBe('Fri Jan  2 00:00:00 UTC 1970\n')
  })
})
