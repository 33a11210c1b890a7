// A simulated class against a real `ckalab` server process on loopback (the
// simulator in worker threads as `ckalab serve` runs it, or BENCH_DRIVER=sim
// on the server's thread; the fake lab): the instructor makes a class and
// waits for its warm pool (BENCH_WARM_LIMIT_MS at most), BENCH_LEARNERS
// learners (default 50) join the running class, each types a command a
// second; measured: join → first prompt byte, the board's update latency (a
// learner's work → their check green on the board's event stream), the
// instructor's mirror echo while everyone types, the server's RSS and CPU,
// and the errors.

import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import WebSocket from 'ws'
import { decodeFrame, encodeAck, encodeHello, encodeInput } from '../../simulator/src/server/protocol'
import { percentile } from './stats'

const REPO = resolve(fileURLToPath(new URL('../..', import.meta.url)))
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const pct = (s: number[], p: number) => Math.round(percentile(s, p))
const t0 = performance.now()
/** Where a long run is (stderr, so the figures on stdout stay a table). */
const phase = (text: string) =>
  process.stderr.write(`  [class bench ${((performance.now() - t0) / 1000).toFixed(1)} s] ${text}\n`)

interface Term {
  ws: WebSocket
  text: string
  waiters: { test: (t: string) => boolean; resolve: () => void }[]
}

function openTerm(url: string, path: string, ticket: string): Promise<Term> {
  const ws = new WebSocket(`${url.replace(/^http/, 'ws')}${path}`, { headers: { origin: url } })
  const t: Term = { ws, text: '', waiters: [] }
  ws.on('message', (raw: Buffer) => {
    const d = decodeFrame(new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength))
    if (!d.ok || d.frame.op !== 'output') return
    t.text = (t.text + new TextDecoder().decode(d.frame.data)).slice(-4000)
    ws.send(encodeAck(d.frame.data.length))
    t.waiters = t.waiters.filter((w) => {
      if (!w.test(t.text)) return true
      w.resolve()
      return false
    })
  })
  return new Promise((res, rej) => {
    ws.once('open', () => {
      ws.send(encodeHello(100, 30, ticket))
      res(t)
    })
    ws.once('error', rej)
  })
}

