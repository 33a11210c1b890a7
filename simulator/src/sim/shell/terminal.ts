import type { TerminalSize, TerminalStream } from '../../seam'
import type { TerminalSizeLike, Tty } from '../commands/types'
import type { SimNode } from '../node'
import { complete } from './complete'
import { type Key, KeyDecoder } from './keys'
import { type EditorEffect, formatColumns, LineEditor } from './line-editor'
import { LineRenderer } from './render'
import { type RunOutput, ShellSession } from './session'

// A simulated node's interactive terminal: the TerminalStream the web
// terminal and `ckalab shell` talk to. Keystrokes go to the line editor while
// the prompt is shown and to the running program (vim, nano) otherwise.

/** Output of one command beyond this is cut, so a flood cannot swamp a browser tab. */
const MAX_COMMAND_OUTPUT = 1024 * 1024
/**
 * Type-ahead kept while a command runs. The server caps queued input below
 * this (and says so when it refuses); this is the last resort for other callers.
 */
const MAX_TYPEAHEAD = 1024 * 1024
/**
 * While paused (nobody reads the output), the shell stops taking the next
 * queued command once this much output waits, as a program blocks on a full
 * pty: output pauses instead of piling up.
 */
const HOLD_BEFORE_BLOCK = 64 * 1024
/** Output a running program emits while paused beyond this is dropped (and the drop is reported). */
const MAX_HELD = 4 * 1024 * 1024
/** After Ctrl-C, how long (real ms) to wait for a command to stop before giving the prompt back anyway. */
const ABANDON_AFTER_MS = 1500

const BRACKETED_PASTE_ON = '\x1b[?2004h'
const BRACKETED_PASTE_OFF = '\x1b[?2004l'

type Mode = 'starting' | 'prompt' | 'running' | 'exited'

export function toCrlf(text: string): string {
  return text.replace(/\r?\n/g, '\r\n')
}

/** Split a paste into typed text and Enter presses. */
function pasteKeys(text: string): Key[] {
  const keys: Key[] = []
  const parts = text.split(/\r\n|\r|\n/)
  parts.forEach((part, i) => {
    // Control characters inside a paste are dropped, except tabs which are inserted literally.
    const clean = part.replace(/[\x00-\x08\x0b-\x1f\x7f]/g, '')
    if (clean) keys.push({ type: 'text', text: clean })
    if (i < parts.length - 1) keys.push({ type: 'key', name: 'enter' })
  })
  return keys
}

const ptyCounts = new WeakMap<SimNode, number>()

/** Each terminal opened on a node gets the next pseudo-terminal, as sshd hands them out. */
function nextTtyPath(node: SimNode): string {
  const n = ptyCounts.get(node) ?? 0
  ptyCounts.set(node, n + 1)
  return `/dev/pts/${n}`
}

export class ShellTerminal implements TerminalStream {
  private dataListeners = new Set<(data: Uint8Array) => void>()
  private exitListeners = new Set<(code: number) => void>()
  private ttyInput = new Set<(data: string) => void>()
  private ttyResize = new Set<(size: TerminalSizeLike) => void>()
  private encoder = new TextEncoder()
  private decoder = new TextDecoder('utf-8', { fatal: false })
  private keys = new KeyDecoder()
  private renderer = new LineRenderer()
  private editor: LineEditor
  readonly session: ShellSession
  private size: TerminalSize
  private mode: Mode = 'starting'
  private queue: Key[] = []
  private typeAhead = ''
  private continuation: string[] = []
  private controller: AbortController | undefined
  private abandon: (() => void) | undefined
  private pumping = false
  private paused = false
  /** Output waiting for a listener or for resume(). */
  private held: string[] = []
  private heldChars = 0
  private droppedChars = 0
  private exitCode: number | undefined
  private disposed = false

