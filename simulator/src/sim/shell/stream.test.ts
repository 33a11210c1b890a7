import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RealClock } from '../clock'
import { createSimCluster, type SimCluster } from '../cluster'
import { standardParts } from '../standard'
import { ShellSession } from './session'

// Output reaches the terminal while a line runs, in the order it is written,
// and Ctrl-C stops any line quickly without starving the event loop.

let cluster: SimCluster
beforeAll(async () => {
  cluster = await createSimCluster({ controlPlanes: 1, kubernetes: '1.34' }, standardParts())
})
afterAll(async () => {
  await cluster.dispose()
})

async function terminalSession(
  on: SimCluster = cluster,
): Promise<{ s: ShellSession; chunks: string[]; shown: () => string }> {
  const node = on.nodes[0]
  if (!node) throw new Error('no node')
  const chunks: string[] = []
  const s = new ShellSession(node, { interactive: true, mergeStderr: true, terminal: (t) => chunks.push(t) })
  await s.start()
  chunks.length = 0
  return { s, chunks, shown: () => chunks.join('') }
}

/** Run `line`, press Ctrl-C once `ready` holds; resolves with how long the line took to stop after it. */
async function interruptWhen(
  s: ShellSession,
  line: string,
  ready: () => boolean,
): Promise<{ stopMs: number; interrupted?: boolean; maxGapMs: number }> {
  const controller = new AbortController()
  let last = performance.now()
  let maxGapMs = 0
  const ticker = setInterval(() => {
    const now = performance.now()
    maxGapMs = Math.max(maxGapMs, now - last)
    last = now
  }, 2)
  const run = s.run(line, controller.signal)
  const deadline = Date.now() + 20_000
  while (!ready() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10))
  expect(ready()).toBe(true)
  const t0 = performance.now()
  controller.abort()
  const out = await run
  const stopMs = performance.now() - t0
  clearInterval(ticker)
  return { stopMs, interrupted: out.interrupted, maxGapMs }
}

