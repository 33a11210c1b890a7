import { describe, expect, it } from 'vitest'
import type { ClusterSpec, Driver, Environment } from '../seam'
import { EnvironmentHost } from './host'
import { PooledHostDriver, sameSpec } from './pooled-driver'
import type { HostChannel } from './proxy'

const ONE: ClusterSpec = { controlPlanes: 1, workers: 0, kubernetes: '1.34' }
const THREE: ClusterSpec = { controlPlanes: 3, workers: 0, kubernetes: '1.34' }

/** Hosts in this process over a structured-clone channel; counts what each was asked to create. */
function hosts() {
  const created: ClusterSpec[] = []
  let n = 0
  const driver: Driver = {
    name: 'fake',
    probe: async () => ({ ok: true }),
    create: async (spec) => {
      created.push(spec)
      const id = `env-${++n}`
      return {
        id,
        driver: 'fake',
        spec,
        nodes: [{ name: 'controlplane', role: 'control-plane' }],
        settle: async () => {},
        dispose: async () => {},
      } as unknown as Environment
    },
  }
  let spawned = 0
  const spawn = async (): Promise<HostChannel> => {
    spawned++
    let toHost: (m: unknown) => void = () => {}
    let toProxy: (m: unknown) => void = () => {}
    new EnvironmentHost(driver, {
      post: (m) => queueMicrotask(() => toProxy(structuredClone(m))),
      onMessage: (l) => {
        toHost = l
      },
    })
    return {
      post: (m) => queueMicrotask(() => toHost(structuredClone(m))),
      onMessage: (l) => {
        toProxy = l
      },
      onExit: () => {},
      terminate: () => {},
    }
  }
  return { created, spawn, spawned: () => spawned }
}

const tick = (ms = 20) => new Promise((r) => setTimeout(r, ms))

describe('PooledHostDriver with a prepared cluster', () => {
  it('has the cluster made before it is asked, hands it to a create of the same spec, and prepares the next later', async () => {
    const h = hosts()
    const driver = new PooledHostDriver(h.spawn, { prepare: ONE, refillDelayMs: 100 })
    await tick()
    // Made ahead of time, in its own host.
    expect(h.created).toEqual([ONE])
    const env = await driver.create({ ...ONE })
    expect(env.id).toBe('env-1')
    // The next one waits refillDelayMs, so it does not compete with the lab just started.
    await tick()
    expect(h.created.length).toBe(1)
    await tick(150)
    expect(h.created.length).toBe(2)
    // Another spec gets a host of its own, made now.
    const other = await driver.create(THREE)
    expect(other.spec.controlPlanes).toBe(3)
    expect(h.created.length).toBe(3)
    await driver.close()
  })

  it('keeps the server behaviour without `prepare`: a bare spare host, taken by the next create', async () => {
    const h = hosts()
    const driver = new PooledHostDriver(h.spawn)
    await tick()
    expect(h.spawned()).toBe(1)
    expect(h.created).toEqual([])
    await driver.create(ONE)
    expect(h.created).toEqual([ONE])
    // The spare was used and a new one started at once.
    expect(h.spawned()).toBe(2)
    await driver.close()
  })

  it('compares specs by what makes the cluster', () => {
    expect(sameSpec(ONE, { controlPlanes: 1, kubernetes: '1.34' })).toBe(true)
    expect(sameSpec(ONE, THREE)).toBe(false)
    expect(sameSpec(ONE, { ...ONE, kubernetes: '1.31' })).toBe(false)
  })
})
