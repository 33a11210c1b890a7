import type { CommandResult, SimCommand, SimCommandContext } from '../commands/types'
import { resolvePath } from '../commands/types'
import type { Key } from '../shell/keys'
import { byteLength, runFullScreen } from './fullscreen'
import { splitWithin } from './limits'
import { Vim, type VimFile } from './vim'

// `vim` / `vi` on a simulated node: loads the file through the process's
// filesystem, keeps vim's swap file beside it while editing, saves with one
// write, and runs `-c`/`+cmd` commands (so scripts can drive it too).

const VERSION = `VIM - Vi IMproved 9.0 (2022 Jun 28, compiled May 04 2023 10:24:44)
Included patches: 1-1378
Modified by team+vim@tracker.debian.org
Compiled by team+vim@tracker.debian.org
Huge version without GUI.
`

interface VimArgs {
  file?: string
  commands: string[]
  readonly: boolean
}

function parseArgs(args: string[]): VimArgs | CommandResult {
  const out: VimArgs = { commands: [], readonly: false }
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string
    if (a === '--version') return { stdout: VERSION, stderr: '', exitCode: 0 }
    if (a === '-c' || a === '--cmd') {
      const c = args[++i]
      if (c === undefined)
        return {
          stdout: '',
          stderr: `VIM - Vi IMproved 9.0\n\nArgument missing after: "${a}"\nMore info with: "vim -h"\n`,
          exitCode: 1,
        }
      out.commands.push(c)
    } else if (a.startsWith('+'))
      out.commands.push(a.length === 1 ? '$' : a.startsWith('+/') ? `/${a.slice(2)}` : a.slice(1))
    else if (a === '-R') out.readonly = true
    else if (a === '--') {
      if (out.file === undefined) out.file = args[i + 1]
      break
    } else if (a.startsWith('-') && a.length > 1) {
      // -n, -N, -u NONE, -i NONE … change nothing a learner sees here.
      if (a === '-u' || a === '-i' || a === '-U') i++
    } else if (out.file === undefined) out.file = a
  }
  return out
}

async function load(ctx: SimCommandContext, name: string | undefined, readonly: boolean): Promise<VimFile> {
  if (name === undefined) return { name: undefined, lines: [''], isNew: true }
  const path = resolvePath(ctx, name)
  try {
    const st = await ctx.fs.stat(path)
    if (st.isDirectory) return { name, lines: [''], isNew: false, openMessage: `"${name}" is a directory` }
  } catch {
    return { name, lines: [''], isNew: true }
  }
  try {
    const content = await ctx.fs.readFile(path)
    const loaded = splitWithin(content)
    if (!loaded.complete) {
      return {
        name,
        lines: loaded.lines,
        isNew: false,
        bytes: byteLength(content.slice(0, loaded.keptChars)),
        readError: { allocating: loaded.refused + 1 },
        readonly,
      }
    }
    return { name, lines: loaded.lines, isNew: false, readonly }
  } catch {
    return { name, lines: [''], isNew: false, openMessage: `"${name}" [Permission Denied]` }
  }
}

function swapPath(ctx: SimCommandContext, name: string): string {
  const path = resolvePath(ctx, name)
  const slash = path.lastIndexOf('/')
  return `${path.slice(0, slash + 1)}.${path.slice(slash + 1)}.swp`
}

async function writeFile(ctx: SimCommandContext, name: string, content: string): Promise<string | undefined> {
  const path = resolvePath(ctx, name)
  try {
    const st = await ctx.fs.stat(path)
    if (st.isDirectory) return `"${name}" E502: is a directory`
  } catch {
    // A new file.
  }
  try {
    await ctx.fs.writeFile(path, content)
    return undefined
  } catch (err) {
    const message = String((err as Error)?.message ?? err)
    if (/No space left|ENOSPC/.test(message)) return `"${name}" E514: Write error (file system full?)`
    return `"${name}" E212: Can't open file for writing`
  }
}

export async function runVim(ctx: SimCommandContext): Promise<CommandResult> {
  const parsed = parseArgs(ctx.args)
  if ('exitCode' in parsed) return parsed
  const file = await load(ctx, parsed.file, parsed.readonly)
  const vim = new Vim(file, { write: (name, content) => writeFile(ctx, name, content) })
  for (const c of parsed.commands) {
    let code: number | undefined
    if (c.startsWith('/')) {
      // `+/pattern`: search as if typed.
      const keys: Key[] = [...c].map((ch) => ({ type: 'text', text: ch }))
      keys.push({ type: 'key', name: 'enter' })
      await vim.keys(keys)
    } else code = await vim.exCommand(c)
    if (code !== undefined) {
      return ctx.tty
        ? { stdout: '', stderr: '', exitCode: code }
        : { stdout: '', stderr: 'Vim: Warning: Output is not to a terminal\n', exitCode: code }
    }
  }
  if (!ctx.tty) {
    return {
      stdout: '',
      stderr:
        'Vim: Warning: Output is not to a terminal\nVim: Warning: Input is not from a terminal\nVim: Error reading input, exiting...\n',
      exitCode: 1,
    }
  }
  const swap = parsed.file !== undefined && !file.openMessage ? swapPath(ctx, parsed.file) : undefined
  if (swap) {
    // Like vim's swap file: a dot file next to the one being edited, which the kubelet ignores.
    await ctx.fs
      .writeFile(
        swap,
        `b0VIM 9.0\u0000root\u0000${ctx.node.name}\u0000${resolvePath(ctx, parsed.file as string)}\u0000`,
      )
      .catch(() => {})
  }
  try {
    return await runFullScreen(ctx.tty, ctx, {
      render: (size) => vim.render(size),
      keys: (keys) => vim.keys(keys),
      // Vim suspends on Ctrl-Z in normal mode; in the other modes the key stays vim's.
      suspendable: () => vim.mode === 'normal',
    })
  } finally {
    if (swap) await ctx.fs.rm(swap, { force: true }).catch(() => {})
  }
}

export const vimCommand: SimCommand = { name: 'vim', run: runVim }
export const viCommand: SimCommand = { name: 'vi', run: runVim }
