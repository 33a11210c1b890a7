import { describe, expect, it } from 'vitest'
import { SimDriver } from '../../../../simulator/src/drivers/sim'
import type { Environment } from '../../../../simulator/src/seam'
import { DormantEnvironment, peekSavedCluster, skipDormantTicks, wakeOnUse } from './dormant'

async function saved(controlPlanes: number): Promise<Uint8Array> {
  const env = await new SimDriver({ clock: 'virtual', seed: 'dormant' }).create({
    controlPlanes,
    workers: 0,
    kubernetes: '1.34',
  })
  await env.nodes[0].exec('echo kept > /root/mark')
  const bytes = await env.persistence.serialize()
  await env.dispose()
  return bytes
}

describe('peekSavedCluster', () => {
  it('reads id, spec and nodes (control planes first) without parsing the whole', async () => {
    const bytes = await saved(3)
    const whole = JSON.parse(new TextDecoder().decode(bytes))
    expect(peekSavedCluster(bytes)).toEqual({
      id: whole.id,
      spec: whole.spec,
      nodes: [
        { name: 'controlplane', role: 'control-plane' },
        { name: 'controlplane2', role: 'control-plane' },
        { name: 'controlplane3', role: 'control-plane' },
      ],
    })
  }, 60_000)

  it('says undefined for bytes that are not a saved cluster', () => {
    expect(peekSavedCluster(new TextEncoder().encode('{"format":"other"}'))).toBeUndefined()
    expect(peekSavedCluster(new TextEncoder().encode('not json'))).toBeUndefined()
  })
})

describe('a dormant environment', () => {
  it('restores on first use, not before, and serializes as its saved bytes while asleep', async () => {
    const bytes = await saved(1)
    const sim = new SimDriver({ clock: 'virtual' })
    let restores = 0
    const driver = wakeOnUse({
      name: 'sim',
      probe: () => sim.probe(),
      create: (spec) => sim.create(spec),
      restore: (b) => {
        restores++
        return sim.restore(b)
      },
    })
    const env = (await driver.restore?.(bytes)) as Environment
    expect(env).toBeInstanceOf(DormantEnvironment)
    expect(restores).toBe(0)
    expect(env.nodes.map((n) => n.name)).toEqual(['controlplane'])
    expect(await env.persistence?.serialize()).toEqual(bytes)

    // Triggers leave it asleep.
    let ticked = 0
    const catalog = skipDormantTicks({
      list: async () => ({ labs: [], errors: [] }),
      get: async () => undefined,
      setup: async () => {},
      grade: async () => {
        throw new Error('not used')
      },
      solution: async () => '',
      junit: () => '',
      onTick: async () => {
        ticked++
        return false
      },
    })
    expect(await catalog.onTick?.('lab', env, {})).toBe(false)
    expect(ticked).toBe(0)
    expect(restores).toBe(0)

    // First real use wakes it, once; file changes reach listeners registered while asleep.
    const changed: string[] = []
    env.nodes[0].onFileChange?.((p) => changed.push(p))
    const [a, b] = await Promise.all([
      env.nodes[0].exec('cat /root/mark'),
      env.nodes[0].exec('touch /root/new-file'),
    ])
    expect(a.stdout).toBe('kept\n')
    expect(b.exitCode).toBe(0)
    expect(restores).toBe(1)
    expect(changed).toContain('/root/new-file')
    await catalog.onTick?.('lab', env, {})
    expect(ticked).toBe(1)
    // Awake, it serializes its live state.
    expect(new TextDecoder().decode(await env.persistence?.serialize())).toContain('/root/new-file')
    await env.dispose()
  }, 60_000)

  it('tries again on the next use when a restore fails', async () => {
    const bytes = await saved(1)
    let fail = true
    const sim = new SimDriver({ clock: 'virtual' })
    const env = new DormantEnvironment(peekSavedCluster(bytes) as never, 'sim', bytes, (b) =>
      fail ? Promise.reject(new Error('no worker')) : sim.restore(b),
    )
    await expect(env.nodes[0].exec('true')).rejects.toThrow('no worker')
    fail = false
    expect((await env.nodes[0].exec('cat /root/mark')).stdout).toBe('kept\n')
    await env.dispose()
  }, 60_000)
})
