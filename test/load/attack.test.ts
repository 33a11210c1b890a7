import { describe, expect, it } from 'vitest'
import { runAttackLoad, runawayCtrlC } from '../../scripts/bench/attack'

// The isolation proof (issue 17): every attack one learner's terminal can make,
// against attacker attempts of a real server process on loopback, while a
// victim attempt is measured. Bounded, ends by itself; its own vitest project
// (`npx vitest run --project load`), not part of `npm test`: creating 20
// simulated environments alone takes minutes on a shared machine.

const RSS_BOUND_MB = 600

describe('one learner cannot stall another', () => {
  it(`victim echo p99 < 50 ms, no failed request, server RSS < ${RSS_BOUND_MB} MB with 20 attempts under attack`, async () => {
    const f = await runAttackLoad({ attempts: 20, seconds: 20 })
    console.log(JSON.stringify(f))
    expect(f.victimEchoErrors).toBe(0)
    expect(f.victimEchoP99Ms).toBeLessThan(50)
    expect(f.apiErrors).toBe(0)
    expect(f.rssMaxMb).toBeLessThan(RSS_BOUND_MB)
  }, 900_000)

  it('Ctrl-C gives the prompt back from a runaway loop in < 200 ms', async () => {
    const times = await runawayCtrlC({ rounds: 5 })
    console.log(JSON.stringify({ runawayCtrlCMs: times }))
    expect(Math.max(...times)).toBeLessThan(200)
  }, 300_000)
})
