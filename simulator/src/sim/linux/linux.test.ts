import { describe, expect, test } from 'vitest'
import { humanSize, lsDate } from './format'
import { parseSudo } from './sudo'
import { DEBIAN_GROUP, DEBIAN_PASSWD, findUser, groupsOf, parseGroup, parsePasswd } from './users'

describe('GNU number and date formats', () => {
  test('human sizes round up like ls -h and du -h', () => {
    expect(humanSize(331)).toBe('331')
    expect(humanSize(1675)).toBe('1.7K')
    expect(humanSize(4096)).toBe('4.0K')
    expect(humanSize(5000)).toBe('4.9K')
    expect(humanSize(10_240)).toBe('10K')
    expect(humanSize(64_000_000)).toBe('62M')
    expect(humanSize(1024 * 1024 * 1024 - 1)).toBe('1.0G')
  })

  test('ls shows the time of day for the last six months and the year otherwise', () => {
    const now = Date.UTC(2026, 0, 15, 9, 0)
    expect(lsDate(Date.UTC(2026, 0, 12, 4, 43), now)).toBe('Jan 12 04:43')
    expect(lsDate(Date.UTC(2025, 5, 1, 4, 43), now)).toBe('Jun  1  2025')
    // A file from the future shows its year too.
    expect(lsDate(Date.UTC(2026, 11, 3, 9, 0), now)).toBe('Dec  3  2026')
  })
})

describe('sudo options', () => {
  test('bundled flags, an attached user and the end of options', () => {
    const p = parseSudo(['-Eu', 'nobody', '--', 'ls', '-l'])
    expect(p.ok && p.opts.user).toBe('nobody')
    expect(p.ok && p.opts.preserveEnv).toBe(true)
    expect(p.ok && p.rest).toEqual(['ls', '-l'])
  })

  test('the command starts at the first word that is not an option', () => {
    const p = parseSudo(['ETCDCTL_API=3', 'etcdctl', '-w', 'table'])
    expect(p.ok && p.rest).toEqual(['ETCDCTL_API=3', 'etcdctl', '-w', 'table'])
  })

  test('unknown options and -i with -s are usage errors', () => {
    const bad = parseSudo(['-Z'])
    expect(!bad.ok && bad.result.stderr.split('\n')[0]).toBe("sudo: invalid option -- 'Z'")
    const both = parseSudo(['-i', '-s'])
    expect(!both.ok && both.result.exitCode).toBe(1)
  })
})

describe('users and groups', () => {
  test('Debian 12 base users, no etcd user, numeric look-ups', () => {
    const db = { users: parsePasswd(DEBIAN_PASSWD), groups: parseGroup(DEBIAN_GROUP) }
    expect(findUser(db, 'nobody')?.uid).toBe(65534)
    expect(findUser(db, '33')?.name).toBe('www-data')
    expect(findUser(db, 'etcd')).toBeUndefined()
    const nobody = findUser(db, 'nobody')
    expect(nobody && groupsOf(db, nobody)).toEqual([65534])
  })
})
