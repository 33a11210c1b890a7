import { describe, expect, test } from 'vitest'
import { contextFrom, normalizeOutput, normalizeText, renderTable, TABLE_LAYOUT_MARK } from './normalize'
import { diffLines, formatReport } from './report'
import type { ScriptVars } from './script'

const REAL_VARS: ScriptVars = {
  PKI: '/tmp/ckalab-etcd34-AbC123/pki',
  EP: 'https://127.0.0.1:38825',
  EP_HTTP: 'http://127.0.0.1:38825',
  EP_BARE: '127.0.0.1:38825',
  NODE_EP: 'https://127.0.0.2:38825',
  DEAD_EP: 'https://127.0.0.1:39171',
  WORK: '/tmp/ckalab-etcd34-AbC123/work',
}
const SIM_VARS: ScriptVars = {
  PKI: '/etc/kubernetes/pki',
  EP: 'https://127.0.0.1:2379',
  EP_HTTP: 'http://127.0.0.1:2379',
  EP_BARE: '127.0.0.1:2379',
  NODE_EP: 'https://172.30.1.2:2379',
  DEAD_EP: 'https://127.0.0.1:2399',
  WORK: '/root/conformance',
}

// 12424503891963999869 = 0xac6cb4763ef8f67d; 13542283426407675205 = 0xbbefdb06b6b07545
const REAL_MEMBERS =
  '{"header":{"cluster_id":13542283426407675205,"member_id":12424503891963999869,"raft_term":2},' +
  '"members":[{"ID":12424503891963999869,"name":"controlplane","peerURLs":["https://127.0.0.2:34043"],' +
  '"clientURLs":["https://127.0.0.2:38825"]}]}\n'
// 16608331203232579604 = 0xe67ca53c10b6c014; 1067155211880448268 = 0xecf4c02dc57410c (15 hex digits)
const SIM_MEMBERS =
  '{"header":{"cluster_id":16608331203232579604,"member_id":1067155211880448268,"raft_term":3},' +
  '"members":[{"ID":1067155211880448268,"name":"controlplane","peerURLs":["https://172.30.1.2:2380"],' +
  '"clientURLs":["https://172.30.1.2:2379"]}]}\n'

const real = contextFrom(REAL_VARS, REAL_MEMBERS)
const sim = contextFrom(SIM_VARS, SIM_MEMBERS)

describe('contextFrom', () => {
  test('reads the uint64 IDs digit by digit and gives their %x form', () => {
    expect(real.memberId).toEqual({ dec: '12424503891963999869', hex: 'ac6cb4763ef8f67d' })
    expect(real.clusterId).toEqual({ dec: '13542283426407675205', hex: 'bbefdb06b6b07545' })
    expect(sim.memberId?.hex).toBe('ecf4c02dc57410c')
    expect(real.nodeIp).toBe('127.0.0.2')
    expect(real.peerPort).toBe('34043')
  })

  test('without a member list there is no identity, and nothing crashes', () => {
    const ctx = contextFrom(SIM_VARS, 'Error: context deadline exceeded')
    expect(ctx.memberId).toBeUndefined()
    expect(normalizeText('ecf4c02dc57410c, started', ctx)).toBe('ecf4c02dc57410c, started')
  })
})