  constructor(node: SimNode, size: TerminalSize) {
    this.size = { cols: Math.max(1, size.cols || 80), rows: Math.max(1, size.rows || 24) }
    const self = this
    const tty: Tty = {
      get size() {
        return { ...self.size }
      },
      write: (data: string) => this.emit(data),
      onInput: (listener) => {
        this.ttyInput.add(listener)
        return () => this.ttyInput.delete(listener)
      },
      onResize: (listener) => {
        this.ttyResize.add(listener)
        return () => this.ttyResize.delete(listener)
      },
    }
    this.session = new ShellSession(node, {
      tty,
      interactive: true,
      mergeStderr: true,
      terminal: (text) => this.print(text),
      ttyPath: nextTtyPath(node),
    })
    this.editor = new LineEditor(this.session.history)
  }

  async start(): Promise<void> {
    const out = await this.session.start()
    this.print(out.stdout + out.stderr)
    this.showPrompt()
  }

  /**
   * A command runs that no program reads keys for (not vim or nano): the one
   * state in which Ctrl-C must end something. The environment host watches it.
   */
  get busy(): boolean {
    return this.mode === 'running' && this.ttyInput.size === 0
  }

  /** Output waiting for resume() (for tests and the host's bookkeeping). */
  get heldBytes(): number {
    return this.heldChars
  }

  /** Keys written and not yet taken: type-ahead and keys the prompt has not reached. */
  inputBacklog(): number {
    let n = this.typeAhead.length
    for (const k of this.queue) n += k.type === 'text' || k.type === 'paste' ? k.text.length : 1
    return n
  }

  /** Paused with a pty's worth of output waiting: no further command starts until resume(). */
  private get outputBlocked(): boolean {
    return this.paused && this.heldChars >= HOLD_BEFORE_BLOCK
  }

  // --- TerminalStream -------------------------------------------------------

  write(data: Uint8Array | string): void {
    if (this.disposed || this.mode === 'exited') return
    let text: string
    try {
      text = typeof data === 'string' ? data : this.decoder.decode(data, { stream: true })
    } catch {
      return
    }
    if (!text) return
    if (this.mode === 'running') {
      if (this.ttyInput.size > 0) {
        for (const l of [...this.ttyInput]) {
          try {
            l(text)
          } catch {
            // A program's key handler failing must not break the terminal.
          }
        }
        return
      }
      const ctrlC = text.indexOf('\x03')
      const ctrlZ = text.indexOf('\x1a')
      if (ctrlC >= 0 && (ctrlZ < 0 || ctrlC < ctrlZ)) {
        this.interruptRunning()
        return
      }
      if (ctrlZ >= 0) {
        // The terminal echoes ^Z whether or not anything stops (a loop of builtins does not).
        this.typeAhead += text.slice(0, ctrlZ)
        this.emit('^Z')
        this.session.suspend()
        return
      }
      // Beyond the bound the newest keys are refused (a bell), never older ones silently lost.
      if (this.typeAhead.length + text.length > MAX_TYPEAHEAD) this.emit('\x07')
      else this.typeAhead += text
      return
    }
    this.queue.push(...this.keys.feed(text))
    void this.pump()
  }

  onData(listener: (data: Uint8Array) => void): () => void {
    this.dataListeners.add(listener)
    if (!this.paused) this.flushHeld()
    return () => this.dataListeners.delete(listener)
  }

  onExit(listener: (code: number) => void): () => void {
    if (this.exitCode !== undefined) {
      const code = this.exitCode
      queueMicrotask(() => listener(code))
      return () => {}
    }
    this.exitListeners.add(listener)
    return () => this.exitListeners.delete(listener)
  }

  resize(size: TerminalSize): void {
    if (!(size.cols > 0 && size.rows > 0)) return
    this.size = { cols: Math.floor(size.cols), rows: Math.floor(size.rows) }
    for (const l of [...this.ttyResize]) {
      try {
        l({ ...this.size })
      } catch {
        // Ignore a program that fails to redraw.
      }
    }
    if (this.mode === 'prompt') this.emit(this.renderer.draw(this.editor.view(), this.size.cols))
  }

  pause(): void {
    this.paused = true
  }

  resume(): void {
    this.paused = false
    this.flushHeld()
    // Commands that waited for the reader go on.
    void this.pump()
  }

  dispose(): void {
    if (this.disposed) return
    this.disposed = true
    this.controller?.abort()
    this.mode = 'exited'
    this.dataListeners.clear()
    this.exitListeners.clear()
    this.ttyInput.clear()
    this.ttyResize.clear()
    this.held = []
    this.heldChars = 0
  }

