import { request } from 'node:http'
import { afterEach, describe, expect, it } from 'vitest'
import { FakeDriver } from '../../simulator/src/server/testing/fakes'
import { type Harness, startHarness, waitFor } from './harness'

let h: Harness | undefined
afterEach(async () => {
  await h?.close()
  h = undefined
})

describe('HTTP API', () => {
  it('lists labs with the drivers that can run them here and the load errors', async () => {
    h = await startHarness()
    const r = await h.api('GET', '/api/labs')
    expect(r.status).toBe(200)
    expect(r.body.driver).toMatchObject({ name: 'fake', ok: true })
    expect(r.body.labs[0]).toMatchObject({
      id: 'fake-lab',
      difficulty: 'easy',
      minutes: 5,
      runnableHere: true,
    })
    expect(r.body.errors[0].lab).toBe('broken-lab')
    const detail = await h.api('GET', '/api/labs/fake-lab')
    expect(detail.body.taskMarkdown).toContain('touch /root/done')
    expect(detail.body.hints).toBeUndefined()
    expect((await h.api('GET', '/api/labs/nope')).status).toBe(404)
  })

  it('reports creation progress, then grades, hints and serves reports', async () => {
    h = await startHarness({ driver: new FakeDriver({ createMs: 400 }) })
    const started = await h.api('POST', '/api/attempts', { lab: 'fake-lab' })
    expect(started.status).toBe(201)
    const token = started.body.token
    const first = await h.api('GET', `/api/attempts/${token}`)
    expect(first.body.state).toBe('creating')
    expect(first.body.progress.step).toBeTruthy()
    await waitFor(async () => (await h!.api('GET', `/api/attempts/${token}`)).body.state === 'ready', 5000)
    const ready = await h.api('GET', `/api/attempts/${token}`)
    expect(ready.body).toMatchObject({ nodes: ['controlplane'], progress: { fraction: 1 }, hintsTotal: 2 })

    expect((await h.api('GET', `/api/attempts/${token}/report.json`)).status).toBe(404)
    const fail = await h.api('POST', `/api/attempts/${token}/grade`)
    expect(fail.body).toMatchObject({ schema: 'ckalab.report/v1', verdict: 'fail' })
    expect(fail.body.checks[0]).toMatchObject({ verdict: 'fail', hint: 'Create it with touch.' })

    const t = await h.terminal(token)
    t.type('touch /root/done\r')
    await t.waitText(/done\r\n.*# $/s)
    t.close()
    const pass = await h.api('POST', `/api/attempts/${token}/grade`)
    expect(pass.body).toMatchObject({ verdict: 'pass', score: { points: 10, max: 10 } })

    const json = await fetch(`${h.server.url}/api/attempts/${token}/report.json`)
    expect(json.headers.get('content-disposition')).toContain('fake-lab-report.json')
    expect((await json.json()).verdict).toBe('pass')
    const xml = await fetch(`${h.server.url}/api/attempts/${token}/report.xml`)
    expect(await xml.text()).toContain('<testsuite')

    expect((await h.api('POST', `/api/attempts/${token}/hint`)).body.hints).toHaveLength(1)
    expect((await h.api('POST', `/api/attempts/${token}/hint`)).body.hints).toHaveLength(2)
    expect((await h.api('POST', `/api/attempts/${token}/hint`)).body.hints).toHaveLength(2)
    expect((await h.api('POST', `/api/attempts/${token}/solution`)).body.markdown).toContain('touch')
    const view = await h.api('GET', `/api/attempts/${token}`)
    expect(view.body).toMatchObject({ solutionShown: true, report: { final: false } })
    expect(view.body.hintsShown).toHaveLength(2)
  })

  it('keeps exam attempts free of hints and intermediate checks until submitted', async () => {
    h = await startHarness()
    const token = await h.startAttempt('fake-lab', 'exam')
    const view = await h.api('GET', `/api/attempts/${token}`)
    expect(view.body.deadline - view.body.readyAt).toBe(10 * 60_000)
    expect(view.body.hintsTotal).toBe(0)
    expect((await h.api('POST', `/api/attempts/${token}/hint`)).status).toBe(403)
    expect((await h.api('POST', `/api/attempts/${token}/grade`)).status).toBe(403)
    expect((await h.api('POST', `/api/attempts/${token}/solution`)).status).toBe(403)
    const submitted = await h.api('POST', `/api/attempts/${token}/submit`)
    expect(submitted.body.verdict).toBe('fail')
    const after = await h.api('GET', `/api/attempts/${token}`)
    expect(after.body).toMatchObject({ state: 'submitted', report: { final: true } })
    expect((await h.api('POST', `/api/attempts/${token}/terminals/controlplane/ticket`)).status).toBe(409)
  })

  it('shows why creation failed and retries on reset', async () => {
    const driver = new FakeDriver({ failWith: 'docker is not running' })
    h = await startHarness({ driver })
    const token = (await h.api('POST', '/api/attempts', { lab: 'fake-lab' })).body.token
    await waitFor(async () => (await h!.api('GET', `/api/attempts/${token}`)).body.state === 'failed')
    expect((await h.api('GET', `/api/attempts/${token}`)).body.error).toContain('docker is not running')
    expect((await h.api('POST', `/api/attempts/${token}/reset`)).status).toBe(202)
    await waitFor(async () => (await h!.api('GET', `/api/attempts/${token}`)).body.state === 'ready')
  })

  it('resets to a fresh environment and stops', async () => {
    const driver = new FakeDriver()
    h = await startHarness({ driver })
    const token = await h.startAttempt()
    const t = await h.terminal(token)
    t.type('touch /root/done\r')
    await t.waitText(/done\r\n.*# $/s)
    await h.api('POST', `/api/attempts/${token}/grade`)
    await h.api('POST', `/api/attempts/${token}/reset`)
    await t.waitClosed()
    await waitFor(async () => (await h!.api('GET', `/api/attempts/${token}`)).body.state === 'ready')
    expect(driver.created[0].disposed).toBe(true)
    expect((await h.api('GET', `/api/attempts/${token}`)).body.report).toBe(null)
    expect((await h.api('POST', `/api/attempts/${token}/grade`)).body.verdict).toBe('fail')
    await h.api('POST', `/api/attempts/${token}/stop`)
    expect((await h.api('GET', `/api/attempts/${token}`)).body.state).toBe('stopped')
    expect(driver.created[1].disposed).toBe(true)
  })

  it('refuses bad requests without harm', async () => {
    h = await startHarness()
    const token = await h.startAttempt()
    expect((await h.api('GET', '/api/attempts/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')).status).toBe(404)
    expect((await h.api('GET', '/api/attempts/short')).status).toBe(404)
    expect((await h.api('POST', '/api/attempts', { lab: 'nope' })).status).toBe(404)
    expect((await h.api('POST', '/api/attempts', {})).status).toBe(400)
    const notJson = await fetch(`${h.server.url}/api/attempts`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'lab=fake-lab',
    })
    expect(notJson.status).toBe(415)
    const garbage = await fetch(`${h.server.url}/api/attempts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{not json',
    })
    expect(garbage.status).toBe(400)
    const big = await fetch(`${h.server.url}/api/attempts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ lab: 'x'.repeat(100_000) }),
    })
    expect(big.status).toBe(413)
    const foreign = await fetch(`${h.server.url}/api/attempts/${token}/stop`, {
      method: 'POST',
      headers: { origin: 'https://evil.example' },
    })
    expect(foreign.status).toBe(403)
    const rebound = await new Promise<number>((resolve, reject) => {
      const req = request(`${h!.server.url}/api/labs`, { headers: { host: 'evil.example' } }, (res) => {
        res.resume()
        resolve(res.statusCode ?? 0)
      })
      req.on('error', reject)
      req.end()
    })
    expect(rebound).toBe(421)
    expect((await h.api('POST', `/api/attempts/${token}/terminals/nosuchnode/ticket`)).status).toBe(404)
    expect((await h.api('POST', `/api/attempts/${token}/terminals/%E0%A4%A/ticket`)).status).toBe(400)
    expect((await h.api('DELETE', `/api/attempts/${token}`)).status).toBe(404)
    for (const path of [
      '/../../etc/passwd',
      '/%2e%2e/%2e%2e/etc/passwd',
      '/assets/..%2f..%2f..%2fpackage.json',
    ]) {
      const body = await (await fetch(h.server.url + path)).text()
      expect(body).not.toContain('root:')
      expect(body).not.toContain('"devDependencies"')
    }
    expect((await h.api('GET', `/api/attempts/${token}`)).body.state).toBe('ready')
  })

  it('brings an attempt back after a restart with its files and screen', async () => {
    h = await startHarness()
    const token = await h.startAttempt()
    const t = await h.terminal(token)
    t.type('echo persisted > /root/note\r')
    t.type('echo on-screen-before-restart\r')
    await t.waitText('on-screen-before-restart\r\n')
    await new Promise((r) => setTimeout(r, 100))
    await h.restart()
    const view = await h.api('GET', `/api/attempts/${token}`)
    expect(view.body.state).toBe('ready')
    const again = await h.terminal(token)
    await again.waitText('on-screen-before-restart')
    again.type('cat /root/note\r')
    await again.waitText('persisted\r\n')
    again.close()
  })

  it('shows each check live while grading runs, with what a waiting check waits for', async () => {
    h = await startHarness()
    const token = (await h.api('POST', '/api/attempts', { lab: 'fake-lab' })).body.token
    await waitFor(async () => (await h!.api('GET', `/api/attempts/${token}`)).body.state === 'ready', 5000)
    expect((await h.api('GET', `/api/attempts/${token}`)).body.grading).toBeNull()
    const t = await h.terminal(token)
    t.type('echo 2 > /root/slow\r')
    await t.waitText(/slow\r\n.*# $/s)
    t.close()
    const grading = h.api('POST', `/api/attempts/${token}/grade`)
    let seen: any
    await waitFor(async () => {
      seen = (await h!.api('GET', `/api/attempts/${token}`)).body.grading
      return seen?.checks?.[0]?.waiting !== undefined
    }, 3000)
    expect(seen.checks).toEqual([
      {
        id: 'marker-exists',
        title: '/root/done exists on controlplane',
        state: 'running',
        waiting: { what: 'waiting for /root/done to appear', waitedMs: expect.any(Number), withinMs: 2000 },
      },
    ])
    expect((await grading).body.verdict).toBe('fail')
    expect((await h.api('GET', `/api/attempts/${token}`)).body.grading).toBeNull()
  })
})
