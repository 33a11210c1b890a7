import type { IFileSystem } from 'just-bash'
import type { SimCommand } from '../commands/types'
import type { NodeStat } from '../vfs/watched-fs'
import { humanSize, lsDate } from './format'
import { errnoText, modeString, statOf } from './fsinfo'
import { parseGnu } from './gnu'
import { groupName, readUserDb, type UserDb, userName } from './users'

// GNU ls (coreutils 9.1, Debian 12): operands sorted with files before
// directories, `total` lines in 1 KiB blocks, columns with tab stops on a
// terminal and one name per line otherwise, shell quoting of odd names on a
// terminal only, colours only when asked for, and GNU's error wording and
// exit codes (2 for a missing operand, 1 for a minor problem).

interface Entry {
  /** The name as listed (the operand itself for command-line files). */
  name: string
  path: string
  st: NodeStat
  target?: string
  targetStat?: NodeStat
}

interface Options {
  long: boolean
  all: boolean
  almostAll: boolean
  directory: boolean
  recursive: boolean
  human: boolean
  one: boolean
  reverse: boolean
  sort: 'name' | 'time' | 'size' | 'none'
  inode: boolean
  size: boolean
  classify: boolean
  slash: boolean
  color: boolean
  numeric: boolean
  noOwner: boolean
  noGroup: boolean
  deref: boolean
  columns: boolean
  tty: boolean
  width: number
}

const SPEC = {
  short: {
    l: 'long',
    a: 'all',
    A: 'almost-all',
    d: 'directory',
    R: 'recursive',
    h: 'human-readable',
    '1': 'one',
    r: 'reverse',
    t: 'time',
    S: 'size-sort',
    U: 'unsorted',
    f: 'f',
    i: 'inode',
    s: 'size',
    F: 'classify',
    p: 'slash',
    n: 'numeric-uid-gid',
    o: 'no-group-long',
    g: 'no-owner-long',
    G: 'no-group',
    L: 'dereference',
    C: 'columns',
    x: 'across',
    c: 'ctime',
    u: 'atime',
    H: 'dereference-command-line',
    k: 'kibibytes',
    N: 'literal',
    Q: 'quote-name',
    v: 'version',
    X: 'extension',
  },
  long: {
    all: 'all',
    'almost-all': 'almost-all',
    directory: 'directory',
    recursive: 'recursive',
    'human-readable': 'human-readable',
    reverse: 'reverse',
    inode: 'inode',
    size: 'size',
    classify: 'classify',
    'numeric-uid-gid': 'numeric-uid-gid',
    'no-group': 'no-group',
    dereference: 'dereference',
    color: 'color',
    colour: 'color',
    sort: 'sort',
    'full-time': 'full-time',
    'group-directories-first': 'group-directories-first',
    literal: 'literal',
    'quote-name': 'quote-name',
    help: 'help',
    version: 'ls-version',
    width: 'width',
  },
  withValue: new Set(['sort', 'width']),
}

/** Whether a name needs shell quoting on a terminal (GNU's shell-escape style). */
function needsQuote(name: string): boolean {
  return !/^[A-Za-z0-9_@%+=:,./-]+$/.test(name) || name === ''
}

function shellEscape(name: string): string {
  if (!needsQuote(name)) return name
  if (!name.includes("'")) return `'${name}'`
  return `"${name.replace(/(["\\$`])/g, '\\$1')}"`
}

