import type { SimCommand } from '../commands/types'
import type { NodeStat } from '../vfs/watched-fs'
import { statDate } from './format'
import { errnoText, modeString, statOf } from './fsinfo'
import { parseGnu, tryHelp } from './gnu'
import { groupName, readUserDb, type UserDb, userName } from './users'

// GNU stat (coreutils 9.1): the default eight-line layout, -c/--format and
// --printf directives, -L, -t. Times come from the node's clock history
// (access, change and birth are the modification time: the simulator keeps
// one time per file). The device is the root disk of a typical VM (8,1).

const DEV_MAJOR = 8
const DEV_MINOR = 1

function typeName(st: NodeStat): string {
  if (st.isSymbolicLink) return 'symbolic link'
  if (st.isDirectory) return 'directory'
  return st.size === 0 ? 'regular empty file' : 'regular file'
}

function rawMode(st: NodeStat): number {
  const type = st.isSymbolicLink ? 0o120000 : st.isDirectory ? 0o040000 : 0o100000
  return type | (st.mode & 0o7777)
}

interface Subject {
  name: string
  st: NodeStat
  target?: string
}

function directive(ch: string, s: Subject, db: UserDb): string | undefined {
  const st = s.st
  const secs = (d: Date) => String(Math.floor(d.getTime() / 1000))
  switch (ch) {
    case 'a':
      return (st.mode & 0o7777).toString(8)
    case 'A':
      return modeString(st)
    case 'b':
      return String(st.blocks)
    case 'B':
      return '512'
    case 'd':
      return String(DEV_MAJOR * 256 + DEV_MINOR)
    case 'D':
      return (DEV_MAJOR * 256 + DEV_MINOR).toString(16)
    case 'f':
      return rawMode(st).toString(16)
    case 'F':
      return typeName(st)
    case 'g':
      return String(st.gid)
    case 'G':
      return groupName(db, st.gid)
    case 'h':
      return String(st.nlink)
    case 'i':
      return String(st.ino)
    case 'm':
      return '/'
    case 'n':
      return s.name
    case 'N':
      return s.target !== undefined ? `'${s.name}' -> '${s.target}'` : `'${s.name}'`
    case 'o':
      return '4096'
    case 's':
      return String(st.size)
    case 't':
    case 'T':
      return '0'
    case 'u':
      return String(st.uid)
    case 'U':
      return userName(db, st.uid)
    case 'w':
    case 'x':
    case 'y':
    case 'z':
      return statDate(st.mtime.getTime())
    case 'W':
    case 'X':
    case 'Y':
    case 'Z':
      return secs(st.mtime)
    case 'H':
      return String(DEV_MAJOR)
    case 'L':
      return String(DEV_MINOR)
    default:
      return undefined
  }
}

const ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  '\\': '\\',
  a: '\x07',
  '"': '"',
  r: '\r',
  v: '\v',
  f: '\f',
  e: '\x1b',
}

/** Expand a --format/--printf string; `escapes` turns on backslash escapes (--printf). */
function expand(fmt: string, s: Subject, db: UserDb, escapes: boolean): string {
  let out = ''
  for (let i = 0; i < fmt.length; i++) {
    const c = fmt[i] as string
    if (c === '\\' && escapes && i + 1 < fmt.length) {
      const n = fmt[++i] as string
      out += ESCAPES[n] ?? `\\${n}`
      continue
    }
    if (c !== '%') {
      out += c
      continue
    }
    const m = /^([-#+ 0]*)(\d*)(?:\.(\d+))?([a-zA-Z%])/.exec(fmt.slice(i + 1))
    if (!m) {
      out += '%'
      continue
    }
    i += m[0].length
    const [, flags, width, , conv] = m
    if (conv === '%') {
      out += '%'
      continue
    }
    let v = directive(conv as string, s, db)
    if (v === undefined) {
      out += `?`
      continue
    }
    const w = Number(width || 0)
    if (w > v.length) v = flags?.includes('-') ? v.padEnd(w) : v.padStart(w, flags?.includes('0') ? '0' : ' ')
    out += v
  }
  return out
}

function defaultLayout(s: Subject, db: UserDb): string {
  const st = s.st
  const file = s.target !== undefined ? `${s.name} -> ${s.target}` : s.name
  const t = statDate(st.mtime.getTime())
  return (
    `  File: ${file}\n` +
    `  Size: ${String(st.size).padEnd(10)}\tBlocks: ${String(st.blocks).padEnd(10)} IO Block: 4096   ${typeName(st)}\n` +
    `Device: ${DEV_MAJOR},${DEV_MINOR}\tInode: ${String(st.ino).padEnd(11)} Links: ${st.nlink}\n` +
    `Access: (${(st.mode & 0o7777).toString(8).padStart(4, '0')}/${modeString(st)})  Uid: (${String(st.uid).padStart(5)}/${userName(db, st.uid).padStart(8)})   Gid: (${String(st.gid).padStart(5)}/${groupName(db, st.gid).padStart(8)})\n` +
    `Access: ${t}\nModify: ${t}\nChange: ${t}\n Birth: ${t}\n`
  )
}

export const statCommand: SimCommand = {
  name: 'stat',
  async run(ctx) {
    const p = parseGnu('stat', ctx.args, {
      short: { L: 'dereference', c: 'format', t: 'terse', f: 'file-system' },
      long: {
        dereference: 'dereference',
        format: 'format',
        printf: 'printf',
        terse: 'terse',
        'file-system': 'file-system',
      },
      withValue: new Set(['format', 'printf']),
    })
    if ('error' in p) return { stdout: '', stderr: p.error, exitCode: 1 }
    if (p.operands.length === 0)
      return { stdout: '', stderr: `stat: missing operand\n${tryHelp('stat')}`, exitCode: 1 }
    const db = await readUserDb(ctx.fs)
    let out = ''
    let err = ''
    let code = 0
    const follow = p.flags.has('dereference')
    for (const name of p.operands) {
      const path = ctx.fs.resolvePath(ctx.cwd, name)
      let st: NodeStat
      try {
        st = await statOf(ctx.fs, path, follow)
      } catch (e) {
        err += `stat: cannot statx '${name}': ${errnoText(e)}\n`
        code = 1
        continue
      }
      const target = st.isSymbolicLink ? await ctx.fs.readlink(path).catch(() => undefined) : undefined
      const s: Subject = { name, st, target }
      const fmt = p.values.get('format')
      const printf = p.values.get('printf')
      if (printf !== undefined) out += expand(printf, s, db, true)
      else if (fmt !== undefined) out += `${expand(fmt, s, db, false)}\n`
      else if (p.flags.has('terse'))
        out += `${expand('%n %s %b %f %u %g %D %i %h %t %T %X %Y %Z %W %o', s, db, false)}\n`
      else out += defaultLayout(s, db)
    }
    return { stdout: out, stderr: err, exitCode: code }
  },
}
