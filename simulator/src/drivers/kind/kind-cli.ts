import { spawn } from 'node:child_process'

// Runs the kind binary. Output is streamed to `onOutput` (kind writes its
// status to stderr) and the last lines are kept for error messages.

export interface KindRun {
  code: number | null
  signal: NodeJS.Signals | null
  output: string
  aborted: boolean
}

export interface KindRunOptions {
  env?: NodeJS.ProcessEnv
  signal?: AbortSignal
  onOutput?: (chunk: string) => void
  timeoutMs?: number
}

const MAX_KEPT = 64 * 1024

export function runKind(kindPath: string, args: string[], opts: KindRunOptions = {}): Promise<KindRun> {
  return new Promise((resolve) => {
    let output = ''
    let aborted = false
    const keep = (chunk: Buffer) => {
      const text = chunk.toString('utf8')
      output = (output + text).slice(-MAX_KEPT)
      opts.onOutput?.(text)
    }
    let child: ReturnType<typeof spawn>
    try {
      child = spawn(kindPath, args, {
        env: opts.env ?? process.env,
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      })
    } catch (e) {
      resolve({ code: null, signal: null, output: String(e), aborted: false })
      return
    }
    // Same process group as ckalab: a Ctrl-C in the terminal reaches kind too,
    // as it would when kind is run by hand.
    const stop = (sig: NodeJS.Signals) => {
      child.kill(sig)
    }
    const onAbort = () => {
      aborted = true
      stop('SIGINT')
      setTimeout(() => stop('SIGKILL'), 5000).unref()
    }
    if (opts.signal?.aborted) onAbort()
    opts.signal?.addEventListener('abort', onAbort, { once: true })
    const timer = opts.timeoutMs ? setTimeout(() => stop('SIGKILL'), opts.timeoutMs) : undefined
    child.stdout?.on('data', keep)
    child.stderr?.on('data', keep)
    child.on('error', (e) => {
      output += `${e.message}\n`
    })
    let settled = false
    const finish = (code: number | null, signal: NodeJS.Signals | null) => {
      if (settled) return
      settled = true
      if (timer) clearTimeout(timer)
      opts.signal?.removeEventListener('abort', onAbort)
      resolve({ code, signal, output, aborted })
    }
    child.on('close', finish)
    // A grandchild (docker, a script) can hold kind's pipes open after kind
    // exited: give the output a moment, then stop waiting for it.
    child.on('exit', (code, signal) => {
      setTimeout(() => {
        child.stdout?.destroy()
        child.stderr?.destroy()
        finish(code, signal)
      }, 2000).unref()
    })
  })
}

/** The last `n` non-empty lines of kind's output, spinner redraws resolved. */
export function tailLines(output: string, n = 20): string[] {
  return output
    .split(/\r?\n/)
    .map((l) =>
      l
        .split('\r')
        .pop()!
        .replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '')
        .trimEnd(),
    )
    .filter((l) => l.trim() !== '')
    .slice(-n)
}