describe('streaming shell output', () => {
  it('writes each command’s output as it ends, in order, stdout and stderr interleaved', async () => {
    const { s, chunks } = await terminalSession()
    const out = await s.run('echo one; ls /nonexistent; echo two >&2; echo three')
    expect(out.stdout + out.stderr).toBe('')
    expect(chunks.join('')).toMatch(/^one\n.*nonexistent.*\ntwo\nthree\n$/)
    expect(chunks.length).toBeGreaterThanOrEqual(4)
  })

  it('keeps pipes, substitutions and files as they were', async () => {
    const { s, shown } = await terminalSession()
    await s.run(
      'x=$(echo sub); echo "[$x]"; echo a b | tr a-z A-Z; echo kept > /tmp/stream-f; cat /tmp/stream-f',
    )
    expect(shown()).toBe('[sub]\nA B\nkept\n')
  })

  it('keeps the order etcdctl snapshot save writes its two streams in through 2>&1 | tail and &>', async () => {
    const { s, shown, chunks } = await terminalSession()
    const env =
      'ETCDCTL_API=3 etcdctl --endpoints=https://127.0.0.1:2379 --cacert=/etc/kubernetes/pki/etcd/ca.crt --cert=/etc/kubernetes/pki/etcd/server.crt --key=/etc/kubernetes/pki/etcd/server.key'
    // etcdctl 3.6 logs to stderr while it works, then prints its result and the server version on stdout.
    await s.run(`${env} snapshot save /tmp/stream-a.db 2>&1 | tail -2`)
    expect(shown()).toBe('Snapshot saved at /tmp/stream-a.db\nServer version 3.6.0\n')
    chunks.length = 0
    await s.run(`${env} snapshot save /tmp/stream-b.db &> /tmp/stream-log; tail -2 /tmp/stream-log`)
    expect(shown()).toBe('Snapshot saved at /tmp/stream-b.db\nServer version 3.6.0\n')
    chunks.length = 0
    await s.run(`${env} snapshot save /tmp/stream-c.db 2>&1 | head -1`)
    expect(shown()).toMatch(/^\{"level":"\w+"/)
  })

  it('commands in a pipe or redirected know their stdout is not the terminal; sudo hands its streams on', async () => {
    const { s, shown, chunks } = await terminalSession()
    const env =
      'ETCDCTL_API=3 etcdctl --endpoints=https://127.0.0.1:2379 --cacert=/etc/kubernetes/pki/etcd/ca.crt --cert=/etc/kubernetes/pki/etcd/server.crt --key=/etc/kubernetes/pki/etcd/server.key'
    // etcdctl's result is its last stdout line, after the log lines on stderr, through sudo too.
    await s.run(`sudo ${env} snapshot save /tmp/sudo-a.db 2>&1 | tail -1`)
    expect(shown()).toBe('Server version 3.6.0\n')
    chunks.length = 0
    await s.run(`sudo ${env} snapshot save /tmp/sudo-b.db 2>&1 | tail -2 | head -1`)
    expect(shown()).toBe('Snapshot saved at /tmp/sudo-b.db\n')
    chunks.length = 0
    // A watch into a pipe: the table once (the header and two pods through head -3).
    await s.run('kubectl get pods -n kube-system -w | head -3')
    expect(shown().split('\n')).toHaveLength(4)
    expect(shown()).toMatch(/^NAME\s+READY/)
    chunks.length = 0
    // ps sees the other commands of its pipeline running beside it.
    await s.run('ps aux | grep etcd')
    expect(shown()).toMatch(/grep etcd/)
  })

  it('tail -f prints each line appended to a growing file until Ctrl-C', async () => {
    const { s, shown } = await terminalSession()
    await s.run('echo first > /tmp/grow')
    const node = cluster.nodes[0]
    if (!node) throw new Error('no node')
    let appended = 0
    const grow = setInterval(() => {
      appended++
      void node.fs.appendFile('/tmp/grow', `line ${appended}\n`)
    }, 30)
    const r = await interruptWhen(s, 'tail -f /tmp/grow', () => shown().includes('line 3\n'))
    clearInterval(grow)
    expect(shown()).toMatch(/^first\nline 1\nline 2\nline 3\n/)
    expect(r.interrupted).toBe(true)
  })

  it('kubectl get -w prints the table, then stops on Ctrl-C; into a pipe it prints the table once', async () => {
    // Watching needs time that passes on its own: a live cluster's clock.
    const live = await createSimCluster(
      { controlPlanes: 1, kubernetes: '1.34' },
      { ...standardParts(), clock: new RealClock() },
    )
    const { s, shown, chunks } = await terminalSession(live)
    const r = await interruptWhen(s, 'kubectl get pods -n kube-system -w', () =>
      /etcd-controlplane/.test(shown()),
    )
    expect(shown()).toMatch(/^NAME\s+READY\s+STATUS/)
    expect(r.interrupted).toBe(true)
    chunks.length = 0
    await s.run('kubectl get pods -n kube-system -w | grep -c etcd-controlplane')
    expect(shown()).toBe('1\n')
    await live.dispose()
  }, 30_000)

  // Bounds are generous (a loaded machine), yet far below a loop that never yields or never stops.
  it('Ctrl-C stops a busy loop at once, and the loop never holds the event loop for long', async () => {
    const { s, shown } = await terminalSession()
    const busy = await interruptWhen(s, 'while true; do echo y; done | tail -1', () => true)
    expect(busy.interrupted).toBe(true)
    expect(busy.stopMs).toBeLessThan(1000)
    expect(busy.maxGapMs).toBeLessThan(500)
    const builtins = await interruptWhen(s, 'i=0; while :; do i=$((i+1)); done', () => true)
    expect(builtins.stopMs).toBeLessThan(1000)
    expect(builtins.maxGapMs).toBeLessThan(500)
    const printing = await interruptWhen(s, 'while true; do echo y; sleep 1; done', () => shown().length > 6)
    expect(printing.stopMs).toBeLessThan(1000)
    expect(shown()).toMatch(/^(y\n)+/)
    expect((await s.run('echo alive')).status).toBe(0)
  })

  it('sleep takes GNU intervals and says what is wrong with a bad one', async () => {
    const { s, shown } = await terminalSession()
    const out = await s.run('sleep 0.5 1s; echo $?; sleep; sleep 1x')
    expect(out.status).toBe(1)
    expect(shown()).toBe(
      "0\nsleep: missing operand\nTry 'sleep --help' for more information.\nsleep: invalid time interval '1x'\nTry 'sleep --help' for more information.\n",
    )
  })
})
