// Before a class starts the instructor sees how ready the room is: on any
// driver, how many environments are prepared for the learners still to join
// (the warm pool, sized to the class); on kind, how many learner clusters the
// machine can run, with a warning for a class larger than that.

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { estimateCapacity } from '../../simulator/src/server/classes/capacity'
import { type ClassHarness, startClassHarness, waitFor } from './harness'

let h: ClassHarness
const GIB = 1024 ** 3

beforeAll(async () => {
  h = await startClassHarness({
    // Docker as a 2-CPU, 8 GiB machine with ckalab's limit at 4 clusters, one of them in use.
    classCapacity: async (spec) =>
      estimateCapacity({ memTotalBytes: 8 * GIB, cpus: 2, nodeBytes: [], inUse: 1, maxClusters: 4 }, spec),
  })
})
afterAll(async () => {
  await h?.close()
})

describe('a class before it starts', () => {
  it('shows its warm pool filling to the seat cap, and shrinking as learners join', async () => {
    const c = await h.createClass({ seatCap: 6 })
    await waitFor(
      async () => (await h.instructor('GET', `/api/classes/${c.id}`)).body.class.warm?.ready === 6,
      10_000,
      'six warm environments',
    )
    expect((await h.instructor('GET', `/api/classes/${c.id}`)).body.class.warm).toEqual({
      ready: 6,
      wanted: 6,
      failed: 0,
    })
    await h.join(c.code, 'Ada')
    await h.join(c.code, 'Bob')
    const warm = (await h.instructor('GET', `/api/classes/${c.id}`)).body.class.warm
    expect(warm.wanted).toBe(4)
    // Closing joining gives the rest back.
    await h.instructor('POST', `/api/classes/${c.id}/joining`, { open: false })
    expect((await h.instructor('GET', `/api/classes/${c.id}`)).body.class.warm).toBeNull()
  })

  it('tells the instructor how many learner clusters fit, and warns about a class larger than that', async () => {
    const r = await h.instructor('GET', '/api/classes/capacity?lab=fake-lab&seats=12')
    expect(r.status).toBe(200)
    expect(r.body.capacity).toMatchObject({ clusters: 3, free: 2, inUse: 1, limitedBy: 'memory' })
    expect(r.body.capacity.summary).toMatch(/about 3 learner clusters/)
    expect(r.body.capacity.source).toMatch(/^planned:/)
    expect(r.body.warning).toMatch(/A class of 12 is larger than the 2 learner clusters/)
    expect(
      (await h.instructor('GET', '/api/classes/capacity?lab=fake-lab&seats=2')).body.warning,
    ).toBeUndefined()
    expect((await h.instructor('GET', '/api/classes/capacity?lab=nope')).status).toBe(404)
    expect((await h.as(undefined, 'GET', '/api/classes/capacity?lab=fake-lab')).status).toBe(401)
    // Creating a class past it is allowed (the figure is an estimate) but answered with the warning.
    const big = await h.instructor('POST', '/api/classes', {
      name: 'Too big',
      labs: ['fake-lab'],
      seatCap: 12,
    })
    expect(big.status).toBe(201)
    expect(big.body.capacityWarning).toMatch(/A class of 12 is larger/)
    const small = await h.instructor('POST', '/api/classes', { name: 'Fits', labs: ['fake-lab'], seatCap: 2 })
    expect(small.body.capacityWarning).toBeUndefined()
  })
})
