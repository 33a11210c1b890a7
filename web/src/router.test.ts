import { describe, expect, it } from 'vitest'
import { parseRoute, routePath } from './router'

describe('router', () => {
  it.each([
    ['/', { page: 'catalogue' }],
    ['/labs/etcd-backup-restore', { page: 'lab', lab: 'etcd-backup-restore' }],
    ['/attempt/abc_DEF-123', { page: 'attempt', token: 'abc_DEF-123' }],
    ['/attempt/', { page: 'missing', path: '/attempt/' }],
    ['/nope/x/y', { page: 'missing', path: '/nope/x/y' }],
    ['/labs/%E0%A4%A', { page: 'lab', lab: '%E0%A4%A' }],
  ])('parses %s', (path, route) => {
    expect(parseRoute(path)).toEqual(route)
  })

  it('round-trips paths', () => {
    for (const p of ['/', '/labs/a-b', '/attempt/tok']) expect(routePath(parseRoute(p))).toBe(p)
  })
})
