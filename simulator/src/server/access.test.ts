import type { IncomingMessage } from 'node:http'
import { describe, expect, it } from 'vitest'
import {
  AccessKey,
  checkStateChange,
  generateKey,
  isLoopbackHost,
  originAllowed,
  presentedKey,
} from './access'

function req(headers: Record<string, string>): IncomingMessage {
  return { headers } as unknown as IncomingMessage
}

describe('access', () => {
  it('knows loopback from the network', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1'])
      expect(isLoopbackHost(h), h).toBe(true)
    for (const h of ['0.0.0.0', '::', '192.168.1.4', 'lab.example.org', '10.0.0.1'])
      expect(isLoopbackHost(h), h).toBe(false)
  })

  it('generates long, distinct keys and matches only the same key', () => {
    const a = generateKey()
    expect(a.length).toBeGreaterThanOrEqual(43)
    expect(generateKey()).not.toBe(a)
    const key = new AccessKey(a)
    expect(key.matches(a)).toBe(true)
    expect(key.matches(`${a}x`)).toBe(false)
    expect(key.matches(undefined)).toBe(false)
    expect(() => new AccessKey('short')).toThrow(/at least 16/)
  })

  it('reads the key from the header, a bearer token or the cookie', () => {
    expect(presentedKey(req({ 'x-ckalab-key': 'k1' }))).toBe('k1')
    expect(presentedKey(req({ authorization: 'Bearer k2' }))).toBe('k2')
    expect(presentedKey(req({ cookie: 'a=b; ckalab_key=k%2B3; c=d' }))).toBe('k+3')
    expect(presentedKey(req({}))).toBeUndefined()
  })

  it('allows an Origin of its own host only where a key is required too', () => {
    const allowed = new Set(['http://localhost:8000'])
    const own = req({ origin: 'http://192.168.1.4:8000', host: '192.168.1.4:8000' })
    expect(originAllowed(own, { allowed, sameHost: true })).toBe(true)
    expect(originAllowed(own, { allowed, sameHost: false })).toBe(false)
    const other = req({ origin: 'http://evil.example:8000', host: '192.168.1.4:8000' })
    expect(originAllowed(other, { allowed, sameHost: true })).toBe(false)
    expect(originAllowed(req({ origin: 'http://localhost:8000' }), { allowed, sameHost: false })).toBe(true)
  })

  it('refuses a state change without the key (401) or from another site (403)', () => {
    const k = generateKey()
    const o = { origins: { allowed: new Set<string>(), sameHost: true }, keys: [new AccessKey(k)] }
    expect(checkStateChange(req({ host: 'h:1' }), o)).toMatchObject({ ok: false, status: 401 })
    expect(checkStateChange(req({ host: 'h:1', 'x-ckalab-key': 'wrong-key-wrong-key' }), o)).toMatchObject({
      ok: false,
      status: 401,
      reason: expect.stringMatching(/wrong/),
    })
    expect(checkStateChange(req({ host: 'h:1', 'x-ckalab-key': k }), o)).toEqual({ ok: true })
    expect(
      checkStateChange(req({ host: 'h:1', origin: 'http://other:1', 'x-ckalab-key': k }), o),
    ).toMatchObject({ ok: false, status: 403 })
    expect(checkStateChange(req({}), { ...o, keys: [] })).toEqual({ ok: true })
  })
})
