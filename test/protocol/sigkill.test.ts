import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { TermClient, waitFor } from './harness'

// The server killed with SIGKILL at any moment (no shutdown, no flush) loses
// at most the last fraction of a second of what was typed, and after a
// restart on the same data dir the replayed screen agrees with the files:
// no command shows on the screen whose effect is missing.

/** The simulated shell's prompt on the last line of the screen (escape sequences may follow it). */
const PROMPT = { test: (text: string) => plain(text.slice(text.lastIndexOf('\n') + 1)).endsWith(':~# ') }
const plain = (text: string) => text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r/g, '')
const ROOT = join(import.meta.dirname, '..', '..')
const dataDir = mkdtempSync(join(tmpdir(), 'ckalab-sigkill-'))
const children: ChildProcess[] = []
afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL')
  rmSync(dataDir, { recursive: true, force: true })
})

/** `ckalab serve` from the sources (tsx), simulator in worker threads, on a free port. */
async function serve(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    ['bin/ckalab.mjs', 'serve', '--driver', 'sim', '--port', '0', '--data-dir', dataDir],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, CKALAB_SIM_IN_PROCESS: '' } },
  )
  children.push(child)
  let out = ''
  child.stdout!.on('data', (b) => {
    out += b
  })
  child.stderr!.on('data', (b) => {
    out += b
  })
  await waitFor(
    () => /open http:\/\/\S+:\d+/.test(out) || child.exitCode !== null,
    60_000,
    'the server to start',
  )
  const m = /open (http:\/\/\S+:\d+)/.exec(out)
  if (!m) throw new Error(`the server did not start: ${out}`)
  return { url: m[1]!.replace('localhost', '127.0.0.1'), child }
}

async function api(url: string, method: string, path: string, body?: unknown): Promise<any> {
  const res = await fetch(url + path, {
    method,
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  })
  return { status: res.status, body: await res.json() }
}

async function terminal(url: string, token: string): Promise<TermClient> {
  const t = await api(url, 'POST', `/api/attempts/${token}/terminals/controlplane/ticket`)
  const c = await TermClient.connect(url, url)
  if (t.status !== 200) throw new Error(`ticket: ${JSON.stringify(t.body)}`)
  c.hello(t.body.ticket, 120, 40)
  return c
}

describe('SIGKILL of the server', () => {
  it('loses at most the last second of typing, and the replayed screen matches the files', async () => {
    let { url, child } = await serve()
    const created = await api(url, 'POST', '/api/attempts', { lab: 'etcd-inspect', mode: 'practice' })
    expect(created.status).toBe(201)
    const token = created.body.token as string
    await waitFor(
      async () => (await api(url, 'GET', `/api/attempts/${token}`)).body.state === 'ready',
      60_000,
      'ready',
    )
    const t = await terminal(url, token)
    await waitFor(() => PROMPT.test(t.text), 20_000, 'a prompt')

    // Type commands one after another; note when each one's prompt came back.
    const doneAt: number[] = []
    const killAfterMs = 2500 + Math.random() * 1500
    const started = Date.now()
    let n = 0
    while (Date.now() - started < killAfterMs) {
      n++
      const before = t.text.length
      t.type(`echo v${n} > /root/f${n}\r`)
      await waitFor(() => PROMPT.test(t.text.slice(before + 10)), 10_000, `prompt after command ${n}`)
      doneAt.push(Date.now())
      await new Promise((r) => setTimeout(r, 20 + Math.random() * 80))
    }
    const killedAt = Date.now()
    child.kill('SIGKILL')
    await waitFor(() => child.exitCode !== null || child.signalCode !== null, 10_000, 'the kill')

    ;({ url, child } = await serve())
    await waitFor(
      async () => (await api(url, 'GET', `/api/attempts/${token}`)).body.state === 'ready',
      60_000,
      'ready again',
    )
    const again = await terminal(url, token)
    await waitFor(() => PROMPT.test(again.text), 20_000, 'a prompt')
    const screen = again.text
    const ls = await fetchFiles(url, token)

    const onScreen = [...screen.matchAll(/echo v(\d+) > \/root\/f\d+/g)].map((m) => Number(m[1]))
    // The screen never shows a command whose file is missing.
    for (const k of onScreen) expect(ls.get(k), `f${k} is on the screen`).toBe(`v${k}`)
    // Everything whose prompt was back one second before the kill is kept.
    const mustKeep = doneAt.filter((at) => at < killedAt - 1000).length
    expect(mustKeep).toBeGreaterThan(3)
    for (let k = 1; k <= mustKeep; k++)
      expect(ls.get(k), `f${k} (done ${killedAt - doneAt[k - 1]!} ms before the kill)`).toBe(`v${k}`)
    again.close()
    t.terminate()
    child.kill('SIGTERM')
  }, 180_000)
})

/** Files f1…fn as the restored node has them, read through a fresh terminal command. */
async function fetchFiles(url: string, token: string): Promise<Map<number, string>> {
  const t = await terminal(url, token)
  await waitFor(() => PROMPT.test(t.text), 20_000, 'a prompt')
  const before = t.text.length
  t.type('for f in /root/f*; do echo "$f=$(cat $f)"; done; echo END\r')
  await waitFor(() => t.text.slice(before).includes('END\r\n') && PROMPT.test(t.text), 20_000, 'the listing')
  const out = new Map<number, string>()
  for (const m of t.text.slice(before).matchAll(/\/root\/f(\d+)=(v\d+)/g)) out.set(Number(m[1]), m[2]!)
  t.close()
  return out
}
