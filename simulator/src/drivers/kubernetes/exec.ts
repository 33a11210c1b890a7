import { Writable } from 'node:stream'
import type { KubeConfig, V1Status } from '@kubernetes/client-node'
import { Exec } from '@kubernetes/client-node'
import type { ExecOptions } from '../../seam'

// Commands in a lab pod over the API server's exec WebSocket (the channel
// protocol v4 that a 1.20 API server speaks). That protocol cannot close a
// command's stdin, so input travels in the command line (base64) instead.

export const DEFAULT_EXEC_TIMEOUT_MS = 120_000
/** Grace for `timeout` to end the command before ckalab stops waiting. */
const CLIENT_GRACE_MS = 8_000
const TIMEOUT_EXIT = 124
/** Input rides in the request URL: keep it well below the API server's header limit. */
export const MAX_STDIN_BYTES = 512 * 1024

export interface RawResult {
  stdout: Buffer
  stderr: Buffer
  exitCode: number
  timedOut: boolean
  /** Set when the API server refused or lost the exec (not the command's own failure). */
  transportError?: string
}

/** The exit code in the Status the API server sends at the end of an exec. */
export function exitCodeOf(status: V1Status | undefined): { code: number; message?: string } {
  if (!status) return { code: -1, message: 'the exec ended without a status' }
  if (status.status === 'Success') return { code: 0 }
  const cause = status.details?.causes?.find((c) => c.reason === 'ExitCode')
  const n = Number(cause?.message)
  if (cause && Number.isInteger(n)) return { code: n }
  return { code: -1, message: status.message ?? status.reason ?? 'the exec failed' }
}

const WRAP =
  'if [ -n "$1" ]; then cd -- "$1" || exit 1; fi; ' +
  'if [ -n "$2" ]; then printf %s "$2" | base64 -d | bash -c "$3"; else exec bash -c "$3" </dev/null; fi'

/** The argv that runs `cmd` with bash under `timeout`, with the options the seam allows. */
export function commandLine(cmd: string, opts: ExecOptions = {}): string[] {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_EXEC_TIMEOUT_MS
  const secs = Math.max(0.1, timeoutMs / 1000).toFixed(1)
  const stdin = opts.stdin === undefined ? '' : Buffer.from(opts.stdin, 'utf8')
  if (stdin && stdin.length > MAX_STDIN_BYTES)
    throw new Error(
      `input of ${stdin.length} bytes is more than a command in a lab pod takes (${MAX_STDIN_BYTES})`,
    )
  const env = Object.entries(opts.env ?? {}).map(([k, v]) => `${k}=${v}`)
  return [
    'timeout',
    '-k',
    '3',
    `${secs}s`,
    ...(env.length ? ['env', ...env] : []),
    'bash',
    '-c',
    WRAP,
    'ckalab',
    opts.cwd ?? '',
    stdin ? stdin.toString('base64') : '',
    cmd,
  ]
}

/** Runs argv in the pod's container; never throws for the command's own failure. */
export async function execRaw(
  kc: KubeConfig,
  where: { namespace: string; pod: string; container: string },
  argv: string[],
  timeoutMs = DEFAULT_EXEC_TIMEOUT_MS,
): Promise<RawResult> {
  const out: Buffer[] = []
  const err: Buffer[] = []
  let status: V1Status | undefined
  const started = Date.now()
  const ws = await new Exec(kc).exec(
    where.namespace,
    where.pod,
    where.container,
    argv,
    sink(out),
    sink(err),
    null,
    false,
    (s) => {
      status = s
    },
  )
  let clientTimedOut = false
  let lost: string | undefined
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      clientTimedOut = true
      ws.close()
      resolve()
    }, timeoutMs + CLIENT_GRACE_MS)
    ws.on('close', () => {
      clearTimeout(timer)
      resolve()
    })
    ws.on('error', (e: Error) => {
      lost = e.message
      clearTimeout(timer)
      resolve()
    })
  })
  const { code, message } = clientTimedOut ? { code: TIMEOUT_EXIT } : exitCodeOf(status)
  const timedOut =
    clientTimedOut || ((code === TIMEOUT_EXIT || code === 137) && Date.now() - started >= timeoutMs)
  const transportError = lost ?? (code === -1 ? message : undefined)
  return {
    stdout: Buffer.concat(out),
    stderr: Buffer.concat(err),
    exitCode: code,
    timedOut,
    ...(transportError ? { transportError } : {}),
  }
}

function sink(into: Buffer[]): Writable {
  return new Writable({
    write(chunk: Buffer, _enc, done) {
      into.push(Buffer.from(chunk))
      done()
    },
  })
}
