// Benchmarks of the web server and its terminals, against a real `ckalab`
// server process on loopback with the simulator driver:
//   idle RSS; start attempt → first prompt byte; keystroke echo round trip
//   alone and while 200 terminals each type a command a second.
// BENCH_FULL=1 runs the load for 60 s (10 s otherwise); BENCH_TERMINALS
// changes the number of load terminals.

import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import WebSocket from 'ws'
import { decodeFrame, encodeAck, encodeHello, encodeInput } from '../../simulator/src/server/protocol'
import { percentile } from './stats'

const REPO = resolve(fileURLToPath(new URL('../..', import.meta.url)))
const dec = new TextDecoder()

/** A percentile rounded to 0.01 ms for the table. */
const pct = (samples: number[], p: number): number => Math.round(percentile(samples, p) * 100) / 100

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

interface Child {
  url: string
  pid: number
  proc: ChildProcess
}

export async function startChild(
  dataDir: string,
  driver = process.env.BENCH_DRIVER ?? 'sim',
): Promise<Child> {
  const proc = spawn(
    process.execPath,
    [
      ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_CPU_PROF] : []),
      '--import',
      'tsx',
      join(REPO, 'simulator/src/server/testing/serve-fixture.ts'),
      '--driver',
      driver,
      '--catalog',
      'fake',
      '--create-ms',
      '0',
      '--data-dir',
      dataDir,
      '--log-level',
      'warn',
    ],
    { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] },
  )
  let log = ''
  proc.stderr?.on('data', (d) => {
    log = (log + d.toString()).slice(-4000)
  })
  const info = await new Promise<{ url: string; pid: number }>((res, rej) => {
    let out = ''
    const t = setTimeout(() => rej(new Error(`the server did not start within 60 s:\n${log}`)), 60_000)
    proc.stdout?.on('data', (d) => {
      out += d.toString()
      const line = out.split('\n').find((l) => l.startsWith('{'))
      if (line) {
        clearTimeout(t)
        res(JSON.parse(line))
      }
    })
    proc.once('exit', (code) => rej(new Error(`the server exited (${code}):\n${log}`)))
  })
  return { ...info, proc }
}

export function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const m = /VmRSS:\s+(\d+) kB/.exec(status)
  return m ? Math.round((Number(m[1]) / 1024) * 10) / 10 : Number.NaN
}

export class Term {
  private waiters: ((text: string) => void)[] = []
  text = ''
  frames = 0
  closed = false
  /** A client that stops acknowledging (the non-reading attack) sets this false. */
  autoAck = true
  constructor(readonly ws: WebSocket) {
    ws.on('message', (raw: Buffer) => {
      const d = decodeFrame(new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength))
      if (!d.ok || d.frame.op !== 'output') return
      const chunk = dec.decode(d.frame.data)
      this.frames++
      this.text = (this.text + chunk).slice(-4096)
      this.log.push(chunk)
      if (this.autoAck) ws.send(encodeAck(d.frame.data.length))
      for (const w of this.waiters.splice(0)) w(chunk)
    })
    ws.on('close', () => {
      this.closed = true
    })
  }
  /** Everything received since `mark()`, for waits that must not see older output. */
  private log: string[] = []
  mark(): number {
    return this.log.length
  }
  async waitSince(mark: number, test: (s: string) => boolean, timeoutMs: number): Promise<boolean> {
    const until = Date.now() + timeoutMs
    while (!test(this.log.slice(mark).join(''))) {
      const left = until - Date.now()
      if (left <= 0 || this.closed) return false
      await this.nextOutput(left).catch(() => {})
    }
    if (this.log.length > 10_000) this.log.splice(0, mark)
    return true
  }
  nextOutput(timeoutMs = 5000): Promise<string> {
    return new Promise((res, rej) => {
      const t = setTimeout(() => rej(new Error('no output within 5 s')), timeoutMs)
      this.waiters.push((c) => {
        clearTimeout(t)
        res(c)
      })
    })
  }
  async waitFor(re: RegExp, timeoutMs = 5000): Promise<void> {
    const until = Date.now() + timeoutMs
    while (!re.test(this.text)) {
      if (this.closed) throw new Error('terminal closed')
      const left = until - Date.now()
      if (left <= 0) throw new Error(`timed out waiting for ${re}`)
      await this.nextOutput(left).catch(() => {})
    }
  }
  send(s: string): void {
    this.ws.send(encodeInput(s))
  }
}

