import { fail, ok, type SimCommand } from '../commands/types'
import { identityOf } from './fsinfo'
import { gnuQuote, parseGnu, tryHelp } from './gnu'
import { findUser, groupName, groupsOf, readUserDb, userName } from './users'

// whoami and id: the user the process runs as (root, or the target of
// `sudo -u`), named from the node's /etc/passwd and /etc/group.

export const whoamiCommand: SimCommand = {
  name: 'whoami',
  async run(ctx) {
    if (ctx.args.length > 0 && ctx.args[0] !== '--')
      return ctx.args[0]?.startsWith('-')
        ? fail(
            `whoami: ${ctx.args[0]?.startsWith('--') ? `unrecognized option '${ctx.args[0]}'` : `invalid option -- '${ctx.args[0]?.[1]}'`}\n${tryHelp('whoami')}`,
          )
        : fail(`whoami: extra operand ${gnuQuote(ctx.args[0] as string, ctx.env)}\n${tryHelp('whoami')}`)
    const db = await readUserDb(ctx.fs)
    return ok(`${userName(db, identityOf(ctx.fs).uid)}\n`)
  },
}

export const idCommand: SimCommand = {
  name: 'id',
  async run(ctx) {
    const p = parseGnu('id', ctx.args, {
      short: { u: 'user', g: 'group', G: 'groups', n: 'name', r: 'real', z: 'zero', a: 'a' },
      long: { user: 'user', group: 'group', groups: 'groups', name: 'name', real: 'real', zero: 'zero' },
    })
    if ('error' in p) return fail(p.error)
    const db = await readUserDb(ctx.fs)
    let uid: number
    let gid: number
    let groups: number[]
    const who = p.operands[0]
    if (p.operands.length > 1)
      return fail(`id: extra operand ${gnuQuote(p.operands[1] as string, ctx.env)}\n${tryHelp('id')}`)
    if (who !== undefined) {
      const u = findUser(db, who)
      if (!u) return fail(`id: ${gnuQuote(who, ctx.env)}: no such user\n`)
      uid = u.uid
      gid = u.gid
      groups = groupsOf(db, u)
    } else {
      const me = identityOf(ctx.fs)
      uid = me.uid
      gid = me.gid
      groups = me.groups
    }
    const name = p.flags.has('name')
    const only = ['user', 'group', 'groups'].filter((f) => p.flags.has(f))
    if (only.length > 1) return fail(`id: cannot print "only" of more than one choice\n`)
    if (only[0] === 'user') return ok(`${name ? userName(db, uid) : uid}\n`)
    if (only[0] === 'group') return ok(`${name ? groupName(db, gid) : gid}\n`)
    if (only[0] === 'groups') return ok(`${groups.map((g) => (name ? groupName(db, g) : g)).join(' ')}\n`)
    if (name || p.flags.has('real'))
      return fail(`id: cannot print only names or real IDs in default format\n${tryHelp('id')}`)
    const gl = groups.map((g) => `${g}(${groupName(db, g)})`).join(',')
    return ok(`uid=${uid}(${userName(db, uid)}) gid=${gid}(${groupName(db, gid)}) groups=${gl}\n`)
  },
}
