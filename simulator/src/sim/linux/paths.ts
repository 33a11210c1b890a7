import type { IFileSystem } from 'just-bash'
import type { SimCommand } from '../commands/types'
import { errnoText } from './fsinfo'
import { parseGnu } from './gnu'

// GNU realpath and readlink (coreutils 9.1) on one canonicalisation: how
// many components must exist (-e all, default all but the last, -m none) and
// what happens when they do not.

type Mode = 'existing' | 'all-but-last' | 'missing'

function fsErr(code: 'ENOENT' | 'ENOTDIR' | 'ELOOP', path: string): Error {
  return Object.assign(new Error(`${code}: ${path}`), { code })
}

/** Resolve `path` (absolute) component by component, following symlinks. */
export async function canonicalize(fs: IFileSystem, path: string, mode: Mode): Promise<string> {
  const pending = path.split('/').filter(Boolean)
  const done: string[] = []
  let hops = 0
  while (pending.length) {
    const part = pending.shift() as string
    if (part === '.') continue
    if (part === '..') {
      done.pop()
      continue
    }
    const here = `/${[...done, part].join('/')}`
    const st = await fs.lstat(here).catch(() => undefined)
    if (!st) {
      const last = pending.length === 0
      if (mode === 'missing' || (mode === 'all-but-last' && last)) {
        done.push(part)
        continue
      }
      throw fsErr('ENOENT', here)
    }
    if (st.isSymbolicLink) {
      if (++hops > 40) throw fsErr('ELOOP', here)
      const target = await fs.readlink(here)
      if (target.startsWith('/')) done.length = 0
      pending.unshift(...target.split('/').filter(Boolean))
      continue
    }
    if (!st.isDirectory && pending.length > 0 && mode !== 'missing') throw fsErr('ENOTDIR', here)
    done.push(part)
  }
  return `/${done.join('/')}`
}

export const realpathCommand: SimCommand = {
  name: 'realpath',
  async run(ctx) {
    const p = parseGnu('realpath', ctx.args, {
      short: {
        e: 'canonicalize-existing',
        m: 'canonicalize-missing',
        s: 'strip',
        q: 'quiet',
        z: 'zero',
        L: 'logical',
        P: 'physical',
      },
      long: {
        'canonicalize-existing': 'canonicalize-existing',
        'canonicalize-missing': 'canonicalize-missing',
        strip: 'strip',
        'no-symlinks': 'strip',
        quiet: 'quiet',
        zero: 'zero',
        logical: 'logical',
        physical: 'physical',
        'relative-to': 'relative-to',
        'relative-base': 'relative-base',
      },
      withValue: new Set(['relative-to', 'relative-base']),
    })
    if ('error' in p) return { stdout: '', stderr: p.error, exitCode: 1 }
    if (p.operands.length === 0)
      return {
        stdout: '',
        stderr: "realpath: missing operand\nTry 'realpath --help' for more information.\n",
        exitCode: 1,
      }
    const mode: Mode = p.flags.has('canonicalize-existing')
      ? 'existing'
      : p.flags.has('canonicalize-missing')
        ? 'missing'
        : 'all-but-last'
    const end = p.flags.has('zero') ? '\0' : '\n'
    let out = ''
    let err = ''
    let code = 0
    for (const name of p.operands) {
      const abs = ctx.fs.resolvePath(ctx.cwd, name)
      try {
        const r = p.flags.has('strip') ? abs : await canonicalize(ctx.fs, abs, mode)
        out += r + end
      } catch (e) {
        if (!p.flags.has('quiet')) err += `realpath: ${name}: ${errnoText(e)}\n`
        code = 1
      }
    }
    return { stdout: out, stderr: err, exitCode: code }
  },
}

export const readlinkCommand: SimCommand = {
  name: 'readlink',
  async run(ctx) {
    const p = parseGnu('readlink', ctx.args, {
      short: {
        f: 'canonicalize',
        e: 'canonicalize-existing',
        m: 'canonicalize-missing',
        n: 'no-newline',
        q: 'quiet',
        s: 'quiet',
        v: 'verbose',
        z: 'zero',
      },
      long: {
        canonicalize: 'canonicalize',
        'canonicalize-existing': 'canonicalize-existing',
        'canonicalize-missing': 'canonicalize-missing',
        'no-newline': 'no-newline',
        quiet: 'quiet',
        silent: 'quiet',
        verbose: 'verbose',
        zero: 'zero',
      },
    })
    if ('error' in p) return { stdout: '', stderr: p.error, exitCode: 1 }
    if (p.operands.length === 0)
      return {
        stdout: '',
        stderr: "readlink: missing operand\nTry 'readlink --help' for more information.\n",
        exitCode: 1,
      }
    const mode: Mode | undefined = p.flags.has('canonicalize')
      ? 'all-but-last'
      : p.flags.has('canonicalize-existing')
        ? 'existing'
        : p.flags.has('canonicalize-missing')
          ? 'missing'
          : undefined
    const end = p.flags.has('zero') ? '\0' : p.flags.has('no-newline') && p.operands.length === 1 ? '' : '\n'
    const verbose = p.flags.has('verbose')
    let out = ''
    let err = ''
    let code = 0
    for (const name of p.operands) {
      const abs = ctx.fs.resolvePath(ctx.cwd, name)
      try {
        if (mode) out += (await canonicalize(ctx.fs, abs, mode)) + end
        else {
          const st = await ctx.fs.lstat(abs)
          if (!st.isSymbolicLink) throw Object.assign(new Error('EINVAL'), { code: 'EINVAL' })
          out += (await ctx.fs.readlink(abs)) + end
        }
      } catch (e) {
        if (verbose)
          err += `readlink: ${name}: ${(e as { code?: string }).code === 'EINVAL' ? 'Invalid argument' : errnoText(e)}\n`
        code = 1
      }
    }
    return { stdout: out, stderr: err, exitCode: code }
  },
}
