import { describe, expect, it } from 'vitest'
import { KindEnvError, kindOptionsFromEnv, parseNodeImages } from './from-env'

describe('kind driver settings from the environment', () => {
  it('is empty when nothing is set, so the driver keeps its own defaults', () => {
    expect(kindOptionsFromEnv({})).toEqual({})
    expect(
      kindOptionsFromEnv({ CKALAB_KIND_PATH: ' ', CKALAB_KIND_NODE_IMAGE: '', CKALAB_KIND_PREFIX: '' }),
    ).toEqual({})
  })

  it('reads the binary, the node images and the prefix', () => {
    expect(
      kindOptionsFromEnv({
        CKALAB_KIND_PATH: '/opt/kind',
        CKALAB_KIND_NODE_IMAGE: '1.20=ckalab-test/node:v1.20.2, 1.34=registry:5000/node:v1.34.0',
        CKALAB_KIND_PREFIX: 'ckalab-b',
      }),
    ).toEqual({
      kindPath: '/opt/kind',
      nodeImages: { '1.20': 'ckalab-test/node:v1.20.2', '1.34': 'registry:5000/node:v1.34.0' },
      clusterPrefix: 'ckalab-b',
    })
  })

  it('takes CKALAB_KIND when CKALAB_KIND_PATH is not set', () => {
    expect(kindOptionsFromEnv({ CKALAB_KIND: '/usr/local/bin/kind' }).kindPath).toBe('/usr/local/bin/kind')
    expect(kindOptionsFromEnv({ CKALAB_KIND: '/a', CKALAB_KIND_PATH: '/b' }).kindPath).toBe('/b')
  })

  it('names the bad entry of CKALAB_KIND_NODE_IMAGE and the versions it knows', () => {
    for (const bad of ['ckalab-test/node:v1.20.2', '1.19=img', '1.20=', '=img', '1.20=a b']) {
      expect(() => parseNodeImages(bad)).toThrow(KindEnvError)
    }
    expect(() => parseNodeImages('1.20=ok,1.29=img')).toThrow(/"1\.29=img".*versions: 1\.20, 1\.31, 1\.34/)
    expect(parseNodeImages('1.20=a,,')).toEqual({ '1.20': 'a' })
  })

  it('refuses a prefix that would let the reaper delete clusters ckalab did not make', () => {
    for (const bad of ['kind', 'ckalab', 'Ckalab-x', 'ckalab-b/x', 'my-ckalab-']) {
      expect(() => kindOptionsFromEnv({ CKALAB_KIND_PREFIX: bad })).toThrow(/must start with "ckalab-"/)
    }
    expect(kindOptionsFromEnv({ CKALAB_KIND_PREFIX: 'ckalab-' }).clusterPrefix).toBe('ckalab-')
  })

  it('reads a warm pool as count, version and control planes, and names a bad one', () => {
    expect(kindOptionsFromEnv({ CKALAB_KIND_WARM_POOL: '2:1.34' }).warmPool).toEqual({
      size: 2,
      spec: { controlPlanes: 1, workers: 0, kubernetes: '1.34' },
    })
    expect(kindOptionsFromEnv({ CKALAB_KIND_WARM_POOL: ' 1:1.20:3 ' }).warmPool?.spec.controlPlanes).toBe(3)
    for (const bad of ['2', 'x:1.34', '2:1.29', '1:1.34:2', '11:1.34', '1:1.34:1:1', '-1:1.34']) {
      expect(() => kindOptionsFromEnv({ CKALAB_KIND_WARM_POOL: bad })).toThrow(
        new RegExp(`CKALAB_KIND_WARM_POOL: "${bad}" is not <count>:<version>`),
      )
    }
  })

  it('takes a cap on real clusters only as a whole number above 0, as the driver always did', () => {
    expect(kindOptionsFromEnv({ CKALAB_KIND_MAX_CLUSTERS: '5' }).maxClusters).toBe(5)
    for (const bad of ['0', '-1', '2.5', 'many', ''])
      expect(kindOptionsFromEnv({ CKALAB_KIND_MAX_CLUSTERS: bad }).maxClusters).toBeUndefined()
  })
})
