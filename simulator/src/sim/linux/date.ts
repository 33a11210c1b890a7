import type { SimCommand } from '../commands/types'

// date on the simulated clock: the cluster has a past (it was created days
// before the lab opened) and its clock may run virtually, so `date` tells the
// node's time, the one `uptime`, journal lines and AGE columns are read from,
// not the machine's. The bundled date formats it; a date given with -d, -r or
// -f is left alone.

const GIVEN = /^(-d|--date(=.*)?|-r|--reference(=.*)?|-f|--file(=.*)?|-[a-zA-Z]*[drf])$/

export const dateCommand: SimCommand = {
  name: 'date',
  run(ctx) {
    if (!ctx.builtin) return Promise.resolve({ stdout: '', stderr: 'date: not available\n', exitCode: 127 })
    const given = ctx.args.some((a) => GIVEN.test(a) && !a.startsWith('+'))
    if (given) return ctx.builtin(ctx.args)
    const seconds = Math.floor(ctx.node.cluster.clock.now() / 1000)
    return ctx.builtin(['-d', `@${seconds}`, ...ctx.args])
  },
}
