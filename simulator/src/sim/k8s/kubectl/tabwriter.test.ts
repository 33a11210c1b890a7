import { describe, expect, test } from 'vitest'
import { DESCRIBE_TABS, formatTable, formatTabs } from './tabwriter'

describe('formatTable (kubectl get)', () => {
  test('pads every column but the last by three spaces, minimum width 6', () => {
    expect(
      formatTable([
        ['NAME', 'READY', 'AGE'],
        ['a', '1/1', '5m12s'],
      ]),
    ).toBe('NAME   READY   AGE\na      1/1     5m12s\n')
  })
  test('a short column still takes the minimum width of 6', () => {
    expect(
      formatTable([
        ['A', 'B'],
        ['x', 'y'],
      ]),
    ).toBe('A     B\nx     y\n')
  })
  test('an empty last cell leaves the previous column padded (trailing spaces, as kubectl prints)', () => {
    expect(
      formatTable([
        ['CURRENT', 'NAMESPACE'],
        ['*', ''],
      ]),
    ).toBe('CURRENT   NAMESPACE\n*         \n')
  })
})

describe('formatTabs (kubectl describe)', () => {
  test('lines without a tab end the column block, so nested sections align on their own', () => {
    const text = 'Name:\tetcd\nNamespace:\tkube-system\nIPs:\n  IP:\t1.2.3.4\nControlled By:\tNode/cp\n'
    expect(formatTabs(text, DESCRIBE_TABS)).toBe(
      'Name:       etcd\nNamespace:  kube-system\nIPs:\n  IP:           1.2.3.4\nControlled By:  Node/cp\n',
    )
  })
  test('counts characters, not bytes', () => {
    expect(formatTabs('é\tx\nab\ty\n', DESCRIBE_TABS)).toBe('é   x\nab  y\n')
  })
})
