// kubectl's flags: their types and values over pflag's grammar (shared with
// etcdctl in ../../commands/pflag.ts), with cobra's exact error texts for bad
// flags and values.

import { PflagError, parseFlags } from '../../commands/pflag'

export type FlagType = 'bool' | 'string' | 'int' | 'strings'

export interface FlagSpec {
  name: string
  short?: string
  type: FlagType
}

export type FlagValues = Record<string, string | boolean | number | string[] | undefined>

export interface Parsed {
  flags: FlagValues
  positional: string[]
  /** Arguments after `--` (kubectl exec's command), undefined when there was no `--`. */
  afterDash?: string[]
}

export class FlagError extends Error {}

/** Flags every kubectl command accepts. */
export const GLOBAL_FLAGS: FlagSpec[] = [
  { name: 'namespace', short: 'n', type: 'string' },
  { name: 'kubeconfig', type: 'string' },
  { name: 'context', type: 'string' },
  { name: 'cluster', type: 'string' },
  { name: 'user', type: 'string' },
  { name: 'server', short: 's', type: 'string' },
  { name: 'request-timeout', type: 'string' },
  { name: 'insecure-skip-tls-verify', type: 'bool' },
  { name: 'v', short: 'v', type: 'string' },
  { name: 'help', short: 'h', type: 'bool' },
]

/** How pflag names a flag in its errors: `-r, --replicas` when it has a shorthand, else `--name`. */
function flagDisplay(spec: FlagSpec): string {
  return spec.short ? `-${spec.short}, --${spec.name}` : `--${spec.name}`
}

function parseBool(spec: FlagSpec, v: string): boolean {
  if (/^(1|t|T|TRUE|true|True)$/.test(v)) return true
  if (/^(0|f|F|FALSE|false|False)$/.test(v)) return false
  throw new FlagError(
    `invalid argument "${v}" for "${flagDisplay(spec)}" flag: strconv.ParseBool: parsing "${v}": invalid syntax`,
  )
}

function setValue(flags: FlagValues, spec: FlagSpec, raw: string): void {
  const display = flagDisplay(spec)
  switch (spec.type) {
    case 'bool':
      flags[spec.name] = parseBool(spec, raw)
      return
    case 'int': {
      if (!/^-?\d+$/.test(raw))
        throw new FlagError(
          `invalid argument "${raw}" for "${display}" flag: strconv.ParseInt: parsing "${raw}": invalid syntax`,
        )
      flags[spec.name] = Number.parseInt(raw, 10)
      return
    }
    case 'strings': {
      const prev = (flags[spec.name] as string[] | undefined) ?? []
      flags[spec.name] = [...prev, ...raw.split(',')]
      return
    }
    default:
      flags[spec.name] = raw
  }
}

/** Parse args against the given flags (pflag's grammar); throws FlagError with cobra's message. */
export function parseArgs(args: string[], specs: FlagSpec[]): Parsed {
  const long = new Map(specs.map((s) => [s.name, s]))
  const short = new Map(specs.filter((s) => s.short).map((s) => [s.short as string, s]))
  const flags: FlagValues = {}
  try {
    const r = parseFlags(args, {
      long: (n) => long.get(n),
      short: (c) => short.get(c),
      isBool: (spec) => spec.type === 'bool',
      set: (spec, v) => setValue(flags, spec, v),
    })
    return { flags, positional: r.positional, afterDash: r.afterDash }
  } catch (err) {
    if (err instanceof PflagError) throw new FlagError(err.message)
    throw err
  }
}

/**
 * Find the verb path (e.g. ['config', 'view']) the way cobra does: the first
 * non-flag words, skipping the values of global flags that take one.
 */
export function splitVerb(
  args: string[],
  depth: (path: string[]) => boolean,
): { path: string[]; rest: string[] } {
  const takesValue = new Set<string>()
  for (const f of GLOBAL_FLAGS) {
    if (f.type === 'bool') continue
    takesValue.add(`--${f.name}`)
    if (f.short) takesValue.add(`-${f.short}`)
  }
  const path: string[] = []
  const rest: string[] = []
  let i = 0
  for (; i < args.length; i++) {
    const a = args[i]
    if (a === '--') break
    if (a.startsWith('-')) {
      rest.push(a)
      if (takesValue.has(a) && i + 1 < args.length) rest.push(args[++i])
      continue
    }
    if (depth([...path, a])) {
      path.push(a)
      continue
    }
    break
  }
  rest.push(...args.slice(i))
  return { path, rest }
}
