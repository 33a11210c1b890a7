import { fail, ok, type SimCommand, type SimCommandContext } from '../commands/types'
import { humanSize } from './format'
import { errnoText, statOf } from './fsinfo'

// Looking at files: GNU du, tree 2.1, file 5.44, xxd (vim 9.0) and
// util-linux hexdump -C, with the output shapes and error texts of Debian 12
// (held against test/debian/corpus/fs/{du,tree,file,xxd,hexdump}-*.yaml).

function abs(ctx: SimCommandContext, p: string): string {
  return ctx.fs.resolvePath(ctx.cwd, p)
}

/** Child path as the user typed its parent (`du sub` prints `sub/x`). */
function join(dir: string, name: string): string {
  return dir.endsWith('/') ? `${dir}${name}` : `${dir}/${name}`
}

async function list(ctx: SimCommandContext, dir: string): Promise<string[]> {
  return (await ctx.fs.readdir(abs(ctx, dir))).sort()
}

// --- du ----------------------------------------------------------------------

async function du(ctx: SimCommandContext) {
  let all = false
  let summary = false
  let human = false
  let total = false
  const operands: string[] = []
  for (const a of ctx.args) {
    if (a === '--') continue
    if (a.startsWith('--')) {
      if (a === '--all') all = true
      else if (a === '--summarize') summary = true
      else if (a === '--human-readable') human = true
      else if (a === '--total') total = true
      else return fail(`du: unrecognized option '${a}'\nTry 'du --help' for more information.\n`)
    } else if (a.startsWith('-') && a.length > 1) {
      for (const c of a.slice(1)) {
        if (c === 'a') all = true
        else if (c === 's') summary = true
        else if (c === 'h') human = true
        else if (c === 'c') total = true
        else if (c === 'k' || c === 'x') continue
        else return fail(`du: invalid option -- '${c}'\nTry 'du --help' for more information.\n`)
      }
    } else operands.push(a)
  }
  if (all && summary)
    return fail("du: cannot both summarize and show all entries\nTry 'du --help' for more information.\n")
  if (operands.length === 0) operands.push('.')
  const show = (kb: number) => (human ? humanSize(kb * 1024) : String(kb))
  let out = ''
  let err = ''
  let grand = 0
  // Sizes are what the blocks occupy (512-byte blocks / 2 = KiB), as GNU du counts by default.
  const walk = async (path: string, top: boolean): Promise<number> => {
    const st = await statOf(ctx.fs, abs(ctx, path), false)
    let kb = Math.ceil(st.blocks / 2)
    if (st.isDirectory) {
      let names: string[] = []
      try {
        names = await list(ctx, path)
      } catch (e) {
        err += `du: cannot read directory '${path}': ${errnoText(e)}\n`
      }
      for (const n of names) kb += await walk(join(path, n), false)
      if (!summary || top) out += `${show(kb)}\t${path}\n`
    } else if (top || all) out += `${show(kb)}\t${path}\n`
    return kb
  }
  for (const p of operands) {
    try {
      grand += await walk(p, true)
    } catch (e) {
      err += `du: cannot access '${p}': ${errnoText(e)}\n`
    }
  }
  if (total) out += `${show(grand)}\ttotal\n`
  return { stdout: out, stderr: err, exitCode: err ? 1 : 0 }
}

// --- tree --------------------------------------------------------------------

