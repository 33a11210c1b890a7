// GNU getopt_long as the everyday tools use it: bundled short options
// (`-tlnp`), values attached or separate (`-n1`, `-n 1`, `--interval=1`),
// `--` ending options, and the exact complaint glibc prints for bad input.

export interface OptSpec {
  /** Short options without a value, e.g. 'hmk'. */
  flags?: string
  /** Short options that take a value, e.g. 'n'. */
  values?: string
  /** Long options: name → the short letter it means (or itself), and whether it takes a value. */
  long?: Record<string, { key: string; value?: boolean }>
  /** Stop at the first operand (watch, nc): later words belong to the command. */
  stopAtOperand?: boolean
}

export interface Parsed {
  opts: Map<string, string | true>
  /** Order in which options appeared, for tools where the last one wins. */
  order: string[]
  operands: string[]
}

export type ParseResult = { ok: true; parsed: Parsed } | { ok: false; error: string }

export function getopt(prog: string, args: string[], spec: OptSpec): ParseResult {
  const opts = new Map<string, string | true>()
  const order: string[] = []
  const operands: string[] = []
  const set = (k: string, v: string | true) => {
    opts.set(k, v)
    order.push(k)
  }
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string
    if (a === '--') {
      operands.push(...args.slice(i + 1))
      break
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=')
      const name = a.slice(2, eq < 0 ? undefined : eq)
      const matches = Object.keys(spec.long ?? {}).filter((l) => l.startsWith(name))
      const exact = matches.includes(name) ? name : matches.length === 1 ? matches[0] : undefined
      if (!exact) {
        if (matches.length > 1) return { ok: false, error: `${prog}: option '${a}' is ambiguous` }
        return { ok: false, error: `${prog}: unrecognized option '${a}'` }
      }
      const def = spec.long?.[exact] as { key: string; value?: boolean }
      if (def.value) {
        if (eq >= 0) set(def.key, a.slice(eq + 1))
        else if (i + 1 < args.length) set(def.key, args[++i] as string)
        else return { ok: false, error: `${prog}: option '--${exact}' requires an argument` }
      } else {
        if (eq >= 0) return { ok: false, error: `${prog}: option '--${exact}' doesn't allow an argument` }
        set(def.key, true)
      }
      continue
    }
    if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const c = a[j] as string
        if (spec.values?.includes(c)) {
          const rest = a.slice(j + 1)
          if (rest) set(c, rest)
          else if (i + 1 < args.length) set(c, args[++i] as string)
          else return { ok: false, error: `${prog}: option requires an argument -- '${c}'` }
          break
        }
        if (spec.flags?.includes(c)) set(c, true)
        else return { ok: false, error: `${prog}: invalid option -- '${c}'` }
      }
      continue
    }
    if (spec.stopAtOperand) {
      operands.push(...args.slice(i))
      break
    }
    operands.push(a)
  }
  return { ok: true, parsed: { opts, order, operands } }
}
