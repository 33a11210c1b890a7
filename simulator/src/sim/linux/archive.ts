import type { SimCommand } from '../commands/types'
import { errnoText, identityOf, nodeFsOf, statOf } from './fsinfo'
import { gnuQuote, tryHelp } from './gnu'
import { findGroup, findUser, readUserDb } from './users'

// GNU tar's warning about absolute member names (the bundled tar stores them
// without a word), and coreutils' install, which just-bash lacks.

/** tar -c with absolute names: GNU tar strips the `/` and says so once, on stderr. */
export const tarCommand: SimCommand = {
  name: 'tar',
  async run(ctx) {
    const builtin = ctx.builtin
    if (!builtin) return { stdout: '', stderr: 'tar: not available\n', exitCode: 126 }
    const r = await builtin(ctx.args)
    // The mode is in the first word (`tar czf`, `tar -cf`) or a separate -c / --create.
    const first = ctx.args[0] ?? ''
    const creating =
      (!first.startsWith('--') && /^-?[A-Za-z]*c/.test(first)) ||
      ctx.args.some((a) => a === '-c' || a === '--create')
    const absolute = ctx.args.some(
      (a, i) =>
        i > 0 &&
        a.startsWith('/') &&
        !/^-[a-zA-Z]*f$/.test(ctx.args[i - 1] ?? '') &&
        ctx.args[i - 1] !== '-C',
    )
    const keep = ctx.args.some((a) => a === '-P' || a === '--absolute-names')
    if (creating && absolute && !keep && r.exitCode === 0)
      return { ...r, stderr: `tar: Removing leading \`/' from member names\n${r.stderr}` }
    return r
  },
}

/** install [-m MODE] [-o OWNER] [-g GROUP] [-d] SOURCE DEST: a copy with the given mode (default 0755). */
export const installCommand: SimCommand = {
  name: 'install',
  async run(ctx) {
    let mode = 0o755
    let owner: string | undefined
    let group: string | undefined
    let dirs = false
    const operands: string[] = []
    for (let i = 0; i < ctx.args.length; i++) {
      const a = ctx.args[i] as string
      if (a === '-m' || a === '--mode') mode = Number.parseInt(ctx.args[++i] ?? '', 8)
      else if (a.startsWith('--mode=')) mode = Number.parseInt(a.slice(7), 8)
      else if (a === '-o' || a === '--owner') owner = ctx.args[++i]
      else if (a === '-g' || a === '--group') group = ctx.args[++i]
      else if (a === '-d' || a === '--directory') dirs = true
      else if (a === '-D' || a === '-v' || a === '-p' || a === '-C' || a === '--compare') continue
      else if (a.startsWith('-') && a !== '-')
        return {
          stdout: '',
          stderr: `install: invalid option -- '${a.replace(/^-+/, '')[0]}'\n${tryHelp('install')}`,
          exitCode: 1,
        }
      else operands.push(a)
    }
    if (Number.isNaN(mode)) return { stdout: '', stderr: 'install: invalid mode\n', exitCode: 1 }
    const db = await readUserDb(ctx.fs)
    const uid = owner === undefined ? undefined : findUser(db, owner)?.uid
    if (owner !== undefined && uid === undefined)
      return { stdout: '', stderr: `install: invalid user ${gnuQuote(owner, ctx.env)}\n`, exitCode: 1 }
    const gid = group === undefined ? undefined : findGroup(db, group)?.gid
    if (group !== undefined && gid === undefined)
      return { stdout: '', stderr: `install: invalid group ${gnuQuote(group, ctx.env)}\n`, exitCode: 1 }
    const me = identityOf(ctx.fs)
    const base = nodeFsOf(ctx.fs)
    const finish = async (path: string) => {
      await ctx.fs.chmod(path, mode)
      if (base && (uid !== undefined || gid !== undefined))
        await base.chown(path, uid ?? me.uid, gid ?? me.gid)
    }
    if (dirs) {
      for (const d of operands) {
        const p = ctx.fs.resolvePath(ctx.cwd, d)
        await ctx.fs.mkdir(p, { recursive: true })
        await finish(p)
      }
      return { stdout: '', stderr: '', exitCode: 0 }
    }
    if (operands.length < 2) {
      const text =
        operands.length === 0
          ? 'install: missing file operand\n'
          : `install: missing destination file operand after ${gnuQuote(operands[0] as string, ctx.env)}\n`
      return { stdout: '', stderr: text + tryHelp('install'), exitCode: 1 }
    }
    const destArg = operands.pop() as string
    const dest = ctx.fs.resolvePath(ctx.cwd, destArg)
    const destIsDir = (await statOf(ctx.fs, dest).catch(() => undefined))?.isDirectory ?? false
    for (const src of operands) {
      try {
        const bytes = await ctx.fs.readFileBuffer(ctx.fs.resolvePath(ctx.cwd, src))
        const target = destIsDir ? `${dest}/${src.split('/').pop()}` : dest
        await ctx.fs.writeFile(target, bytes)
        await finish(target)
      } catch (e) {
        return { stdout: '', stderr: `install: cannot stat '${src}': ${errnoText(e)}\n`, exitCode: 1 }
      }
    }
    return { stdout: '', stderr: '', exitCode: 0 }
  },
}
