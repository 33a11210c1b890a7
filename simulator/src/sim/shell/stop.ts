// SIGTSTP and SIGCONT for simulated processes. A job's commands cannot be
// frozen from outside (they are promises on the same event loop), so a stopped
// job stops at its next turn: every command passes through `cooperate` and
// followers (`-w`, `-f`, `sleep`) pass through it between two outputs, and
// there it waits until the job is continued or killed. Nothing it would print
// reaches the terminal while it is stopped.
//
// just-bash gives every command a signal of its own (aborted with the
// line's), so a line's gate travels to its commands by name: the shell puts
// the name in the line's variables (JOB_MARKER) and the node's command binding
// files the command's signal under that gate (`joinGate`).

export class StopGate {
  private waiters: Array<() => void> = []
  private listeners = new Set<(stopped: boolean, foreground: boolean) => void>()
  stopped = false
  /**
   * Set by the shell while the job runs in the foreground: a full-screen
   * program that reads keys itself (top, less) asks through it to be stopped
   * when Ctrl-Z is typed, as the terminal driver would do for it.
   */
  requestStop: (() => boolean) | undefined

  stop(): void {
    if (this.stopped) return
    this.stopped = true
    for (const l of [...this.listeners]) l(true, false)
  }

  /** SIGCONT; `foreground` when `fg` gives the job the terminal (a full-screen program draws again). */
  resume(foreground = false): void {
    if (!this.stopped && !foreground) return
    this.stopped = false
    for (const w of this.waiters.splice(0)) w()
    for (const l of [...this.listeners]) l(false, foreground)
  }

  /** Resolves once the job runs again or `signal` is aborted. */
  wait(signal?: AbortSignal): Promise<void> {
    if (!this.stopped || signal?.aborted) return Promise.resolve()
    return new Promise<void>((resolve) => {
      const done = () => {
        signal?.removeEventListener('abort', done)
        resolve()
      }
      this.waiters.push(done)
      signal?.addEventListener('abort', done, { once: true })
    })
  }

  /** Told on every stop (true) and continue (false); a full-screen program redraws when continued in the foreground. */
  onChange(listener: (stopped: boolean, foreground: boolean) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }
}

const gates = new WeakMap<AbortSignal, StopGate>()

/** The shell variable naming the gate of the line a command runs in. */
export const JOB_MARKER = '__CKALAB_JOB'
const named = new Map<string, StopGate>()
let nextName = 1

/** Give `gate` a name for the line's commands to find it by; `release` when the line has ended. */
export function nameGate(gate: StopGate): { name: string; release(): void } {
  const name = String(nextName++)
  named.set(name, gate)
  return { name, release: () => named.delete(name) }
}

/** File a command's own signal under the gate its line names (see JOB_MARKER). */
export function joinGate(signal: AbortSignal | undefined, name: string | undefined): void {
  const gate = name ? named.get(name) : undefined
  if (signal && gate) gates.set(signal, gate)
}

/** A gate for the job whose commands run with `signal`. */
export function gateFor(signal: AbortSignal): StopGate {
  let gate = gates.get(signal)
  if (!gate) {
    gate = new StopGate()
    gates.set(signal, gate)
  }
  return gate
}

/** The gate of the job a command with this signal belongs to, if it runs under job control. */
export function gateOf(signal: AbortSignal | undefined): StopGate | undefined {
  return signal ? gates.get(signal) : undefined
}
