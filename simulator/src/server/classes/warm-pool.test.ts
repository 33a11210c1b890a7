import { describe, expect, it } from 'vitest'
import { silentLogger } from '../log'
import { FakeDriver } from '../testing/fakes'
import { WarmPool } from './warm-pool'

const spec = { nodes: 1, kubernetes: '1.34' } as never

describe('WarmPool', () => {
  it('hands out warm environments, refills, shrinks and disposes what is left', async () => {
    const inner = new FakeDriver({ createMs: 5 })
    let made = 0
    const create = inner.create.bind(inner)
    inner.create = (...args) => {
      made++
      return create(...args)
    }
    const pool = new WarmPool(inner, silentLogger, 3)
    pool.want(spec, 10)
    expect(pool.size(spec)).toBe(3)
    expect(made).toBe(3)
    const env = await pool.driver.create(spec)
    expect(env.id).toBeTruthy()
    expect(made).toBe(3) // not replaced: the class says how many it still needs
    expect(pool.size(spec)).toBe(2)
    pool.want(spec, 3)
    expect(made).toBe(4)
    pool.want(spec, 1)
    expect(pool.size(spec)).toBe(1)
    // Another spec is created on demand.
    await pool.driver.create({ nodes: 3, kubernetes: '1.34' } as never)
    expect(made).toBe(5)
    await pool.close()
    pool.want(spec, 2)
    expect(pool.size(spec)).toBe(0)
    expect(pool.driver.name).toBe(inner.name)
  })
})
