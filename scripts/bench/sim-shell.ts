import { VirtualClock } from '../../simulator/src/sim/clock'
import { createSimCluster, type SimCluster } from '../../simulator/src/sim/cluster'
import { ShellSession } from '../../simulator/src/sim/shell/session'
import { standardParts } from '../../simulator/src/sim/standard'
import { percentile, timeRuns } from './stats'

// Figures for the simulated node and its shell: how long a node takes to
// create, what an idle one costs in memory, and how quickly the shell starts
// and answers a line.

function gc(): void {
  const g = (globalThis as { gc?: () => void }).gc
  if (g) {
    g()
    g()
  }
}

async function newCluster(): Promise<SimCluster> {
  return createSimCluster(
    { controlPlanes: 1, kubernetes: '1.34' },
    { ...standardParts(), clock: new VirtualClock() },
  )
}

export async function benchSimShell(): Promise<Record<string, number>> {
  const create = await timeRuns(async () => {
    const c = await newCluster()
    await c.dispose()
  }, 40)

  // One session reused: the cost of a line and of starting a login shell.
  const cluster = await newCluster()
  const node = cluster.nodes[0]
  if (!node) throw new Error('no node')
  const start = await timeRuns(async () => {
    const s = new ShellSession(node, { interactive: true, mergeStderr: true })
    await s.start()
  }, 20)
  const session = new ShellSession(node, { interactive: true, mergeStderr: true })
  await session.start()
  const line = await timeRuns(() => session.run('echo hello'), 100)
  const cd = await timeRuns(() => session.run('cd /etc/kubernetes/manifests && ls >/dev/null; cd ~'), 50)
  await cluster.dispose()

  // Memory: 200 idle nodes alive at once, heap delta per node.
  const count = 200
  gc()
  const before = process.memoryUsage().heapUsed
  const kept: SimCluster[] = []
  for (let i = 0; i < count; i++) kept.push(await newCluster())
  gc()
  const after = process.memoryUsage().heapUsed
  const idleNodeMb = (after - before) / count / (1024 * 1024)
  for (const c of kept) await c.dispose()

  return {
    nodeCreateP50Ms: percentile(create, 50),
    nodeCreateP99Ms: percentile(create, 99),
    idleNodeMb,
    idleNodeMeasuredWithGc: (globalThis as { gc?: unknown }).gc ? 1 : 0,
    shellStartP50Ms: percentile(start, 50),
    shellLineP50Ms: percentile(line, 50),
    shellLineP99Ms: percentile(line, 99),
    shellCdLsP50Ms: percentile(cd, 50),
  }
}
