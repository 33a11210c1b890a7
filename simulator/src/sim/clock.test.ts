import { describe, expect, it } from 'vitest'
import { VirtualClock } from './clock'

describe('VirtualClock', () => {
  it('fires timers in due order and only when time reaches them', async () => {
    const clock = new VirtualClock(1000)
    const fired: string[] = []
    clock.schedule(50, () => fired.push('b'))
    clock.schedule(10, () => fired.push('a'))
    clock.schedule(500, () => fired.push('late'))
    await clock.advance(100)
    expect(fired).toEqual(['a', 'b'])
    expect(clock.now()).toBe(1100)
    expect(clock.pending()).toBe(1)
  })

  it('runs timers scheduled by timers within the same advance', async () => {
    const clock = new VirtualClock(0)
    const fired: number[] = []
    clock.schedule(10, () => {
      fired.push(clock.now())
      clock.schedule(10, () => fired.push(clock.now()))
    })
    await clock.advance(30)
    expect(fired).toEqual([10, 20])
  })

  it('sleep is instant in real time but moves the clock', async () => {
    const clock = new VirtualClock(0)
    const started = Date.now()
    await clock.sleep(30_000)
    expect(clock.now()).toBe(30_000)
    expect(Date.now() - started).toBeLessThan(1000)
  })

  it('a cancelled timer never fires', async () => {
    const clock = new VirtualClock(0)
    let fired = false
    const cancel = clock.schedule(5, () => {
      fired = true
    })
    cancel()
    await clock.advance(10)
    expect(fired).toBe(false)
  })
})

describe('VirtualClock settlers', () => {
  it('waits for async work between steps of time', async () => {
    const clock = new VirtualClock(0)
    const seen: number[] = []
    let pending: Promise<void> = Promise.resolve()
    // Work that takes several microtask turns, started by a timer.
    clock.schedule(100, () => {
      pending = (async () => {
        for (let i = 0; i < 20; i++) await Promise.resolve()
        seen.push(clock.now())
        clock.schedule(100, () => seen.push(clock.now()))
      })()
    })
    clock.addSettler(() => pending, 100)
    await clock.advance(1000)
    expect(seen).toEqual([100, 200])
    expect(clock.now()).toBe(1000)
  })
})
