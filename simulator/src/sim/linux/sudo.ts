import type { CommandResult, SimCommand, SimCommandContext } from '../commands/types'
import { shellQuote } from '../shell/shell-state'
import { UserView } from '../vfs/user-view'
import { nodeFsOf } from './fsinfo'
import { NOLOGIN, SUDO_HELP, SUDO_USAGE, SUDO_VERSION, sudoBuiltin, sudoList } from './sudo-text'
import { findGroup, findUser, groupsOf, readUserDb, type User } from './users'

// sudo as root runs it on Debian 12: no password, sudoers' defaults
// (env_reset, secure_path), the command looked up in secure_path, and, for
// another user, the command run on that user's view of the filesystem so the
// kernel's permission checks apply.

export const SECURE_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'

/** Variables env_reset keeps as they are (sudoers' env_keep on Debian 12). */
const ENV_KEEP = new Set([
  'XDG_CURRENT_DESKTOP',
  'XAUTHORIZATION',
  'XAUTHORITY',
  'PS2',
  'PS1',
  'LS_COLORS',
  'KRB5CCNAME',
  'HOSTNAME',
  'DPKG_COLORS',
  'DISPLAY',
  'COLORS',
])
/** Kept when their value looks safe (env_check): no `/` or `%` in it. */
const ENV_CHECK = ['TZ', 'TERM', 'LINGUAS', 'LANGUAGE', 'LANG', 'COLORTERM']
/** Never passed on, even with -E (env_delete). */
const ENV_DELETE =
  /^(RUBYOPT|RUBYLIB|PYTHONUSERBASE|PYTHONINSPECT|PYTHONPATH|PYTHONHOME|TMPPREFIX|ZDOTDIR|READNULLCMD|NULLCMD|FPATH|PERL5DB|PERL5OPT|PERL5LIB|PERLLIB|PERLIO_DEBUG|JAVA_TOOL_OPTIONS|SHELLOPTS|BASHOPTS|GLOBIGNORE|PS4|BASH_ENV|ENV|TERMCAP|TERMPATH|TERMINFO_DIRS|TERMINFO|_RLD.*|LD_.*|PATH_LOCALE|NLSPATH|HOSTALIASES|RES_OPTIONS|LOCALDOMAIN|CDPATH|IFS)$/

/** bash builtins with no program of the same name on Debian: sudo cannot run them. */
const BUILTIN_ONLY = new Set(
  'alias bg bind break builtin caller cd command compgen complete compopt continue declare dirs disown enable eval exec exit export fc fg getopts hash help history jobs let local logout mapfile popd pushd read readarray readonly return set shift shopt source suspend times trap type typeset ulimit umask unalias unset wait .'.split(
    ' ',
  ),
)

interface SudoOptions {
  user?: string
  group?: string
  login: boolean
  shell: boolean
  preserveEnv: boolean
  preserveList: string[]
  setHome: boolean
  chdir?: string
  mode: 'run' | 'help' | 'version' | 'list' | 'validate' | 'reset' | 'edit'
}

type Parsed = { ok: true; opts: SudoOptions; rest: string[] } | { ok: false; result: CommandResult }

const WITH_ARG = new Set(['u', 'g', 'D', 'C', 'p', 'r', 't', 'T', 'U', 'R', 'h'])
const LONG: Record<string, string> = {
  user: 'u',
  group: 'g',
  chdir: 'D',
  'close-from': 'C',
  prompt: 'p',
  role: 'r',
  type: 't',
  'command-timeout': 'T',
  'other-user': 'U',
  chroot: 'R',
  host: 'h',
  askpass: 'A',
  background: 'b',
  bell: 'B',
  'preserve-env': 'E',
  edit: 'e',
  'set-home': 'H',
  help: 'h',
  login: 'i',
  'remove-timestamp': 'K',
  'reset-timestamp': 'k',
  list: 'l',
  'non-interactive': 'n',
  'preserve-groups': 'P',
  stdin: 'S',
  shell: 's',
  version: 'V',
  validate: 'v',
}

const usageError = (line: string): Parsed => ({
  ok: false,
  result: { stdout: '', stderr: `sudo: ${line}\n${SUDO_USAGE}`, exitCode: 1 },
})

