import { VirtualClock } from '../clock'
import { createSimCluster } from '../cluster'
import type { SimNode } from '../node'
import { standardParts } from '../standard'
import { median } from '../stats'

// `npm run bench` figures for the simulated control plane: the time to
// replay a full single-node etcd backup/restore solution (setup excluded,
// simulated waits cost nothing), and `kubectl get pods -A` latency.

const CERTS =
  '--endpoints=https://127.0.0.1:2379 --cacert=/etc/kubernetes/pki/etcd/ca.crt --cert=/etc/kubernetes/pki/etcd/server.crt --key=/etc/kubernetes/pki/etcd/server.key'

const SOLUTION = [
  `ETCDCTL_API=3 etcdctl ${CERTS} snapshot save /opt/etcd-backup.db`,
  'etcdutl snapshot status /opt/etcd-backup.db -w table',
  // The lab's trigger: a deployment created after the snapshot.
  'kubectl create deployment after-backup --image=nginx',
  'sleep 3',
  'etcdutl snapshot restore /opt/etcd-backup.db --data-dir /var/lib/etcd-from-backup',
  "sed -i 's#path: /var/lib/etcd$#path: /var/lib/etcd-from-backup#' /etc/kubernetes/manifests/etcd.yaml",
  'sleep 10',
  'crictl ps --name etcd',
  'kubectl get deployments',
]

async function freshNode(): Promise<{ node: SimNode; createMs: number }> {
  const t = performance.now()
  const cluster = await createSimCluster(
    { controlPlanes: 1, kubernetes: '1.34' },
    { ...standardParts(), clock: new VirtualClock() },
  )
  const node = cluster.nodes[0]
  if (!node) throw new Error('the simulated cluster has no node')
  return { node, createMs: performance.now() - t }
}

export async function benchK8s(): Promise<Record<string, number>> {
  // Warm the code paths once so the figures are steady-state.
  const warm = await freshNode()
  await warm.node.exec('kubectl create deployment before-backup --image=nginx; sleep 3')
  for (const line of SOLUTION) await warm.node.exec(line)
  await warm.node.cluster.dispose()

  const { node, createMs } = await freshNode()
  await node.exec('kubectl create deployment before-backup --image=nginx; sleep 3')
  const t0 = performance.now()
  let last = ''
  for (const line of SOLUTION) last = (await node.exec(line)).stdout
  const solutionReplayMs = performance.now() - t0
  if (!last.includes('before-backup') || last.includes('after-backup'))
    throw new Error(`the replayed solution did not restore the snapshot-era state:\n${last}`)

  const samples: number[] = []
  for (let i = 0; i < 30; i++) await node.exec('kubectl get pods -A')
  for (let i = 0; i < 200; i++) {
    const t = performance.now()
    await node.exec('kubectl get pods -A')
    samples.push(performance.now() - t)
  }
  await node.cluster.dispose()
  return {
    clusterCreateMs: Math.round(createMs),
    solutionReplayMs: Math.round(solutionReplayMs),
    getPodsAllP50Ms: median(samples),
  }
}
