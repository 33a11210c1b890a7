import { describe, expect, it } from 'vitest'
import type { ClusterSpec, Environment } from '../../seam'
import { type CreateFn, WarmPool } from './warm-pool'

const spec: ClusterSpec = { controlPlanes: 1, kubernetes: '1.31' }

function fakeCreate() {
  let n = 0
  const disposed: string[] = []
  const pending: Array<{ resolve: () => void; reject: (e: Error) => void }> = []
  const create: CreateFn = (s) =>
    new Promise<Environment>((resolve, reject) => {
      const id = `e${++n}`
      const env: Environment = {
        id,
        driver: 'kind',
        spec: s,
        nodes: [],
        settle: async () => {},
        dispose: async () => {
          disposed.push(id)
        },
      }
      pending.push({ resolve: () => resolve(env), reject })
    })
  return { create, pending, disposed, count: () => n }
}

const tick = () => new Promise((r) => setTimeout(r, 0))

describe('warm pool', () => {
  it('fills to its size, hands out ready clusters of the same spec only, and refills', async () => {
    const f = fakeCreate()
    const pool = new WarmPool(f.create, { spec, size: 2 })
    pool.fill()
    expect(f.count()).toBe(2)
    expect(pool.take(spec)).toBeUndefined() // nothing ready yet
    f.pending[0]!.resolve()
    await tick()
    expect(pool.take({ controlPlanes: 3, kubernetes: '1.31' })).toBeUndefined()
    expect(pool.take({ ...spec, kubernetes: '1.34' })).toBeUndefined()
    const env = pool.take({ ...spec, workers: 0 })
    expect(env?.id).toBe('e1')
    expect(f.count()).toBe(3) // replaced in the background
    await pool.stop()
  })

  it('reports a failed creation and retries later instead of throwing', async () => {
    const f = fakeCreate()
    const errors: unknown[] = []
    const pool = new WarmPool(f.create, { spec, size: 1, retryMs: 10, onError: (e) => errors.push(e) })
    pool.fill()
    f.pending[0]!.reject(new Error('kind failed'))
    await new Promise((r) => setTimeout(r, 40))
    expect(errors).toHaveLength(1)
    expect(f.count()).toBe(2)
    await pool.stop()
  })

  it('stop deletes the ready clusters and those that finish afterwards', async () => {
    const f = fakeCreate()
    const pool = new WarmPool(f.create, { spec, size: 2 })
    pool.fill()
    f.pending[0]!.resolve()
    await tick()
    expect(pool.ids).toEqual(['e1'])
    await pool.stop()
    f.pending[1]!.resolve()
    await tick()
    expect(f.disposed.sort()).toEqual(['e1', 'e2'])
    expect(pool.take(spec)).toBeUndefined()
  })
})
