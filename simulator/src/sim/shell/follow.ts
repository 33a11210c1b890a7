import type { CommandResult, SimCommand, SimCommandContext } from '../commands/types'
import { cooperate } from './cooperate'

// Coreutils that wait: `sleep` on the simulated clock (so Ctrl-C stops it at
// once and a replay does not wait), and `tail -f`, which keeps printing what
// is appended to its files while its output is the terminal.

const UNITS: Record<string, number> = { '': 1000, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }

/** GNU sleep's arguments (`1.5`, `2m`, `1h 30m`) in ms, or its complaint. */
export function sleepMs(args: string[]): number | string {
  const operands = args[0] === '--' ? args.slice(1) : args
  if (operands.length === 0) return "sleep: missing operand\nTry 'sleep --help' for more information.\n"
  let total = 0
  for (const a of operands) {
    const m = /^(\d+(?:\.\d*)?|\.\d+)([smhd]?)$/.exec(a)
    if (!m) return `sleep: invalid time interval '${a}'\nTry 'sleep --help' for more information.\n`
    total += Number(m[1]) * (UNITS[m[2] ?? ''] ?? 1000)
  }
  return total
}

export const sleepCommand: SimCommand = {
  name: 'sleep',
  async run(ctx) {
    const ms = sleepMs(ctx.args)
    if (typeof ms === 'string') return { stdout: '', stderr: ms, exitCode: 1 }
    await ctx.node.cluster.clock.sleep(ms, ctx.signal)
    // Stopped (Ctrl-Z) while sleeping: the time runs on, the process ends only once continued.
    await cooperate(ctx.signal)
    return { stdout: '', stderr: '', exitCode: 0 }
  },
}

const FOLLOW = /^(-f|-F|--follow(=.*)?|--retry)$/

/** Whether `tail`'s arguments ask to follow, and the arguments without that. */
export function splitFollow(args: string[]): { follow: boolean; rest: string[] } {
  const rest: string[] = []
  let follow = false
  let operands = false
  for (const a of args) {
    if (!operands && a === '--') operands = true
    if (!operands && FOLLOW.test(a)) {
      if (a !== '--retry') follow = true
      continue
    }
    // `-fn5`, `-nf`: short options bundled with f.
    if (!operands && /^-[a-zA-Z]*f[a-zA-Z0-9]*$/.test(a) && !a.startsWith('--') && /^-[fnqv]/.test(a)) {
      follow = true
      const without = a.replace('f', '')
      if (without !== '-') rest.push(without)
      continue
    }
    rest.push(a)
  }
  return { follow, rest }
}

/** File operands of `tail`: what is left once its options (and their values) are taken out. */
function fileOperands(args: string[]): string[] {
  const files: string[] = []
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string
    if (a === '--') {
      files.push(...args.slice(i + 1))
      break
    }
    if (
      a === '-n' ||
      a === '-c' ||
      a === '--lines' ||
      a === '--bytes' ||
      a === '-s' ||
      a === '--sleep-interval'
    )
      i++
    else if (!a.startsWith('-') || a === '-') files.push(a)
  }
  return files
}

async function size(ctx: SimCommandContext, path: string): Promise<number | undefined> {
  try {
    return (await ctx.fs.readFileBuffer(ctx.fs.resolvePath(ctx.cwd, path))).length
  } catch {
    return undefined
  }
}

/** The bundled tail, for nodes where nothing else stands in front of it. */
const bundledTail: SimCommand = {
  name: 'tail',
  run: (ctx) =>
    ctx.builtin
      ? ctx.builtin(ctx.args)
      : Promise.resolve({ stdout: '', stderr: 'tail: not available\n', exitCode: 127 }),
}

/**
 * `tail` with `-f`: `inner` prints the file's end (the bundled tail, or a
 * wrapper that checks permissions first), then, while stdout is the terminal,
 * this keeps printing what is appended.
 */
export function followingTail(inner: SimCommand = bundledTail): SimCommand {
  return {
    name: 'tail',
    run: (ctx) => followTail(ctx, inner),
  }
}

export const tailCommand: SimCommand = followingTail()

async function followTail(ctx: SimCommandContext, inner: SimCommand): Promise<CommandResult> {
  const { follow, rest } = splitFollow(ctx.args)
  const first = await inner.run({ ...ctx, args: rest })
  const files = fileOperands(rest).filter((f) => f !== '-')
  const out = ctx.stdout
  if (!follow || !out?.isTerminal || files.length === 0) return first
  out.write(first.stdout)
  ctx.stderr?.write(first.stderr)
  // Follow by size, as GNU tail does with polling: print what was appended, say so when a file shrinks.
  const sizes = new Map<string, number | undefined>()
  for (const f of files) sizes.set(f, await size(ctx, f))
  let current = files[files.length - 1]
  const clock = ctx.node.cluster.clock
  for (;;) {
    await clock.sleep(1000, ctx.signal)
    await cooperate(ctx.signal)
    for (const f of files) {
      const before = sizes.get(f)
      const now = await size(ctx, f)
      if (now === undefined || now === before) continue
      sizes.set(f, now)
      if (before !== undefined && now < before) {
        ctx.stderr?.write(`tail: ${f}: file truncated\n`)
        continue
      }
      const bytes = await ctx.fs.readFileBuffer(ctx.fs.resolvePath(ctx.cwd, f))
      const added = new TextDecoder().decode(bytes.slice(before ?? 0))
      if (files.length > 1 && current !== f) out.write(`\n==> ${f} <==\n`)
      current = f
      out.write(added)
    }
  }
}
