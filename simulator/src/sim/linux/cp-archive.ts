import type { SimCommand, SimCommandContext } from '../commands/types'
import { identityOf, nodeFsOf, statOf } from './fsinfo'

// `cp -a` (and `-p`) on top of the plain cp: the copy is made as usual, then
// each copied entry gets its source's mode, owner and modification time, as
// GNU cp's --preserve=mode,ownership,timestamps does. Only root keeps owners
// (for other users chown fails silently under -a, as with the real cp).

interface Preserve {
  recursive: boolean
  args: string[]
}

/** Take -a/--archive/-p/--preserve out of the arguments; undefined when none is there. */
export function preserveOf(args: string[]): Preserve | undefined {
  let preserve = false
  let recursive = false
  const rest: string[] = []
  let operands = false
  for (const a of args) {
    if (operands || a === '-' || !a.startsWith('-')) {
      rest.push(a)
      continue
    }
    if (a === '--') {
      operands = true
      rest.push(a)
    } else if (a === '--archive') {
      preserve = true
      recursive = true
    } else if (a === '--preserve' || a.startsWith('--preserve=')) preserve = true
    else if (!a.startsWith('--') && /[ap]/.test(a)) {
      if (a.includes('a')) recursive = true
      preserve = true
      const left = a.replace(/[ap]/g, '')
      if (left !== '-') rest.push(left)
    } else rest.push(a)
  }
  if (!preserve) return undefined
  return { recursive, args: recursive ? ['-R', ...rest] : rest }
}

async function copyAttributes(ctx: SimCommandContext, from: string, to: string): Promise<void> {
  const st = await statOf(ctx.fs, from, false)
  if (st.isSymbolicLink) return
  if (st.isDirectory) {
    for (const name of await ctx.fs.readdir(from))
      await copyAttributes(ctx, `${from}/${name}`, `${to}/${name}`)
  }
  await ctx.fs.chmod(to, st.mode & 0o7777)
  const node = nodeFsOf(ctx.fs)
  if (node && identityOf(ctx.fs).uid === 0) await node.chown(to, st.uid, st.gid, false)
  // Last, so that copying a directory's entries does not move its time again.
  // A fresh Date: the one stat gave belongs to this command's context, which is revoked when it ends.
  const mtime = new Date(st.mtime.getTime())
  await ctx.fs.utimes(to, mtime, mtime)
}

export function archiveCp(inner: SimCommand): SimCommand {
  return {
    name: 'cp',
    async run(ctx) {
      const p = preserveOf(ctx.args)
      if (!p) return inner.run(ctx)
      const operands = p.args.filter((a, i) => !a.startsWith('-') || p.args.slice(0, i).includes('--'))
      const dest = operands[operands.length - 1]
      const sources = operands.slice(0, -1)
      const abs = (x: string) => ctx.fs.resolvePath(ctx.cwd, x)
      const destDir =
        dest !== undefined &&
        (await statOf(ctx.fs, abs(dest)).then(
          (s) => s.isDirectory,
          () => false,
        ))
      const r = await inner.run({ ...ctx, args: p.args })
      if (dest === undefined) return r
      for (const src of sources) {
        const base = src.replace(/\/+$/, '').split('/').pop() ?? src
        const target = destDir ? `${abs(dest)}/${base}` : abs(dest)
        try {
          await copyAttributes(ctx, abs(src), target)
        } catch {
          // What could not be copied was already reported by cp.
        }
      }
      return r
    },
  }
}
