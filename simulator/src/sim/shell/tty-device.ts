import type { IFileSystem } from 'just-bash'
import { cooperate } from './cooperate'
import { YIELD_PATH } from './stream-transform'

// The terminal as a file: what a command writes to the shell's /dev/pts/N goes
// to the screen at once and is never stored. The stream transform redirects
// every command whose output is the terminal there (see stream-transform.ts).
//
// Every loop iteration passes through here (the yield redirection), so the two
// special paths answer without reaching the node's filesystem, and methods are
// bound once rather than on every call.

/**
 * `fs` as one shell sees it: writes to the terminal's `path` reach `write`,
 * opening YIELD_PATH lets the event loop run (stream-transform.ts), everything
 * else is the node's.
 */
export function shellFs(fs: IFileSystem, path?: string, write?: (text: string) => void): IFileSystem {
  const decoder = new TextDecoder()
  const special = (p: string) => p === YIELD_PATH || (p === path && !!write)
  const toTerminal = (content: unknown, options: unknown) => {
    const encoding = typeof options === 'string' ? options : (options as { encoding?: string })?.encoding
    let text: string
    if (typeof content !== 'string') text = decoder.decode(content as Uint8Array)
    else if (encoding === 'binary' || encoding === 'latin1')
      // Bytes written as a latin1 string (a program's raw output): the terminal shows them as UTF-8.
      text = decoder.decode(Uint8Array.from(content, (c) => c.charCodeAt(0) & 0xff))
    else text = content
    if (text) write?.(text)
  }
  const bound = new Map<PropertyKey, unknown>()
  const own = (key: PropertyKey): unknown => {
    const value = Reflect.get(fs, key, fs)
    return typeof value === 'function' ? value.bind(fs) : value
  }
  const output =
    (key: 'appendFile' | 'writeFile') =>
    (p: string, content: unknown, options?: unknown): Promise<void> => {
      if (p === YIELD_PATH) return cooperate()
      if (p === path && write) {
        toTerminal(content, options)
        // Every command at the terminal passes here, even one that printed nothing: a loop's turn.
        return cooperate()
      }
      return fs[key](p, content as string, options as never)
    }
  bound.set('appendFile', output('appendFile'))
  bound.set('writeFile', output('writeFile'))
  const inner = {
    resolvePath: own('resolvePath') as IFileSystem['resolvePath'],
    exists: own('exists') as IFileSystem['exists'],
  }
  // Absolute special paths resolve to themselves; neither exists as a file (so nothing stats it).
  bound.set('resolvePath', (base: string, p: string) => (special(p) ? p : inner.resolvePath(base, p)))
  bound.set('exists', (p: string) => (special(p) ? Promise.resolve(false) : inner.exists(p)))
  return new Proxy(fs, {
    get(_target, key) {
      if (bound.has(key)) return bound.get(key)
      const value = own(key)
      if (typeof value === 'function') bound.set(key, value)
      return value
    },
  })
}
