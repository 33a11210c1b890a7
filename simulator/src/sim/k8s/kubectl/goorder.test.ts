import { expect, test } from 'vitest'
import { goOrder } from './goorder'

test('struct fields in Go declaration order, maps sorted', () => {
  const svc = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { labels: { b: '1', a: '2' }, name: 'web', creationTimestamp: null },
    spec: {
      type: 'ClusterIP',
      selector: { z: '1', app: 'web' },
      ports: [{ targetPort: 80, port: 80, protocol: 'TCP', name: '80' }],
    },
    status: { loadBalancer: {} },
  }
  expect(JSON.stringify(goOrder(svc))).toBe(
    '{"kind":"Service","apiVersion":"v1","metadata":{"name":"web","creationTimestamp":null,"labels":{"a":"2","b":"1"}},"spec":{"ports":[{"name":"80","protocol":"TCP","port":80,"targetPort":80}],"selector":{"app":"web","z":"1"},"type":"ClusterIP"},"status":{"loadBalancer":{}}}',
  )
  // a data key that happens to be a field name is still sorted as a map key
  expect(Object.keys(goOrder({ data: { name: 'x', a: 'y' } }, '') as { data: object }).length).toBe(1)
  expect(Object.keys((goOrder({ data: { name: 'x', a: 'y' } }) as { data: object }).data)).toEqual([
    'a',
    'name',
  ])
})
