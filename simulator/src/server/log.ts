// Logs on stderr, as text a person reads (the default) or as one JSON object
// per line (`--log-format json`) for log tools. Secrets (attempt tokens,
// tickets) are never passed here; attempts are named by their public id.

export type LogLevel = 'debug' | 'info' | 'warn' | 'error'
export type LogFormat = 'text' | 'json'

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void
  info(msg: string, fields?: Record<string, unknown>): void
  warn(msg: string, fields?: Record<string, unknown>): void
  error(msg: string, fields?: Record<string, unknown>): void
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 }

function errorFields(value: unknown): unknown {
  if (value instanceof Error) return { message: value.message, name: value.name }
  return value
}

/** One line for a person: "ckalab: warning: saving failed (attempt=ab12, err=disk full)". */
export function textLine(lvl: LogLevel, msg: string, fields?: Record<string, unknown>): string {
  const parts = Object.entries(fields ?? {}).map(([k, v]) => {
    const value = errorFields(v)
    const shown =
      typeof value === 'string'
        ? value
        : value && typeof value === 'object' && 'message' in value
          ? String((value as { message: unknown }).message)
          : JSON.stringify(value)
    return `${k}=${shown}`
  })
  const label = lvl === 'warn' ? 'warning: ' : lvl === 'error' ? 'error: ' : lvl === 'debug' ? 'debug: ' : ''
  return `ckalab: ${label}${msg}${parts.length ? ` (${parts.join(', ')})` : ''}\n`
}

export function createLogger(
  level: LogLevel = 'info',
  write: (line: string) => void = (line) => process.stderr.write(line),
  format: LogFormat = 'json',
): Logger {
  const min = ORDER[level]
  const emit = (lvl: LogLevel, msg: string, fields?: Record<string, unknown>) => {
    if (ORDER[lvl] < min) return
    if (format === 'text') return write(textLine(lvl, msg, fields))
    const entry: Record<string, unknown> = { time: new Date().toISOString(), level: lvl, msg }
    if (fields) for (const [k, v] of Object.entries(fields)) entry[k] = errorFields(v)
    write(`${JSON.stringify(entry)}\n`)
  }
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
  }
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} }
