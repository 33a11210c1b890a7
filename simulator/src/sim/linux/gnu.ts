// Small pieces of GNU coreutils' behaviour shared by the file tools.

/**
 * coreutils' quote(): ‘x’ in a UTF-8 locale, 'x' in the C locale. The
 * node's login environment has LANG=C.UTF-8, as a Debian 12 install does.
 */
export function gnuQuote(text: string, env: Record<string, string>): string {
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || ''
  return /utf-?8/i.test(locale) ? `\u2018${text}\u2019` : `'${text}'`
}

/** `Try 'x --help' for more information.` (always ASCII quotes in coreutils 9.1). */
export function tryHelp(cmd: string): string {
  return `Try '${cmd} --help' for more information.\n`
}

export interface ParsedArgs {
  flags: Set<string>
  values: Map<string, string>
  operands: string[]
}

/**
 * getopt_long as coreutils uses it: bundled short flags, `--long[=value]`,
 * `--` ends options, options may follow operands. `short` maps a letter to a
 * canonical name; `long` maps a long name; names in `withValue` take an
 * argument. Returns an error line on an unknown option.
 */
export function parseGnu(
  cmd: string,
  args: string[],
  spec: { short: Record<string, string>; long: Record<string, string>; withValue?: Set<string> },
): ParsedArgs | { error: string } {
  const flags = new Set<string>()
  const values = new Map<string, string>()
  const operands: string[] = []
  const withValue = spec.withValue ?? new Set<string>()
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string
    if (a === '--') {
      operands.push(...args.slice(i + 1))
      break
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=')
      const name = eq < 0 ? a.slice(2) : a.slice(2, eq)
      const matches = Object.keys(spec.long).filter((l) => l === name || l.startsWith(name))
      const exact = matches.find((l) => l === name)
      const key = exact ?? (matches.length === 1 ? matches[0] : undefined)
      if (!key) {
        if (matches.length > 1) return { error: `${cmd}: option '${a}' is ambiguous\n${tryHelp(cmd)}` }
        return { error: `${cmd}: unrecognized option '${a}'\n${tryHelp(cmd)}` }
      }
      const canon = spec.long[key] as string
      if (withValue.has(canon)) {
        let v = eq < 0 ? undefined : a.slice(eq + 1)
        if (v === undefined) {
          v = args[++i]
          if (v === undefined)
            return { error: `${cmd}: option '--${key}' requires an argument\n${tryHelp(cmd)}` }
        }
        values.set(canon, v)
      } else if (eq >= 0) {
        values.set(canon, a.slice(eq + 1))
        flags.add(canon)
      } else flags.add(canon)
      continue
    }
    if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const f = a[j] as string
        const canon = spec.short[f]
        if (!canon) return { error: `${cmd}: invalid option -- '${f}'\n${tryHelp(cmd)}` }
        if (withValue.has(canon)) {
          let v = a.slice(j + 1)
          if (!v) {
            v = args[++i] as string
            if (v === undefined)
              return { error: `${cmd}: option requires an argument -- '${f}'\n${tryHelp(cmd)}` }
          }
          values.set(canon, v)
          break
        }
        flags.add(canon)
      }
      continue
    }
    operands.push(a)
  }
  return { flags, values, operands }
}
