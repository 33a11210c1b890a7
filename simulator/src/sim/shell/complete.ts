import { getCommandNames } from 'just-bash'
import type { SimNode } from '../node'
import { SHELL_BUILTINS } from './builtins'
import type { CompletionCandidate, CompletionResult } from './line-editor'
import { COMPLETED_TOOLS, completeTool } from './tool-complete'

// Tab completion as bash does it by default: the first word completes to
// commands (aliases, functions, builtins, keywords, programs), any other word
// to file names, directories ending in `/`.

const KEYWORDS = [
  'if',
  'then',
  'else',
  'elif',
  'fi',
  'case',
  'esac',
  'for',
  'select',
  'while',
  'until',
  'do',
  'done',
  'in',
  'function',
  'time',
]

/** Programs the shell session itself provides rather than a registered command. */
const SESSION_PROGRAMS = ['su']

export function nodeCommandNames(node: SimNode): string[] {
  const names = new Set<string>(getCommandNames())
  for (const c of node.cluster.commands.values()) {
    if (c.name.startsWith('__')) continue
    if (c.available && !c.available(node)) continue
    names.add(c.name)
  }
  for (const p of SESSION_PROGRAMS) names.add(p)
  return [...names]
}

/** Where the word under the cursor starts (backslash-escaped spaces belong to the word). */
export function wordStart(line: string, cursor: number): number {
  let i = cursor
  while (i > 0) {
    const c = line[i - 1] as string
    const escaped = i >= 2 && line[i - 2] === '\\'
    if (!escaped && /[\s;|&()<>`'"=]/.test(c)) {
      // `VAR=/pa<Tab>` and `--flag=/pa<Tab>` complete the value.
      break
    }
    i--
  }
  return i
}

function isCommandPosition(line: string, start: number): boolean {
  const before = line.slice(0, start).replace(/\s+$/, '')
  if (before === '') return true
  if (/(^|[;|&(`])$/.test(before) || /\$\($/.test(before)) return true
  const words = before.split(/\s+/)
  const last = words[words.length - 1]
  return words.length === 1 && (last === 'sudo' || last === 'time' || last === 'watch' || last === 'xargs')
}

function unescapeWord(word: string): string {
  return word.replace(/\\(.)/g, '$1').replace(/^['"]/, '')
}

export interface CompletionContext {
  node: SimNode
  cwd: string
  home: string
  /** Aliases and functions of the running shell. */
  shellWords: string[]
}

export async function complete(
  ctx: CompletionContext,
  line: string,
  cursor: number,
): Promise<CompletionResult> {
  const start = wordStart(line, cursor)
  const raw = line.slice(start, cursor)
  const word = unescapeWord(raw)
  if (isCommandPosition(line, start) && !word.includes('/')) {
    const names = new Set([...ctx.shellWords, ...SHELL_BUILTINS, ...KEYWORDS, ...nodeCommandNames(ctx.node)])
    const candidates = [...names]
      .filter((n) => n.startsWith(word) && !n.startsWith('__ckalab'))
      .sort()
      .map((value): CompletionCandidate => ({ value }))
    return { start, candidates }
  }
  const tool = toolWords(line.slice(0, start))
  if (tool) {
    const names = await completeTool(ctx.node, tool.name, tool.words, word)
    // Nothing of the tool's own (a file operand, a flag value): bash falls back to file names.
    if (names?.length) return { start, candidates: names.map((value): CompletionCandidate => ({ value })) }
  }
  return { start, candidates: await completePath(ctx, word, isCommandPosition(line, start)) }
}

/** The cluster tool a line's last command runs (after sudo and VAR=value), and its words so far. */
function toolWords(before: string): { name: string; words: string[] } | undefined {
  const command = before.split(/[;|&]/).pop() ?? ''
  const words = command.trim().split(/\s+/).filter(Boolean)
  while (words.length && (words[0] === 'sudo' || /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0] as string)))
    words.shift()
  const name = words.shift()
  return name && COMPLETED_TOOLS.has(name) ? { name, words } : undefined
}

async function completePath(
  ctx: CompletionContext,
  word: string,
  executablesOnly: boolean,
): Promise<CompletionCandidate[]> {
  const slash = word.lastIndexOf('/')
  const dirPart = slash >= 0 ? word.slice(0, slash + 1) : ''
  const base = slash >= 0 ? word.slice(slash + 1) : word
  let dirPath = dirPart
  if (dirPath.startsWith('~')) dirPath = ctx.home + dirPath.slice(1)
  const fs = ctx.node.fs
  const resolved = fs.resolvePath(ctx.cwd, dirPath || '.')
  let entries: string[]
  try {
    entries = await fs.readdir(resolved)
  } catch {
    return []
  }
  const out: CompletionCandidate[] = []
  for (const name of entries.sort()) {
    if (!name.startsWith(base)) continue
    if (name.startsWith('.') && !base.startsWith('.')) continue
    let dir = false
    let exec = false
    try {
      const st = await fs.stat(fs.resolvePath(resolved, name))
      dir = st.isDirectory
      exec = (st.mode & 0o111) !== 0
    } catch {
      // A dangling symlink still completes, as a plain name.
    }
    if (executablesOnly && !dir && !exec) continue
    out.push({ value: dirPart + name, display: dir ? `${name}/` : name, dir })
  }
  return out
}
