import type { IFileSystem } from 'just-bash'
import { cooperate } from './cooperate'
import { YIELD_PATH } from './stream-transform'

// The terminal as a file: what a command writes to the shell's /dev/pts/N goes
// to the screen at once and is never stored. The stream transform redirects
// every command whose output is the terminal there (see stream-transform.ts).

/**
 * `fs` as one shell sees it: writes to the terminal's `path` reach `write`,
 * opening YIELD_PATH lets the event loop run (stream-transform.ts), everything
 * else is the node's.
 */
export function shellFs(fs: IFileSystem, path?: string, write?: (text: string) => void): IFileSystem {
  const decoder = new TextDecoder()
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
  return new Proxy(fs, {
    get(target, key) {
      if (key === 'appendFile' || key === 'writeFile')
        return async (p: string, content: unknown, options?: unknown) => {
          if (p === YIELD_PATH) return cooperate()
          if (p === path && write) return toTerminal(content, options)
          return (target[key] as (...a: unknown[]) => Promise<void>).call(target, p, content, options)
        }
      const value = Reflect.get(target, key, target)
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
}
