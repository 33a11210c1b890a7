import { describe, expect, it } from 'vitest'
import { RateLimiter } from './rate-limit'

describe('RateLimiter', () => {
  it('refuses an address after too many failures, and forgives once the window has passed', () => {
    let now = 1000
    const rl = new RateLimiter({ limit: 3, windowMs: 60_000 }, () => now)
    for (let i = 0; i < 3; i++) {
      rl.check('a')
      rl.fail('a')
    }
    expect(() => rl.check('a')).toThrow(/too many wrong codes.*wait 60 s/)
    rl.check('b')
    now += 60_001
    rl.check('a')
  })
})
