// pflag-style argument parsing as kubectl (cobra) does it: flags anywhere,
// `--f=v`, `--f v`, `-fv`, `-f v`, grouped short booleans (`-it`), `--`
// ending flags, and cobra's exact error texts for bad flags.

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

/** Parse args against the given flags; throws FlagError with cobra's message. */
export function parseArgs(args: string[], specs: FlagSpec[]): Parsed {
  const long = new Map(specs.map((s) => [s.name, s]))
  const short = new Map(specs.filter((s) => s.short).map((s) => [s.short as string, s]))
  const flags: FlagValues = {}
  const positional: string[] = []
  let afterDash: string[] | undefined
  for (let i = 0; i < args.length; i++) {
    const a = args[i]
    if (a === '--') {
      afterDash = args.slice(i + 1)
      break
    }
    if (a.startsWith('--') && a.length > 2) {
      const eq = a.indexOf('=')
      const name = eq >= 0 ? a.slice(2, eq) : a.slice(2)
      const spec = long.get(name)
      if (!spec) throw new FlagError(`unknown flag: --${name}`)
      if (eq >= 0) setValue(flags, spec, a.slice(eq + 1))
      else if (spec.type === 'bool') flags[spec.name] = true
      else {
        if (i + 1 >= args.length) throw new FlagError(`flag needs an argument: --${name}`)
        setValue(flags, spec, args[++i])
      }
      continue
    }
    if (a.startsWith('-') && a.length > 1) {
      const body = a.slice(1)
      for (let j = 0; j < body.length; j++) {
        const c = body[j]
        const spec = short.get(c)
        if (!spec) throw new FlagError(`unknown shorthand flag: '${c}' in -${body}`)
        const rest = body.slice(j + 1)
        if (spec.type === 'bool') {
          if (rest.startsWith('=')) {
            flags[spec.name] = parseBool(spec, rest.slice(1))
            break
          }
          flags[spec.name] = true
          continue
        }
        if (rest.length > 0) setValue(flags, spec, rest.startsWith('=') ? rest.slice(1) : rest)
        else {
          if (i + 1 >= args.length) throw new FlagError(`flag needs an argument: '${c}' in -${c}`)
          setValue(flags, spec, args[++i])
        }
        break
      }
      continue
    }
    positional.push(a)
  }
  return { flags, positional, afterDash }
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
