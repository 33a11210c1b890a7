// What an interactive bash remembers between command lines, and how one line
// is wrapped so just-bash (which forgets everything after each call) behaves
// as if it had remembered: a prelude restores the state, an epilogue records
// it into variables the result hands back.

export interface ShellState {
  /** Every shell variable, exported or not. */
  vars: Map<string, string>
  exported: Set<string>
  aliases: Map<string, string>
  /** Function definitions as bash prints them (`type f` without its first line). */
  functions: Map<string, string>
  cwd: string
  lastStatus: number
  /** `set -o` options that are on (errexit, pipefail …). */
  setOptions: Set<string>
  /** `shopt` options that are on. */
  shopt: Set<string>
  login: boolean
  interactive: boolean
}

/** Variables just-bash manages itself; restoring them would fight it. */
const MANAGED = new Set([
  '?',
  '#',
  '@',
  '*',
  '$',
  '!',
  '-',
  '_',
  'IFS',
  'OSTYPE',
  'MACHTYPE',
  'HOSTTYPE',
  'OPTIND',
  'SHELLOPTS',
  'BASHOPTS',
  'PWD',
  'BASH_HISTORY',
  'RANDOM',
  'LINENO',
  'SECONDS',
  'BASHPID',
  'PPID',
  'UID',
  'EUID',
])

const INTERNAL_PREFIX = '__CKALAB_'
const SOURCE_FN = '__ckalab_source'
/** `set -o` options worth carrying from one line to the next. */
const SET_OPTIONS = [
  'errexit',
  'nounset',
  'pipefail',
  'xtrace',
  'noglob',
  'noclobber',
  'allexport',
  'verbose',
]
const DEFAULT_SHOPT = new Set(['globskipdots'])

export function newState(
  env: Record<string, string>,
  cwd: string,
  login: boolean,
  interactive: boolean,
): ShellState {
  const vars = new Map(Object.entries(env))
  return {
    vars,
    exported: new Set(vars.keys()),
    aliases: new Map(),
    functions: new Map(),
    cwd,
    lastStatus: 0,
    setOptions: new Set(),
    shopt: new Set(),
    login,
    interactive,
  }
}

/** A child shell (`bash`, `su -`): exported variables carry over, nothing else does. */
export function childState(parent: ShellState, login: boolean, base?: Record<string, string>): ShellState {
  const env: Record<string, string> = base ? { ...base } : {}
  if (!base) for (const name of parent.exported) env[name] = parent.vars.get(name) ?? ''
  return newState(env, base ? (base.HOME ?? '/root') : parent.cwd, login, parent.interactive)
}

