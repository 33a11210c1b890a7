// Three stacked members (issue 3 §6): one raft group with a shared keyspace,
// quorum, a restore on one member only (a second cluster that cannot reach
// quorum and meets cluster ID mismatches), and a consistent restore on all
// three that forms one cluster again. Only the etcd part of the simulator is
// loaded; members are stopped and started directly, as the kubelet would.
import { describe, expect, test } from 'vitest'
import { VirtualClock } from '../../simulator/src/sim/clock'
import { createSimCluster, type SimCluster } from '../../simulator/src/sim/cluster'
import {
  etcdArgsFromManifest,
  etcdCommands,
  etcdRuntime,
  etcdStaticBootPlugin,
  startEtcd,
} from '../../simulator/src/sim/etcd/index'
import type { EtcdProcess } from '../../simulator/src/sim/etcd/server'
import type { SimNode } from '../../simulator/src/sim/node'

// etcd alone: its commands, and members started from their manifests at creation (no kubelet).
const ETCD_ONLY = { plugins: [etcdStaticBootPlugin], commands: etcdCommands }

const E =
  'etcdctl --endpoints=https://127.0.0.1:2379 --cacert=/etc/kubernetes/pki/etcd/ca.crt --cert=/etc/kubernetes/pki/etcd/server.crt --key=/etc/kubernetes/pki/etcd/server.key'

async function argsOf(node: SimNode, dataDir?: string): Promise<string[]> {
  const args = etcdArgsFromManifest((await node.readText('/etc/kubernetes/manifests/etcd.yaml')) ?? '') ?? []
  return dataDir ? args.map((a) => (a.startsWith('--data-dir=') ? `--data-dir=${dataDir}` : a)) : args
}

function memberOn(cluster: SimCluster, node: SimNode): EtcdProcess {
  const p = [...etcdRuntime(cluster).processes].find((x) => x.node === node && x.status === 'running')
  if (!p) throw new Error(`no etcd on ${node.name}`)
  return p
}

async function restart(cluster: SimCluster, node: SimNode, dataDir?: string): Promise<EtcdProcess> {
  const old = [...etcdRuntime(cluster).processes].find((x) => x.node === node && x.status === 'running')
  if (old) await old.stop()
  const p = startEtcd({ node, args: await argsOf(node, dataDir) })
  await p.ready
  return p
}