describe('normalizeText', () => {
  test('member list rows from both sides meet', () => {
    const r = normalizeText(
      'ac6cb4763ef8f67d, started, controlplane, https://127.0.0.2:34043, https://127.0.0.2:38825, false\n',
      real,
    )
    const s = normalizeText(
      'ecf4c02dc57410c, started, controlplane, https://172.30.1.2:2380, https://172.30.1.2:2379, false\n',
      sim,
    )
    expect(r).toBe(
      '<MEMBER_ID>, started, controlplane, https://<NODE_IP>:2380, https://<NODE_IP>:2379, false\n',
    )
    expect(s).toBe(r)
  })

  test('keeps what must match exactly: names, flags, words, deterministic restore IDs', () => {
    const line =
      '{"level":"info","ts":1795470129.957823,"caller":"membership/cluster.go:392","msg":"added member",' +
      '"cluster-id":"cdf818194e3a8c32","local-member-id":"0","added-peer-id":"8e9e05c52164694d",' +
      '"added-peer-peer-urls":["http://localhost:2380"]}'
    expect(normalizeText(line, real)).toBe(line.replace('1795470129.957823', '<TS>'))
    expect(normalizeText('Error: data-dir "/root/conformance/restored" exists', sim)).toBe(
      'Error: data-dir "$WORK/restored" exists',
    )
    expect(normalizeText('Error: context deadline exceeded', sim)).toBe('Error: context deadline exceeded')
  })

  test('timestamps: float and ISO zap ts, capnslog prefix', () => {
    expect(normalizeText('{"level":"info","ts":1795470127.1872551,"caller":"x"}', real)).toBe(
      '{"level":"info","ts":<TS>,"caller":"x"}',
    )
    expect(normalizeText('{"level":"warn","ts":"2026-11-23T21:42:00.903Z","caller":"x"}', real)).toBe(
      '{"level":"warn","ts":"<TIME>","caller":"x"}',
    )
    expect(
      normalizeText(
        '2026-11-23 21:42:22.372980 W | pkg/flags: unrecognized environment variable ETCDCTL_FOO=bar',
        real,
      ),
    ).toBe('<TIME> W | pkg/flags: unrecognized environment variable ETCDCTL_FOO=bar')
  })

  test('durations, sizes, the client uuid, the patch version', () => {
    expect(
      normalizeText(
        'https://127.0.0.1:38825 is healthy: successfully committed proposal: took = 61.424049ms',
        real,
      ),
    ).toBe('https://127.0.0.1:2379 is healthy: successfully committed proposal: took = <DURATION>')
    expect(normalizeText('took = 1.5s', sim)).toBe('took = <DURATION>')
    expect(normalizeText('"size":"20 kB","took":0.014580713}', real)).toBe(
      '"size":"<SIZE>","took":<SECONDS>}',
    )
    expect(normalizeText('[{"endpoint":"x","health":true,"took":"37.177053ms"}]', real)).toBe(
      '[{"endpoint":"x","health":true,"took":"<DURATION>"}]',
    )
    expect(
      normalizeText(
        '"target":"endpoint://client-e52f16f8-6467-4c68-a7c5-692029b8e938/127.0.0.1:38825"',
        real,
      ),
    ).toBe('"target":"endpoint://client-<UUID>/127.0.0.1:2379"')
    expect(normalizeText('etcdctl version: 3.4.23\nAPI version: 3.4', real)).toBe(
      'etcdctl version: 3.4.X\nAPI version: 3.4',
    )
    expect(normalizeText('etcdctl version: 3.4.13', sim)).toBe('etcdctl version: 3.4.X')
    expect(normalizeText('5.8 MB and 7 B', sim)).toBe('<SIZE> and <SIZE>')
  })

  test('the dead endpoint and paths become names, longest path first', () => {
    expect(normalizeText('dial tcp 127.0.0.1:39171: connect: connection refused', real)).toBe(
      'dial tcp 127.0.0.1:<DEAD_PORT>: connect: connection refused',
    )
    expect(normalizeText('Error: open /tmp/ckalab-etcd34-AbC123/pki/etcd/nope.crt: no such file', real)).toBe(
      'Error: open $PKI/etcd/nope.crt: no such file',
    )
    expect(normalizeText('Snapshot saved at /root/conformance/snap.db', sim)).toBe(
      'Snapshot saved at $WORK/snap.db',
    )
  })

  test('counters in JSON and in simple rows are masked, key versions are not', () => {
    expect(
      normalizeText(
        '{"header":{"cluster_id":13542283426407675205,"member_id":12424503891963999869,"revision":5,"raft_term":2},' +
          '"kvs":[{"key":"L2E=","create_revision":2,"mod_revision":3,"version":2,"value":"b25l"}],"count":1}',
        real,
      ),
    ).toBe(
      '{"header":{"cluster_id":<CLUSTER_ID>,"member_id":<MEMBER_ID>,"revision":<N>,"raft_term":<N>},' +
        '"kvs":[{"key":"L2E=","create_revision":<N>,"mod_revision":<N>,"version":2,"value":"b25l"}],"count":1}',
    )
    expect(
      normalizeText('https://127.0.0.1:38825, ac6cb4763ef8f67d, 3.4.23, 20 kB, true, false, 2, 4, 4, ', real),
    ).toBe('https://127.0.0.1:2379, <MEMBER_ID>, 3.4.X, <SIZE>, true, false, <TERM>, <INDEX>, <INDEX>, ')
    expect(normalizeText('78a8382, 8, 12, 20 kB', real)).toBe('<HASH>, <REV>, <KEYS>, <SIZE>')
    expect(normalizeText('{"hash":126518146,"revision":8,"totalKey":12,"totalSize":20480}', real)).toBe(
      '{"hash":<N>,"revision":<N>,"totalKey":<N>,"totalSize":<N>}',
    )
  })

  test('does not touch numbers that only look alike', () => {
    expect(normalizeText('IP 127.0.0.20 and 10.0.0.5:2380', real)).toBe('IP 127.0.0.20 and 10.0.0.5:2380')
    expect(normalizeText('version 3.4.23.1', real)).toBe('version 3.4.23.1')
  })
})

