// SIGTSTP and SIGCONT for simulated processes. A job's commands cannot be
// frozen from outside (they are promises on the same event loop), so a stopped
// job stops at its next turn: every command passes through `cooperate` and
// followers (`-w`, `-f`, `sleep`) pass through it between two outputs, and
// there it waits until the job is continued or killed. Nothing it would print
// reaches the terminal while it is stopped.
//
// just-bash hands a command the very AbortSignal its line was started with,
// so the gate is found from the command's signal.

export class StopGate {
  private waiters: Array<() => void> = []
  private listeners = new Set<(stopped: boolean) => void>()
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
    for (const l of [...this.listeners]) l(true)
  }

  resume(): void {
    if (!this.stopped) return
    this.stopped = false
    for (const w of this.waiters.splice(0)) w()
    for (const l of [...this.listeners]) l(false)
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

  /** Told on every stop (true) and continue (false); a full-screen program redraws on continue. */
  onChange(listener: (stopped: boolean) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }
}

const gates = new WeakMap<AbortSignal, StopGate>()

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
