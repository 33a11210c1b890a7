// @vitest-environment happy-dom
import { act, renderHook } from '@testing-library/react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { AttemptView } from '../api'
import { pollDelay, saveBanner, useAttempt } from './useAttempt'

afterEach(() => {
  vi.useRealTimers()
  vi.unstubAllGlobals()
})

describe('pollDelay', () => {
  it('polls fast while creating and slowly once settled', () => {
    const a = (state: AttemptView['state']) => ({ state }) as AttemptView
    expect(pollDelay(null)).toBe(1000)
    expect(pollDelay(a('creating'))).toBe(250)
    expect(pollDelay(a('ready'))).toBe(3000)
    expect(pollDelay(a('submitted'))).toBe(10_000)
    const grading = { startedAt: 0, final: false, checks: [] }
    expect(pollDelay({ state: 'ready', grading } as unknown as AttemptView)).toBe(300)
  })
})

describe('useAttempt on a tab left open', () => {
  it('keeps one poll timer through hours of polling and none after the page goes', async () => {
    vi.useFakeTimers()
    let polls = 0
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => {
        polls++
        const view = { id: 'a', lab: 'l', state: 'ready', report: null, grading: null, now: Date.now() }
        return new Response(JSON.stringify(view), { status: 200 })
      }),
    )
    const { result, unmount } = renderHook(() => useAttempt('tok'))
    for (let minute = 0; minute < 180; minute++) {
      await act(() => vi.advanceTimersByTimeAsync(60_000))
      expect(vi.getTimerCount()).toBeLessThanOrEqual(1)
    }
    // One poll every 3 s while the attempt is ready: three hours ≈ 3600 polls, no pile-up.
    expect(polls).toBeGreaterThan(3400)
    expect(polls).toBeLessThan(3700)
    expect(result.current.attempt?.state).toBe('ready')
    unmount()
    expect(vi.getTimerCount()).toBe(0)
  })
})

describe('saveBanner', () => {
  it("shows the server's reason while saves fail and nothing once they work", () => {
    expect(saveBanner({ saveError: 'your work is not being saved: database or disk is full' })).toBe(
      'Your work is not being saved: database or disk is full',
    )
    expect(saveBanner({ saveError: 'ENOSPC' })).toBe('Your work is not being saved: ENOSPC')
    expect(saveBanner({ saveError: null })).toBeNull()
    expect(saveBanner(null)).toBeNull()
  })

  it('polls every second while saves fail, so the banner clears soon after', () => {
    expect(pollDelay({ state: 'ready', saveError: 'x' } as AttemptView)).toBe(1000)
  })
})