describe('tables', () => {
  const realTable = [
    '+-------------------------+------------------+---------+---------+-----------+------------+-----------+------------+--------------------+--------+',
    '|        ENDPOINT         |        ID        | VERSION | DB SIZE | IS LEADER | IS LEARNER | RAFT TERM | RAFT INDEX | RAFT APPLIED INDEX | ERRORS |',
    '+-------------------------+------------------+---------+---------+-----------+------------+-----------+------------+--------------------+--------+',
    '| https://127.0.0.1:38825 | ac6cb4763ef8f67d |  3.4.23 |   20 kB |      true |      false |         2 |          4 |                  4 |        |',
    '+-------------------------+------------------+---------+---------+-----------+------------+-----------+------------+--------------------+--------+',
  ].join('\n')
  const simTable = [
    '+------------------------+-----------------+---------+---------+-----------+------------+-----------+------------+--------------------+--------+',
    '|        ENDPOINT        |       ID        | VERSION | DB SIZE | IS LEADER | IS LEARNER | RAFT TERM | RAFT INDEX | RAFT APPLIED INDEX | ERRORS |',
    '+------------------------+-----------------+---------+---------+-----------+------------+-----------+------------+--------------------+--------+',
    '| https://127.0.0.1:2379 | ecf4c02dc57410c |  3.4.13 |  4.3 MB |      true |      false |         3 |       4210 |               4210 |        |',
    '+------------------------+-----------------+---------+---------+-----------+------------+-----------+------------+--------------------+--------+',
  ].join('\n')

  test('renderTable reproduces etcdctl: centred header with the odd space right, body right-aligned', () => {
    const drawn = renderTable([
      { kind: 'border' },
      { kind: 'row', cells: ['ID', 'STATUS'] },
      { kind: 'border' },
      { kind: 'row', cells: ['ac6cb4763ef8f67d', 'started'] },
      { kind: 'border' },
    ])
    expect(drawn).toEqual([
      '+------------------+---------+',
      '|        ID        | STATUS  |',
      '+------------------+---------+',
      '| ac6cb4763ef8f67d | started |',
      '+------------------+---------+',
    ])
  })

  test('two well-drawn tables with different widths meet after normalization', () => {
    const r = normalizeText(realTable, real)
    expect(r).not.toContain(TABLE_LAYOUT_MARK)
    expect(r).toContain('| https://127.0.0.1:2379 | <MEMBER_ID> |   3.4.X |  <SIZE> |')
    expect(normalizeText(simTable, sim)).toBe(r)
  })

  test('a badly drawn table is marked and not redrawn, so the difference shows', () => {
    const leftAligned = simTable.replace('|  3.4.13 |', '| 3.4.13  |')
    const out = normalizeText(leftAligned, sim)
    expect(out.split('\n')[0]).toBe(TABLE_LAYOUT_MARK)
    expect(out).not.toBe(normalizeText(realTable, real))
  })
})

