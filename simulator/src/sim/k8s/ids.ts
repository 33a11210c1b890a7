import { createRng, type Rng, randomHex, seedFrom } from '../random'

// Identifiers the control plane invents: UIDs, generateName suffixes, the
// pod-template-hash. Seeded per cluster so two runs of a lab look alike.

const SAFE = 'bcdfghjklmnpqrstvwxz2456789'

export class IdSource {
  private rng: Rng

  constructor(seed: string) {
    this.rng = createRng(seedFrom(seed))
  }

  uid(): string {
    const h = randomHex(this.rng, 32)
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${'89ab'[Math.floor(this.rng() * 4)]}${h.slice(17, 20)}-${h.slice(20, 32)}`
  }

  /** Suffix of generateName, e.g. the `x7k2p` of `web-5d8f7c9b4d-x7k2p`. */
  suffix(n = 5): string {
    let s = ''
    for (let i = 0; i < n; i++) s += SAFE[Math.floor(this.rng() * SAFE.length)]
    return s
  }

  hex(n: number): string {
    return randomHex(this.rng, n)
  }

  next(): number {
    return this.rng()
  }
}

/** A stable pod-template-hash for a template, like the deployment controller's fnv hash rendered safely. */
export function templateHash(template: unknown): string {
  let h = seedFrom(JSON.stringify(template ?? {}))
  let s = ''
  for (let i = 0; i < 10; i++) {
    s += SAFE[h % SAFE.length]
    h = Math.floor(h / SAFE.length) ^ (Math.imul(h, 2654435761) >>> 0)
    h >>>= 0
  }
  return s
}
