// etcd's limits on the simulated 1.31 node, held to what the real etcd 3.5.16
// answered (test/conformance/etcd35/golden/real-etcd-3.5.16-limits.json, made
// by test/conformance/etcd35/probe-limits.ts): a request over
// --max-request-bytes, one over the client's 2 MiB send limit, and writes past
// the backend quota, which raise the NOSPACE alarm until it is disarmed. A
// refused write is never answered OK and is not kept.
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
// The whole simulated node: its kubelet restarts etcd when the manifest changes.
import { createSimCluster, standardParts, VirtualClock } from '../../simulator/src/sim/index'

const PKI = '/etc/kubernetes/pki'
const E = `etcdctl --endpoints=https://127.0.0.1:2379 --cacert=${PKI}/etcd/ca.crt --cert=${PKI}/etcd/server.crt --key=${PKI}/etcd/server.key`
const MANIFEST = '/etc/kubernetes/manifests/etcd.yaml'
/** A value of n bytes on stdin (one argument may not exceed 128 KiB on a real shell either). */
const fill = (n: number, ch = 'a') => `printf '%${n}s' '' | tr ' ' ${ch}`
const RETRY =
  /^\{"level":"warn","ts":"[^"]+","logger":"etcd-client","caller":"v3\/retry_interceptor.go:63","msg":"retrying of unary invoker failed","target":"etcd-endpoints:\/\/0x[0-9a-f]+\/127.0.0.1:2379","attempt":0,"error":"rpc error: code = (\w+) desc = ([^"]+)"\}$/

describe('etcd limits on the 1.31 profile (etcd 3.5)', () => {
  let cluster: Awaited<ReturnType<typeof createSimCluster>>
  const run = async (cmd: string) => cluster.nodes[0]!.exec(cmd, { timeoutMs: 30_000 })

  beforeAll(async () => {
    cluster = await createSimCluster(
      { controlPlanes: 1, kubernetes: '1.31' },
      { ...standardParts(), clock: new VirtualClock(), seed: 'limits' },
    )
    await cluster.settle(60_000)
  }, 60_000)
  afterAll(async () => {
    await cluster?.dispose()
  })

  test('a value over --max-request-bytes (1.5 MiB) is refused by the member and not kept', async () => {
    const r = await run(`${fill(1_600_000)} | ${E} put big`)
    expect(r.exitCode).toBe(1)
    expect(r.stdout).toBe('')
    const [log, err] = r.stderr.split('\n')
    expect(RETRY.exec(log!)?.slice(1)).toEqual(['InvalidArgument', 'etcdserver: request is too large'])
    expect(err).toBe('Error: etcdserver: request is too large')
    expect((await run(`${E} get big`)).stdout).toBe('')
  })

  test('a value over the client send limit (2 MiB) is refused by etcdctl with the gRPC status', async () => {
    const r = await run(`${fill(3_000_000)} | ${E} put huge`)
    expect(r.exitCode).toBe(1)
    const [log, err] = r.stderr.split('\n')
    const msg = 'trying to send message larger than max (3000011 vs. 2097152)'
    expect(RETRY.exec(log!)?.slice(1)).toEqual(['ResourceExhausted', msg])
    expect(err).toBe(`Error: rpc error: code = ResourceExhausted desc = ${msg}`)
  })

  test('past the backend quota: NOSPACE alarm, every write refused, disarm after compaction and defrag', async () => {
    const edit = await run(
      `sed -i 's|    - --trusted-ca-file|    - --quota-backend-bytes=4194304\\n    - --trusted-ca-file|' ${MANIFEST} && grep -c quota-backend-bytes ${MANIFEST}`,
    )
    expect(edit.stdout.trim()).toBe('1')
    await cluster.settle(60_000)
    let refusedAt = 0
    for (let i = 1; i <= 10 && !refusedAt; i++) {
      const r = await run(`${fill(1_000_000, 'b')} | ${E} put k${i}`)
      if (r.exitCode === 0) expect(r.stdout).toBe('OK\n')
      else {
        refusedAt = i
        expect(r.stderr.split('\n')[1]).toBe('Error: etcdserver: mvcc: database space exceeded')
      }
    }
    expect(refusedAt).toBeGreaterThan(1)
    // the refused key is not kept; nothing after it is accepted either
    expect((await run(`${E} get k${refusedAt} --keys-only`)).stdout).toBe('')
    const list = await run(`${E} alarm list`)
    expect(list.stdout).toMatch(/^memberID:\d+ alarm:NOSPACE \n$/)
    const small = await run(`${E} put small x`)
    expect(small.exitCode).toBe(1)
    expect(small.stderr).toContain('Error: etcdserver: mvcc: database space exceeded')
    // free the space, then disarm
    await run(`for i in $(seq 1 ${refusedAt - 1}); do ${E} del k$i; done`)
    const rev = /"revision":(\d+)/.exec((await run(`${E} get x -w json`)).stdout)?.[1]
    expect((await run(`${E} compaction ${rev}`)).exitCode).toBe(0)
    expect((await run(`${E} defrag`)).exitCode).toBe(0)
    const disarm = await run(`${E} alarm disarm`)
    expect(disarm.stdout).toBe(list.stdout)
    expect((await run(`${E} alarm list`)).stdout).toBe('')
    expect((await run(`${E} put small y`)).stdout).toBe('OK\n')
  }, 120_000)
})
