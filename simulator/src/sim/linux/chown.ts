import type { CommandResult, SimCommand, SimCommandContext } from '../commands/types'
import { errnoText, identityOf, nodeFsOf, statOf } from './fsinfo'
import { gnuQuote, parseGnu, tryHelp } from './gnu'
import { findGroup, findUser, groupName, readUserDb, type UserDb, userName } from './users'

// GNU chown and chgrp (coreutils 9.1): OWNER[:GROUP] with names or numbers
// from the node's /etc/passwd and /etc/group, -R, -v/-c reports, -h. Only
// root may give a file away; anyone else gets EPERM, as the kernel says.

interface Change {
  uid?: number
  gid?: number
}

async function parseSpec(
  cmd: 'chown' | 'chgrp',
  spec: string,
  db: UserDb,
  env: Record<string, string>,
): Promise<Change | string> {
  if (cmd === 'chgrp') {
    const g = findGroup(db, spec)
    return g ? { gid: g.gid } : `chgrp: invalid group: ${gnuQuote(spec, env)}\n`
  }
  const sep = spec.search(/[:.]/)
  const userPart = sep < 0 ? spec : spec.slice(0, sep)
  const groupPart = sep < 0 ? undefined : spec.slice(sep + 1)
  const out: Change = {}
  if (userPart) {
    const u = findUser(db, userPart)
    if (!u) return `chown: invalid user: ${gnuQuote(spec, env)}\n`
    out.uid = u.uid
    // `chown user:` also sets the user's login group.
    if (groupPart === '') out.gid = u.gid
  }
  if (groupPart) {
    const g = findGroup(db, groupPart)
    if (!g) return `chown: invalid group: ${gnuQuote(spec, env)}\n`
    out.gid = g.gid
  }
  return out
}

async function changeOwner(ctx: SimCommandContext, cmd: 'chown' | 'chgrp'): Promise<CommandResult> {
  const p = parseGnu(cmd, ctx.args, {
    short: {
      R: 'recursive',
      v: 'verbose',
      c: 'changes',
      h: 'no-dereference',
      f: 'silent',
      H: 'H',
      L: 'L',
      P: 'P',
    },
    long: {
      recursive: 'recursive',
      verbose: 'verbose',
      changes: 'changes',
      'no-dereference': 'no-dereference',
      silent: 'silent',
      quiet: 'silent',
      dereference: 'dereference',
      reference: 'reference',
      'preserve-root': 'preserve-root',
      'no-preserve-root': 'no-preserve-root',
      from: 'from',
    },
    withValue: new Set(['reference', 'from']),
  })
  if ('error' in p) return { stdout: '', stderr: p.error, exitCode: 1 }
  const [spec, ...files] = p.operands
  if (spec === undefined)
    return { stdout: '', stderr: `${cmd}: missing operand\n${tryHelp(cmd)}`, exitCode: 1 }
  if (files.length === 0)
    return {
      stdout: '',
      stderr: `${cmd}: missing operand after ${gnuQuote(spec, ctx.env)}\n${tryHelp(cmd)}`,
      exitCode: 1,
    }
  const db = await readUserDb(ctx.fs)
  const change = await parseSpec(cmd, spec, db, ctx.env)
  if (typeof change === 'string') return { stdout: '', stderr: change, exitCode: 1 }
  const me = identityOf(ctx.fs)
  const base = nodeFsOf(ctx.fs)
  let out = ''
  let err = ''
  let code = 0
  const verbose = p.flags.has('verbose')
  const changes = p.flags.has('changes')
  const silent = p.flags.has('silent')
  const follow = !p.flags.has('no-dereference')
  const describe = (uid: number, gid: number) =>
    change.uid !== undefined && change.gid !== undefined
      ? `${userName(db, uid)}:${groupName(db, gid)}`
      : change.uid !== undefined
        ? userName(db, uid)
        : groupName(db, gid)
  const visit = async (shown: string, path: string, top: boolean): Promise<void> => {
    let st: Awaited<ReturnType<typeof statOf>>
    try {
      st = await statOf(ctx.fs, path, top ? follow : false)
    } catch (e) {
      if (!silent) err += `${cmd}: cannot access '${shown}': ${errnoText(e)}\n`
      code = 1
      return
    }
    const uid = change.uid ?? st.uid
    const gid = change.gid ?? st.gid
    const same = uid === st.uid && gid === st.gid
    // Only root may give a file away or put it in a group it is not in.
    const allowed =
      me.uid === 0 || (st.uid === me.uid && uid === me.uid && (gid === st.gid || me.groups.includes(gid)))
    if (!allowed || !base) {
      if (!silent)
        err += `${cmd}: changing ${cmd === 'chown' ? 'ownership' : 'group'} of '${shown}': Operation not permitted\n`
      code = 1
    } else {
      if (!same) await base.chown(path, uid, gid, top ? follow : false)
      const what = cmd === 'chown' ? 'ownership' : 'group'
      if (!same && (verbose || changes))
        out += `changed ${what} of '${shown}' from ${describe(st.uid, st.gid)} to ${describe(uid, gid)}\n`
      else if (same && verbose) out += `${what} of '${shown}' retained as ${describe(uid, gid)}\n`
    }
    if (p.flags.has('recursive') && st.isDirectory && !st.isSymbolicLink) {
      let names: string[] = []
      try {
        names = (await ctx.fs.readdir(path)).sort()
      } catch (e) {
        if (!silent) err += `${cmd}: cannot read directory '${shown}': ${errnoText(e)}\n`
        code = 1
        return
      }
      for (const n of names)
        await visit(
          shown.endsWith('/') ? `${shown}${n}` : `${shown}/${n}`,
          path === '/' ? `/${n}` : `${path}/${n}`,
          false,
        )
    }
  }
  for (const f of files) await visit(f, ctx.fs.resolvePath(ctx.cwd, f), true)
  return { stdout: out, stderr: err, exitCode: code }
}

export const chownCommand: SimCommand = { name: 'chown', run: (ctx) => changeOwner(ctx, 'chown') }
export const chgrpCommand: SimCommand = { name: 'chgrp', run: (ctx) => changeOwner(ctx, 'chgrp') }
