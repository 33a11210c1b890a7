import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { percentile } from './stats'

// Figures for `npm start` on a warm machine (packages installed, web app and
// server already built): the time from the command to a usable page (the app
// page and the lab list both answer), and the idle server's memory. The same
// figures for the TypeScript run through tsx (`npx ckalab start`) are shown
// beside them.

const REPO = resolve(fileURLToPath(new URL('../..', import.meta.url)))

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
  return m ? Math.round((Number(m[1]) / 1024) * 10) / 10 : Number.NaN
}

async function ok(url: string): Promise<boolean> {
  try {
    const r = await fetch(url)
    await r.arrayBuffer()
    return r.ok
  } catch {
    return false
  }
}

interface Started {
  ms: number
  rssMb: number
}

/** Start, wait for a usable page, then (optionally) measure the idle memory; always stops the server. */
async function startOnce(command: string, args: string[], idleMs: number): Promise<Started> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ckalab-bench-start-'))
  const t0 = performance.now()
  const proc: ChildProcess = spawn(
    command,
    [...args, '--port', '0', '--driver', 'sim', '--data-dir', dataDir],
    {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  )
  let log = ''
  proc.stderr?.on('data', (d) => {
    log = (log + d.toString()).slice(-4000)
  })
  try {
    const url = await new Promise<string>((res, rej) => {
      let out = ''
      const t = setTimeout(() => rej(new Error(`no "ckalab is running" line within 120 s:\n${log}`)), 120_000)
      proc.stdout?.on('data', (d) => {
        out += d.toString()
        const m = /ckalab is running: open (\S+)/.exec(out)
        if (m) {
          clearTimeout(t)
          res(m[1].replace('localhost', '127.0.0.1').replace(/\/$/, ''))
        }
      })
      proc.once('exit', (code) => rej(new Error(`ckalab exited (${code}):\n${log}`)))
    })
    while (!((await ok(`${url}/`)) && (await ok(`${url}/api/labs`))))
      await new Promise((r) => setTimeout(r, 20))
    const ms = performance.now() - t0
    if (idleMs > 0) await new Promise((r) => setTimeout(r, idleMs))
    return { ms, rssMb: proc.pid ? rssMb(proc.pid) : Number.NaN }
  } finally {
    proc.kill('SIGTERM')
    await new Promise((r) => (proc.exitCode === null ? proc.once('exit', r) : r(undefined)))
    rmSync(dataDir, { recursive: true, force: true })
  }
}

async function figures(command: string, args: string[], runs: number): Promise<{ p50: number; rss: number }> {
  await startOnce(command, args, 0) // warm: builds what is missing, fills the file cache
  const times: number[] = []
  let rss = Number.NaN
  for (let i = 0; i < runs; i++) {
    const r = await startOnce(command, args, i === 0 ? 2000 : 0)
    times.push(r.ms)
    if (i === 0) rss = r.rssMb
  }
  return { p50: Math.round(percentile(times, 50)), rss }
}

export async function benchStart(): Promise<Record<string, number>> {
  const compiled = await figures('bash', ['scripts/start.sh'], 5)
  const tsx = await figures(process.execPath, ['bin/ckalab.mjs', 'start'], 5)
  return {
    startToPageMs: compiled.p50,
    idleRssCompiledMb: compiled.rss,
    startToPageTsxMs: tsx.p50,
    idleRssTsxMb: tsx.rss,
  }
}