  // --- output ---------------------------------------------------------------

  private emit(text: string): void {
    if (this.disposed || !text) return
    if (this.paused || this.dataListeners.size === 0) {
      if (this.heldChars + text.length > MAX_HELD) {
        this.droppedChars += text.length
        return
      }
      this.held.push(text)
      this.heldChars += text.length
      return
    }
    const bytes = this.encoder.encode(text)
    for (const l of [...this.dataListeners]) {
      try {
        l(bytes)
      } catch {
        // A failing consumer must not stop the others.
      }
    }
  }

  private flushHeld(): void {
    if (this.held.length === 0 || this.dataListeners.size === 0) return
    let text = this.held.join('')
    this.held = []
    this.heldChars = 0
    if (this.droppedChars > 0) {
      text += `\r\n[ckalab: ${this.droppedChars} characters of output were dropped while the terminal was not being read]\r\n`
      this.droppedChars = 0
    }
    this.emit(text)
  }

  /** Command output: LF → CRLF, and a flood is cut. */
  private print(text: string): void {
    if (!text) return
    let shown = text
    if (shown.length > MAX_COMMAND_OUTPUT) {
      shown = `${shown.slice(0, MAX_COMMAND_OUTPUT)}\n[ckalab: output cut off after ${MAX_COMMAND_OUTPUT / 1024} KiB]\n`
    }
    this.emit(toCrlf(shown))
  }

  // --- prompt and keys ------------------------------------------------------

  private showPrompt(): void {
    if (this.disposed || this.mode === 'exited') return
    this.mode = 'prompt'
    if (!this.continuation.length) this.print(this.session.takeJobNotices())
    this.editor.reset(this.continuation.length ? '> ' : this.session.prompt())
    this.renderer.reset()
    this.emit(BRACKETED_PASTE_ON + this.renderer.draw(this.editor.view(), this.size.cols))
    if (this.typeAhead) {
      const pending = this.typeAhead
      this.typeAhead = ''
      this.queue.push(...this.keys.feed(pending))
    }
    void this.pump()
  }

  private async pump(): Promise<void> {
    if (this.pumping) return
    this.pumping = true
    try {
      let dirty = false
      while (this.mode === 'prompt' && this.queue.length > 0 && !this.outputBlocked) {
        const key = this.queue.shift() as Key
        if (key.type === 'paste') {
          this.queue.unshift(...pasteKeys(key.text))
          continue
        }
        const effect = this.editor.handle(key)
        if (!effect) {
          dirty = true
        } else {
          if (dirty) this.redraw()
          dirty = false
          await this.apply(effect)
        }
        if (this.queue.length === 0 && dirty && this.mode === 'prompt') {
          this.redraw()
          dirty = false
        }
      }
      if (dirty && this.mode === 'prompt') this.redraw()
    } catch (err) {
      // Nothing typed may take the terminal down; report and carry on with a fresh prompt.
      this.print(`\nbash: internal error: ${(err as Error)?.message ?? err}\n`)
      this.continuation = []
      this.mode = 'prompt'
      this.showPrompt()
    } finally {
      this.pumping = false
    }
  }

  private redraw(): void {
    this.emit(this.renderer.draw(this.editor.view(), this.size.cols))
  }

  private async apply(effect: EditorEffect): Promise<void> {
    const view = this.editor.view()
    switch (effect.type) {
      case 'submit':
        this.emit(
          this.renderer.draw(view, this.size.cols) +
            this.renderer.finish(view, this.size.cols) +
            BRACKETED_PASTE_OFF,
        )
        await this.submit(effect.line)
        return
      case 'interrupt': {
        const atEnd = { ...view, cursor: view.text.length }
        this.emit(
          `${this.renderer.draw(atEnd, this.size.cols)}^C${this.renderer.finish(atEnd, this.size.cols)}`,
        )
        this.continuation = []
        this.session.state.lastStatus = 130
        this.showPrompt()
        return
      }
      case 'eof': {
        if (this.continuation.length) {
          this.emit(this.renderer.finish(view, this.size.cols))
          this.print('bash: syntax error: unexpected end of file\n')
          this.continuation = []
          this.session.state.lastStatus = 2
          this.showPrompt()
          return
        }
        this.emit(BRACKETED_PASTE_OFF)
        this.mode = 'running'
        const out = await this.session.run('exit')
        this.afterRun(out, true)
        return
      }
      case 'clear-screen':
        this.emit('\x1b[H\x1b[2J')
        this.renderer.reset()
        this.redraw()
        return
      case 'bell':
        this.emit('\x07')
        return
      case 'complete':
        await this.complete(effect.line, effect.cursor, effect.listing)
        return
    }
  }