async function tree(ctx: SimCommandContext) {
  let hidden = false
  let dirsOnly = false
  let level = Number.POSITIVE_INFINITY
  const operands: string[] = []
  const args = ctx.args
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string
    if (a === '-a') hidden = true
    else if (a === '-d') dirsOnly = true
    else if (a === '-L') {
      const n = Number(args[++i])
      if (!Number.isInteger(n) || n < 1) return fail('tree: Invalid level, must be greater than 0.\n', 1)
      level = n
    } else if (a === '--') operands.push(...args.slice(i + 1))
    else if (a.startsWith('-') && a !== '-')
      return fail(
        `tree: Invalid argument -\`${a.slice(1)}'.\nusage: tree [-acdfghilnpqrstuvxACDFJQNSUX] [-L level [-R]] [-H  baseHREF]\n`,
        2,
      )
    else operands.push(a)
  }
  if (operands.length === 0) operands.push('.')
  let dirs = 0
  let files = 0
  let out = ''
  let failed = false
  const walk = async (path: string, prefix: string, depth: number) => {
    let names = await list(ctx, path)
    if (!hidden) names = names.filter((n) => !n.startsWith('.'))
    const entries: Array<{ name: string; dir: boolean; link?: string }> = []
    for (const name of names) {
      const p = abs(ctx, join(path, name))
      const st = await statOf(ctx.fs, p, false)
      let dir = st.isDirectory
      let link: string | undefined
      if (st.isSymbolicLink) {
        link = await ctx.fs.readlink(p)
        dir = await statOf(ctx.fs, p, true).then(
          (t) => t.isDirectory,
          () => false,
        )
      }
      if (dirsOnly && !dir) continue
      entries.push({ name, dir, link })
    }
    for (const [i, e] of entries.entries()) {
      const last = i === entries.length - 1
      out += `${prefix}${last ? '└── ' : '├── '}${e.name}${e.link !== undefined ? ` -> ${e.link}` : ''}\n`
      if (e.dir) dirs++
      else files++
      if (e.dir && e.link === undefined && depth < level)
        await walk(join(path, e.name), `${prefix}${last ? '    ' : '│   '}`, depth + 1)
    }
  }
  for (const p of operands) {
    const st = await statOf(ctx.fs, abs(ctx, p)).catch(() => undefined)
    if (!st?.isDirectory) {
      out += `${p}  [error opening dir]\n`
      failed = true
      continue
    }
    // tree 2.x counts the directories it was given.
    dirs++
    out += `${p}\n`
    await walk(p, '', 1)
  }
  const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`
  out += `\n${plural(dirs, 'directory', 'directories')}${dirsOnly ? '' : `, ${plural(files, 'file', 'files')}`}\n`
  return { stdout: out, stderr: '', exitCode: failed ? 2 : 0 }
}

// --- file --------------------------------------------------------------------

const PEM: Array<[string, string]> = [
  ['-----BEGIN CERTIFICATE-----', 'PEM certificate'],
  ['-----BEGIN CERTIFICATE REQUEST-----', 'PEM certificate request'],
  ['-----BEGIN RSA PRIVATE KEY-----', 'PEM RSA private key'],
  ['-----BEGIN EC PRIVATE KEY-----', 'PEM EC private key'],
  ['-----BEGIN DSA PRIVATE KEY-----', 'PEM DSA private key'],
]

const INTERPRETERS: Record<string, string> = {
  bash: 'Bourne-Again shell script',
  sh: 'POSIX shell script',
  python3: 'Python script',
  python: 'Python script',
  perl: 'Perl script',
}

/** What file(1) 5.44 says about some bytes (the cases a lab's files meet). */
export function describeBytes(bytes: Uint8Array): string {
  if (bytes.length === 0) return 'empty'
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 512))
  if (head.startsWith('\x1f\x8b')) return 'gzip compressed data'
  let binary = false
  let high = false
  for (const b of bytes.subarray(0, 65536)) {
    if (b === 0 || (b < 0x20 && b !== 9 && b !== 10 && b !== 13 && b !== 12 && b !== 27)) binary = true
    if (b >= 0x80) high = true
  }
  if (binary) return 'data'
  let utf8 = !high
  if (high) {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes)
      utf8 = true
    } catch {
      return 'ISO-8859 text'
    }
  }
  const charset = high && utf8 ? 'Unicode text, UTF-8 text' : 'ASCII text'
  for (const [marker, kind] of PEM) if (head.startsWith(marker)) return kind
  const text = new TextDecoder().decode(bytes)
  const lines = text.split('\n')
  const longest = Math.max(...lines.map((l) => l.length))
  const extras: string[] = []
  if (longest > 300) extras.push(`with very long lines (${longest})`)
  if (!text.includes('\n')) extras.push('with no line terminators')
  const shebang = /^#!\s*(?:\/usr\/bin\/env\s+)?(?:\S*\/)?(\w+)/.exec(text)
  const script = shebang ? INTERPRETERS[shebang[1] as string] : undefined
  const body = script ? `${script}, ${charset} executable` : charset
  return extras.length ? `${body}, ${extras.join(', ')}` : body
}

async function file(ctx: SimCommandContext) {
  let brief = false
  const names: string[] = []
  for (const a of ctx.args) {
    if (a === '-b' || a === '--brief') brief = true
    else if (a === '-L' || a === '--dereference') continue
    else if (a.startsWith('-') && a !== '-') {
      return fail(
        `file: invalid option -- '${a.slice(1, 2)}'\nUsage: file [-bcCdEhikLlNnprsSvzZ0] [--apple] [--extension] [--mime-encoding]\n            [--mime-type] [-e <testname>] [-F <separator>]  [-f <namefile>]\n            [-m <magicfiles>] [-P <parameter=value>] [--exclude-quiet]\n            <file> ...\n       file -C [-m <magicfiles>]\n       file [--help]\n`,
      )
    } else names.push(a)
  }
  if (names.length === 0)
    return fail(
      'Usage: file [-bcCdEhikLlNnprsSvzZ0] [--apple] [--extension] [--mime-encoding]\n            [--mime-type] [-e <testname>] [-F <separator>]  [-f <namefile>]\n            [-m <magicfiles>] [-P <parameter=value>] [--exclude-quiet]\n            <file> ...\n       file -C [-m <magicfiles>]\n       file [--help]\n',
    )
  const width = Math.max(...names.map((n) => n.length + 1)) + 1
  let out = ''
  for (const name of names) {
    let what: string
    try {
      const p = abs(ctx, name)
      const st = await statOf(ctx.fs, p, false)
      if (st.isSymbolicLink) what = `symbolic link to ${await ctx.fs.readlink(p)}`
      else if (st.isDirectory) what = 'directory'
      else what = describeBytes(await ctx.fs.readFileBuffer(p))
    } catch (e) {
      what = `cannot open \`${name}' (${errnoText(e)})`
    }
    out += brief ? `${what}\n` : `${`${name}:`.padEnd(width)}${what}\n`
  }
  return ok(out)
}