describe('three stacked etcd members', () => {
  test('one cluster, quorum, partial and consistent restore', async () => {
    const cluster = await createSimCluster(
      { controlPlanes: 3, kubernetes: '1.34' },
      { ...ETCD_ONLY, clock: new VirtualClock() },
    )
    const [n1, n2, n3] = cluster.nodes as [SimNode, SimNode, SimNode]
    try {
      const list = await n1.exec(`${E} member list`)
      expect(list.exitCode).toBe(0)
      const rows = list.stdout.trim().split('\n')
      expect(rows).toHaveLength(3)
      // The init node's ID is deterministic; joined members' IDs carry a timestamp (the
      // cluster's creation time), so where the init node sorts among them varies.
      expect(rows).toContain(
        '264d7b068180479b, started, controlplane, https://172.30.1.2:2380, https://172.30.1.2:2379, false',
      )
      const status = await n1.exec(`${E} endpoint status --cluster`)
      expect(status.stdout.split('\n').filter((l) => l.includes(', true, false, ')).length).toBe(1)
      expect(status.stdout).toContain(
        'https://172.30.1.2:2379, 264d7b068180479b, 3.6.4, 3.6.0, 20 kB, 16 kB, 20%, 0 B, true',
      )

      expect((await n1.exec(`${E} put /before 1`)).stdout).toBe('OK\n')
      expect((await n3.exec(`${E} get /before --print-value-only`)).stdout).toBe('1\n')

      // Two of three down: no leader, writes time out, health fails.
      await memberOn(cluster, n2).stop()
      await memberOn(cluster, n3).stop()
      const t0 = cluster.clock.now()
      const put = await n1.exec(`${E} put /x 1`)
      expect(put).toMatchObject({ exitCode: 1, stderr: 'Error: context deadline exceeded\n' })
      expect(cluster.clock.now() - t0).toBe(5000)
      const health = await n1.exec(`${E} endpoint health`)
      expect(health.exitCode).toBe(1)
      expect(health.stderr).toContain('is unhealthy: failed to commit proposal: context deadline exceeded')
      await restart(cluster, n2)
      await restart(cluster, n3)
      expect((await n1.exec(`${E} endpoint health --cluster`)).exitCode).toBe(0)

      expect((await n1.exec(`${E} snapshot save /opt/snap.db`)).exitCode).toBe(0)
      expect((await n2.exec(`${E} put /after 1`)).exitCode).toBe(0)
      const peers =
        'controlplane=https://172.30.1.2:2380,controlplane2=https://172.30.1.3:2380,controlplane3=https://172.30.1.4:2380'
      for (const n of [n2, n3]) {
        const r = await n1.exec(`cat /opt/snap.db > /dev/null`)
        expect(r.exitCode).toBe(0)
        await n.fs.writeFile('/opt/snap.db', await n1.fs.readFileBuffer('/opt/snap.db'))
      }
      const restoreOn = (n: SimNode, name: string, ip: string) =>
        n.exec(
          `etcdutl snapshot restore /opt/snap.db --data-dir /var/lib/etcd-restored --name ${name} --initial-cluster ${peers} --initial-advertise-peer-urls https://${ip}:2380`,
        )

      // Restore on the first member only: a new cluster ID, alone without quorum.
      expect((await restoreOn(n1, 'controlplane', '172.30.1.2')).exitCode).toBe(0)
      const lone = await restart(cluster, n1, '/var/lib/etcd-restored')
      expect(lone.clusterId.toString(16)).not.toBe(memberOn(cluster, n2).clusterId.toString(16))
      const get = await n1.exec(`${E} get /before`)
      expect(get.exitCode).toBe(1)
      expect(memberOn(cluster, n2).logs().join('\n')).toContain('request cluster ID mismatch')

      // Restore on all three from the same snapshot: one cluster again, pre-snapshot data only.
      expect((await restoreOn(n2, 'controlplane2', '172.30.1.3')).exitCode).toBe(0)
      expect((await restoreOn(n3, 'controlplane3', '172.30.1.4')).exitCode).toBe(0)
      await restart(cluster, n2, '/var/lib/etcd-restored')
      await restart(cluster, n3, '/var/lib/etcd-restored')
      const ids = [n1, n2, n3].map((n) => memberOn(cluster, n).clusterId)
      expect(new Set(ids).size).toBe(1)
      expect((await n3.exec(`${E} get /before --print-value-only`)).stdout).toBe('1\n')
      expect((await n3.exec(`${E} get /after`)).stdout).toBe('')
      const after = await n1.exec(`${E} member list -w table`)
      expect(after.stdout.match(/started/g)).toHaveLength(3)
      const st = await n1.exec(`${E} endpoint status --cluster`)
      expect(st.stdout.split('\n').filter((l) => l.includes(', true, false, ')).length).toBe(1)
    } finally {
      await cluster.dispose()
    }
  })
})

describe('snapshot save without certificates', () => {
  test('hangs until interrupted; the .part file stays as after a real Ctrl-C', async () => {
    const cluster = await createSimCluster(
      { controlPlanes: 1, kubernetes: '1.31' },
      { ...ETCD_ONLY, clock: new VirtualClock() },
    )
    try {
      const node = cluster.nodes[0] as SimNode
      const r = await node.exec('etcdctl --endpoints=https://127.0.0.1:2379 snapshot save /opt/h.db', {
        timeoutMs: 200,
      })
      expect(r.timedOut).toBe(true)
      expect((await node.exec('ls /opt')).stdout).toBe('h.db.part\n')
      const t = await node.exec(
        'etcdctl --endpoints=https://127.0.0.1:2379 --command-timeout=2s snapshot save /opt/h.db',
      )
      expect(t.exitCode).toBe(5)
      expect(t.stderr).toMatch(/created temporary db file[\s\S]*\nError: context deadline exceeded\n$/)
    } finally {
      await cluster.dispose()
    }
  })
})

