import { fail, ok, type SimCommand } from '../commands/types'
import { shellQuote } from './shell-state'

// `env` and `printenv` show the environment a process receives: exported
// variables only, as on a real system.

function listing(env: Record<string, string>): string {
  return Object.entries(env)
    .map(([k, v]) => `${k}=${v}\n`)
    .join('')
}

export const envCommand: SimCommand = {
  name: 'env',
  async run(ctx) {
    let env: Record<string, string> = { ...ctx.env }
    let clean = false
    const args = [...ctx.args]
    while (args.length) {
      const a = args[0] as string
      if (a === '-i' || a === '--ignore-environment' || a === '-') {
        clean = true
        env = {}
      } else if (a === '-u' || a === '--unset') {
        const name = args[1]
        if (name === undefined)
          return fail(
            `env: option requires an argument -- 'u'\nTry 'env --help' for more information.\n`,
            125,
          )
        delete env[name]
        args.shift()
      } else if (a.startsWith('--unset=')) delete env[a.slice('--unset='.length)]
      else if (a === '--') {
        args.shift()
        break
      } else if (a.startsWith('-') && a.length > 1) {
        return fail(
          `env: invalid option -- '${a.replace(/^-+/, '')}'\nTry 'env --help' for more information.\n`,
          125,
        )
      } else break
      args.shift()
    }
    while (args.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(args[0] as string)) {
      const a = args.shift() as string
      const eq = a.indexOf('=')
      env[a.slice(0, eq)] = a.slice(eq + 1)
    }
    if (args.length === 0) return ok(listing(env))
    const unset = clean ? Object.keys(ctx.env).filter((k) => !(k in env)) : []
    const prefix = unset.length ? `unset ${unset.join(' ')}; ` : ''
    const r = await ctx.exec(prefix + args.map(shellQuote).join(' '), { env, stdin: ctx.stdin })
    if (r.exitCode === 127 && /command not found/.test(r.stderr))
      return fail(`env: '${args[0]}': No such file or directory\n`, 127)
    return r
  },
}

export const printenvCommand: SimCommand = {
  name: 'printenv',
  async run(ctx) {
    const names = ctx.args.filter((a) => !a.startsWith('-'))
    if (names.length === 0) return ok(listing(ctx.env))
    let out = ''
    let missing = false
    for (const n of names) {
      if (n in ctx.env) out += `${ctx.env[n]}\n`
      else missing = true
    }
    return { stdout: out, stderr: '', exitCode: missing ? 1 : 0 }
  },
}
