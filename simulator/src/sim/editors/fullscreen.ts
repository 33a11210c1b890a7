import type { CommandResult, SimCommandContext, TerminalSizeLike, Tty } from '../commands/types'
import { type Key, KeyDecoder } from '../shell/keys'
import { gateOf } from '../shell/stop'

// What vim and nano share: the alternate screen, keys from the terminal,
// resizes, and a promise that settles when the program quits.

export const ALT_SCREEN_ON = '\x1b[?1049h\x1b[22;0;0t\x1b[H\x1b[2J'
export const ALT_SCREEN_OFF = '\x1b[?1049l\x1b[23;0;0t'

export interface FullScreenApp {
  /** Draw the whole screen. */
  render(size: TerminalSizeLike): string
  /** Handle keys; return an exit status to quit. */
  keys(keys: Key[]): Promise<number | undefined> | number | undefined
  /** Called when the program must stop (terminal closed). */
  abort?(): void
  /** What the program prints on stderr after leaving the screen (a fatal error). */
  stderr?(): string
  /** Whether Ctrl-Z now suspends the program (a key otherwise). */
  suspendable?(): boolean
}

export async function runFullScreen(
  tty: Tty,
  ctx: Pick<SimCommandContext, 'signal'>,
  app: FullScreenApp,
): Promise<CommandResult> {
  const decoder = new KeyDecoder()
  const gate = gateOf(ctx.signal)
  tty.write(ALT_SCREEN_ON + app.render(tty.size))
  return new Promise<CommandResult>((resolve) => {
    let busy = Promise.resolve()
    let done = false
    let offInput = () => {}
    let offResize = () => {}
    let offGate = () => {}
    const detach = () => {
      offInput()
      offResize()
      offInput = () => {}
      offResize = () => {}
    }
    const finish = (code: number) => {
      if (done) return
      done = true
      detach()
      offGate()
      ctx.signal?.removeEventListener('abort', onAbort)
      tty.write(ALT_SCREEN_OFF)
      resolve({ stdout: '', stderr: app.stderr?.() ?? '', exitCode: code })
    }
    const onAbort = () => {
      app.abort?.()
      finish(1)
    }
    // Ctrl-Z where the program takes it as SIGTSTP (vim in normal mode): the
    // screen goes back to the shell, which reports the job Stopped; `fg` draws it again.
    const suspend = (): boolean => {
      if (!gate?.requestStop || !app.suspendable?.()) return false
      detach()
      tty.write(ALT_SCREEN_OFF)
      if (gate.requestStop()) return true
      tty.write(ALT_SCREEN_ON + app.render(tty.size))
      attach()
      return false
    }
    const handle = async (keys: Key[]) => {
      if (done) return
      try {
        const code = await app.keys(keys)
        if (code !== undefined) finish(code)
        else tty.write(app.render(tty.size))
      } catch {
        // An editor bug must not leave the terminal stuck in the alternate screen.
        finish(1)
      }
    }
    const attach = () => {
      offInput = tty.onInput((data) => {
        const keys = decoder.feed(data)
        if (keys.length === 0) return
        // Keys are handled one batch at a time, in order, even when saving takes a moment.
        busy = busy.then(async () => {
          const z = keys.findIndex((k) => k.type === 'ctrl' && k.key === 'z')
          if (z < 0) return handle(keys)
          if (z > 0) await handle(keys.slice(0, z))
          if (done || suspend()) return
          await handle(keys.slice(z))
        })
      })
      offResize = tty.onResize((size) => {
        if (!done) tty.write(app.render(size))
      })
    }
    offGate =
      gate?.onChange((stopped, foreground) => {
        if (done || stopped || !foreground) return
        detach()
        tty.write(ALT_SCREEN_ON + app.render(tty.size))
        attach()
      }) ?? (() => {})
    attach()
    ctx.signal?.addEventListener('abort', onAbort, { once: true })
  })
}

/** UTF-8 byte length, for the "NNL, NNB" messages. */
export function byteLength(text: string): number {
  return new TextEncoder().encode(text).length
}

/** Cut or pad a string to exactly `width` cells (tabs expanded by the caller). */
export function fitWidth(text: string, width: number): string {
  if (width <= 0) return ''
  const chars = Array.from(text)
  return chars.length >= width ? chars.slice(0, width).join('') : text + ' '.repeat(width - chars.length)
}
