import { describe, expect, test } from 'vitest'
import { PROFILES } from '../profiles'
import { flagsOf, leafCommands, unknownCommand } from './etcdctl-flags'

const names = (id: '1.20' | '1.31' | '1.34', words: string[]) =>
  flagsOf(PROFILES[id], words).map((f) => f.name)

describe("etcdctl's flags per profile", () => {
  test('--max-recv-bytes and --max-request-bytes are 3.6 only (3.5.16 refuses them as unknown flags)', () => {
    expect(names('1.34', [])).toContain('max-recv-bytes')
    expect(names('1.31', [])).not.toContain('max-recv-bytes')
    expect(names('1.20', [])).not.toContain('max-request-bytes')
  })

  test('get --count-only and restore --bump-revision came with 3.5', () => {
    expect(names('1.31', ['get'])).toContain('count-only')
    expect(names('1.20', ['get'])).not.toContain('count-only')
    expect(names('1.31', ['snapshot', 'restore'])).toContain('bump-revision')
    expect(names('1.20', ['snapshot', 'restore'])).not.toContain('bump-revision')
  })

  test('etcdctl 3.6 has no snapshot restore or status', () => {
    expect(leafCommands(PROFILES['1.34']).has('snapshot restore')).toBe(false)
    expect(leafCommands(PROFILES['1.31']).has('snapshot restore')).toBe(true)
  })

  test("cobra's unknown command: error, suggestion, usage hint, error again", () => {
    const r = unknownCommand(PROFILES['1.31'], 'membr', 'etcdctl')
    const msg = 'unknown command "membr" for "etcdctl"\n\nDid you mean this?\n\tmember\n'
    expect(r).toEqual({
      stdout: '',
      stderr: `Error: ${msg}\nRun 'etcdctl --help' for usage.\nError: ${msg}\n`,
      exitCode: 1,
    })
  })
})
