import { describe, expect, it } from 'vitest'
import { SaveQueue } from './save-queue'

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('SaveQueue', () => {
  it('saves urgent changes at once and one at a time; a change during a save gets another save', async () => {
    const order: string[] = []
    let concurrent = 0
    let most = 0
    const q = new SaveQueue({
      run: async (id) => {
        concurrent++
        most = Math.max(most, concurrent)
        await sleep(5)
        order.push(id)
        concurrent--
      },
      onError: () => {},
      gapFactor: 0,
    })
    q.mark('a', true)
    q.mark('b', true)
    q.mark('b', true)
    q.mark('a', true)
    await sleep(60)
    // 'a' was already being saved when marked again; 'b' was waiting, so its two marks are one save.
    expect(order).toEqual(['a', 'b', 'a'])
    expect(most).toBe(1)
    await q.close()
  })

  it('lets background changes wait, and saves urgent ones first', async () => {
    const order: string[] = []
    const q = new SaveQueue({
      run: async (id) => void order.push(id),
      onError: () => {},
      backgroundDelayMs: 80,
      gapFactor: 0,
    })
    q.mark('bg', false)
    q.mark('user', true)
    await sleep(30)
    expect(order).toEqual(['user'])
    await sleep(120)
    expect(order).toEqual(['user', 'bg'])
    await q.close()
  })

  it('flushes one id on demand and reports errors without stopping', async () => {
    const saved: string[] = []
    const errors: string[] = []
    const q = new SaveQueue({
      run: async (id) => {
        if (id === 'bad') throw new Error('disk full')
        saved.push(id)
      },
      onError: (id) => errors.push(id),
      backgroundDelayMs: 60_000,
    })
    q.mark('bad', true)
    q.mark('x', false)
    await q.flush('x')
    expect(saved).toEqual(['x'])
    await sleep(20)
    expect(errors).toEqual(['bad'])
    await q.flush('nothing-to-do')
    await q.close()
  })
})
