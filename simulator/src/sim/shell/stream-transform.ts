import type { CommandNode, PipelineNode, ScriptNode, SimpleCommandNode, StatementNode } from 'just-bash'
import { SHELL_BUILTINS } from './builtins'
import { commandText } from './command-text'

// just-bash runs a command line as calls that return whole strings: a loop's
// output reaches its caller only when the loop ends. Rather than replace its
// interpreter, the shell rewrites each parsed line before it runs:
//
// - every command whose output would reach the terminal gets a redirection to
//   the terminal's device (`>>/dev/pts/0 2>>/dev/pts/0`, placed before the
//   command's own redirections so those still win). just-bash applies a
//   command's redirections as soon as that command ends, so each command's
//   output reaches the screen when it is produced, in order, even inside
//   `while true; do …; sleep 2; done`. Pipelines, `$(…)`, `> file` are
//   untouched and keep their meaning.
// - ckalab's own commands at such a place also get a marker in their
//   environment (TTY_MARKER) naming which of their streams are the terminal, so
//   long-running ones (`kubectl get -w`, `tail -f`) can write while they run.
// - every loop iteration and function call opens a spare descriptor on a
//   device (YIELD_PATH) whose "write" gives the event loop a turn when the
//   shell has used its time slice (cooperate.ts); a loop of builtins alone
//   would otherwise starve the process and never see Ctrl-C. A redirection
//   costs a tenth of a command call in just-bash and leaves `$?` alone.

/**
 * Environment variable telling a command which of its streams are the
 * terminal ('1', '2' or '12') and, with an 'm', that stdout and stderr go to
 * one place (`2>&1`, `&>`, `|&`, both on the terminal).
 */
export const TTY_MARKER = '__CKALAB_TTY'
/**
 * Environment variable giving a ckalab command in a pipeline the pipeline's
 * commands as typed (a JSON list): `ps aux | grep etcd` lists the grep.
 */
export const PIPELINE_MARKER = '__CKALAB_PIPE'
/** Opening this path lets the event loop run when due; nothing is stored. */
export const YIELD_PATH = '/dev/.ckalab-yield'
/** The descriptor the yield redirection uses: bash keeps 255 for itself, so scripts never use it. */
const YIELD_FD = 255

/**
 * Builtins that get no marker: they never stream, and some of them show the
 * environment (`export -p`) or must not take redirections (`exec`). These are
 * bash's builtins (the list completion offers) and `[`, except the ones that
 * do not run as just-bash builtins here: `kill` is the job table's, `exec` has
 * its own rule (NO_REDIRECT), and the rest are not run at all.
 */
const NOT_RUN_AS_BUILTINS = new Set([
  'bind',
  'caller',
  'complete',
  'disown',
  'enable',
  'exec',
  'fc',
  'kill',
  'suspend',
])
const BUILTINS = new Set(['[', ...SHELL_BUILTINS.filter((name) => !NOT_RUN_AS_BUILTINS.has(name))])

/**
 * Commands that never get the terminal's redirections: `exec`'s would change
 * the shell itself, and `alias` output is cleaned of the shell's own aliases
 * before it is shown (session.ts).
 */
const NO_REDIRECT = new Set(['exec', 'alias'])

/**
 * Builtins that write nothing whatever their arguments: they need no
 * redirection to the terminal, which would only slow loops (`while :`).
 */
const SILENT = new Set([':', 'true', 'false'])

export interface StreamTransformOptions {
  /** The terminal's device; absent when nobody is at a terminal (only ticks are added). */
  ttyPath?: string
}

function literalName(cmd: SimpleCommandNode): string | undefined {
  const parts = cmd.name?.parts ?? []
  if (parts.length === 0) return undefined
  if (parts.length > 1) return ''
  const p = parts[0] as { type: string; value?: string }
  return p.type === 'Literal' ? (p.value ?? '') : ''
}

/**
 * Add the yield redirection to the first command a statement list runs
 * (the last with `last`). A command already redirected to the terminal needs
 * none: writing there yields too (tty-device.ts), and a redirection less
 * keeps loops fast.
 */
function addYield(list: StatementNode[], last = false, ttyPath?: string): void {
  const statement = last ? list[list.length - 1] : list[0]
  const pipeline = last ? statement?.pipelines[statement.pipelines.length - 1] : statement?.pipelines[0]
  const command = pipeline?.commands[0]
  if (!command) return
  const target = command.type === 'FunctionDef' ? command.body : command
  if (ttyPath && target.redirections.some((r) => r.operator === '&>>' && targetText(r.target) === ttyPath))
    return
  target.redirections.push({ type: 'Redirection', fd: YIELD_FD, operator: '>>', target: wordOf(YIELD_PATH) })
}

