import { mkdtempSync, rmSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { generateKey } from '../../simulator/src/server/access'
import { exposureLines } from '../../simulator/src/server/cli'
import { silentLogger } from '../../simulator/src/server/log'
import { type RunningServer, startServer } from '../../simulator/src/server/server'
import { FakeCatalog, FakeDriver } from '../../simulator/src/server/testing/fakes'
import { TermClient } from './harness'

// Beyond loopback, creating attempts and every other change needs the access
// key, and must come from this server's own page; loopback needs no key.

let server: RunningServer | undefined
let dir: string | undefined
afterEach(async () => {
  await server?.close()
  server = undefined
  if (dir) rmSync(dir, { recursive: true, force: true })
})

async function serve(host: string, accessKey?: string): Promise<{ base: string; port: number }> {
  dir = mkdtempSync(join(tmpdir(), 'ckalab-access-'))
  server = await startServer({
    port: 0,
    host,
    driver: new FakeDriver(),
    catalog: new FakeCatalog(),
    dataDir: dir,
    log: silentLogger,
    ...(accessKey ? { accessKey } : {}),
  })
  // Reached over loopback even when bound to every address: the tests stay on this machine.
  return { base: `http://127.0.0.1:${server.port}`, port: server.port }
}

const post = (url: string, headers: Record<string, string> = {}, body: unknown = { lab: 'fake-lab' }) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  })

/** fetch may not set Host; a page under a LAN name sends it, so this uses node:http. */
function rawPost(port: number, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const r = request(
      {
        host: '127.0.0.1',
        port,
        path: '/api/attempts',
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
      },
      (res) => {
        res.resume()
        resolve(res.statusCode ?? 0)
      },
    )
    r.on('error', reject)
    r.end(JSON.stringify({ lab: 'fake-lab' }))
  })
}

describe('access beyond loopback', () => {
  it('refuses to listen beyond loopback without a key', async () => {
    await expect(serve('0.0.0.0')).rejects.toThrow(/needs an access key/)
  })

  it('needs the key to create attempts and to change them; reading with a token still works', async () => {
    const key = generateKey()
    const { base } = await serve('0.0.0.0', key)
    expect(server!.keyRequired).toBe(true)
    const refused = await post(`${base}/api/attempts`)
    expect(refused.status).toBe(401)
    expect((await refused.json()).error).toMatch(/needs an access key/)
    expect((await post(`${base}/api/attempts`, { 'x-ckalab-key': 'not-the-key-at-all' })).status).toBe(401)
    expect((await fetch(`${base}/api/labs`)).status).toBe(200)

    const created = await post(`${base}/api/attempts`, { cookie: `ckalab_key=${encodeURIComponent(key)}` })
    expect(created.status).toBe(201)
    const { token } = await created.json()
    expect((await fetch(`${base}/api/attempts/${token}`)).status).toBe(200)
    // A token alone no longer changes anything.
    expect((await post(`${base}/api/attempts/${token}/stop`, {}, {})).status).toBe(401)
    const ticket = await post(
      `${base}/api/attempts/${token}/terminals/controlplane/ticket`,
      { 'x-ckalab-key': key },
      {},
    )
    expect([200, 409]).toContain(ticket.status)
  })

  it("accepts the server's own page under its network name, never another site's", async () => {
    const key = generateKey()
    const { base, port } = await serve('0.0.0.0', key)
    const lanHost = `192.0.2.7:${port}`
    const own = await rawPost(port, { 'x-ckalab-key': key, host: lanHost, origin: `http://${lanHost}` })
    expect(own).toBe(201)
    const cross = await post(`${base}/api/attempts`, { 'x-ckalab-key': key, origin: 'http://evil.example' })
    expect(cross.status).toBe(403)
    await expect(TermClient.connect(base, 'http://evil.example')).rejects.toThrow(/403/)
  })

  it('keeps loopback working without a key', async () => {
    const { base } = await serve('127.0.0.1')
    expect(server!.keyRequired).toBe(false)
    expect((await post(`${base}/api/attempts`)).status).toBe(201)
    expect((await post(`${base}/api/attempts`, { origin: 'http://evil.example' })).status).toBe(403)
  })

  it('says at start that a key is required, with the one-time link, and warns about plain HTTP', () => {
    expect(exposureLines('http://127.0.0.1:4173', '127.0.0.1', undefined)).toBe('')
    const text = exposureLines('http://192.0.2.7:4173', '0.0.0.0', 'k'.repeat(43))
    expect(text).toContain(`A key is required`)
    expect(text).toContain(`http://192.0.2.7:4173/?key=${'k'.repeat(43)}`)
    expect(text).toMatch(/warning: .*without TLS/)
    expect(exposureLines('http://192.0.2.7:4173', '192.0.2.7', undefined)).toContain('--access-key')
  })
})
