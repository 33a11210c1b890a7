import { fail, type SimCommand } from '../commands/types'
import { runAs, SECURE_PATH } from './sudo'
import { NOLOGIN } from './sudo-text'
import { findUser, readUserDb } from './users'

// su as root uses it: no password. `su`, `su -` and `su - root` typed alone
// open a nested shell in the terminal session; this command covers the rest
// (`su -c CMD`, `su nobody`, `su - -c CMD`) and non-interactive runs.

const USER_PATH = '/usr/local/bin:/usr/bin:/bin:/usr/local/games:/usr/games'

export const suCommand: SimCommand = {
  name: 'su',
  async run(ctx) {
    let login = false
    let command: string | undefined
    let shellOverride: string | undefined
    let preserve = false
    const operands: string[] = []
    const args = [...ctx.args]
    for (let i = 0; i < args.length; i++) {
      const a = args[i] as string
      if (operands.length > 0) {
        operands.push(a)
        continue
      }
      if (a === '-' || a === '-l' || a === '--login') login = true
      else if (a === '-c' || a === '--command') command = args[++i]
      else if (a.startsWith('--command=')) command = a.slice('--command='.length)
      else if (a === '-s' || a === '--shell') shellOverride = args[++i]
      else if (a === '-m' || a === '-p' || a === '--preserve-environment') preserve = true
      else if (a.startsWith('--'))
        return fail(`su: unrecognized option '${a}'\nTry 'su --help' for more information.\n`)
      else if (a.startsWith('-') && a.length > 1) {
        const f = a.slice(1)
        if (f.startsWith('c')) command = f.slice(1) || args[++i]
        else if (f.startsWith('s')) shellOverride = f.slice(1) || args[++i]
        else if (/^[lmp]+$/.test(f)) {
          if (f.includes('l')) login = true
          if (/[mp]/.test(f)) preserve = true
        } else return fail(`su: invalid option -- '${f[0]}'\nTry 'su --help' for more information.\n`)
      } else operands.push(a)
    }
    const name = operands[0] ?? 'root'
    const db = await readUserDb(ctx.fs)
    const target = findUser(db, name)
    if (!target)
      return fail(
        `su: user ${name} does not exist or the user entry does not contain all the required fields\n`,
      )
    const shell = shellOverride ?? target.shell
    if (/nologin$/.test(shell)) return { stdout: NOLOGIN, stderr: '', exitCode: 1 }
    let env: Record<string, string>
    let cwd = ctx.cwd
    let warning = ''
    if (login) {
      env = {
        HOME: target.home,
        SHELL: shell,
        USER: target.name,
        LOGNAME: target.name,
        PATH: target.uid === 0 ? SECURE_PATH : USER_PATH,
      }
      if (ctx.env.TERM) env.TERM = ctx.env.TERM
      if (ctx.env.LANG) env.LANG = ctx.env.LANG
      if (await ctx.fs.exists(target.home)) cwd = target.home
      else {
        warning = `su: warning: cannot change directory to ${target.home}: No such file or directory\n`
        cwd = '/'
      }
    } else {
      env = { ...ctx.env }
      if (!preserve)
        Object.assign(env, { HOME: target.home, SHELL: shell, USER: target.name, LOGNAME: target.name })
    }
    const line = command ?? ctx.stdin
    const r = await runAs(ctx, target, line, env, cwd)
    return { ...r, stderr: warning + r.stderr }
  },
}