export function parseSudo(args: string[]): Parsed {
  const opts: SudoOptions = {
    login: false,
    shell: false,
    preserveEnv: false,
    preserveList: [],
    setHome: false,
    mode: 'run',
  }
  let helpFlag = false
  const apply = (flag: string, value: string | undefined): Parsed | undefined => {
    switch (flag) {
      case 'u':
        opts.user = value
        break
      case 'g':
        opts.group = value
        break
      case 'D':
        opts.chdir = value
        break
      case 'i':
        opts.login = true
        break
      case 's':
        opts.shell = true
        break
      case 'E':
        if (value !== undefined) opts.preserveList.push(...value.split(','))
        else opts.preserveEnv = true
        break
      case 'H':
        opts.setHome = true
        break
      case 'h':
        if (value === undefined) helpFlag = true
        break
      case 'V':
        opts.mode = 'version'
        break
      case 'l':
        opts.mode = 'list'
        break
      case 'v':
        opts.mode = 'validate'
        break
      case 'k':
      case 'K':
        if (opts.mode === 'run') opts.mode = 'reset'
        break
      case 'e':
        opts.mode = 'edit'
        break
      default:
        break
    }
    return undefined
  }
  let i = 0
  for (; i < args.length; i++) {
    const a = args[i] as string
    if (a === '--') {
      i++
      break
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=')
      const name = eq < 0 ? a.slice(2) : a.slice(2, eq)
      const flag = LONG[name]
      if (!flag) return usageError(`unrecognized option '${a}'`)
      let value = eq < 0 ? undefined : a.slice(eq + 1)
      const takesArg = WITH_ARG.has(flag) && name !== 'help'
      if (takesArg && value === undefined) {
        value = args[++i]
        if (value === undefined) return usageError(`option '--${name}' requires an argument`)
      }
      apply(flag, value)
      continue
    }
    if (!a.startsWith('-') || a === '-') break
    for (let j = 1; j < a.length; j++) {
      const f = a[j] as string
      if (!'AbBCDEeghHiKklnPprsStTUuVv'.includes(f)) return usageError(`invalid option -- '${f}'`)
      if (WITH_ARG.has(f) && f !== 'h') {
        let value = a.slice(j + 1)
        if (!value) {
          value = args[++i] as string
          if (value === undefined) return usageError(`option requires an argument -- '${f}'`)
        }
        apply(f, value)
        break
      }
      apply(f, undefined)
    }
  }
  if (helpFlag) opts.mode = opts.mode === 'run' ? 'help' : opts.mode
  if (opts.login && opts.shell) return usageError('you may not specify both the -i and -s options')
  return { ok: true, opts, rest: args.slice(i) }
}

/** Where secure_path finds a program, or undefined. */
async function lookup(ctx: SimCommandContext, name: string): Promise<string | undefined> {
  if (name.includes('/')) {
    const p = ctx.fs.resolvePath(ctx.cwd, name)
    return (await ctx.fs.exists(p)) ? p : undefined
  }
  for (const dir of SECURE_PATH.split(':')) {
    const p = `${dir}/${name}`
    try {
      const st = await ctx.fs.stat(p)
      if (st.isFile) return p
    } catch {
      // not in this directory
    }
  }
  return undefined
}

function resetEnv(env: Record<string, string>, target: User, keepAll: boolean, keepList: string[]) {
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(env)) {
    if (ENV_DELETE.test(k) || v.startsWith('()')) continue
    if (keepAll || keepList.includes(k) || ENV_KEEP.has(k)) out[k] = v
    else if ((ENV_CHECK.includes(k) || k.startsWith('LC_')) && !/[/%]/.test(k === 'TZ' ? '' : v)) out[k] = v
  }
  if (!keepAll) {
    out.MAIL = `/var/mail/${target.name}`
    out.HOME = target.home
    out.SHELL = target.shell
  }
  out.PATH = SECURE_PATH
  out.LOGNAME = target.name
  out.USER = target.name
  return out
}

/** Run a command line as `target` on its view of the node's filesystem. */
export async function runAs(
  ctx: SimCommandContext,
  target: User,
  line: string,
  env: Record<string, string>,
  cwd: string,
): Promise<CommandResult> {
  if (target.uid === 0) {
    const name = /^[A-Za-z_][A-Za-z0-9_]*$/
    const unset = [...Object.keys(ctx.env), 'OLDPWD'].filter((k) => !(k in env) && name.test(k))
    // Variables handed to a nested line arrive as shell variables; the program needs them exported.
    const exported = Object.keys(env).filter((k) => name.test(k))
    const prefix = `${unset.length ? `unset ${unset.join(' ')}; ` : ''}export ${exported.join(' ')}; `
    return ctx.exec(prefix + line, { env, cwd, stdin: ctx.stdin, inherit: true })
  }
  const base = nodeFsOf(ctx.fs)
  if (!base) return ctx.exec(line, { env, cwd, stdin: ctx.stdin, inherit: true })
  const db = await readUserDb(ctx.fs)
  const view = new UserView(base, {
    name: target.name,
    uid: target.uid,
    gid: target.gid,
    groups: groupsOf(db, target),
  })
  const bash = ctx.node.createBash({ tty: ctx.tty }, env, cwd, { fs: view, uid: target.uid, gid: target.gid })
  const r = await bash.exec(line, { cwd, env, replaceEnv: true, stdin: ctx.stdin, signal: ctx.signal })
  return { stdout: r.stdout, stderr: r.stderr, exitCode: r.exitCode }
}