function targetText(target: unknown): string | undefined {
  const parts = (target as { parts?: Array<{ type: string; value?: string }> }).parts
  return parts?.length === 1 && parts[0]?.type === 'Literal' ? parts[0].value : undefined
}

function wordOf(text: string) {
  return { type: 'Word' as const, parts: [{ type: 'Literal' as const, value: text }] }
}

/**
 * Where fds 1 and 2 end up after a command's own redirections: 'fd1'/'fd2'
 * for where they were going, or a name for a file one of the redirections
 * opened (two descriptors naming the same one share it, as after `2>&1`).
 */
function destinations(redirections: SimpleCommandNode['redirections']): { out: string; err: string } {
  const dest = new Map<number, string>([
    [1, 'fd1'],
    [2, 'fd2'],
  ])
  redirections.forEach((r, i) => {
    const op = r.operator
    const file = `file${i}`
    if (op === '&>' || op === '&>>') {
      dest.set(1, file)
      dest.set(2, file)
    } else if (op === '>' || op === '>>' || op === '>|') {
      dest.set(r.fd ?? 1, file)
    } else if (op === '>&') {
      const fd = r.fd ?? 1
      const target = r.target.type === 'Word' ? r.target.parts : []
      const lit = target.length === 1 ? (target[0] as { type: string; value?: string }) : undefined
      const n = lit?.type === 'Literal' ? Number(lit.value) : Number.NaN
      dest.set(fd, Number.isInteger(n) ? (dest.get(n) ?? file) : file)
    }
  })
  return { out: dest.get(1) ?? 'fd1', err: dest.get(2) ?? 'fd2' }
}

/** Which of fds 1 and 2 still reach the terminal when both started there: '1', '2', '12' or ''. */
function terminalStreams(cmd: { redirections: SimpleCommandNode['redirections'] }): string {
  const { out, err } = destinations(cmd.redirections)
  const tty = (d: string) => d === 'fd1' || d === 'fd2'
  return `${tty(out) ? '1' : ''}${tty(err) ? '2' : ''}`
}

/** Whether a compound command sends fd 1 or 2 somewhere else than where it was going. */
function redirectsOutput(redirections: SimpleCommandNode['redirections']): boolean {
  return terminalStreams({ redirections }) !== '12'
}

function marker(value: string) {
  return { type: 'Assignment' as const, name: TTY_MARKER, value: wordOf(value), append: false, array: null }
}

class Rewriter {
  constructor(private readonly ttyPath: string | undefined) {}

  statements(list: StatementNode[], atTerminal: boolean): void {
    for (const s of list) this.statement(s, atTerminal)
  }

  statement(s: StatementNode, atTerminal: boolean): void {
    for (const p of s.pipelines) this.pipeline(p, atTerminal)
  }

  pipeline(p: PipelineNode, atTerminal: boolean): void {
    if (p.commands.length > 1) this.markPipeline(p)
    p.commands.forEach((c, i) => {
      const last = i === p.commands.length - 1
      // `a |& b`: a's stderr goes into the pipe with its stdout.
      if (c.type === 'SimpleCommand' && !last && p.pipeStderr?.[i]) this.markMerged(c, true)
      this.command(c, atTerminal && last)
    })
  }

  command(c: CommandNode, atTerminal: boolean): void {
    switch (c.type) {
      case 'SimpleCommand':
        this.substitutions(c)
        if (atTerminal) this.toTerminal(c)
        else this.notTerminal(c)
        return
      case 'If': {
        const inner = atTerminal && !redirectsOutput(c.redirections)
        for (const clause of c.clauses) {
          this.statements(clause.condition, inner)
          this.statements(clause.body, inner)
        }
        if (c.elseBody) this.statements(c.elseBody, inner)
        return
      }
      case 'While':
      case 'Until': {
        const inner = atTerminal && !redirectsOutput(c.redirections)
        this.statements(c.condition, inner)
        this.statements(c.body, inner)
        addYield(c.condition, true, this.ttyPath)
        return
      }
      case 'For':
      case 'CStyleFor': {
        const inner = atTerminal && !redirectsOutput(c.redirections)
        this.statements(c.body, inner)
        addYield(c.body, false, this.ttyPath)
        return
      }
      case 'Case': {
        const inner = atTerminal && !redirectsOutput(c.redirections)
        for (const item of c.items) this.statements(item.body, inner)
        return
      }
      case 'Group':
      case 'Subshell':
        this.statements(c.body, atTerminal && !redirectsOutput(c.redirections))
        return
      case 'FunctionDef': {
        // Where a function's output goes depends on each call; its body only gets the yield.
        this.command(c.body, false)
        c.body.redirections.push({
          type: 'Redirection',
          fd: YIELD_FD,
          operator: '>>',
          target: wordOf(YIELD_PATH),
        })
        return
      }
      default:
        return
    }
  }

