import { VirtualClock } from '../clock'
import { createSimCluster } from '../cluster'
import { standardParts } from '../standard'

// Latency of the etcdctl command path on a simulated node (the shell line
// included): `member list` and `snapshot save`, p50/p99 in milliseconds.

function pct(sorted: number[], p: number): number {
  const i = Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))
  return Math.round((sorted[i] ?? 0) * 1000) / 1000
}

export async function benchEtcd(iterations = 200): Promise<Record<string, number>> {
  const cluster = await createSimCluster(
    { controlPlanes: 1, kubernetes: '1.34' },
    { ...standardParts(), clock: new VirtualClock() },
  )
  try {
    await cluster.settle(60_000)
    const node = cluster.nodes[0]
    if (!node) throw new Error('no node')
    const e =
      'etcdctl --endpoints=https://127.0.0.1:2379 --cacert=/etc/kubernetes/pki/etcd/ca.crt --cert=/etc/kubernetes/pki/etcd/server.crt --key=/etc/kubernetes/pki/etcd/server.key'
    const measure = async (line: string): Promise<number[]> => {
      for (let i = 0; i < 20; i++) await node.exec(line)
      const times: number[] = []
      for (let i = 0; i < iterations; i++) {
        const t = performance.now()
        const r = await node.exec(line)
        times.push(performance.now() - t)
        if (r.exitCode !== 0) throw new Error(`${line} failed: ${r.stderr}`)
      }
      return times.sort((a, b) => a - b)
    }
    const list = await measure(`${e} member list`)
    const save = await measure(`${e} snapshot save /tmp/bench.db`)
    return {
      etcdctlMemberListP50Ms: pct(list, 50),
      etcdctlMemberListP99Ms: pct(list, 99),
      snapshotSaveP50Ms: pct(save, 50),
      snapshotSaveP99Ms: pct(save, 99),
    }
  } finally {
    await cluster.dispose()
  }
}