/** GNU's byte order in the C.UTF-8 locale. */
function byName(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

function colorOf(e: Entry): string | undefined {
  const st = e.st
  if (st.isSymbolicLink) return e.targetStat || e.target === undefined ? '01;36' : '40;31;01'
  if (st.isDirectory) {
    if (st.mode & 0o1000 && st.mode & 0o002) return '30;42'
    if (st.mode & 0o002) return '34;42'
    if (st.mode & 0o1000) return '37;44'
    return '01;34'
  }
  if (st.mode & 0o4000) return '37;41'
  if (st.mode & 0o2000) return '30;43'
  if (st.mode & 0o111) return '01;32'
  return undefined
}

function classifySuffix(e: Entry, o: Options): string {
  const st = e.st
  if (st.isDirectory) return o.classify || o.slash ? '/' : ''
  if (!o.classify) return ''
  if (st.isSymbolicLink) return '@'
  if (st.mode & 0o111) return '*'
  return ''
}

/** GNU's indent(): tabs to each tab stop of 8 on the way, then spaces. */
function indent(from: number, to: number): string {
  let out = ''
  let pos = from
  while (pos < to) {
    if (Math.floor(to / 8) > Math.floor((pos + 1) / 8)) {
      out += '\t'
      pos += 8 - (pos % 8)
    } else {
      out += ' '
      pos++
    }
  }
  return out
}

class Lister {
  out = ''
  err = ''
  status = 0
  private colorStarted = false
  private db: UserDb = { users: [], groups: [] }

  constructor(
    private fs: IFileSystem,
    private o: Options,
    private now: number,
  ) {}

  async init(): Promise<void> {
    this.db = await readUserDb(this.fs)
  }

  private fail(text: string, code: number): void {
    this.err += `ls: ${text}\n`
    this.status = Math.max(this.status, code)
  }

  private q(name: string): string {
    return this.o.tty ? `'${name.replace(/'/g, "'\\''")}'` : `'${name}'`
  }

  async entry(name: string, path: string, follow: boolean): Promise<Entry> {
    const lst = await statOf(this.fs, path, false)
    const e: Entry = { name, path, st: lst }
    if (lst.isSymbolicLink) {
      e.target = await this.fs.readlink(path).catch(() => undefined)
      e.targetStat = await statOf(this.fs, path, true).catch(() => undefined)
      if (follow && e.targetStat) e.st = e.targetStat
    }
    return e
  }

  sortEntries(list: Entry[]): Entry[] {
    const o = this.o
    if (o.sort === 'none') return o.reverse ? [...list].reverse() : list
    const sorted = [...list].sort((a, b) => {
      let d = 0
      if (o.sort === 'time') d = b.st.mtime.getTime() - a.st.mtime.getTime()
      else if (o.sort === 'size') d = b.st.size - a.st.size
      return d !== 0 ? d : byName(a.name, b.name)
    })
    return o.reverse ? sorted.reverse() : sorted
  }

  private displayName(e: Entry, quoteAlign: boolean): string {
    let name = this.o.tty ? shellEscape(e.name) : e.name
    if (quoteAlign && !needsQuote(e.name)) name = ` ${name}`
    const color = this.o.color ? colorOf(e) : undefined
    if (color) {
      const reset = this.colorStarted ? '' : '\x1b[0m'
      this.colorStarted = true
      name = `${reset}\x1b[${color}m${name}\x1b[0m`
    }
    return name + classifySuffix(e, this.o)
  }

  private visibleWidth(e: Entry, quoteAlign: boolean): number {
    const name = this.o.tty ? shellEscape(e.name) : e.name
    return [...name].length + (quoteAlign && !needsQuote(e.name) ? 1 : 0) + classifySuffix(e, this.o).length
  }

  /** Print one group of entries (a directory's contents or the file operands). */
  printEntries(list: Entry[], withTotal: boolean): void {
    const o = this.o
    const quoteAlign = o.tty && list.some((e) => needsQuote(e.name))
    const blocks = (e: Entry) => Math.ceil(e.st.blocks / 2)
    if (o.long || o.size) {
      if (withTotal) {
        const total = list.reduce((n, e) => n + blocks(e), 0)
        this.out += `total ${o.human ? humanSize(total * 1024) : total}\n`
      }
    }
    if (o.long) {
      const rows = list.map((e) => {
        const st = e.st
        const owner = o.numeric ? String(st.uid) : userName(this.db, st.uid)
        const group = o.numeric ? String(st.gid) : groupName(this.db, st.gid)
        return {
          e,
          ino: String(st.ino),
          blocks: o.human ? humanSize(blocks(e) * 1024) : String(blocks(e)),
          mode: modeString(st),
          nlink: String(st.nlink),
          owner,
          group,
          size: o.human ? humanSize(st.size) : String(st.size),
          date: lsDate(st.mtime.getTime(), this.now),
        }
      })
      const w = (k: 'ino' | 'blocks' | 'nlink' | 'owner' | 'group' | 'size') =>
        Math.max(0, ...rows.map((r) => r[k].length))
      for (const r of rows) {
        let line = ''
        if (o.inode) line += `${r.ino.padStart(w('ino'))} `
        if (o.size) line += `${r.blocks.padStart(w('blocks'))} `
        line += `${r.mode} ${r.nlink.padStart(w('nlink'))} `
        if (!o.noOwner) line += `${r.owner.padEnd(w('owner'))} `
        if (!o.noGroup) line += `${r.group.padEnd(w('group'))} `
        line += `${r.size.padStart(w('size'))} ${r.date} ${this.displayName(r.e, quoteAlign)}`
        if (r.e.st.isSymbolicLink && r.e.target !== undefined)
          line += ` -> ${o.tty ? shellEscape(r.e.target) : r.e.target}`
        this.out += `${line}\n`
      }
      return
    }
    const prefix = (e: Entry) => {
      let p = ''
      if (o.inode) p += `${String(e.st.ino)} `
      if (o.size) p += `${o.human ? humanSize(blocks(e) * 1024) : blocks(e)} `
      return p
    }
    if (!o.columns || list.length === 0) {
      for (const e of list) this.out += `${prefix(e)}${this.displayName(e, quoteAlign)}\n`
      return
    }
    this.columns(
      list,
      (e) => prefix(e).length + this.visibleWidth(e, quoteAlign),
      (e) => prefix(e) + this.displayName(e, quoteAlign),
    )
  }

  /** GNU's vertical column layout for a terminal of `width` columns. */
  private columns(list: Entry[], widthOf: (e: Entry) => number, text: (e: Entry) => string): void {
    const n = list.length
    const widths = list.map(widthOf)
    const lineLength = this.o.width
    const maxCols = Math.max(1, Math.min(n, Math.floor(lineLength / 3)))
    let best = 1
    let bestCols: number[] = [Math.max(...widths)]
    for (let cols = 1; cols <= maxCols; cols++) {
      const rows = Math.ceil(n / cols)
      const colArr = new Array<number>(cols).fill(0)
      let lineLen = 0
      let valid = true
      for (let i = 0; i < n && valid; i++) {
        const idx = Math.floor(i / rows)
        const real = (widths[i] as number) + (idx === cols - 1 ? 0 : 2)
        if ((colArr[idx] as number) < real) {
          lineLen += real - (colArr[idx] as number)
          colArr[idx] = real
          valid = lineLen < lineLength
        }
      }
      if (valid) {
        best = cols
        bestCols = colArr
      }
    }
    const rows = Math.ceil(n / best)
    for (let r = 0; r < rows; r++) {
      let line = ''
      let pos = 0
      for (let c = 0, i = r; i < n; c++, i += rows) {
        const e = list[i] as Entry
        line += text(e)
        const w = widths[i] as number
        const colWidth = bestCols[c] as number
        if (i + rows >= n) break
        line += indent(pos + w, pos + colWidth)
        pos += colWidth
      }
      this.out += `${line}\n`
    }
  }

  /** The entries of a directory, as ls lists them (with . and .. under -a). */
  async readDir(path: string): Promise<Entry[] | undefined> {
    let names: string[]
    try {
      names = await this.fs.readdir(path)
    } catch (err) {
      this.fail(`cannot open directory ${this.q(path)}: ${errnoText(err)}`, 2)
      return undefined
    }
    const o = this.o
    const list: Entry[] = []
    if (o.all) {
      list.push(await this.entry('.', path, false))
      const parent = path === '/' ? '/' : path.replace(/\/[^/]+\/?$/, '') || '/'
      list.push({ ...(await this.entry('..', parent, false)), name: '..' })
    }
    for (const name of names) {
      if (name.startsWith('.') && !o.all && !o.almostAll) continue
      const child = path.endsWith('/') ? `${path}${name}` : `${path}/${name}`
      try {
        list.push(await this.entry(name, child, o.deref))
      } catch (err) {
        this.fail(`cannot access ${this.q(child)}: ${errnoText(err)}`, 1)
      }
    }
    return this.sortEntries(list)
  }

  async listDir(shown: string, path: string, header: boolean, first: boolean): Promise<void> {
    const list = await this.readDir(path)
    if (header) this.out += `${first ? '' : '\n'}${this.o.tty ? shellEscape(shown) : shown}:\n`
    if (!list) return
    this.printEntries(list, true)
    if (!this.o.recursive) return
    for (const e of list) {
      if (e.name === '.' || e.name === '..' || !e.st.isDirectory || e.st.isSymbolicLink) continue
      const sub = shown.endsWith('/') ? `${shown}${e.name}` : `${shown}/${e.name}`
      await this.listDir(sub, e.path, true, false)
    }
  }
}

export const lsCommand: SimCommand = {
  name: 'ls',
  async run(ctx) {
    const p = parseGnu('ls', ctx.args, SPEC)
    if ('error' in p) return { stdout: '', stderr: p.error, exitCode: 2 }
    const f = p.flags
    const colorArg = p.values.get('color')
    const tty = ctx.tty !== undefined
    const widthArg = p.values.get('width') ?? ctx.env.COLUMNS
    const o: Options = {
      long: f.has('long') || f.has('no-group-long') || f.has('no-owner-long') || f.has('full-time'),
      all: f.has('all') || f.has('f'),
      almostAll: f.has('almost-all'),
      directory: f.has('directory'),
      recursive: f.has('recursive'),
      human: f.has('human-readable'),
      one: f.has('one'),
      reverse: f.has('reverse'),
      sort:
        f.has('unsorted') || f.has('f')
          ? 'none'
          : f.has('time')
            ? 'time'
            : f.has('size-sort')
              ? 'size'
              : 'name',
      inode: f.has('inode'),
      size: f.has('size'),
      classify: f.has('classify'),
      slash: f.has('slash'),
      color:
        f.has('color') &&
        (colorArg === undefined ||
          colorArg === 'always' ||
          colorArg === 'yes' ||
          colorArg === 'force' ||
          ((colorArg === 'auto' || colorArg === 'tty' || colorArg === 'if-tty') && tty)),
      numeric: f.has('numeric-uid-gid'),
      noOwner: f.has('no-owner-long'),
      noGroup: f.has('no-group-long') || f.has('no-group'),
      deref: f.has('dereference'),
      columns: false,
      tty,
      width: Number(widthArg) > 0 ? Number(widthArg) : (ctx.tty?.size.cols ?? 80),
    }
    const sortArg = p.values.get('sort')
    if (sortArg === 'time') o.sort = 'time'
    else if (sortArg === 'size') o.sort = 'size'
    else if (sortArg === 'none') o.sort = 'none'
    else if (sortArg === 'name') o.sort = 'name'
    o.columns = (tty || f.has('columns')) && !o.long && !o.one
    const lister = new Lister(ctx.fs, o, ctx.node.cluster.clock.now())
    await lister.init()
    const operands = p.operands.length ? p.operands : ['.']
    const files: Entry[] = []
    const dirs: Entry[] = []
    for (const name of operands) {
      const path = ctx.fs.resolvePath(ctx.cwd, name)
      try {
        // Command-line symlinks are followed unless -l (or -d, -F) says to show the link itself.
        const follow = o.deref || name.endsWith('/') || (!o.long && !o.directory && !o.classify)
        const e = await lister.entry(name, path, follow)
        if (e.st.isSymbolicLink && e.targetStat?.isDirectory && !o.directory && !o.long && follow)
          e.st = e.targetStat
        if (e.st.isDirectory && !o.directory) dirs.push(e)
        else files.push(e)
      } catch (err) {
        lister.err += `ls: cannot access '${name}': ${errnoText(err)}\n`
        lister.status = 2
      }
    }
    const sortedFiles = lister.sortEntries(files)
    const sortedDirs = lister.sortEntries(dirs)
    if (sortedFiles.length) lister.printEntries(sortedFiles, false)
    const headers = operands.length > 1 || o.recursive
    let first = sortedFiles.length === 0
    for (const d of sortedDirs) {
      await lister.listDir(d.name, d.path, headers, first)
      first = false
    }
    return { stdout: lister.out, stderr: lister.err, exitCode: lister.status }
  },
}