describe('normalizeOutput and the report', () => {
  test('exit codes are kept as they are', () => {
    expect(normalizeOutput({ stdout: '', stderr: '', exitCode: 128 }, sim).exitCode).toBe(128)
  })

  test('diffLines marks removed and added lines around common ones', () => {
    expect(diffLines('a\nb\nc', 'a\nx\nc')).toEqual(['  a', '- b', '+ x', '  c'])
    expect(diffLines('', 'new')).toEqual(['- ', '+ new'])
  })

  test('formatReport names the differing cases and shows exit codes and streams', () => {
    const text = formatReport(
      [
        {
          id: 'same',
          line: 'true',
          expected: { stdout: '', stderr: '', exitCode: 0 },
          actual: { stdout: '', stderr: '', exitCode: 0 },
        },
        {
          id: 'tls-no-certs',
          line: 'etcdctl member list',
          expected: { stdout: '', stderr: 'Error: context deadline exceeded\n', exitCode: 1 },
          actual: { stdout: 'x\n', stderr: '', exitCode: 0 },
        },
      ],
      { expected: 'real', actual: 'sim' },
    )
    expect(text).toContain('1 of 2 cases differ: tls-no-certs')
    expect(text).toContain('exit code: real 1, sim 0')
    expect(text).toContain('- Error: context deadline exceeded')
    expect(text).toContain('+ x')
    expect(formatReport([], { expected: 'a', actual: 'b' })).toBe('all 0 cases agree')
  })
})

describe('etcd 3.5 texts', () => {
  const ctx = contextFrom(REAL_VARS, REAL_MEMBERS)
  const line = (err: string) =>
    `{"level":"warn","ts":"2026-12-03T10:08:44.141238Z","logger":"etcd-client","caller":"v3/retry_interceptor.go:63","msg":"retrying of unary invoker failed","target":"etcd-endpoints://0xc000245c20/127.0.0.1:38825","attempt":0,"error":"rpc error: code = DeadlineExceeded desc = latest balancer error: last connection error: ${err}"}`

  test('the refused client certificate reads the same whether the alert or the broken pipe came first', () => {
    const alert = normalizeText(
      line(
        'connection error: desc = \\"error reading server preface: remote error: tls: certificate required\\"',
      ),
      ctx,
    )
    const pipe = normalizeText(line('write tcp 127.0.0.1:50744->127.0.0.1:38825: write: broken pipe'), ctx)
    expect(pipe).toBe(alert)
    expect(alert).toContain('etcd-endpoints://<PTR>/127.0.0.1:2379')
    // other connection errors stay as they are
    const refused = normalizeText(
      line(
        'connection error: desc = \\"transport: Error while dialing: dial tcp 127.0.0.1:39171: connect: connection refused\\"',
      ),
      ctx,
    )
    expect(refused).toContain(
      'Error while dialing: dial tcp 127.0.0.1:<DEAD_PORT>: connect: connection refused',
    )
  })

  test("etcdutl's console timestamps are masked", () => {
    expect(
      normalizeText('2026-12-03T10:08:39Z\tinfo\tsnapshot/v3_snapshot.go:265\trestoring snapshot', ctx),
    ).toBe('<TIME>\tinfo\tsnapshot/v3_snapshot.go:265\trestoring snapshot')
  })
})

describe('endpoint health with several endpoints', () => {
  test('answers in either order compare equal; other lines keep their place', () => {
    const ctx = contextFrom(SIM_VARS)
    const a =
      'https://127.0.0.1:2379 is healthy: successfully committed proposal: took = 1ms\nhttps://172.30.1.2:2379 is healthy: successfully committed proposal: took = 2ms\n'
    const b =
      'https://172.30.1.2:2379 is healthy: successfully committed proposal: took = 2ms\nhttps://127.0.0.1:2379 is healthy: successfully committed proposal: took = 1ms\n'
    const n = (t: string) => normalizeOutput({ stdout: t, stderr: '', exitCode: 0 }, ctx).stdout
    expect(n(a)).toBe(n(b))
    expect(n(`x\n${a}`)).not.toBe(n(`${a}x\n`))
  })
})
