import { describe, expect, it } from 'vitest'
import type { AttemptView } from '../api'
import { pollDelay, saveBanner } from './useAttempt'

describe('pollDelay', () => {
  it('polls fast while creating and slowly once settled', () => {
    const a = (state: AttemptView['state']) => ({ state }) as AttemptView
    expect(pollDelay(null)).toBe(1000)
    expect(pollDelay(a('creating'))).toBe(250)
    expect(pollDelay(a('ready'))).toBe(3000)
    expect(pollDelay(a('submitted'))).toBe(10_000)
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
