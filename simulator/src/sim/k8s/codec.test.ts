import { describe, expect, it } from 'vitest'
import { decodeObject, encodeObject, resourceInfo, storageKey } from './codec'

describe('storage codec', () => {
  it('uses the real /registry keys', () => {
    expect(storageKey(resourceInfo('deploy') as never, 'web', 'default')).toBe(
      '/registry/deployments/default/web',
    )
    expect(storageKey(resourceInfo('nodes') as never, 'cp')).toBe('/registry/minions/cp')
    expect(storageKey(resourceInfo('svc') as never, 'kubernetes', 'default')).toBe(
      '/registry/services/specs/default/kubernetes',
    )
  })

  it('wraps objects in the k8s protobuf envelope and reads them back', () => {
    const obj = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'x', namespace: 'default' },
      spec: { replicas: 1 },
    }
    const v = encodeObject(obj)
    expect(v.startsWith('k8s\u0000\n\u0015\n\u0007apps/v1\u0012\nDeployment')).toBe(true)
    expect(decodeObject(v)).toEqual(obj)
    expect(decodeObject('hello')).toBeUndefined()
  })
})
