// Go-style command lines as spf13/pflag and spf13/cobra read them, shared by
// the simulated Go CLIs (etcdctl, etcdutl, kubectl):
// - parseFlags: pflag's grammar — flags anywhere, `--f=v`, `--f v`, bare
//   booleans, `-f v`, `-fv`, `-f=v`, grouped short booleans (`-it`), `--`
//   ending the flags — with pflag's error texts;
// - findCommand: how cobra finds the command before it parses any flag
//   (stripFlags and argsMinusFirstX), which decides what an unknown flag before
//   the command words swallows.
// Values stay strings here; each tool converts them (and words its own
// conversion errors) through the `set` callback.

export class PflagError extends Error {}

export interface PflagOptions<F> {
  long: (name: string) => F | undefined
  short: (c: string) => F | undefined
  /** A boolean flag: set bare (`--x`, `-x`), never takes the next word. */
  isBool: (flag: F) => boolean
  /** Record a value; may throw PflagError for a value the flag's type refuses. */
  set: (flag: F, value: string) => void
}

export interface PflagResult {
  positional: string[]
  /** The words after `--`, undefined when there was no `--`. */
  afterDash?: string[]
}

export function parseFlags<F>(args: string[], o: PflagOptions<F>): PflagResult {
  const positional: string[] = []
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string
    if (a === '--') return { positional, afterDash: args.slice(i + 1) }
    if (a.startsWith('--') && a.length > 2) {
      const eq = a.indexOf('=')
      const name = eq >= 0 ? a.slice(2, eq) : a.slice(2)
      const flag = o.long(name)
      if (!flag) throw new PflagError(`unknown flag: --${name}`)
      if (eq >= 0) o.set(flag, a.slice(eq + 1))
      else if (o.isBool(flag)) o.set(flag, 'true')
      else {
        if (i + 1 >= args.length) throw new PflagError(`flag needs an argument: --${name}`)
        o.set(flag, args[++i] as string)
      }
      continue
    }
    if (a.startsWith('-') && a.length > 1) {
      const body = a.slice(1)
      for (let j = 0; j < body.length; j++) {
        const c = body[j] as string
        const flag = o.short(c)
        if (!flag) throw new PflagError(`unknown shorthand flag: '${c}' in -${body}`)
        const rest = body.slice(j + 1)
        if (o.isBool(flag)) {
          if (rest.startsWith('=')) {
            o.set(flag, rest.slice(1))
            break
          }
          o.set(flag, 'true')
          continue
        }
        if (rest.length > 0) o.set(flag, rest.startsWith('=') ? rest.slice(1) : rest)
        else {
          if (i + 1 >= args.length) throw new PflagError(`flag needs an argument: '${c}' in -${c}`)
          o.set(flag, args[++i] as string)
        }
        break
      }
      continue
    }
    positional.push(a)
  }
  return { positional }
}

/** What cobra knows of one command's flags while it looks for the command. */
export interface FlagShape {
  /** A long flag that needs no value (a boolean): `--x word` leaves `word` a word. */
  noOptDefVal: (name: string) => boolean
  shortNoOptDefVal: (c: string) => boolean
}

/** Does `s` take the next word as its value, as cobra presumes (unknown flags do)? */
function takesNext(s: string, shape: FlagShape): boolean {
  if (s.includes('=')) return false
  if (s.startsWith('--')) return !shape.noOptDefVal(s.slice(2))
  return s.startsWith('-') && s.length === 2 && !shape.shortNoOptDefVal(s.slice(1))
}

/** cobra's stripFlags: the words of args that are neither flags nor presumed flag values. */
export function stripFlags(args: string[], shape: FlagShape): string[] {
  const words: string[] = []
  for (let i = 0; i < args.length; i++) {
    const s = args[i] as string
    if (s === '--') break
    if (takesNext(s, shape)) {
      // a value-taking flag last but one ends the search, its value is no command
      if (args.length - (i + 1) <= 1) break
      i++
      continue
    }
    if (s !== '' && !s.startsWith('-')) words.push(s)
  }
  return words
}

/** cobra's argsMinusFirstX: args without the first word equal to x that is not a flag value. */
export function argsMinusFirst(args: string[], x: string, shape: FlagShape): string[] {
  for (let i = 0; i < args.length; i++) {
    const s = args[i] as string
    if (s === '--') break
    if (takesNext(s, shape)) {
      i++
      continue
    }
    if (!s.startsWith('-') && s === x) return [...args.slice(0, i), ...args.slice(i + 1)]
  }
  return args
}

export interface CommandTree {
  /** Is `word` a subcommand of the command at `path`? */
  has: (path: string[], word: string) => boolean
  /** The flags the command at `path` knows (its own and the inherited ones). */
  shape: (path: string[]) => FlagShape
}

export interface Found {
  /** The command words found, e.g. ['member', 'list']; [] is the root. */
  path: string[]
  /** The arguments without the command words. */
  args: string[]
  /** The first remaining word at the root (cobra's legacyArgs: "unknown command"). */
  unknownAtRoot?: string
}

/** cobra's Command.Find: descend while the first word that is no flag names a subcommand. */
export function findCommand(args: string[], tree: CommandTree): Found {
  let path: string[] = []
  let rest = args
  for (;;) {
    const shape = tree.shape(path)
    const words = stripFlags(rest, shape)
    const next = words[0]
    if (next === undefined || !tree.has(path, next)) {
      if (path.length === 0 && next !== undefined) return { path, args: rest, unknownAtRoot: next }
      return { path, args: rest }
    }
    rest = argsMinusFirst(rest, next, shape)
    path = [...path, next]
  }
}
