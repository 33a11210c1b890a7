// Slows down guessing: after `limit` refused tries within `windowMs` one
// address waits until the oldest of them has left the window.

import { AttemptError } from '../attempts'

export class RateLimiter {
  private readonly failures = new Map<string, number[]>()

  constructor(
    private readonly o: { limit: number; windowMs: number },
    private readonly now: () => number = Date.now,
  ) {}

  /** Throws 429 when `who` has used up its refused tries. */
  check(who: string): void {
    const recent = this.recent(who)
    if (recent.length >= this.o.limit) {
      const wait = Math.ceil((recent[0] + this.o.windowMs - this.now()) / 1000)
      throw new AttemptError(429, `too many wrong codes from this address; wait ${wait} s and check the code`)
    }
  }

  fail(who: string): void {
    const recent = this.recent(who)
    recent.push(this.now())
    this.failures.set(who, recent)
    // Bounded memory whatever the number of addresses.
    if (this.failures.size > 10_000) this.failures.delete(this.failures.keys().next().value as string)
  }

  private recent(who: string): number[] {
    const since = this.now() - this.o.windowMs
    return (this.failures.get(who) ?? []).filter((t) => t > since)
  }
}