// --- xxd and hexdump ---------------------------------------------------------

/** The bytes of the operand (or stdin), or the error a missing file gives. */
async function input(ctx: SimCommandContext, name: string | undefined): Promise<Uint8Array> {
  if (name === undefined || name === '-') return new TextEncoder().encode(ctx.stdin)
  return ctx.fs.readFileBuffer(abs(ctx, name))
}

const printable = (b: number) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')
const hex2 = (b: number) => b.toString(16).padStart(2, '0')

async function xxd(ctx: SimCommandContext) {
  let limit = Number.POSITIVE_INFINITY
  let plain = false
  let cols = 16
  const names: string[] = []
  const args = ctx.args
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string
    if (a === '-l' || a === '-len') limit = Number(args[++i])
    else if (/^-l\d+$/.test(a)) limit = Number(a.slice(2))
    else if (a === '-p' || a === '-ps' || a === '-plain') plain = true
    else if (a === '-c' || a === '-cols') cols = Number(args[++i])
    else if (a.startsWith('-') && a !== '-') return fail(`xxd: unknown option ${a}\n`, 1)
    else names.push(a)
  }
  let bytes: Uint8Array
  try {
    bytes = await input(ctx, names[0])
  } catch (e) {
    return fail(`xxd: ${names[0]}: ${errnoText(e)}\n`, 2)
  }
  if (Number.isFinite(limit)) bytes = bytes.subarray(0, Math.max(0, limit))
  let out = ''
  if (plain) {
    const per = 30
    for (let i = 0; i < bytes.length; i += per)
      out += `${[...bytes.subarray(i, i + per)].map(hex2).join('')}\n`
    return ok(out)
  }
  const hexWidth = cols * 2 + Math.ceil(cols / 2) - 1
  for (let i = 0; i < bytes.length; i += cols) {
    const row = [...bytes.subarray(i, i + cols)]
    const groups: string[] = []
    for (let j = 0; j < row.length; j += 2)
      groups.push(
        row
          .slice(j, j + 2)
          .map(hex2)
          .join(''),
      )
    out += `${i.toString(16).padStart(8, '0')}: ${groups.join(' ').padEnd(hexWidth)}  ${row.map(printable).join('')}\n`
  }
  return ok(out)
}

async function hexdump(ctx: SimCommandContext) {
  const names = ctx.args.filter((a) => a !== '-C' && a !== '--canonical')
  const bad = names.find((a) => a.startsWith('-') && a !== '-')
  if (bad)
    return fail(
      `hexdump: invalid option -- '${bad.slice(1, 2)}'\nTry 'hexdump --help' for more information.\n`,
    )
  const parts: Uint8Array[] = []
  let err = ''
  if (names.length === 0) parts.push(new TextEncoder().encode(ctx.stdin))
  for (const n of names) {
    try {
      parts.push(await input(ctx, n))
    } catch (e) {
      err += `hexdump: ${n}: ${errnoText(e)}\n`
    }
  }
  if (names.length > 0 && parts.length === 0)
    return fail(`${err}hexdump: all input file arguments failed\n`, 1)
  const total = parts.reduce((n, p) => n + p.length, 0)
  const bytes = new Uint8Array(total)
  let at = 0
  for (const p of parts) {
    bytes.set(p, at)
    at += p.length
  }
  let out = ''
  let previous = ''
  let starred = false
  for (let i = 0; i < bytes.length; i += 16) {
    const row = [...bytes.subarray(i, i + 16)]
    const key = row.join(',')
    // A line the same as the one before is shown once as `*`.
    if (row.length === 16 && key === previous) {
      if (!starred) out += '*\n'
      starred = true
      continue
    }
    previous = key
    starred = false
    let hex = ''
    row.forEach((b, j) => {
      hex += `${hex2(b)} ${j === 7 ? ' ' : ''}`
    })
    out += `${i.toString(16).padStart(8, '0')}  ${hex.padEnd(49)} |${row.map(printable).join('')}|\n`
  }
  if (bytes.length > 0) out += `${bytes.length.toString(16).padStart(8, '0')}\n`
  return { stdout: out, stderr: err, exitCode: err ? 1 : 0 }
}

export const fileToolCommands: SimCommand[] = [
  { name: 'du', run: du },
  { name: 'tree', run: tree },
  { name: 'file', run: file },
  { name: 'xxd', run: xxd },
  { name: 'hexdump', run: hexdump },
]
