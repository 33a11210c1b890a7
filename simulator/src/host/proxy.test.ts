import { describe, expect, it } from 'vitest'
import { DEFAULT_GUARD } from './proxy'

describe('DEFAULT_GUARD', () => {
  it('gives a host seconds, not a fraction of one, to answer after Ctrl-C before restoring it', () => {
    // A restore loses the work since the last save; a healthy host on a loaded
    // machine answered late at 100 ms and had learners' nodes restored at an idle prompt.
    expect(DEFAULT_GUARD.interruptMs).toBeGreaterThanOrEqual(2000)
    expect(DEFAULT_GUARD.interruptMs).toBeLessThan(DEFAULT_GUARD.cpuBudgetMs)
  })
})
