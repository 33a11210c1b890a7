import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WorkerSimDriver } from '../../simulator/src/host/worker-driver'
import type { Environment, TerminalStream } from '../../simulator/src/seam'

// Each simulated environment in its own worker thread: a busy command stalls
// only its own attempt; Ctrl-C stops it in the worker, and one that does not
// stop in time is ended by replacing the worker and restoring the last saved
// state, and the learner is told why.
// Timings here are generous (a shared CI machine); the bench measures them.

const dec = new TextDecoder()
let driver: WorkerSimDriver
const recovered: string[] = []

beforeAll(() => {
  driver = new WorkerSimDriver({ onRecover: (_id, why) => recovered.push(why) })
})
afterAll(async () => {
  await driver.close()
})

async function shell(env: Environment): Promise<{ t: TerminalStream; out: () => string; clear: () => void }> {
  const t = await env.nodes[0]!.openTerminal({ cols: 120, rows: 30 })
  let text = ''
  t.onData((b) => {
    text += dec.decode(b)
  })
  return {
    t,
    out: () => text,
    clear: () => {
      text = ''
    },
  }
}

async function until(cond: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, 5))
  }
}

describe('environments in worker threads', () => {
  it('a busy loop stalls only its own worker, and Ctrl-C stops it there without a restore', async () => {
    // A loaded test machine may need more than 100 ms for the loop's cooperative stop; the rule is what is tested.
    const patient = new WorkerSimDriver({
      warmSpare: false,
      guard: { interruptMs: 3000 },
      onRecover: (_id, why) => recovered.push(why),
    })
    const attacker = await patient.create({ controlPlanes: 1, kubernetes: '1.31' })
    const victim = await driver.create({ controlPlanes: 1, kubernetes: '1.31' })
    try {
      const before = recovered.length
      const a = await shell(attacker)
      await until(() => a.out().includes('# '), 20_000)
      expect((await attacker.nodes[0]!.exec('echo kept > /root/kept')).exitCode).toBe(0)
      a.t.write('while true; do echo y; done | tail -1\r')
      await new Promise((r) => setTimeout(r, 300))
      // The server's thread and the other environment answer while the loop runs.
      const started = Date.now()
      expect((await victim.nodes[0]!.exec('echo alive')).stdout).toBe('alive\n')
      expect(Date.now() - started).toBeLessThan(5000)
      a.clear()
      a.t.write('\x03')
      // The loop gives its worker's event loop turns, so Ctrl-C reaches it and the worker stays.
      await until(() => /\^C\r\n[\s\S]*root@controlplane:~# /.test(a.out()), 30_000)
      expect(recovered.slice(before)).toEqual([])
      expect((await attacker.nodes[0]!.exec('cat /root/kept')).stdout).toBe('kept\n')
    } finally {
      await attacker.dispose()
      await victim.dispose()
      await patient.close()
    }
  }, 120_000)

  it('a command that does not stop in time after Ctrl-C gets its worker restored from the saved state, and says so', async () => {
    // No command can be relied on never to yield now; a guard that allows 1 ms is what makes this one late.
    const hasty = new WorkerSimDriver({
      warmSpare: false,
      guard: { interruptMs: 1 },
      onRecover: (_id, why) => recovered.push(why),
    })
    const attacker = await hasty.create({ controlPlanes: 1, kubernetes: '1.31' })
    try {
      const a = await shell(attacker)
      await until(() => a.out().includes('# '), 20_000)
      expect((await attacker.nodes[0]!.exec('echo saved > /root/kept')).exitCode).toBe(0)
      await attacker.persistence!.serialize()
      expect((await attacker.nodes[0]!.exec('echo late > /root/lost')).exitCode).toBe(0)
      a.t.write('while true; do echo y; done | tail -1\r')
      await new Promise((r) => setTimeout(r, 300))
      a.clear()
      a.t.write('\x03')
      await until(() => /restarted from their state saved at .*\r\n[\s\S]*# /.test(a.out()), 30_000)
      expect(a.out()).toMatch(/the command did not stop within \d+ ms of Ctrl-C/)
      expect(recovered.join('\n')).toMatch(/the command did not stop within \d+ ms of Ctrl-C/)
      // The state of the last save is back; what came after it is not.
      expect((await attacker.nodes[0]!.exec('cat /root/kept; ls /root/lost')).stdout).toBe('saved\n')
      a.clear()
      a.t.write('echo again\r')
      await until(() => a.out().includes('again\r\n'), 10_000)
    } finally {
      await attacker.dispose()
      await hasty.close()
    }
  }, 120_000)

  it('Ctrl-C at the prompt or on a command that stops keeps the worker', async () => {
    // A loaded test machine may need more than 100 ms for a cooperative stop; the rule is what is tested.
    const patient = new WorkerSimDriver({
      warmSpare: false,
      guard: { interruptMs: 3000 },
      onRecover: (_id, why) => recovered.push(why),
    })
    const env = await patient.create({ controlPlanes: 1, kubernetes: '1.31' })
    try {
      const before = recovered.length
      const s = await shell(env)
      await until(() => s.out().includes('# '), 20_000)
      s.t.write('\x03')
      s.clear()
      s.t.write('sleep 5\r')
      await new Promise((r) => setTimeout(r, 200))
      s.t.write('\x03')
      await until(() => s.out().includes('# '), 10_000)
      await new Promise((r) => setTimeout(r, 300))
      expect(recovered.slice(before)).toEqual([])
    } finally {
      await env.dispose()
      await patient.close()
    }
  }, 60_000)

  it('a node-gone error crosses the boundary as the seam type', async () => {
    const env = await driver.create({ controlPlanes: 1, kubernetes: '1.31' })
    try {
      await expect(env.nodes[0]!.readFile('/etc/hostname')).resolves.toBeInstanceOf(Uint8Array)
      await expect(env.nodes[0]!.exec('true', { timeoutMs: 1000 })).resolves.toMatchObject({ exitCode: 0 })
    } finally {
      await env.dispose()
    }
  }, 60_000)
})
