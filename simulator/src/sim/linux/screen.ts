import type { CommandResult, SimCommandContext, TerminalSizeLike, Tty } from '../commands/types'
import { ALT_SCREEN_OFF, ALT_SCREEN_ON } from '../editors/fullscreen'
import { type Key, KeyDecoder } from '../shell/keys'
import { gateOf } from '../shell/stop'

// Full-screen programs that redraw on their own (top, watch) or page through
// text (less, more): the alternate screen, keys from the terminal, a timer on
// the simulated clock, and an end on q, Ctrl-C or a closed terminal.

export interface ScreenApp {
  render(size: TerminalSizeLike): string
  /** Handle keys; return an exit status to quit. */
  keys(keys: Key[], size: TerminalSizeLike): number | undefined
  /** Redraw every this many ms of simulated time (top, watch). */
  intervalMs?: number
  /** Called before each timed redraw. */
  tick?(): Promise<void> | void
  /** Whether to use the alternate screen (more draws in place). */
  altScreen?: boolean
  /** Text left on the normal screen after quitting. */
  farewell?: string
}

/** Whether output reaches a terminal a full-screen program can draw on. */
export function interactiveTty(ctx: SimCommandContext): Tty | undefined {
  return ctx.tty && ctx.stdoutIsTerminal !== false ? ctx.tty : undefined
}

export function isCtrlC(k: Key): boolean {
  return k.type === 'ctrl' && k.key === 'c'
}

export function isCtrlZ(k: Key): boolean {
  return k.type === 'ctrl' && k.key === 'z'
}

export async function runScreen(ctx: SimCommandContext, tty: Tty, app: ScreenApp): Promise<CommandResult> {
  const decoder = new KeyDecoder()
  const alt = app.altScreen !== false
  const gate = gateOf(ctx.signal)
  tty.write((alt ? ALT_SCREEN_ON : '') + app.render(tty.size))
  return new Promise<CommandResult>((resolve) => {
    let done = false
    let cancelTimer: (() => void) | undefined
    let offInput = () => {}
    let offResize = () => {}
    let offGate = () => {}
    const detach = () => {
      offInput()
      offResize()
      cancelTimer?.()
      cancelTimer = undefined
    }
    const finish = (code: number) => {
      if (done) return
      done = true
      detach()
      offGate()
      ctx.signal?.removeEventListener('abort', onAbort)
      tty.write((alt ? ALT_SCREEN_OFF : '') + (app.farewell ?? ''))
      resolve({ stdout: '', stderr: '', exitCode: code })
    }
    const onAbort = () => finish(130)
    // Ctrl-Z reaches a program that reads keys itself as a key: it gives the
    // screen back and asks to be stopped, as less, top and watch do on SIGTSTP.
    const suspend = (): boolean => {
      if (!gate?.requestStop) return false
      detach()
      if (alt) tty.write(ALT_SCREEN_OFF)
      return gate.requestStop()
    }
    const attach = () => {
      offInput = tty.onInput((data) => {
        if (done) return
        try {
          const keys = decoder.feed(data)
          if (keys.some(isCtrlZ) && suspend()) return
          const code = app.keys(keys, tty.size)
          if (code !== undefined) finish(code)
          else tty.write(app.render(tty.size))
        } catch {
          // A bug must not leave the terminal in the alternate screen.
          finish(1)
        }
      })
      offResize = tty.onResize((size) => {
        if (!done) tty.write(app.render(size))
      })
      schedule()
    }
    const schedule = () => {
      if (!app.intervalMs || done) return
      cancelTimer = ctx.node.cluster.clock.schedule(app.intervalMs, async () => {
        if (done) return
        try {
          await app.tick?.()
        } catch {
          finish(1)
          return
        }
        if (done) return
        tty.write(app.render(tty.size))
        schedule()
      })
    }
    // Continued by `fg`: take the screen again and redraw.
    offGate =
      gate?.onChange((stopped, foreground) => {
        if (done || stopped || !foreground) return
        detach()
        tty.write((alt ? ALT_SCREEN_ON : '') + app.render(tty.size))
        attach()
      }) ?? (() => {})
    attach()
    if (ctx.signal?.aborted) finish(130)
    else ctx.signal?.addEventListener('abort', onAbort, { once: true })
  })
}

/** Clear-and-home, then lines joined for a raw terminal. */
export function frame(lines: string[]): string {
  return `\x1b[H\x1b[2J${lines.join('\r\n')}`
}