  private async complete(line: string, cursor: number, listing: boolean): Promise<void> {
    const state = this.session.state
    const result = await complete(
      {
        node: this.session.node,
        cwd: state.cwd,
        home: state.vars.get('HOME') ?? '/root',
        shellWords: this.session.commandWords(),
      },
      line,
      cursor,
    )
    const applied = this.editor.applyCompletion(result, listing)
    const view = this.editor.view()
    if (applied.list) {
      this.emit(this.renderer.finish(view, this.size.cols))
      this.print(formatColumns(applied.list, this.size.cols))
      this.renderer.reset()
    } else if (applied.bell) this.emit('\x07')
    this.redraw()
  }

  private async submit(line: string): Promise<void> {
    this.session.addHistory(line)
    this.continuation.push(line)
    const text = this.continuation.join('\n')
    const verdict = this.session.judge(text)
    if (verdict.kind === 'incomplete') {
      this.showPrompt()
      return
    }
    this.continuation = []
    this.mode = 'running'
    const controller = new AbortController()
    this.controller = controller
    const abandoned = new Promise<RunOutput>((resolve) => {
      this.abandon = () => resolve({ stdout: '', stderr: '', status: 130, interrupted: true })
    })
    const out = await Promise.race([this.session.run(text, controller.signal), abandoned])
    this.controller = undefined
    this.abandon = undefined
    this.ttyInput.clear()
    this.ttyResize.clear()
    this.afterRun(out, false)
  }

  private interruptRunning(): void {
    const controller = this.controller
    if (!controller || controller.signal.aborted) return
    this.typeAhead = ''
    this.emit('^C')
    controller.abort()
    const abandon = this.abandon
    const timer = setTimeout(() => abandon?.(), ABANDON_AFTER_MS)
    timer.unref?.()
  }

  private afterRun(out: RunOutput, fromEof: boolean): void {
    if (this.disposed) return
    this.print(out.stdout + out.stderr)
    if (out.interrupted) this.emit('\r\n')
    if (out.farewell) this.emit(`${out.farewell}\r\n`)
    if (out.exited !== undefined) {
      this.finish(out.exited)
      return
    }
    void fromEof
    this.showPrompt()
  }

  private finish(code: number): void {
    this.mode = 'exited'
    this.exitCode = code
    for (const l of [...this.exitListeners]) {
      try {
        l(code)
      } catch {
        // Listeners are independent.
      }
    }
  }
}

/** Open an interactive shell on `node` (a cluster's `terminal` part, see standard.ts). */
export async function openShellTerminal(node: SimNode, size: TerminalSize): Promise<TerminalStream> {
  const terminal = new ShellTerminal(node, size)
  await terminal.start()
  return terminal
}

/**
 * Run an interactive login shell on `node` inside a program's terminal, as
 * `ssh <node>` does: keys go to the inner shell until it exits. Resolves with
 * its exit status.
 */
export async function attachShell(node: SimNode, tty: Tty, signal?: AbortSignal): Promise<number> {
  const inner = new ShellTerminal(node, tty.size)
  const decoder = new TextDecoder()
  inner.onData((bytes) => tty.write(decoder.decode(bytes, { stream: true })))
  const offInput = tty.onInput((data) => inner.write(data))
  const offResize = tty.onResize((size) => inner.resize(size))
  try {
    return await new Promise<number>((resolve) => {
      const onAbort = () => {
        inner.dispose()
        resolve(255)
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      inner.onExit((code) => {
        signal?.removeEventListener('abort', onAbort)
        resolve(code)
      })
      void inner.start()
    })
  } finally {
    offInput()
    offResize()
    inner.dispose()
  }
}