/** Waits for the terminal's text to pass `test`; a bench never hangs: after `ms` it fails, saying what it saw. */
/** CPU seconds the process (all its threads: the server and every environment's worker) has used. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
  return (Number(fields[11]) + Number(fields[12])) / 100
}

const waitText = (t: Term, test: (s: string) => boolean, what: string, ms = 60_000) =>
  test(t.text)
    ? Promise.resolve()
    : new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new Error(
                `no ${what} within ${ms / 1000} s (the terminal shows ${JSON.stringify(t.text.slice(-200))})`,
              ),
            ),
          ms,
        )
        t.waiters.push({
          test,
          resolve: () => {
            clearTimeout(timer)
            resolve()
          },
        })
      })

export async function benchClass(): Promise<Record<string, number>> {
  const learners = Number(process.env.BENCH_LEARNERS ?? 50)
  const dataDir = mkdtempSync(join(tmpdir(), 'ckalab-bench-class-'))
  const proc: ChildProcess = spawn(
    process.execPath,
    [
      // BENCH_CPU_PROF=<dir>: a V8 CPU profile of the server and of each environment's worker thread.
      ...(process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : []),
      '--import',
      'tsx',
      join(REPO, 'simulator/src/server/testing/serve-fixture.ts'),
      '--driver',
      // As `ckalab serve` runs the simulator: every environment in its own worker thread.
      process.env.BENCH_DRIVER ?? 'sim-worker',
      '--catalog',
      'fake',
      '--data-dir',
      dataDir,
      '--log-level',
      'warn',
    ],
    { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] },
  )
  let errors = 0
  // The server's last words, shown if it stops in the middle of the run.
  let serverErr = ''
  proc.stderr?.on('data', (d) => {
    serverErr = (serverErr + d.toString()).slice(-4000)
  })
  let exited: string | undefined
  proc.once('exit', (code, signal) => {
    exited = `the server exited (${signal ?? `code ${code}`})`
  })
  // The board stream's reader stops with the run, however it ends.
  const abort = new AbortController()
  try {
    const info = await new Promise<{ url: string; pid: number; instructorKey: string }>((res, rej) => {
      let out = ''
      const timer = setTimeout(() => rej(new Error('the server did not start within 60 s')), 60_000)
      proc.stdout?.on('data', (d) => {
        out += d.toString()
        const line = out.split('\n').find((l) => l.startsWith('{"url"'))
        if (line) {
          clearTimeout(timer)
          res(JSON.parse(line))
        }
      })
    })
    const { url, instructorKey: key } = info
    const call = async (method: string, path: string, body?: unknown, auth = false): Promise<any> => {
      const res = await fetch(url + path, {
        method,
        headers: {
          ...(auth ? { authorization: `Bearer ${key}` } : {}),
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        body: body ? JSON.stringify(body) : undefined,
      })
      if (!res.ok) {
        errors++
        throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`)
      }
      return res.json()
    }
    const c = await call(
      'POST',
      '/api/classes',
      { name: 'bench', labs: ['fake-lab'], seatCap: learners, durationMin: 60 },
      true,
    )
    // As in a room: the instructor makes the class and waits until the board says the
    // environments are ready (the warm pool, one per seat), then gives out the code.
    phase('class created; the warm pool fills')
    const warmStarted = performance.now()
    const cpuAtCreate = cpuSeconds(info.pid)
    // BENCH_WARM_LIMIT_MS bounds the wait on a machine too busy to fill the pool in time.
    const warmLimit = Number(process.env.BENCH_WARM_LIMIT_MS) || Math.max(120_000, learners * 10_000)
    let warmReady = 0
    for (;;) {
      const warm = (await call('GET', `/api/classes/${c.id}`, undefined, true)).class.warm
      warmReady = warm?.ready ?? 0
      if (warm && warm.wanted > 0 && warm.ready >= warm.wanted) break
      if (performance.now() - warmStarted > warmLimit) {
        errors++
        phase(
          `the warm pool is not full after ${warmLimit / 1000} s (${JSON.stringify(warm)}); joining anyway`,
        )
        break
      }
      await sleep(250)
    }
    const warmPoolMs = performance.now() - warmStarted
    const cpuAtJoin = cpuSeconds(info.pid)
    await call('POST', `/api/classes/${c.id}/start`, {}, true)

    // The board as the instructor's page gets it (reconnecting, as the page does, when the stream breaks).
    const board = new Map<string, number>() // seat → when its check was first seen passing
    let boardDrops = 0
    void (async () => {
      while (!abort.signal.aborted) {
        try {
          const res = await fetch(`${url}/api/classes/${c.id}/events`, {
            headers: { authorization: `Bearer ${key}` },
            signal: abort.signal,
          })
          const reader = res.body!.getReader()
          const dec = new TextDecoder()
          let buf = ''
          for (;;) {
            const { value, done } = await reader.read()
            if (done) break
            buf += dec.decode(value, { stream: true })
            for (let at = buf.indexOf('\n\n'); at >= 0; at = buf.indexOf('\n\n')) {
              const block = buf.slice(0, at)
              buf = buf.slice(at + 2)
              const now = performance.now()
              const data = block
                .split('\n')
                .filter((l) => l.startsWith('data: '))
                .map((l) => l.slice(6))
                .join('\n')
              const rows = data ? (JSON.parse(data).rows ?? []) : []
              for (const r of rows)
                if (r.checks?.[0]?.verdict === 'pass' && !board.has(r.seatId)) board.set(r.seatId, now)
            }
          }
        } catch (err) {
          if (abort.signal.aborted) return
          if (exited) return
          phase(`the board stream broke (${(err as Error).message}); reconnecting`)
        }
        if (!abort.signal.aborted) boardDrops++
        await sleep(500)
      }
    })()

    phase(`warm pool ready in ${(warmPoolMs / 1000).toFixed(1)} s; class started; ${learners} learners join`)
    // Join → first prompt, all learners at once.
    const joinMs: number[] = []
    // Where a join's time goes: seat made, environment ready, terminal socket open (then the prompt).
    const steps = { seat: [] as number[], ready: [] as number[], socket: [] as number[] }
    const seats = await Promise.all(
      Array.from({ length: learners }, async (_, i) => {
        const t0 = performance.now()
        const j = await call('POST', '/api/join', { code: c.code, name: `learner-${i}` })
        const seat = await call('GET', `/api/seats/${j.seatToken}`)
        steps.seat.push(performance.now() - t0)
        for (;;) {
          const a = await call('GET', `/api/attempts/${seat.attemptToken}`)
          if (a.state === 'ready') break
          if (a.state === 'failed') throw new Error(a.error)
          // As the attempt page polls while an environment is being made (web/src/hooks/useAttempt.ts).
          await sleep(250)
        }
        steps.ready.push(performance.now() - t0)
        const ticket = (
          await call('POST', `/api/attempts/${seat.attemptToken}/terminals/controlplane/ticket`)
        ).ticket
        const term = await openTerm(url, '/api/terminal', ticket)
        steps.socket.push(performance.now() - t0)
        await waitText(term, (t) => t.includes('# '), 'prompt')
        joinMs.push(performance.now() - t0)
        return { seatId: j.seatId as string, term }
      }),
    )

    phase('everyone joined; typing starts')
    const cpuAfterJoin = cpuSeconds(info.pid)
    const typingStarted = performance.now()
    // Everyone types a command a second; learner 0 is the one the instructor mirrors, whose keys the bench times.
    let typing = true
    const load = seats.slice(1).map(async (s, i) => {
      await sleep((i * 1000) / learners)
      while (typing) {
        s.term.ws.send(encodeInput('echo busy\r'))
        await sleep(1000)
      }
    })

    // The instructor mirrors learner 0; each keystroke's echo is timed on the mirror.
    const ticket = (
      await call(
        'POST',
        `/api/classes/${c.id}/seats/${seats[0].seatId}/terminals/controlplane/ticket`,
        {},
        true,
      )
    ).ticket
    phase('mirror opens')
    const mirror = await openTerm(url, '/api/class-mirror', ticket)
    await waitText(mirror, (t) => t.includes('# '), 'prompt on the mirror')
    const echoMs: number[] = []
    for (let i = 0; i < 30; i++) {
      // A comment line: typed on a fresh prompt, so the line editor echoes it whole, and Enter runs nothing.
      const mark = `#m${i}x`
      const t0 = performance.now()
      seats[0].term.ws.send(encodeInput(mark))
      await waitText(mirror, (t) => t.includes(mark), `echo of ${mark} on the mirror`)
      echoMs.push(performance.now() - t0)
      seats[0].term.ws.send(encodeInput('\r'))
      await sleep(100)
    }

    phase('mirror echo measured; each learner does the lab')
    // Each learner does the lab's work at a different moment; the board's latency is until their row is green.
    const boardMs: number[] = []
    await Promise.all(
      seats.map(async (s, i) => {
        await sleep((i * 5000) / learners)
        const t0 = performance.now()
        s.term.ws.send(encodeInput('touch /root/done\r'))
        for (let waited = 0; !board.has(s.seatId) && waited < 30_000; waited += 20) await sleep(20)
        if (board.has(s.seatId)) boardMs.push(board.get(s.seatId)! - t0)
        else errors++
      }),
    )
    typing = false
    await Promise.all(load)
    const typingCpu = cpuSeconds(info.pid) - cpuAfterJoin
    const typingSeconds = (performance.now() - typingStarted) / 1000
    const rss =
      Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${info.pid}/status`, 'utf8'))?.[1] ?? 0) / 1024
    abort.abort()
    mirror.ws.close()
    for (const s of seats) s.term.ws.close()
    return {
      learners,
      warmPoolReadyMs: Math.round(warmPoolMs),
      warmReadyAtJoin: warmReady,
      joinToPromptP50Ms: pct(joinMs, 50),
      joinToPromptP99Ms: pct(joinMs, 99),
      joinSeatP99Ms: pct(steps.seat, 99),
      joinReadyP99Ms: pct(steps.ready, 99),
      joinSocketP99Ms: pct(steps.socket, 99),
      boardUpdateP50Ms: pct(boardMs, 50),
      boardUpdateP99Ms: pct(boardMs, 99),
      mirrorEchoP50Ms: pct(echoMs, 50),
      mirrorEchoP99Ms: pct(echoMs, 99),
      serverRssMb: Math.round(rss),
      // Load-independent costs (the machine may be shared): CPU per warm environment made, per join,
      // and the share of one core the whole class takes while everyone types a command a second.
      cpuMsPerWarmEnv: Math.round(((cpuAtJoin - cpuAtCreate) * 1000) / learners),
      cpuMsPerJoin: Math.round(((cpuAfterJoin - cpuAtJoin) * 1000) / learners),
      typingCoreShare: Math.round((typingCpu / typingSeconds) * 100) / 100,
      boardStreamDrops: boardDrops,
      classErrors: errors,
    }
  } catch (err) {
    if (exited)
      throw new Error(
        `${(err as Error).message}: ${exited}; its last output:\n${serverErr.trim().slice(-2000)}`,
      )
    throw err
  } finally {
    abort.abort()
    if (!exited) {
      proc.kill('SIGTERM')
      await new Promise((r) => proc.once('exit', r))
    }
    rmSync(dataDir, { recursive: true, force: true })
  }
}
