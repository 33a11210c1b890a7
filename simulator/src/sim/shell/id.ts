import { fail, ok, type SimCommand } from '../commands/types'

// `id` for the only user a simulated node has. /etc/profile runs `id -u` to
// pick root's PATH, so it must exist.

const FULL = 'uid=0(root) gid=0(root) groups=0(root)\n'

export const idCommand: SimCommand = {
  name: 'id',
  async run(ctx) {
    const flags = new Set<string>()
    const users: string[] = []
    for (const a of ctx.args) {
      if (a === '--user') flags.add('u')
      else if (a === '--group') flags.add('g')
      else if (a === '--groups') flags.add('G')
      else if (a === '--name') flags.add('n')
      else if (a.startsWith('--'))
        return fail(`id: unrecognized option '${a}'\nTry 'id --help' for more information.\n`)
      else if (a.startsWith('-') && a.length > 1) {
        for (const f of a.slice(1)) {
          if (!'ugGnr'.includes(f))
            return fail(`id: invalid option -- '${f}'\nTry 'id --help' for more information.\n`)
          flags.add(f)
        }
      } else users.push(a)
    }
    for (const u of users) if (u !== 'root' && u !== '0') return fail(`id: '${u}': no such user\n`)
    const name = flags.has('n')
    if (flags.has('u') || flags.has('g') || flags.has('G')) return ok(name ? 'root\n' : '0\n')
    if (name) return fail('id: cannot print only names or real IDs in default format\n')
    return ok(FULL)
  },
}
