// The isolation load test: a real `ckalab` server process on loopback with
// every simulated environment in its own worker thread, 20 attempts, and
// every attack one learner's terminal can make (resize flood, input flood, a
// 2 MB typed line, a client that never acknowledges output while `seq 1 99999`
// runs, etcd values past the request limit, a runaway loop) against attacker
// attempts, while a victim attempt's keystroke echo and the API of the other
// attempts are measured. Bounded (ATTACK_SECONDS, default 20) and ends by itself.
// To profile the server: BENCH_CPU_PROF=<dir> (see server.ts) with ATTACK_STOP_MS=60000, so a
// slow graceful stop still writes the main thread's profile instead of ending in SIGKILL.

import type { ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { encodeInput, encodeResize } from '../../simulator/src/server/protocol'
import { echoRoundTrips, openTerm, rssMb, startAttempt, startChild, type Term } from './server'
import { percentile } from './stats'

const log = (text: string) => {
  if (process.env.ATTACK_VERBOSE) process.stderr.write(`attack: ${text}\n`)
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const round = (n: number) => Math.round(n * 100) / 100

const ETCDCTL =
  'ETCDCTL_API=3 etcdctl --endpoints=https://127.0.0.1:2379 --cacert=/etc/kubernetes/pki/etcd/ca.crt --cert=/etc/kubernetes/pki/etcd/server.crt --key=/etc/kubernetes/pki/etcd/server.key'

export interface AttackFigures {
  attempts: number
  createSeconds: number
  victimEchoSamples: number
  victimEchoP50Ms: number
  victimEchoP99Ms: number
  victimEchoMaxMs: number
  victimEchoErrors: number
  apiRequests: number
  apiErrors: number
  rssBeforeMb: number
  rssMaxMb: number
  attackSeconds: number
}

type Attack = (t: Term, stop: () => boolean) => Promise<void>

/** SIGTERM, and SIGKILL when a graceful stop takes more than 5 s (a busy worker can delay it). */
async function stopChild(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return
  const exited = new Promise((r) => proc.once('exit', r))
  proc.kill('SIGTERM')
  const timer = setTimeout(
    () => {
      log('the server did not stop in time after SIGTERM; SIGKILL')
      proc.kill('SIGKILL')
    },
    Number(process.env.ATTACK_STOP_MS ?? 5000),
  )
  await exited
  clearTimeout(timer)
}

/** What each attacker does, round-robin over the attacker attempts. */
export const ATTACKS: Record<string, Attack> = {
  async resizeFlood(t, stop) {
    while (!stop()) {
      for (let i = 0; i < 1000; i++) t.ws.send(encodeResize(40 + (i % 160), 10 + (i % 50)))
      await sleep(200)
    }
  },
  async inputFlood(t, stop) {
    const chunk = new Uint8Array(60_000).fill(120)
    while (!stop()) {
      for (let i = 0; i < 300 && !stop(); i++) t.ws.send(encodeInput(chunk))
      // ws buffers what the socket cannot take yet; let it drain rather than grow the test's own memory.
      while (t.ws.bufferedAmount > 4_000_000 && !stop()) await sleep(50)
      t.send('\x03')
      await sleep(500)
    }
  },
  async hugeLine(t, stop) {
    const piece = 'y'.repeat(60_000)
    while (!stop()) {
      for (let i = 0; i < 35 && !stop(); i++) {
        t.send(piece)
        await sleep(20)
      }
      t.send('\x03')
      await sleep(500)
    }
  },
  async nonAcking(t, stop) {
    t.autoAck = false
    while (!stop()) {
      t.send('seq 1 99999\r')
      await sleep(300)
    }
  },
  async etcdHugeValues(t, stop) {
    while (!stop()) {
      t.send(`${ETCDCTL} put big "$(seq 1 99999)$(seq 1 99999)$(seq 1 99999)"\r`)
      await sleep(2000)
    }
  },
  async runawayLoop(t, stop) {
    while (!stop()) {
      t.send('while true; do echo y; done | tail -1\r')
      await sleep(1500)
      t.send('\x03')
      await sleep(1500)
    }
  },
}

export async function runAttackLoad(
  o: { attempts?: number; seconds?: number } = {},
): Promise<AttackFigures & { ctrlCMs: number[] }> {
  const attempts = o.attempts ?? 20
  const seconds = o.seconds ?? Number(process.env.ATTACK_SECONDS ?? 20)
  const dataDir = mkdtempSync(join(tmpdir(), 'ckalab-attack-'))
  const child = await startChild(dataDir, 'sim-worker')
  const terms: Term[] = []
  try {
    const t0 = performance.now()
    const tokens: string[] = []
    for (let i = 0; i < attempts; i++) tokens.push(await startAttempt(child.url))
    log(`${attempts} attempts ready`)
    const createSeconds = round((performance.now() - t0) / 1000)
    const [victimToken, ...attackerTokens] = tokens as [string, ...string[]]
    const victim = await openTerm(child.url, victimToken)
    terms.push(victim)
    for (const token of attackerTokens) terms.push(await openTerm(child.url, token))
    await sleep(500)
    const rssBeforeMb = rssMb(child.pid)
    log('terminals open; attacking')

    let stopped = false
    const stop = () => stopped
    let rssMaxMb = rssBeforeMb
    const rssLoop = (async () => {
      while (!stopped) {
        rssMaxMb = Math.max(rssMaxMb, rssMb(child.pid))
        await sleep(200)
      }
    })()
    let apiRequests = 0
    let apiErrors = 0
    const apiLoop = (async () => {
      while (!stopped) {
        for (const path of [`/api/attempts/${victimToken}`, '/api/health']) {
          apiRequests++
          const ok = await fetch(child.url + path, { signal: AbortSignal.timeout(5000) }).then(
            (r) => r.ok,
            () => false,
          )
          if (!ok) apiErrors++
        }
        await sleep(100)
      }
    })()
    // ATTACK_ONLY=inputFlood,hugeLine narrows the attacks (to find which one costs what).
    const only = process.env.ATTACK_ONLY?.split(',')
    const names = Object.keys(ATTACKS).filter((n) => !only || only.includes(n))
    const attacks = terms.slice(1).map((t, i) => ATTACKS[names[i % names.length]!]!(t, stop))

    const echoErrors = { n: 0 }
    const samples: number[] = []
    const started = performance.now()
    await sleep(300)
    while (performance.now() - started < seconds * 1000)
      samples.push(...(await echoRoundTrips(victim, 10, 20, echoErrors)))
    stopped = true
    log('attacks stopped')
    await Promise.allSettled([rssLoop, apiLoop, ...attacks])
    return {
      attempts,
      createSeconds,
      victimEchoSamples: samples.length,
      victimEchoP50Ms: round(percentile(samples, 50)),
      victimEchoP99Ms: round(percentile(samples, 99)),
      victimEchoMaxMs: round(Math.max(...samples)),
      victimEchoErrors: echoErrors.n,
      apiRequests,
      apiErrors,
      rssBeforeMb,
      rssMaxMb,
      attackSeconds: seconds,
      ctrlCMs: [],
    }
  } finally {
    for (const t of terms) t.ws.terminate()
    await stopChild(child.proc)
    rmSync(dataDir, { recursive: true, force: true })
  }
}

/**
 * Ctrl-C on a runaway loop in one of many attempts: ms from Ctrl-C until
 * the attacker's prompt is back, for each of `rounds`.
 */
export async function runawayCtrlC(o: { rounds?: number } = {}): Promise<number[]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ckalab-ctrlc-'))
  const child = await startChild(dataDir, 'sim-worker')
  try {
    const t = await openTerm(child.url, await startAttempt(child.url))
    await t.waitFor(/# /, 20_000)
    const times: number[] = []
    for (let i = 0; i < (o.rounds ?? 5); i++) {
      t.send('while true; do echo y; done | tail -1\r')
      await sleep(1000)
      const mark = t.mark()
      const c0 = performance.now()
      t.send('\x03')
      const back = await t.waitSince(mark, (s) => /:~# /.test(s), 30_000)
      times.push(back ? round(performance.now() - c0) : Number.POSITIVE_INFINITY)
      await sleep(300)
    }
    t.ws.terminate()
    return times
  } finally {
    await stopChild(child.proc)
    rmSync(dataDir, { recursive: true, force: true })
  }
}

/** `npm run bench` figures. */
export async function benchAttack(): Promise<Record<string, number>> {
  const { ctrlCMs: _, ...figures } = await runAttackLoad()
  const ctrlC = await runawayCtrlC()
  return {
    ...(figures as unknown as Record<string, number>),
    runawayCtrlCP50Ms: round(percentile(ctrlC, 50)),
    runawayCtrlCMaxMs: Math.max(...ctrlC),
  }
}

// `node --import tsx scripts/bench/attack.ts` prints the figures.
if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await runAttackLoad({ attempts: Number(process.env.ATTACK_ATTEMPTS ?? 20) })))
  console.log(JSON.stringify({ runawayCtrlCMs: await runawayCtrlC() }))
}
