import { describe, expect, it } from 'vitest'
import { orderNodes } from './docker'

describe('node order', () => {
  it('puts control planes first, then workers, by name with numeric suffixes', () => {
    const nodes = [
      { name: 'c-worker', role: 'worker' },
      { name: 'c-control-plane10', role: 'control-plane' },
      { name: 'c-external-load-balancer', role: 'external-load-balancer' },
      { name: 'c-control-plane2', role: 'control-plane' },
      { name: 'c-control-plane', role: 'control-plane' },
    ]
    expect(orderNodes(nodes).map((n) => n.name)).toEqual([
      'c-control-plane',
      'c-control-plane2',
      'c-control-plane10',
      'c-worker',
      'c-external-load-balancer',
    ])
  })
})
