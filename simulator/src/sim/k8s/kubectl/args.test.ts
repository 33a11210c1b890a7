import { expect, test } from 'vitest'
import { FlagError, type FlagSpec, GLOBAL_FLAGS, parseArgs, splitVerb } from './args'

const specs: FlagSpec[] = [
  ...GLOBAL_FLAGS,
  { name: 'stdin', short: 'i', type: 'bool' },
  { name: 'tty', short: 't', type: 'bool' },
  { name: 'replicas', type: 'int' },
  { name: 'output', short: 'o', type: 'string' },
]

test('long and short forms, values attached or separate, grouped booleans, --', () => {
  const p = parseArgs(
    ['-n', 'kube-system', '-it', 'etcd', '--replicas=3', '-ojson', '--', 'etcdctl', '-w', 'table'],
    specs,
  )
  expect(p.flags).toMatchObject({
    namespace: 'kube-system',
    stdin: true,
    tty: true,
    replicas: 3,
    output: 'json',
  })
  expect(p.positional).toEqual(['etcd'])
  expect(p.afterDash).toEqual(['etcdctl', '-w', 'table'])
})

test("cobra's messages for bad flags", () => {
  expect(() => parseArgs(['--foo'], specs)).toThrow(new FlagError('unknown flag: --foo'))
  expect(() => parseArgs(['-x'], specs)).toThrow(new FlagError("unknown shorthand flag: 'x' in -x"))
  expect(() => parseArgs(['-n'], specs)).toThrow(new FlagError("flag needs an argument: 'n' in -n"))
  expect(() => parseArgs(['--replicas=two'], specs)).toThrow(
    /strconv.ParseInt: parsing "two": invalid syntax/,
  )
})

test('the verb is found past global flags and their values', () => {
  const known = (p: string[]) => ['get', 'config', 'config view'].includes(p.join(' '))
  expect(splitVerb(['-n', 'kube-system', 'get', 'pods'], known)).toEqual({
    path: ['get'],
    rest: ['-n', 'kube-system', 'pods'],
  })
  expect(splitVerb(['config', 'view', '--raw'], known).path).toEqual(['config', 'view'])
})
