import { parse } from 'just-bash'
import { SHELL_BUILTINS } from './builtins'

// Ctrl-Z stops processes, not the shell: an interactive bash ignores SIGTSTP
// itself, so a line that only runs builtins (`while :; do :; done`) cannot be
// stopped; the terminal just echoes ^Z. A line that runs any program can.

const BUILTINS = new Set(SHELL_BUILTINS)

/** Whether `text` runs (or may run) anything other than shell builtins. */
export function runsAProgram(text: string): boolean {
  let ast: unknown
  try {
    ast = parse(text)
  } catch {
    return true
  }
  let program = false
  const walk = (node: unknown): void => {
    if (program || !node || typeof node !== 'object') return
    if (Array.isArray(node)) {
      for (const n of node) walk(n)
      return
    }
    const n = node as { type?: string; name?: { parts?: Array<{ type: string; value?: string }> } }
    if (n.type === 'SimpleCommand') {
      const parts = n.name?.parts ?? []
      const literal = parts.length === 1 && parts[0]?.type === 'Literal' ? parts[0].value : undefined
      // A command named by an expansion may be anything; functions are left out (their bodies are not here).
      if (parts.length > 0 && (literal === undefined || !BUILTINS.has(literal))) {
        program = true
        return
      }
    }
    for (const value of Object.values(node)) walk(value)
  }
  walk(ast)
  return program
}