describe('data on disk', () => {
  test('the member writes its db as it changes; a deleted data dir does not come back', async () => {
    const cluster = await createSimCluster(
      { controlPlanes: 1, kubernetes: '1.20' },
      { ...ETCD_ONLY, clock: new VirtualClock() },
    )
    try {
      const node = cluster.nodes[0] as SimNode
      const before = await node.fs.readFileBuffer('/var/lib/etcd/member/snap/db')
      expect(before.length).toBe(20480)
      expect((await node.exec(`${E} put /k v`)).exitCode).toBe(0)
      const after = await node.fs.readFileBuffer('/var/lib/etcd/member/snap/db')
      expect(after).not.toEqual(before)
      const status = await node.exec('etcdctl snapshot status /var/lib/etcd/member/snap/db')
      expect(status.stdout).toMatch(/^[0-9a-f]+, 2, \d+, 20 kB\n$/)
      await node.exec('rm -rf /var/lib/etcd')
      expect((await node.exec(`${E} put /k2 v`)).exitCode).toBe(0)
      expect(await node.fs.exists('/var/lib/etcd')).toBe(false)
      // Still serving from memory, as a real member with open files would.
      expect((await node.exec(`${E} get /k2 --print-value-only`)).stdout).toBe('v\n')
    } finally {
      await cluster.dispose()
    }
  })
})

describe('move-leader', () => {
  // Texts and exit codes as etcdctl 3.4.23 and 3.5.16 print them (captured against a real member);
  // "no leader endpoint given" and the hand-over on three members follow move_leader_command.go.
  test.each(['1.20', '1.31'])(
    'hands leadership to another member, refuses what etcdctl refuses (%s)',
    async (k) => {
      const cluster = await createSimCluster(
        { controlPlanes: 3, kubernetes: k as '1.20' },
        { ...ETCD_ONLY, clock: new VirtualClock() },
      )
      const [n1] = cluster.nodes as [SimNode]
      const ALL = `${E.replace('--endpoints=https://127.0.0.1:2379', '--endpoints=https://172.30.1.2:2379,https://172.30.1.3:2379,https://172.30.1.4:2379')}`
      try {
        const local = memberOn(cluster, n1)
        const leaderBefore = local.group?.leader
        expect(leaderBefore).toBe(local)
        const other = [...etcdRuntime(cluster).processes].find((p) => p !== local && p.status === 'running')!
        const id = other.memberId.toString(16)
        expect(await n1.exec(`${E} move-leader`)).toMatchObject({
          exitCode: 128,
          stderr: 'Error: move-leader command needs 1 argument\n',
        })
        expect(await n1.exec(`${E} move-leader zz`)).toMatchObject({
          exitCode: 128,
          stderr: 'Error: strconv.ParseUint: parsing "zz": invalid syntax\n',
        })
        const bad = await n1.exec(`${E} move-leader 1234`)
        expect(bad.exitCode).toBe(1)
        expect(bad.stderr).toMatch(
          /desc = etcdserver: bad leader transferee"}\nError: etcdserver: bad leader transferee\n$/,
        )
        const moved = await n1.exec(`${E} move-leader ${id}`)
        expect(moved).toMatchObject({
          exitCode: 0,
          stdout: `Leadership transferred from ${local.memberId.toString(16)} to ${id}\n`,
        })
        expect(local.group?.leader).toBe(other)
        // The local endpoint alone no longer leads: etcdctl finds no leader among the endpoints given.
        expect(await n1.exec(`${E} move-leader ${local.memberId.toString(16)}`)).toMatchObject({
          exitCode: 128,
          stderr: 'Error: no leader endpoint given at [https://127.0.0.1:2379]\n',
        })
        // With every endpoint, the leader is found and hands leadership back.
        expect((await n1.exec(`${ALL} move-leader ${local.memberId.toString(16)}`)).exitCode).toBe(0)
        expect(local.group?.leader).toBe(local)
      } finally {
        await cluster.dispose()
      }
    },
  )
})
