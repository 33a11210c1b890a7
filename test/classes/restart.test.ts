// A class survives a SIGKILL of its server: the class, the seats (names,
// help flags, extra time, messages), the learners' environments and the
// final reports all come back, and the instructor key still works.

import { afterAll, describe, expect, it } from 'vitest'
import { ServerProcess } from '../e2e/support'
import { TermClient, waitFor } from '../protocol/harness'

const server = new ServerProcess('fake')
afterAll(async () => {
  await server.dispose()
})

async function call(method: string, path: string, body?: unknown, key?: string): Promise<any> {
  const headers: Record<string, string> = {}
  if (key) headers.authorization = `Bearer ${key}`
  if (body !== undefined) headers['content-type'] = 'application/json'
  const res = await fetch(server.url + path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const data = await res.json()
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(data)}`)
  return data
}

async function terminal(attemptToken: string): Promise<TermClient> {
  const t = await TermClient.connect(server.url, server.url)
  t.hello((await call('POST', `/api/attempts/${attemptToken}/terminals/controlplane/ticket`)).ticket)
  await t.waitText('root@controlplane')
  return t
}

describe('a class across a SIGKILL of the server', () => {
  it('comes back with its board, seats, environments and reports', async () => {
    await server.start()
    const key = server.instructorKey!
    expect(key).toBeTruthy()
    const k = (method: string, path: string, body?: unknown) => call(method, path, body, key)
    const c = await k('POST', '/api/classes', {
      name: 'Kill test',
      labs: ['fake-lab'],
      seatCap: 4,
      durationMin: 45,
    })
    const ada = await call('POST', '/api/join', { code: c.code, name: 'Ada' })
    const bob = await call('POST', '/api/join', { code: c.code, name: 'Bob' })
    await k('POST', `/api/classes/${c.id}/start`, {})
    const seat = async (token: string) => call('GET', `/api/seats/${token}`)
    const adaAttempt = (await seat(ada.seatToken)).attemptToken
    const bobAttempt = (await seat(bob.seatToken)).attemptToken
    for (const a of [adaAttempt, bobAttempt])
      await waitFor(async () => (await call('GET', `/api/attempts/${a}`)).state === 'ready', 10_000)

    const adaTerm = await terminal(adaAttempt)
    adaTerm.type('touch /root/done\r')
    await waitFor(
      async () => (await k('GET', `/api/classes/${c.id}`)).rows[0].checks[0]?.verdict === 'pass',
      15_000,
      "the board grading Ada's work",
    )
    await k('POST', `/api/classes/${c.id}/seats/${ada.seatId}/end`, {})
    const bobTerm = await terminal(bobAttempt)
    bobTerm.type('echo before-the-kill > /root/notes\r')
    await bobTerm.waitText('root@controlplane:~# ', 5000)
    await call('POST', `/api/seats/${bob.seatToken}/help`, { on: true })
    await k('POST', `/api/classes/${c.id}/seats/${bob.seatId}/extend`, { minutes: 7 })
    await k('POST', `/api/classes/${c.id}/seats/${bob.seatId}/message`, { text: 'hang on' })
    const before = await k('GET', `/api/classes/${c.id}`)
    await new Promise((r) => setTimeout(r, 1500)) // the debounced saves of the screen and environment
    adaTerm.terminate()
    bobTerm.terminate()

    await server.kill('SIGKILL')
    await server.start()

    const after = await k('GET', `/api/classes/${c.id}`)
    expect(after.class).toMatchObject({ state: 'running', code: c.code, startedAt: before.class.startedAt })
    const row = (b: any, name: string) => b.rows.find((r: any) => r.name === name)
    expect(row(after, 'Ada')).toMatchObject({ ended: true, points: 10, max: 10, state: 'ended' })
    expect(row(after, 'Bob')).toMatchObject({ needsHelp: true, deadline: row(before, 'Bob').deadline })
    expect((await seat(bob.seatToken)).messages.map((m: any) => m.text)).toEqual(['hang on'])
    // Bob's environment is the same one: his file is there, and the recovery code finds his seat.
    expect((await call('POST', '/api/join/recover', { recoveryCode: bob.recoveryCode })).seatToken).toBe(
      bob.seatToken,
    )
    await waitFor(async () => (await call('GET', `/api/attempts/${bobAttempt}`)).state === 'ready', 10_000)
    const again = await terminal(bobAttempt)
    again.type('cat /root/notes\r')
    await again.waitText('before-the-kill\r\n')
    again.close()
    // Ada's final report is kept, and the exports still have it.
    const report = await call('GET', `/api/attempts/${adaAttempt}/report.json`)
    const json = await k('GET', `/api/classes/${c.id}/export.json`)
    expect(json.learners.find((l: any) => l.name === 'Ada').reports).toEqual([report])
  }, 90_000)
})
