// pflag/cobra-style parsing for etcdctl and etcdutl: `--flag=value`,
// `--flag value`, booleans bare or `=true|false`, short forms (`-w json`,
// `-w=json`, `-wjson`), flags anywhere among the words.

export type FlagType = 'string' | 'bool' | 'duration' | 'int'

export interface FlagDef {
  name: string
  short?: string
  type: FlagType
}

export interface Parsed {
  words: string[]
  values: Map<string, string>
  /** Flags set on the command line (not from defaults or the environment). */
  explicit: Set<string>
  error?: string
}

export function parseArgs(
  args: string[],
  lookup: (name: string, words: string[]) => FlagDef | undefined,
  shortLookup: (s: string, words: string[]) => FlagDef | undefined,
): Parsed {
  const words: string[] = []
  const values = new Map<string, string>()
  const explicit = new Set<string>()
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string
    if (a === '--') {
      words.push(...args.slice(i + 1))
      break
    }
    if (a.startsWith('--') && a.length > 2) {
      const body = a.slice(2)
      const eq = body.indexOf('=')
      const name = eq >= 0 ? body.slice(0, eq) : body
      const def = lookup(name, words)
      if (!def) return { words, values, explicit, error: `unknown flag: --${name}` }
      if (eq >= 0) values.set(def.name, body.slice(eq + 1))
      else if (def.type === 'bool') values.set(def.name, 'true')
      else {
        if (i + 1 >= args.length)
          return { words, values, explicit, error: `flag needs an argument: --${name}` }
        values.set(def.name, args[++i] as string)
      }
      explicit.add(def.name)
      continue
    }
    if (a.startsWith('-') && a.length > 1) {
      const s = a[1] as string
      const def = shortLookup(s, words)
      if (!def) return { words, values, explicit, error: `unknown shorthand flag: '${s}' in ${a}` }
      let rest = a.slice(2)
      if (rest.startsWith('=')) rest = rest.slice(1)
      if (def.type === 'bool') values.set(def.name, rest || 'true')
      else if (rest) values.set(def.name, rest)
      else {
        if (i + 1 >= args.length)
          return { words, values, explicit, error: `flag needs an argument: '${s}' in -${s}` }
        values.set(def.name, args[++i] as string)
      }
      explicit.add(def.name)
      continue
    }
    words.push(a)
  }
  return { words, values, explicit }
}

/** Go's time.ParseDuration for the forms people type (`5s`, `500ms`, `1m30s`). */
export function parseDuration(text: string): number | undefined {
  if (text === '0') return 0
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g
  let total = 0
  let consumed = 0
  for (const m of text.matchAll(re)) {
    if (m.index !== consumed) return undefined
    consumed += m[0].length
    const n = Number(m[1])
    const unit = m[2]
    total +=
      unit === 'h'
        ? n * 3600000
        : unit === 'm'
          ? n * 60000
          : unit === 's'
            ? n * 1000
            : unit === 'ms'
              ? n
              : unit === 'ns'
                ? n / 1e6
                : n / 1000
  }
  return consumed === text.length && consumed > 0 ? total : undefined
}

export function parseBool(v: string | undefined): boolean {
  return v === 'true' || v === '1' || v === 't' || v === 'T' || v === 'TRUE' || v === 'True'
}

/**
 * cobra finds the command before it parses flags: words that are not flags,
 * where a `--flag` without `=` takes the next word as its value unless it is a
 * known boolean. So `etcdutl --data-dir d snapshot restore f` is `snapshot restore`.
 */
export function commandWords(args: string[], isBool: (name: string) => boolean): string[] {
  const words: string[] = []
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string
    if (a === '--') break
    if (a.startsWith('--') && a.length > 2) {
      if (!a.includes('=') && !isBool(a.slice(2))) i++
      continue
    }
    if (a.startsWith('-') && a.length > 1) {
      if (a.length === 2 && !isBool(a.slice(1))) i++
      continue
    }
    words.push(a)
  }
  return words
}

/** `snapshot restore` flags as etcdctl (3.4, 3.5) and etcdutl share them. */
export const RESTORE_FLAGS: FlagDef[] = [
  { name: 'data-dir', type: 'string' },
  { name: 'wal-dir', type: 'string' },
  { name: 'name', type: 'string' },
  { name: 'initial-cluster', type: 'string' },
  { name: 'initial-cluster-token', type: 'string' },
  { name: 'initial-advertise-peer-urls', type: 'string' },
  { name: 'skip-hash-check', type: 'bool' },
  { name: 'bump-revision', type: 'int' },
  { name: 'mark-compacted', type: 'bool' },
]