export async function api(url: string, method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(url + path, {
    method,
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  })
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`)
  return res.json()
}

export async function startAttempt(url: string): Promise<string> {
  const { token } = await api(url, 'POST', '/api/attempts', { lab: 'fake-lab', mode: 'practice' })
  for (;;) {
    const a = await api(url, 'GET', `/api/attempts/${token}`)
    if (a.state === 'ready') return token
    if (a.state === 'failed') throw new Error(`attempt failed: ${a.error}`)
    await sleep(5)
  }
}

export async function openTerm(url: string, token: string, onFirst?: () => void): Promise<Term> {
  const { ticket } = await api(url, 'POST', `/api/attempts/${token}/terminals/controlplane/ticket`)
  const ws = new WebSocket(`${url.replace('http', 'ws')}/api/terminal`, { headers: { origin: url } })
  await new Promise<void>((res, rej) => {
    ws.once('open', () => res())
    ws.once('error', rej)
  })
  const term = new Term(ws)
  const first = term.nextOutput(10_000)
  ws.send(encodeHello(120, 40, ticket))
  await first
  onFirst?.()
  return term
}

/**
 * Keystroke echo: types a digit (the prompt has none) and times until it is
 * echoed, then deletes it. A missing echo counts as an error, not a hang.
 */
export async function echoRoundTrips(
  term: Term,
  rounds: number,
  gapMs: number,
  errors: { n: number },
): Promise<number[]> {
  const samples: number[] = []
  for (let i = 0; i < rounds; i++) {
    const digit = String((i % 9) + 1)
    const mark = term.mark()
    const t0 = performance.now()
    term.send(digit)
    if (await term.waitSince(mark, (s) => s.includes(digit), 5000)) samples.push(performance.now() - t0)
    else errors.n++
    const back = term.mark()
    term.send('\x7f')
    await term.waitSince(back, (s) => s.length > 0, 1000)
    if (gapMs) await sleep(gapMs)
  }
  return samples
}

export async function benchServer(): Promise<Record<string, number>> {
  const full = process.env.BENCH_FULL === '1'
  const loadSeconds = full ? 60 : 10
  const terminals = Number(process.env.BENCH_TERMINALS ?? 200)
  const dataDir = mkdtempSync(join(tmpdir(), 'ckalab-bench-'))
  const child = await startChild(dataDir)
  const result: Record<string, number> = {}
  try {
    await sleep(1500)
    result.idleRssMb = rssMb(child.pid)

    // Start → first prompt byte, sequentially.
    const starts: number[] = []
    let probeToken = ''
    for (let i = 0; i < 15; i++) {
      const t0 = performance.now()
      const token = await startAttempt(child.url)
      const term = await openTerm(child.url, token)
      starts.push(performance.now() - t0)
      if (i === 0) probeToken = token
      term.ws.close()
    }
    result.startToPromptP50Ms = pct(starts, 50)
    result.startToPromptP99Ms = pct(starts, 99)

    // Echo alone.
    const probe = await openTerm(child.url, probeToken)
    await sleep(200)
    const echoErrors = { n: 0 }
    const alone = await echoRoundTrips(probe, 300, 2, echoErrors)
    result.echoP50Ms = pct(alone, 50)
    result.echoP99Ms = pct(alone, 99)

    // Load: N terminals, each typing a command a second.
    let errors = 0
    const loadTerms: Term[] = []
    for (let i = 0; i < terminals; i++) {
      try {
        loadTerms.push(await openTerm(child.url, await startAttempt(child.url)))
      } catch {
        errors++
      }
    }
    result.rssWithTerminalsMb = rssMb(child.pid)
    const commandTimes: number[] = []
    let stop = false
    const loops = loadTerms.map(async (t, i) => {
      await sleep((i * 1000) / Math.max(1, loadTerms.length))
      let k = 0
      while (!stop) {
        const started = performance.now()
        const marker = `L${i}x${k++}`
        t.send(`echo ${marker}\r`)
        try {
          // The command's output line, not the echo of the typed command.
          await t.waitFor(new RegExp(`(?<!echo )${marker}\\r?\\n`), 5000)
          commandTimes.push(performance.now() - started)
        } catch {
          errors++
        }
        const wait = 1000 - (performance.now() - started)
        if (wait > 0) await sleep(wait)
      }
    })
    await sleep(1000)
    const underLoad: number[] = []
    const until = Date.now() + loadSeconds * 1000
    while (Date.now() < until) underLoad.push(...(await echoRoundTrips(probe, 10, 20, echoErrors)))
    stop = true
    await Promise.all(loops)
    errors += loadTerms.filter((t) => t.closed).length
    result.loadTerminals = loadTerms.length
    result.loadSeconds = loadSeconds
    result.echoUnderLoadP50Ms = pct(underLoad, 50)
    result.echoUnderLoadP99Ms = pct(underLoad, 99)
    result.loadCommandP99Ms = pct(commandTimes, 99)
    result.loadCommands = commandTimes.length
    result.loadErrors = errors + echoErrors.n
    result.rssUnderLoadMb = rssMb(child.pid)
    for (const t of loadTerms) t.ws.close()
    probe.ws.close()
  } finally {
    child.proc.kill('SIGTERM')
    await new Promise((r) => {
      const t = setTimeout(() => {
        child.proc.kill('SIGKILL')
        r(undefined)
      }, 10_000)
      child.proc.once('exit', () => {
        clearTimeout(t)
        r(undefined)
      })
    })
    rmSync(dataDir, { recursive: true, force: true })
  }
  return result
}

if (import.meta.url === `file://${process.argv[1]}`) {
  benchServer().then(
    (r) => console.log(JSON.stringify(r, null, 2)),
    (err) => {
      console.error(err)
      process.exit(1)
    },
  )
}