export const sudoCommand: SimCommand = {
  name: 'sudo',
  async run(ctx) {
    const parsed = parseSudo(ctx.args)
    if (!parsed.ok) return parsed.result
    const { opts } = parsed
    let rest = parsed.rest
    if (opts.mode === 'help') return { stdout: SUDO_HELP, stderr: '', exitCode: 0 }
    if (opts.mode === 'version') return { stdout: SUDO_VERSION, stderr: '', exitCode: 0 }
    if (opts.mode === 'list') return { stdout: sudoList(ctx.node.name), stderr: '', exitCode: 0 }
    if (opts.mode === 'validate' || (opts.mode === 'reset' && rest.length === 0))
      return { stdout: '', stderr: '', exitCode: 0 }
    const db = await readUserDb(ctx.fs)
    const target = findUser(db, opts.user ?? 'root')
    if (!target)
      return {
        stdout: '',
        stderr: `sudo: unknown user ${opts.user}\nsudo: error initializing audit plugin sudoers_audit\n`,
        exitCode: 1,
      }
    if (opts.group && !findGroup(db, opts.group))
      return {
        stdout: '',
        stderr: `sudo: unknown group ${opts.group}\nsudo: error initializing audit plugin sudoers_audit\n`,
        exitCode: 1,
      }
    // VAR=value words before the command are set in the command's environment.
    const assigned: Record<string, string> = {}
    while (rest.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(rest[0] as string)) {
      const a = rest[0] as string
      const eq = a.indexOf('=')
      assigned[a.slice(0, eq)] = a.slice(eq + 1)
      rest = rest.slice(1)
    }
    if (rest.length === 0 && !opts.login && !opts.shell)
      return { stdout: '', stderr: SUDO_USAGE, exitCode: 1 }
    const env: Record<string, string> = {
      ...resetEnv(ctx.env, target, opts.preserveEnv, opts.preserveList),
      SUDO_USER: 'root',
      SUDO_UID: '0',
      SUDO_GID: '0',
    }
    let cwd = ctx.cwd
    if (opts.chdir !== undefined) {
      const program = rest[0] ? ((await lookup(ctx, rest[0])) ?? rest[0]) : target.shell
      return {
        stdout: '',
        stderr: `sudo: you are not permitted to use the -D option with ${program}\n`,
        exitCode: 1,
      }
    }
    if (opts.login || opts.shell) {
      // A shell runs the command: `sudo -i cmd` is `$SHELL -c cmd` in a login environment.
      const shell = opts.login ? target.shell : (ctx.env.SHELL ?? target.shell)
      if (opts.login) {
        if (!(await ctx.fs.exists(target.home))) {
          const nologin = /nologin$/.test(target.shell)
          return {
            stdout: nologin ? NOLOGIN : '',
            stderr: `sudo: unable to change directory to ${target.home}: No such file or directory\n`,
            exitCode: 1,
          }
        }
        cwd = target.home
        // A login shell starts from the target's own environment: -E does not carry over.
        for (const k of Object.keys(env)) delete env[k]
        Object.assign(env, resetEnv(ctx.env, target, false, []), {
          SUDO_USER: 'root',
          SUDO_UID: '0',
          SUDO_GID: '0',
        })
      }
      if (/nologin$/.test(shell)) return { stdout: NOLOGIN, stderr: '', exitCode: 1 }
      env.SUDO_COMMAND = rest.length ? `${shell} -c ${rest.join(' ')}` : shell
      Object.assign(env, assigned)
      // Without a command the shell reads its commands from stdin (a terminal shell is the session's job).
      const line = rest.length ? rest.join(' ') : ctx.stdin
      return runAs(ctx, target, line, env, cwd)
    }
    const name = rest[0] as string
    if (BUILTIN_ONLY.has(name)) return { stdout: '', stderr: sudoBuiltin(name), exitCode: 1 }
    const program = await lookup(ctx, name)
    if (!program) return { stdout: '', stderr: `sudo: ${name}: command not found\n`, exitCode: 1 }
    env.SUDO_COMMAND = [program, ...rest.slice(1)].join(' ')
    Object.assign(env, assigned)
    // `command` keeps a function or alias of the same name from standing in for the program.
    const line = `command ${rest.map(shellQuote).join(' ')}`
    return runAs(ctx, target, line, env, cwd)
  },
}
