import { describe, expect, it } from 'vitest'
import { DecodeCache, decodeObject, encodeObject, resourceInfo, storageKey } from './codec'

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

describe('DecodeCache', () => {
  const pod = (name: string, image: string) =>
    encodeObject({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { image } } as never)

  it('hands out copies: a caller changing its object does not change the next answer', () => {
    const cache = new DecodeCache()
    const value = pod('a', 'nginx')
    const first = cache.decode('/registry/pods/default/a', value) as any
    first.spec.image = 'changed'
    expect((cache.decode('/registry/pods/default/a', value) as any).spec.image).toBe('nginx')
  })

  it('decodes again when the stored value under a key differs (a restored snapshot reuses keys)', () => {
    const cache = new DecodeCache()
    cache.decode('/registry/pods/default/a', pod('a', 'nginx'))
    expect((cache.decode('/registry/pods/default/a', pod('a', 'busybox')) as any).spec.image).toBe('busybox')
    expect(cache.decode('/registry/pods/default/a', 'junk from etcdctl put')).toBeUndefined()
  })

  it('stays bounded', () => {
    const cache = new DecodeCache(3)
    for (let i = 0; i < 10; i++) cache.peek(`/k/${i}`, pod(`p${i}`, 'x'))
    expect((cache as any).entries.size).toBeLessThanOrEqual(3)
  })
})
