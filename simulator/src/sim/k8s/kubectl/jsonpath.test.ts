import { expect, test } from 'vitest'
import { executeJsonPath, JsonPathError } from './jsonpath'

const list = {
  kind: 'List',
  items: [
    {
      metadata: { name: 'a', labels: { app: 'x' } },
      spec: { nodeName: 'n1', containers: [{ name: 'c1', image: 'i1' }] },
    },
    {
      metadata: { name: 'b' },
      spec: {
        nodeName: 'n2',
        containers: [
          { name: 'c2', image: 'i2' },
          { name: 'c3', image: 'i3' },
        ],
      },
    },
  ],
}

test('wildcards print matches separated by spaces', () => {
  expect(executeJsonPath('{.items[*].metadata.name}', list)).toBe('a b')
})

test('range/end with string literals for tabs and newlines', () => {
  expect(executeJsonPath('{range .items[*]}{.metadata.name}{"\\t"}{.spec.nodeName}{"\\n"}{end}', list)).toBe(
    'a\tn1\nb\tn2\n',
  )
})

test('filters, indexes, slices and recursive descent', () => {
  expect(executeJsonPath('{.items[?(@.metadata.name=="b")].spec.containers[1].image}', list)).toBe('i3')
  expect(executeJsonPath('{.items[0:1].metadata.name}', list)).toBe('a')
  expect(executeJsonPath('{.items[-1].metadata.name}', list)).toBe('b')
  expect(executeJsonPath('{..image}', list)).toBe('i1 i2 i3')
  expect(executeJsonPath("{.items[*].metadata.labels['app']}", list)).toBe('x')
})

test('maps print as compact JSON with sorted keys; missing keys print nothing', () => {
  expect(executeJsonPath('{.items[0].metadata}', list)).toBe('{"labels":{"app":"x"},"name":"a"}')
  expect(executeJsonPath('{.items[0].status.phase}', list)).toBe('')
  expect(executeJsonPath('name={.items[0].metadata.name}', list)).toBe('name=a')
})

test('bad templates raise JsonPathError, never crash', () => {
  expect(() => executeJsonPath('{.items[*]', list)).toThrow(JsonPathError)
  expect(() => executeJsonPath('{end}', list)).toThrow(JsonPathError)
  expect(() => executeJsonPath('{.items[5]}', list)).toThrow(/out of bounds/)
})
