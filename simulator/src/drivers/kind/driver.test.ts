import Docker from 'dockerode'
import { describe, expect, it } from 'vitest'
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
