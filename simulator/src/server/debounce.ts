// A save that runs a short while after the last change, but never later than
// `maxWaitMs` after the first one, and never twice at the same time.

export interface Debounced {
  schedule(): void
  /** Runs now if anything is scheduled (or running), and waits for it. */
  flush(): Promise<void>
  cancel(): void
}

export function debounce(
  fn: () => Promise<void>,
  waitMs: number,
  maxWaitMs: number,
  onError: (err: unknown) => void,
): Debounced {
  let timer: ReturnType<typeof setTimeout> | undefined
  let firstAt = 0
  let running: Promise<void> | undefined
  let again = false

  const run = async (): Promise<void> => {
    if (timer) clearTimeout(timer)
    timer = undefined
    firstAt = 0
    if (running) {
      again = true
      return running
    }
    running = (async () => {
      try {
        await fn()
      } catch (err) {
        onError(err)
      }
    })()
    await running
    running = undefined
    if (again) {
      again = false
      await run()
    }
  }

  return {
    schedule() {
      const now = Date.now()
      if (!firstAt) firstAt = now
      if (timer) clearTimeout(timer)
      const delay = Math.max(0, Math.min(waitMs, firstAt + maxWaitMs - now))
      timer = setTimeout(() => void run(), delay)
      timer.unref?.()
    },
    async flush() {
      if (timer || again) await run()
      else if (running) await running
    },
    cancel() {
      if (timer) clearTimeout(timer)
      timer = undefined
      firstAt = 0
      again = false
    },
  }
}
