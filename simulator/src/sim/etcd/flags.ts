// etcdctl's and etcdutl's flags: their definitions, pflag's grammar over them
// (shared with kubectl in ../commands/pflag.ts), and Go's duration and bool
// forms of their values.

import { type FlagShape, PflagError, parseFlags } from '../commands/pflag'

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

/** pflag's grammar (../commands/pflag.ts) with every value kept as typed. */
export function parseArgs(
  args: string[],
  lookup: (name: string) => FlagDef | undefined,
  shortLookup: (s: string) => FlagDef | undefined,
): Parsed {
  const values = new Map<string, string>()
  const explicit = new Set<string>()
  try {
    const r = parseFlags(args, {
      long: lookup,
      short: shortLookup,
      isBool: (f) => f.type === 'bool',
      set: (f, v) => {
        values.set(f.name, v)
        explicit.add(f.name)
      },
    })
    return { words: [...r.positional, ...(r.afterDash ?? [])], values, explicit }
  } catch (err) {
    if (err instanceof PflagError) return { words: [], values, explicit, error: err.message }
    throw err
  }
}

/** What cobra sees of a flag set while it looks for the command. */
export function shapeOf(flags: FlagDef[]): FlagShape {
  return {
    noOptDefVal: (n) => flags.some((f) => f.name === n && f.type === 'bool'),
    shortNoOptDefVal: (c) => flags.some((f) => f.short === c && f.type === 'bool'),
  }
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
