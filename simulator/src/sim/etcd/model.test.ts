import { describe, expect, test } from 'vitest'
import { verifyBootstrap } from './config'
import { goDuration, humanBytes, renderTable } from './format'
import { clusterId, hexId, memberId } from './ids'
import { Keyspace, MIN_DB_SIZE } from './keyspace'
import { checkSnapshotHash, decodeDb, encodeDb, snapshotBytes } from './storage'

describe('ids (reference §3.1)', () => {
  test('default restore gives 8e9e05c52164694d in cluster cdf818194e3a8c32', () => {
    const id = memberId(['http://localhost:2380'], 'etcd-cluster')
    expect(hexId(id)).toBe('8e9e05c52164694d')
    expect(hexId(clusterId([id]))).toBe('cdf818194e3a8c32')
  })
  test('three kind control planes', () => {
    const ids = [2, 3, 4].map((n) => memberId([`https://172.18.0.${n}:2380`], 'etcd-cluster'))
    expect(ids.map(hexId)).toEqual(['e58c878e0e01014', '23da9c3f2594532a', '5320353a7d98bdee'])
    expect(hexId(clusterId(ids))).toBe('8b324b2fe38fca4a')
  })
})

describe('keyspace', () => {
  test('revisions, versions, prefix ranges and deletes', () => {
    const ks = new Keyspace()
    expect(ks.revision).toBe(1)
    ks.put('/a', '1')
    ks.put('/a', 'one')
    ks.put('/b', 'two')
    expect(ks.get('/a')).toMatchObject({ createRevision: 2, modRevision: 3, version: 2 })
    expect(ks.range('/', { prefix: true }).map((kv) => kv.key)).toEqual(['/a', '/b'])
    expect(ks.delete('/missing')).toEqual([])
    expect(ks.revision).toBe(4)
    expect(ks.delete('/', { prefix: true })).toHaveLength(2)
    expect(ks.revision).toBe(5)
    expect(ks.size).toBe(0)
    expect(ks.dbSize()).toBe(MIN_DB_SIZE)
  })
})

describe('storage', () => {
  test('db round trip, page-sized file, snapshot hash', () => {
    const ks = new Keyspace()
    ks.put('/k', 'v')
    const db = encodeDb({ keyspace: ks, term: 2, index: 4 })
    expect(db.length % 4096).toBe(0)
    expect(decodeDb(db).keyspace.get('/k')?.value).toBe('v')
    const snap = snapshotBytes(db)
    expect(checkSnapshotHash(snap)).toEqual({ ok: true })
    expect(checkSnapshotHash(db)).toEqual({
      ok: false,
      error: 'snapshot missing hash but --skip-hash-check=false',
    })
    const broken = db.slice()
    broken[100] = (broken[100] ?? 0) ^ 0xff
    expect(() => decodeDb(broken)).toThrow()
  })
})

describe('format', () => {
  test('humanize, durations, tables', () => {
    expect(humanBytes(20480)).toBe('20 kB')
    expect(humanBytes(5_800_000)).toBe('5.8 MB')
    expect(humanBytes(2147483648)).toBe('2.1 GB')
    expect(goDuration(8.020174)).toBe('8.020174ms')
    expect(renderTable(['a'], [['xx']])).toBe('+----+\n| A  |\n+----+\n| xx |\n+----+\n')
  })
  test('bootstrap checks', () => {
    expect(
      verifyBootstrap({
        name: 'master',
        initialCluster: 'cp=https://10.0.0.5:2380',
        initialAdvertisePeerUrls: ['https://10.0.0.5:2380'],
      }),
    ).toBe(`couldn't find local name "master" in the initial cluster configuration`)
  })
})
