import { describe, expect, it } from 'vitest'
import type { ClusterSpec, Environment } from '../../seam'
import { silentLogger } from '../log'
import { FakeDriver } from '../testing/fakes'
import { WarmPool } from './warm-pool'

const spec = { nodes: 1, kubernetes: '1.34' } as never
const until = async (cond: () => boolean) => {
  for (let i = 0; i < 500 && !cond(); i++) await new Promise((r) => setTimeout(r, 5))
  expect(cond()).toBe(true)
}

function counting(createMs = 5) {
  const inner = new FakeDriver({ createMs })
  const counts = { made: 0, running: 0, most: 0, disposed: 0 }
  const create = inner.create.bind(inner)
  inner.create = async (...args: Parameters<FakeDriver['create']>) => {
    counts.made++
    counts.running++
    counts.most = Math.max(counts.most, counts.running)
    try {
      const env = await create(...args)
      const dispose = env.dispose.bind(env)
      env.dispose = () => {
        counts.disposed++
        return dispose()
      }
      return env
    } finally {
      counts.running--
    }
  }
  return { inner, counts }
}

describe('WarmPool', () => {
  it('hands out warm environments, shrinks, and disposes what is left', async () => {
    const { inner, counts } = counting()
    const pool = new WarmPool(inner, silentLogger, 3)
    pool.want(spec, 10)
    expect(pool.size(spec)).toBe(3)
    await until(() => pool.status(spec).ready === 3)
    expect(counts.made).toBe(3)
    const env = await pool.driver.create(spec)
    expect(env.id).toBeTruthy()
    expect(counts.made).toBe(3) // not replaced: the class says how many it still needs
    expect(pool.size(spec)).toBe(2)
    pool.want(spec, 3)
    await until(() => counts.made === 4)
    pool.want(spec, 1)
    expect(pool.size(spec)).toBe(1)
    // Another spec is created on demand.
    await pool.driver.create({ nodes: 3, kubernetes: '1.34' } as never)
    expect(counts.made).toBe(5)
    await pool.close()
    pool.want(spec, 2)
    expect(pool.size(spec)).toBe(0)
    expect(pool.driver.name).toBe(inner.name)
  })

  it('fills a class-sized pool a few creations at a time and says how far it is', async () => {
    const { inner, counts } = counting(20)
    const pool = new WarmPool(inner, silentLogger, { fillConcurrency: 2 })
    pool.want(spec, 12)
    expect(pool.status(spec)).toEqual({ ready: 0, wanted: 12, failed: 0 })
    await until(() => pool.status(spec).ready === 12)
    expect(counts.most).toBe(2)
    expect(counts.made).toBe(12)
    await pool.close()
    expect(counts.disposed).toBe(12)
  })

  it('gives back the not-yet-started first when a class needs fewer, and a join skips the queue', async () => {
    const { inner, counts } = counting(30)
    const pool = new WarmPool(inner, silentLogger, { fillConcurrency: 1 })
    pool.want(spec, 5)
    await until(() => counts.made === 1)
    pool.want(spec, 2) // three queued ones dropped, none created
    await until(() => pool.status(spec).ready === 2)
    expect(counts.made).toBe(2)
    // With only queued entries left, a join creates at once instead of waiting behind the queue.
    pool.want(spec, 6) // 2 ready + 4 queued
    await pool.driver.create(spec)
    await pool.driver.create(spec)
    const before = counts.made
    const t0 = Date.now()
    const env: Environment = await pool.driver.create(spec)
    expect(env.id).toBeTruthy()
    expect(Date.now() - t0).toBeLessThan(1000)
    expect(counts.made).toBeGreaterThan(before)
    await pool.close()
  })

  it('counts failed creations and leaves them out of the pool', async () => {
    const inner = new FakeDriver({ createMs: 1 })
    inner.create = async (_s: ClusterSpec) => {
      throw new Error('no room')
    }
    const pool = new WarmPool(inner, silentLogger)
    pool.want(spec, 3)
    await until(() => pool.status(spec).failed === 3)
    expect(pool.status(spec)).toEqual({ ready: 0, wanted: 0, failed: 3 })
    await pool.close()
  })
})
