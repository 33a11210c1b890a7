import { gateOf } from './stop'

// A simulated shell runs on the same event loop as everything else in the
// process (other learners' terminals in the server, the page in a browser).
// Awaiting already-settled promises never lets that loop run, so a busy loop
// of builtins would starve it and never see Ctrl-C. Every command ckalab runs
// and every loop iteration (see stream-transform.ts) passes through
// `cooperate`, which gives the loop a turn once a time slice is used up and
// stops the line when it was interrupted.

/** Longest stretch of shell work between two turns of the event loop. */
export const SLICE_MS = 4

const now: () => number =
  typeof performance !== 'undefined' && typeof performance.now === 'function'
    ? () => performance.now()
    : () => Date.now()

type Scheduler = (fn: () => void) => void
const g = globalThis as { setImmediate?: Scheduler }
// setImmediate (Node) runs after pending I/O without setTimeout's 1 ms floor; a Web Worker has only setTimeout.
const macrotask: Scheduler = g.setImmediate ? (fn) => g.setImmediate?.(fn) : (fn) => setTimeout(fn, 0)

let sliceStart = now()

export function abortError(): Error {
  const err = new Error('interrupted')
  err.name = 'AbortError'
  return err
}

/** Give the event loop a turn if this slice is used up; throws an AbortError once `signal` is aborted. */
export async function cooperate(signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) throw abortError()
  // A stopped job (Ctrl-Z) waits here until it is continued or killed.
  const gate = gateOf(signal)
  if (gate?.stopped) {
    await gate.wait(signal)
    if (signal?.aborted) throw abortError()
  }
  if (now() - sliceStart < SLICE_MS) return
  await new Promise<void>((resolve) => macrotask(resolve))
  sliceStart = now()
  if (signal?.aborted) throw abortError()
}
