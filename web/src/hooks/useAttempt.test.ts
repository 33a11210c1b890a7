import { describe, expect, it } from 'vitest'
import type { AttemptView } from '../api'
import { pollDelay } from './useAttempt'

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
