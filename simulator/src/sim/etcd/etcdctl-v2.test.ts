import { describe, expect, test } from 'vitest'
import type { SimCommandContext } from '../commands/types'
import { PROFILES } from '../profiles'
import { runV2 } from './etcdctl-v2'

// runV2 reads only the arguments of its context.
const ctx = (args: string[]) => ({ args }) as unknown as SimCommandContext

describe('etcdctl with ETCDCTL_API=2', () => {
  test('--version names API 2 and the release', () => {
    expect(runV2(ctx(['--version']), PROFILES['1.31'])).toEqual({
      stdout: 'etcdctl version: 3.5.15\nAPI version: 2\n',
      stderr: '',
      exitCode: 0,
    })
  })

  test('a v2 command cannot reach a v2 store: exit 4', () => {
    const r = runV2(ctx(['--endpoints', 'https://127.0.0.1:2379', 'ls']), PROFILES['1.20'])
    expect(r.exitCode).toBe(4)
    expect(r.stderr).toMatch(/^Error: {2}client: etcd cluster is unavailable or misconfigured/)
  })

  test('an unknown flag: the usage on stdout, exit 1', () => {
    const r = runV2(ctx(['--cacert=x', 'ls']), PROFILES['1.31'])
    expect(r.exitCode).toBe(1)
    expect(r.stderr).toBe('flag provided but not defined: -cacert\n')
    expect(r.stdout.startsWith('Incorrect Usage. flag provided but not defined: -cacert\n\nNAME:')).toBe(true)
  })
})
