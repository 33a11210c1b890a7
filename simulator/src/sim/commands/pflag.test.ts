import { describe, expect, test } from 'vitest'
import { type CommandTree, type FlagShape, findCommand, PflagError, parseFlags, stripFlags } from './pflag'

interface F {
  name: string
  short?: string
  bool?: boolean
}

const FLAGS: F[] = [
  { name: 'endpoints' },
  { name: 'write-out', short: 'w' },
  { name: 'hex', bool: true },
  { name: 'interactive', short: 'i', bool: true },
  { name: 'tty', short: 't', bool: true },
]

function parse(args: string[]) {
  const set: Array<[string, string]> = []
  const r = parseFlags(args, {
    long: (n) => FLAGS.find((f) => f.name === n),
    short: (c) => FLAGS.find((f) => f.short === c),
    isBool: (f) => !!f.bool,
    set: (f, v) => set.push([f.name, v]),
  })
  return { ...r, set }
}

const SHAPE: FlagShape = {
  noOptDefVal: (n) => FLAGS.some((f) => f.name === n && f.bool),
  shortNoOptDefVal: (c) => FLAGS.some((f) => f.short === c && f.bool),
}

describe('parseFlags (pflag grammar)', () => {
  test('long and short forms, flags among the words, -- ending them', () => {
    const r = parse(['get', '--endpoints', 'a', '-wjson', 'k', '--hex', '-it', '--', '-x'])
    expect(r.positional).toEqual(['get', 'k'])
    expect(r.afterDash).toEqual(['-x'])
    expect(r.set).toEqual([
      ['endpoints', 'a'],
      ['write-out', 'json'],
      ['hex', 'true'],
      ['interactive', 'true'],
      ['tty', 'true'],
    ])
  })

  test('= forms and a boolean given a value', () => {
    expect(parse(['--endpoints=a=b', '-w=table', '-i=false']).set).toEqual([
      ['endpoints', 'a=b'],
      ['write-out', 'table'],
      ['interactive', 'false'],
    ])
  })

  test("pflag's error texts", () => {
    expect(() => parse(['--foo'])).toThrow(new PflagError('unknown flag: --foo'))
    expect(() => parse(['-x'])).toThrow(new PflagError("unknown shorthand flag: 'x' in -x"))
    expect(() => parse(['-ix'])).toThrow(new PflagError("unknown shorthand flag: 'x' in -ix"))
    expect(() => parse(['--endpoints'])).toThrow(new PflagError('flag needs an argument: --endpoints'))
    expect(() => parse(['-w'])).toThrow(new PflagError("flag needs an argument: 'w' in -w"))
  })
})

describe("cobra's command finding", () => {
  test('an unknown flag presumes a value: it swallows the next word', () => {
    expect(stripFlags(['--foo', 'member', 'list'], SHAPE)).toEqual(['list'])
    expect(stripFlags(['--hex', 'member', 'list'], SHAPE)).toEqual(['member', 'list'])
    expect(stripFlags(['--foo=1', 'member', 'list'], SHAPE)).toEqual(['member', 'list'])
  })

  test('a value flag last but one ends the search', () => {
    expect(stripFlags(['get', '--endpoints', 'x'], SHAPE)).toEqual(['get'])
    expect(stripFlags(['--endpoints', 'x', 'get'], SHAPE)).toEqual(['get'])
  })

  const tree: CommandTree = {
    has: (path, w) =>
      path.length === 0 ? ['member', 'get'].includes(w) : path[0] === 'member' && w === 'list',
    shape: () => SHAPE,
  }

  test('descends through subcommands and removes their words', () => {
    expect(findCommand(['--endpoints', 'e', 'member', '-w', 'json', 'list', 'x'], tree)).toEqual({
      path: ['member', 'list'],
      args: ['--endpoints', 'e', '-w', 'json', 'x'],
    })
  })

  test('the first word at the root that names no command is unknown', () => {
    expect(findCommand(['--foo', 'member', 'list'], tree).unknownAtRoot).toBe('list')
    expect(findCommand(['membr', 'list'], tree).unknownAtRoot).toBe('membr')
    expect(findCommand(['member', 'lst'], tree)).toEqual({ path: ['member'], args: ['lst'] })
  })
})