  /** Give each ckalab command of a pipeline the pipeline's commands, as typed. */
  private markPipeline(p: PipelineNode): void {
    const texts = p.commands.map(commandText)
    const value = JSON.stringify(texts)
    for (const c of p.commands) {
      if (c.type !== 'SimpleCommand') continue
      const name = literalName(c)
      if (name === undefined || BUILTINS.has(name) || NO_REDIRECT.has(name)) continue
      c.assignments.unshift({
        type: 'Assignment',
        name: PIPELINE_MARKER,
        value: wordOf(value),
        append: false,
        array: null,
      })
    }
  }

  /** `$(…)` and `<(…)` inside a command's words: their output is captured, never the terminal's. */
  private substitutions(c: SimpleCommandNode): void {
    const visit = (node: unknown): void => {
      if (!node || typeof node !== 'object') return
      if (Array.isArray(node)) {
        for (const n of node) visit(n)
        return
      }
      const n = node as { type?: string; body?: ScriptNode }
      if ((n.type === 'CommandSubstitution' || n.type === 'ProcessSubstitution') && n.body) {
        this.statements(n.body.statements, false)
        return
      }
      for (const v of Object.values(node)) if (v && typeof v === 'object') visit(v)
    }
    visit(c.name)
    visit(c.args)
    visit(c.assignments)
  }

  /**
   * Tell a ckalab command that its stdout and stderr go to one place (`2>&1`,
   * `&>`, `|&`), so it hands over one stream in the order it wrote them.
   */
  private markMerged(c: SimpleCommandNode, piped: boolean): void {
    const name = literalName(c)
    if (name === undefined || BUILTINS.has(name) || NO_REDIRECT.has(name)) return
    const { out, err } = destinations(c.redirections)
    const merged = piped ? out === 'fd1' && (err === 'fd2' || err === 'fd1') : out === err
    if (merged) c.assignments.unshift(marker('m'))
  }

  /**
   * A command whose output does not reach the terminal (inside `$(…)`, an early stage of a
   * pipeline) says so with a marker of its own: just-bash lets a command's prefix assignments
   * reach the `$(…)` in its words, where bash would not, so `etcdutl … --name $(hostname)` would
   * otherwise hand `hostname` the outer command's terminal marker and print at the prompt.
   */
  private notTerminal(c: SimpleCommandNode): void {
    this.markMerged(c, false)
    if (!this.ttyPath || c.assignments.some((a) => a.name === TTY_MARKER)) return
    const name = literalName(c)
    if (name === undefined || BUILTINS.has(name) || NO_REDIRECT.has(name)) return
    c.assignments.unshift(marker(''))
  }

  private toTerminal(c: SimpleCommandNode): void {
    const tty = this.ttyPath
    const name = literalName(c)
    if (!tty) {
      this.markMerged(c, false)
      return
    }
    if (name === undefined || NO_REDIRECT.has(name) || SILENT.has(name)) return
    const { out, err } = destinations(c.redirections)
    const streams = terminalStreams(c)
    if (!streams) {
      this.markMerged(c, false)
      return
    }
    // One redirection for both streams costs half of two.
    c.redirections.unshift({ type: 'Redirection', fd: null, operator: '&>>', target: wordOf(tty) })
    // Both on the terminal, or both into one file (`>f 2>&1` never reaches here): one stream.
    const merged = streams === '12' || (out === err && out !== 'fd1' && out !== 'fd2')
    if (!BUILTINS.has(name)) c.assignments.unshift(marker(`${streams}${merged ? 'm' : ''}`))
  }
}

/** Rewrite a parsed line in place (see the comment at the top) and return it. */
export function rewriteForStreaming(ast: ScriptNode, opts: StreamTransformOptions = {}): ScriptNode {
  new Rewriter(opts.ttyPath).statements(ast.statements, true)
  return ast
}

/**
 * A just-bash transform plugin for one shell. Terminal positions are only
 * marked for the next line the shell arms it for: nested runs (`bash -c`,
 * `xargs`, `watch`) hand their output to their caller and get only ticks.
 */
export class StreamTransform {
  readonly name = 'ckalab-stream'
  private armedFor: string | undefined

  arm(ttyPath: string | undefined): void {
    this.armedFor = ttyPath
  }

  transform({ ast }: { ast: ScriptNode }): { ast: ScriptNode } {
    const ttyPath = this.armedFor
    this.armedFor = undefined
    return { ast: rewriteForStreaming(ast, { ttyPath }) }
  }
}
