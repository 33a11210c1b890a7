import { afterEach, describe, expect, it } from 'vitest'
import { FakeDriver } from '../../simulator/src/server/testing/fakes'
import { type Harness, startHarness, waitFor } from './harness'

// The server runs the driver's reaper from start to close, and tells it which
// environments live attempts own, including one kept across a restart for adoption.

class ReapingDriver extends FakeDriver {
  liveIds: (() => Iterable<string>) | undefined
  interval: number | undefined
  stopped = 0

  startReaper(liveIds: () => Iterable<string>, intervalMs?: number): () => void {
    this.liveIds = liveIds
    this.interval = intervalMs
    return () => {
      this.stopped++
    }
  }
}

let h: Harness | undefined
afterEach(async () => {
  await h?.close()
  h = undefined
})

describe('the reaper of orphaned lab environments', () => {
  it('starts with the server, spares what attempts own and stops on close', async () => {
    const driver = new ReapingDriver()
    h = await startHarness({ driver, reapIntervalMs: 60_000 })
    expect(driver.interval).toBe(60_000)
    expect([...driver.liveIds!()]).toEqual([])

    const token = await h.startAttempt()
    await waitFor(async () => (await h!.api('GET', `/api/attempts/${token}`)).body.state === 'ready', 5000)
    const envId = driver.created[0]!.id
    expect([...driver.liveIds!()]).toEqual([envId])

    // a restart re-attaches the attempt's environment before the new reaper first looks
    await h.restart()
    expect(driver.stopped).toBe(1)
    expect([...driver.liveIds!()]).toHaveLength(1)
    expect((await h.api('GET', `/api/attempts/${token}`)).body.state).toBe('ready')

    expect((await h.api('POST', `/api/attempts/${token}/stop`)).status).toBe(200)
    expect([...driver.liveIds!()]).toEqual([])
    await h.close()
    h = undefined
    expect(driver.stopped).toBe(2)
  })
})