export function shellQuote(value: string): string {
  if (value === '') return "''"
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(value)) return value
  return `'${value.replace(/'/g, `'\\''`)}'`
}

/**
 * Debian's ~/.bashrc aliases ls and grep with --color=auto, which the
 * simulated ls and grep do not take; the flag only colours output, so the
 * alias runs without it.
 */
export function runnableAlias(value: string): string {
  if (!/^(ls|grep|fgrep|egrep|dir|vdir)\b/.test(value)) return value
  return value.replace(/\s--colou?r(=\w+)?/g, '')
}

const VALID_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/

/**
 * `source`/`.` as bash runs them in an interactive shell. just-bash reports
 * `$-` without the `i` an interactive bash has, so ~/.bashrc would stop at
 * its "not interactive" guard; the wrapper reads the file with `$-` spelled
 * out the way an interactive bash expands it.
 */
const SOURCE_WRAPPER = `${SOURCE_FN}() { if [ $# -eq 0 ]; then echo "bash: source: filename argument required" >&2; echo "source: usage: source filename [arguments]" >&2; return 2; fi; if [ -d "$1" ]; then echo "bash: $1: is a directory" >&2; return 1; fi; if [ ! -f "$1" ]; then echo "bash: $1: No such file or directory" >&2; return 1; fi; local __ckalab_text; __ckalab_text=$(sed 's/\\$-/himBHs/g' "$1"); shift; eval "$__ckalab_text"; }`

/** The script that runs `text` in `state`'s shell. */
export function wrapLine(
  state: ShellState,
  text: string,
  historyJson: string,
  mergeStderr = false,
): {
  script: string
  env: Record<string, string>
} {
  const env: Record<string, string> = {}
  const lines: string[] = []
  for (const name of state.exported) env[name] = state.vars.get(name) ?? ''
  env.BASH_HISTORY = historyJson
  // Only a line that could change exports or functions pays for reading them back.
  const full = mayChangeDefinitions(state, text)
  const shopts = [...state.shopt].filter((o) => !DEFAULT_SHOPT.has(o))
  if (state.interactive) shopts.unshift('expand_aliases')
  if (shopts.length) lines.push(`shopt -s ${shopts.join(' ')} 2>/dev/null`)
  const aliasParts: string[] = []
  for (const [name, value] of state.aliases)
    aliasParts.push(`${shellQuote(name)}=${shellQuote(runnableAlias(value))}`)
  if (state.interactive && full) {
    lines.push(SOURCE_WRAPPER)
    aliasParts.push(`source=${SOURCE_FN}`, `.=${SOURCE_FN}`)
  }
  // One `alias` command with every definition: each command costs just-bash a little.
  if (aliasParts.length) lines.push(`alias ${aliasParts.join(' ')}`)
  for (const def of state.functions.values()) lines.push(def)
  // Plain variables travel in the environment too (just-bash does not export what it is handed),
  // so a large value never has to go through the parser.
  for (const [name, value] of state.vars) {
    if (state.exported.has(name) || MANAGED.has(name) || !VALID_NAME.test(name)) continue
    env[name] = value
  }
  const exportNames = [...state.exported].filter((n) => VALID_NAME.test(n))
  // Variables handed in through the environment are not marked exported by just-bash; say so.
  if (exportNames.length) lines.push(`export ${exportNames.join(' ')}`)
  // `exec 2>&1` (not a `{ } 2>&1` group) keeps the two streams in the order they were written.
  if (mergeStderr) lines.push('exec 2>&1')
  const setOn = [...state.setOptions].filter((o) => SET_OPTIONS.includes(o))
  // Options like errexit go last so the prelude itself cannot trip them; `(exit n)` restores `$?`.
  const last = setOn.map((o) => `set -o ${o}`)
  if (state.lastStatus !== 0) last.push(`(exit ${state.lastStatus})`)
  if (last.length) lines.push(last.join('; '))
  lines.push(text)
  lines.push(
    full
      ? `${INTERNAL_PREFIX}STATUS=$?; ${INTERNAL_PREFIX}EXPORTED=$(compgen -e); ${INTERNAL_PREFIX}FN=$(compgen -A function); if [ -n "$${INTERNAL_PREFIX}FN" ]; then ${INTERNAL_PREFIX}FNDEF=$(type $${INTERNAL_PREFIX}FN 2>/dev/null); fi`
      : `${INTERNAL_PREFIX}STATUS=$?`,
  )
  return { script: lines.join('\n'), env }
}

/**
 * Whether a line might export, unexport or define something the cheap
 * epilogue would miss: any line when functions exist (a function can do
 * anything), or one that names a builtin that changes definitions.
 */
export function mayChangeDefinitions(state: ShellState, text: string): boolean {
  if (state.functions.size > 0) return true
  if (state.setOptions.has('allexport')) return true
  return /\b(source|export|declare|typeset|unset|readonly|local|eval|set|function|bash|sh|exec)\b|\(\s*\)|(^|[\s;&|(])\.\s/.test(
    text,
  )
}

/** Split `type f g` output into one definition per function. */
export function parseFunctionDump(dump: string): Map<string, string> {
  const out = new Map<string, string>()
  const re = /^(\S+) is a function\n/gm
  const marks: Array<{ name: string; start: number; end: number }> = []
  for (const m of dump.matchAll(re))
    marks.push({ name: m[1] as string, start: m.index ?? 0, end: (m.index ?? 0) + m[0].length })
  for (let i = 0; i < marks.length; i++) {
    const mark = marks[i] as (typeof marks)[number]
    const next = marks[i + 1]
    const body = dump.slice(mark.end, next ? next.start : dump.length).replace(/\n+$/, '')
    if (mark.name === SOURCE_FN) continue
    out.set(mark.name, body)
  }
  return out
}

export interface LineOutcome {
  /** The epilogue ran: the line finished without leaving the shell. */
  completed: boolean
  status: number
}

/** Fold the variables just-bash returned after a line back into the state. */
export function absorbResult(state: ShellState, env: Record<string, string>, exitCode: number): LineOutcome {
  const completed = `${INTERNAL_PREFIX}STATUS` in env
  const status = completed ? Number(env[`${INTERNAL_PREFIX}STATUS`]) || 0 : exitCode
  const exportedList =
    completed && `${INTERNAL_PREFIX}EXPORTED` in env
      ? (env[`${INTERNAL_PREFIX}EXPORTED`] ?? '').split('\n').filter(Boolean)
      : undefined
  const vars = new Map<string, string>()
  const aliases = new Map<string, string>()
  for (const [name, value] of Object.entries(env)) {
    if (name.startsWith('BASH_ALIAS_')) {
      const alias = name.slice('BASH_ALIAS_'.length)
      if (alias === 'source' || alias === '.') {
        if (value === SOURCE_FN) continue
      }
      aliases.set(alias, value)
      continue
    }
    if (name.startsWith(INTERNAL_PREFIX) || name.startsWith('__ckalab_')) continue
    if (MANAGED.has(name) && name !== 'PWD') continue
    vars.set(name, value)
  }
  // just-bash can report `//etc` after `cd ~/../etc`; bash shows `/etc`.
  if (env.PWD) state.cwd = env.PWD.replace(/\/{2,}/g, '/')
  vars.delete('PWD')
  const shellopts = (env.SHELLOPTS ?? '').split(':').filter((o) => SET_OPTIONS.includes(o))
  state.setOptions = new Set(shellopts)
  state.shopt = new Set((env.BASHOPTS ?? '').split(':').filter((o) => o && o !== 'expand_aliases'))
  if (
    state.interactive &&
    env.BASHOPTS !== undefined &&
    !env.BASHOPTS.split(':').includes('expand_aliases')
  ) {
    // The user turned alias expansion off; an interactive shell keeps it on by default, so nothing to record.
  }
  state.vars = vars
  if (exportedList) state.exported = new Set(exportedList.filter((n) => vars.has(n)))
  else for (const n of [...state.exported]) if (!vars.has(n)) state.exported.delete(n)
  state.aliases = aliases
  if (completed && exportedList !== undefined && `${INTERNAL_PREFIX}FN` in env)
    state.functions = parseFunctionDump(env[`${INTERNAL_PREFIX}FNDEF`] ?? '')
  state.lastStatus = status
  return { completed, status }
}

export function exportedEnv(state: ShellState): Record<string, string> {
  const env: Record<string, string> = {}
  for (const name of state.exported) env[name] = state.vars.get(name) ?? ''
  return env
}
