import Docker from 'dockerode'
import { describe, expect, it } from 'vitest'
import type { ClusterSpec, Environment } from '../../seam'
import { KindCreateError, KindDriver } from './driver'

// Without Docker or kind the driver explains itself and never throws from probe().
const nowhere = () =>
  new KindDriver({
    docker: new Docker({ socketPath: '/nonexistent/docker.sock' }),
    kindPath: '/nonexistent/kind',
  })

describe('kind driver without Docker or kind', () => {
  it('probe names both missing pieces with their fixes', async () => {
    const r = await nowhere().probe()
    expect(r.ok).toBe(false)
    expect(r.reason).toMatch(/the Docker daemon is unreachable \(.*ENOENT.*\); fix: start Docker/)
    expect(r.reason).toMatch(/kind is not usable at \/nonexistent\/kind \(not found\); fix: install kind/)
    expect(r.problems).toHaveLength(2)
  })

  it('create fails with an actionable error and no cluster name reserved', async () => {
    const d = nowhere()
    await expect(d.create({ controlPlanes: 1, kubernetes: '1.31' })).rejects.toThrow(
      /the Docker engine did not answer .*; start Docker or use the simulator/,
    )
    await expect(d.create({ controlPlanes: 2, kubernetes: '1.31' })).rejects.toThrow(KindCreateError)
  })

  it('names clusters with its prefix', () => {
    expect(new KindDriver({ clusterPrefix: 'ckalab-' }).clusterName('ab12')).toBe('ckalab-ab12')
  })
})

describe('kind driver with a warm pool', () => {
  const spec: ClusterSpec = { controlPlanes: 1, workers: 0, kubernetes: '1.20' }

  it('hands out a kept-warm cluster of the same spec at once, makes a new one, and deletes the rest on close', async () => {
    const made: string[] = []
    const disposed: string[] = []
    const make = async (s: ClusterSpec): Promise<Environment> => {
      const id = `w${made.length + 1}`
      made.push(id)
      return {
        id,
        driver: 'kind',
        spec: s,
        nodes: [],
        settle: async () => {},
        dispose: async () => {
          disposed.push(id)
        },
      }
    }
    const d = new KindDriver({
      docker: new Docker({ socketPath: '/nonexistent/docker.sock' }),
      kindPath: '/nonexistent/kind',
      warmPool: { spec, size: 1 },
    })
    d.startWarmPool(undefined, make)
    await new Promise((r) => setTimeout(r, 0))
    expect(d.warmCount).toBe(1)
    const steps: string[] = []
    const env = await d.create(spec, (p) => steps.push(p.step))
    expect(env.id).toBe('w1')
    expect(steps).toEqual(['Cluster ready (kept warm)'])
    expect(made).toEqual(['w1', 'w2']) // refilled in the background
    // another spec takes the slow way (and here fails for want of Docker)
    await expect(d.create({ ...spec, controlPlanes: 3 })).rejects.toThrow(/Docker engine did not answer/)
    await new Promise((r) => setTimeout(r, 0))
    await d.close()
    expect(disposed).toEqual(['w2'])
  })
})
