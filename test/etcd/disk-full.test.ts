// A full node disk under the simulated etcd (1.31 profile, etcd 3.5), held to
// what the real etcd 3.5.16 did on a full tmpfs
// (test/conformance/etcd35/golden/real-etcd-3.5.16-disk-full.txt): the member
// logs a fatal "failed to commit tx … no space left on device" and exits; no
// write is answered OK that a restart would not find; with space again the
// member starts and every acknowledged key is there. And the NOSPACE alarm is
// kept in the db, so it is still raised after a restart, as the real member
// showed (real-etcd-3.5.16-nospace-restart.txt).
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createSimCluster, standardParts, VirtualClock } from '../../simulator/src/sim/index'

const PKI = '/etc/kubernetes/pki'
const E = `etcdctl --endpoints=https://127.0.0.1:2379 --cacert=${PKI}/etcd/ca.crt --cert=${PKI}/etcd/server.crt --key=${PKI}/etcd/server.key`
const MANIFEST = '/etc/kubernetes/manifests/etcd.yaml'
const fill = (n: number, ch = 'a') => `printf '%${n}s' '' | tr ' ' ${ch}`

describe('etcd on a full node disk (1.31 profile)', () => {
  let cluster: Awaited<ReturnType<typeof createSimCluster>>
  const run = async (cmd: string) => cluster.nodes[0]!.exec(cmd, { timeoutMs: 30_000 })

  beforeAll(async () => {
    cluster = await createSimCluster(
      { controlPlanes: 1, kubernetes: '1.31' },
      { ...standardParts(), clock: new VirtualClock(), seed: 'disk-full' },
    )
    await cluster.settle(60_000)
  }, 60_000)
  afterAll(async () => {
    await cluster?.dispose()
  })

  test('the member dies with the fatal log line, no OK for what is not kept, every acknowledged key after a restart', async () => {
    expect((await run(`${E} put before-fill kept`)).stdout).toBe('OK\n')
    // fill the disk until a write fails, leaving less room than the next db write needs
    for (let i = 0; i < 20; i++) {
      const r = await run(`printf '%8000000s' '' > /var/tmp/fill-${i}`)
      if (r.exitCode !== 0) break
    }
    const acknowledged: string[] = []
    let refused: { key: string; stderr: string } | undefined
    for (let i = 0; i < 20 && !refused; i++) {
      const r = await run(`${fill(400_000, 'v')} | ${E} put k${i}`)
      if (r.exitCode === 0) {
        expect(r.stdout).toBe('OK\n')
        acknowledged.push(`k${i}`)
      } else refused = { key: `k${i}`, stderr: r.stderr }
    }
    expect(refused, 'a put on a full disk must fail').toBeDefined()
    expect(refused!.stderr).toMatch(/Error: context deadline exceeded\n$/)
    const logs = await run(
      `for id in $(crictl ps -a --name etcd -q); do crictl logs $id 2>&1; done | grep '"level":"fatal"'; crictl ps -a --name etcd`,
    )
    expect(logs.stdout).toContain('"msg":"failed to commit tx"')
    expect(logs.stdout).toContain('/var/lib/etcd/member/snap/db: no space left on device')
    // room again: the kubelet restarts the member, the acknowledged keys are all there, the refused one is not
    await run('rm -f /var/tmp/fill-*')
    await cluster.settle(120_000)
    const keys = (await run(`${E} get --prefix '' --keys-only`)).stdout.split('\n').filter(Boolean)
    for (const k of ['before-fill', ...acknowledged]) expect(keys).toContain(k)
    expect(keys).not.toContain(refused!.key)
  }, 400_000)

  test('the NOSPACE alarm is still raised after the member restarts', async () => {
    await run('rm -f /var/tmp/fill-*')
    await run(
      `sed -i 's|    - --trusted-ca-file|    - --quota-backend-bytes=4194304\\n    - --trusted-ca-file|' ${MANIFEST}`,
    )
    await cluster.settle(60_000)
    for (let i = 0; i < 10; i++) {
      const r = await run(`${fill(1_000_000, 'b')} | ${E} put q${i}`)
      if (r.exitCode !== 0) break
    }
    const before = (await run(`${E} alarm list`)).stdout
    expect(before).toMatch(/^memberID:\d+ alarm:NOSPACE \n$/)
    // restart the member: the kubelet stops it when the manifest leaves and starts it when it is back
    await run(`mv ${MANIFEST} /root/etcd.yaml`)
    await cluster.settle(60_000)
    expect((await run('crictl ps --name etcd -q')).stdout, 'etcd must be stopped in between').toBe('')
    await run(`mv /root/etcd.yaml ${MANIFEST}`)
    await cluster.settle(60_000)
    expect((await run(`${E} alarm list`)).stdout).toBe(before)
    const put = await run(`${E} put small x`)
    expect(put.exitCode).toBe(1)
    expect(put.stderr).toContain('Error: etcdserver: mvcc: database space exceeded')
  }, 180_000)
})
