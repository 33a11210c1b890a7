import { execFile } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import type Docker from 'dockerode'
import type { HostFacts } from './probe'
import { parseKindVersion } from './versions'

// Side-effecting half of the probe: asks Docker, runs `kind version`, reads
// the inotify sysctls. Every failure becomes a fact, never an exception.

export async function gatherHostFacts(
  docker: Docker,
  kindPath: string,
  timeoutMs = 10_000,
): Promise<HostFacts> {
  const [dockerFacts, kind, inotify] = await Promise.all([
    dockerInfo(docker, timeoutMs),
    kindVersion(kindPath, timeoutMs),
    readInotify(),
  ])
  return { ...dockerFacts, kind, inotify }
}

async function dockerInfo(
  docker: Docker,
  timeoutMs: number,
): Promise<Pick<HostFacts, 'dockerError' | 'dockerMemoryBytes'>> {
  try {
    const info = await withTimeout(docker.info(), timeoutMs, 'no answer')
    return { dockerMemoryBytes: typeof info.MemTotal === 'number' ? info.MemTotal : undefined }
  } catch (err) {
    return { dockerError: shortError(err) }
  }
}

export function kindVersion(kindPath: string, timeoutMs = 10_000): Promise<HostFacts['kind']> {
  return new Promise((resolve) => {
    execFile(kindPath, ['version'], { timeout: timeoutMs }, (err, stdout, stderr) => {
      if (err) {
        const code = (err as NodeJS.ErrnoException).code
        const why = code === 'ENOENT' ? 'not found' : code === 'EACCES' ? 'not executable' : shortError(err)
        resolve({ path: kindPath, error: why })
        return
      }
      const version = parseKindVersion(stdout || stderr)
      resolve(
        version
          ? { path: kindPath, version }
          : { path: kindPath, error: `unexpected version output: ${stdout.trim()}` },
      )
    })
  })
}

async function readInotify(): Promise<HostFacts['inotify']> {
  try {
    const [w, i] = await Promise.all([
      readFile('/proc/sys/fs/inotify/max_user_watches', 'utf8'),
      readFile('/proc/sys/fs/inotify/max_user_instances', 'utf8'),
    ])
    return { maxUserWatches: Number(w.trim()), maxUserInstances: Number(i.trim()) }
  } catch {
    return undefined // not Linux, or /proc hidden: Docker Desktop's VM has its own limits
  }
}

export function shortError(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err)
  return msg.split('\n')[0]!.slice(0, 300)
}

export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`${what} within ${ms} ms`)), ms)
    p.then(
      (v) => {
        clearTimeout(t)
        resolve(v)
      },
      (e) => {
        clearTimeout(t)
        reject(e)
      },
    )
  })
}
