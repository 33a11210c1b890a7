import { describe, expect, it } from 'vitest'
import { backoffMs, connectionReducer, initialConnection, isRetryableStatus } from './state'

describe('connection state', () => {
  it('goes connecting → open → reconnecting → open', () => {
    let s = connectionReducer(initialConnection, { type: 'connect' })
    expect(s.status).toBe('connecting')
    s = connectionReducer(s, { type: 'opened' })
    expect(s).toMatchObject({ status: 'open', failures: 0 })
    s = connectionReducer(s, { type: 'dropped', reason: 'network' })
    expect(s).toMatchObject({ status: 'reconnecting', failures: 1, message: 'network' })
    s = connectionReducer(s, { type: 'connect' })
    expect(s.status).toBe('reconnecting')
    s = connectionReducer(s, { type: 'dropped', reason: 'again' })
    expect(s.failures).toBe(2)
    s = connectionReducer(s, { type: 'opened' })
    expect(s).toMatchObject({ status: 'open', failures: 0, message: null })
  })

  it('stays closed after a fatal error', () => {
    let s = connectionReducer(initialConnection, { type: 'fatal', reason: 'no such attempt' })
    s = connectionReducer(s, { type: 'dropped', reason: 'x' })
    s = connectionReducer(s, { type: 'connect' })
    expect(s).toMatchObject({ status: 'closed', message: 'no such attempt' })
  })

  it('records a shell exit', () => {
    const s = connectionReducer(initialConnection, { type: 'exited', code: 0 })
    expect(s).toMatchObject({ status: 'exited', exitCode: 0 })
  })

  it('backs off exponentially up to 5 s', () => {
    const mid = () => 0.5
    expect(backoffMs(0, mid)).toBe(0)
    expect(backoffMs(1, mid)).toBe(200)
    expect(backoffMs(2, mid)).toBe(400)
    expect(backoffMs(10, mid)).toBe(5000)
    expect(backoffMs(3, () => 0)).toBe(600)
    expect(backoffMs(3, () => 1)).toBe(1000)
  })

  it('retries only transient ticket failures', () => {
    expect(isRetryableStatus(0)).toBe(true)
    expect(isRetryableStatus(409)).toBe(true)
    expect(isRetryableStatus(503)).toBe(true)
    expect(isRetryableStatus(404)).toBe(false)
    expect(isRetryableStatus(403)).toBe(false)
  })
})
