import type { CommandResult, SimCommand, SimCommandContext } from '../commands/types'
import { UserView } from '../vfs/user-view'
import { errnoText, identityOf } from './fsinfo'
import { gnuQuote } from './gnu'

// just-bash's own cat, head, tail, grep, wc, touch, mkdir, rm and cp report
// every failure as "No such file or directory". These wrappers check each
// file operand first, say what the real tool says for a permission problem
// (or cat's "Is a directory"), and hand the rest to the bundled command.

type Access = 'read' | 'create' | 'remove'

interface GateSpec {
  name: string
  access: Access
  /** Options whose value is the next word (`head -n 5`). */
  valued: string[]
  /** The first operand is not a file (grep's pattern). */
  skipFirst?: boolean
  /** The last operand is the destination (cp). */
  destLast?: boolean
  message(file: string, why: string, env: Record<string, string>): string
  failCode: number
}

function operandsOf(spec: GateSpec, args: string[]): { options: string[]; files: string[] } {
  const options: string[] = []
  const files: string[] = []
  let skip = spec.skipFirst ?? false
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string
    if (a === '--') {
      files.push(...args.slice(i + 1))
      break
    }
    if (a.startsWith('-') && a !== '-') {
      options.push(a)
      if (spec.valued.includes(a)) options.push(args[++i] as string)
      if (spec.skipFirst && (a === '-e' || a === '-f' || a.startsWith('--regexp'))) skip = false
      continue
    }
    if (skip) {
      options.push(a)
      skip = false
      continue
    }
    files.push(a)
  }
  return { options, files }
}

async function problem(ctx: SimCommandContext, file: string, access: Access): Promise<string | undefined> {
  if (file === '-') return undefined
  const path = ctx.fs.resolvePath(ctx.cwd, file)
  try {
    if (access === 'read') {
      const st = await ctx.fs.stat(path)
      if (st.isDirectory) return 'Is a directory'
      if (ctx.fs instanceof UserView) await ctx.fs.checkRead(path)
      return undefined
    }
    if (access === 'remove') {
      await ctx.fs.lstat(path)
    }
    return undefined
  } catch (err) {
    const why = errnoText(err)
    return why === 'No such file or directory' && access !== 'read' ? undefined : why
  }
}

/** Whether creating or removing `file` is refused for this user, and why. */
async function dirProblem(ctx: SimCommandContext, file: string): Promise<string | undefined> {
  if (!(ctx.fs instanceof UserView)) return undefined
  try {
    await ctx.fs.checkEntryChange(ctx.fs.resolvePath(ctx.cwd, file))
    return undefined
  } catch (err) {
    const why = errnoText(err)
    return why === 'No such file or directory' ? undefined : why
  }
}

function gate(spec: GateSpec): SimCommand {
  return {
    name: spec.name,
    async run(ctx): Promise<CommandResult> {
      const builtin = ctx.builtin
      if (!builtin) return { stdout: '', stderr: `${spec.name}: not available\n`, exitCode: 126 }
      const root = identityOf(ctx.fs).uid === 0
      // Root only needs cat's directory wording; everything else the bundled tool does right.
      if (root && spec.name !== 'cat' && spec.name !== 'touch') return builtin(ctx.args)
      const { options, files } = operandsOf(spec, ctx.args)
      let err = ''
      const kept: string[] = []
      const dest = spec.destLast && files.length > 1 ? files.pop() : undefined
      for (const f of files) {
        let why: string | undefined
        if (spec.access === 'read') why = await problem(ctx, f, 'read')
        else if (spec.access === 'remove') why = (await dirProblem(ctx, f)) ?? undefined
        else
          why = (await ctx.fs.exists(ctx.fs.resolvePath(ctx.cwd, f))) ? undefined : await dirProblem(ctx, f)
        if (why && !(root && why !== 'Is a directory')) err += spec.message(f, why, ctx.env)
        else kept.push(f)
      }
      if (dest !== undefined && !root) {
        const target = ctx.fs.resolvePath(ctx.cwd, dest)
        const st = await ctx.fs.stat(target).catch(() => undefined)
        const probeName = st?.isDirectory ? `${dest}/${(files[0] ?? '').split('/').pop()}` : dest
        const why = await dirProblem(ctx, probeName)
        if (why)
          return {
            stdout: '',
            stderr: `${err}cp: cannot create regular file '${probeName}': ${why}\n`,
            exitCode: 1,
          }
      }
      if (!err) return builtin(ctx.args)
      if (kept.length === 0) return { stdout: '', stderr: err, exitCode: spec.failCode }
      const r = await builtin([...options, ...kept, ...(dest !== undefined ? [dest] : [])])
      return { stdout: r.stdout, stderr: err + r.stderr, exitCode: r.exitCode || spec.failCode }
    },
  }
}

/** touch without a time of its own stamps the node's clock, not the host's. */
function clockTouch(inner: SimCommand): SimCommand {
  return {
    name: inner.name,
    async run(ctx) {
      const r = await inner.run(ctx)
      if (ctx.args.some((a) => /^-[a-z]*[drt]|^--(date|reference|time)/.test(a))) return r
      const t = new Date(ctx.node.cluster.clock.now())
      for (const a of ctx.args) {
        if (a.startsWith('-')) continue
        await ctx.fs.utimes(ctx.fs.resolvePath(ctx.cwd, a), t, t).catch(() => {})
      }
      return r
    },
  }
}

export const gatedCommands: SimCommand[] = [
  gate({
    name: 'cat',
    access: 'read',
    valued: [],
    message: (f, why) => `cat: ${f}: ${why}\n`,
    failCode: 1,
  }),
  gate({
    name: 'head',
    access: 'read',
    valued: ['-n', '-c'],
    message: (f, why) => `head: cannot open '${f}' for reading: ${why}\n`,
    failCode: 1,
  }),
  gate({
    name: 'tail',
    access: 'read',
    valued: ['-n', '-c'],
    message: (f, why) => `tail: cannot open '${f}' for reading: ${why}\n`,
    failCode: 1,
  }),
  gate({
    name: 'grep',
    access: 'read',
    valued: ['-e', '-f', '-m', '-A', '-B', '-C'],
    skipFirst: true,
    message: (f, why) => `grep: ${f}: ${why}\n`,
    failCode: 2,
  }),
  gate({
    name: 'wc',
    access: 'read',
    valued: [],
    message: (f, why) => `wc: ${f}: ${why}\n`,
    failCode: 1,
  }),
  clockTouch(
    gate({
      name: 'touch',
      access: 'create',
      valued: ['-d', '-r', '-t'],
      message: (f, why) => `touch: cannot touch '${f}': ${why}\n`,
      failCode: 1,
    }),
  ),
  gate({
    name: 'mkdir',
    access: 'create',
    valued: ['-m'],
    message: (f, why, env) => `mkdir: cannot create directory ${gnuQuote(f, env)}: ${why}\n`,
    failCode: 1,
  }),
  gate({
    name: 'rm',
    access: 'remove',
    valued: [],
    message: (f, why) => `rm: cannot remove '${f}': ${why}\n`,
    failCode: 1,
  }),
  gate({
    name: 'cp',
    access: 'read',
    valued: ['-t', '-S'],
    destLast: true,
    message: (f, why) => `cp: cannot stat '${f}': ${why}\n`,
    failCode: 1,
  }),
]
