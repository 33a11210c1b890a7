import { describe, expect, it } from 'vitest'
import { hostModuleFor } from './checks-module'

describe('the kit a lab checks file may import', () => {
  it('is named by its path in the repository (also the path before the grader was renamed) or as ckalab/…', () => {
    expect(hostModuleFor('../../simulator/src/grader/kit/etcd')).toBe('kit/etcd')
    expect(hostModuleFor('../../simulator/src/labs/kit/restore.ts')).toBe('kit/restore')
    expect(hostModuleFor('ckalab/kit/etcd')).toBe('kit/etcd')
    expect(hostModuleFor('../../simulator/src/grader/types')).toBe('types')
  })

  it('names nothing else of ckalab', () => {
    expect(hostModuleFor('../../simulator/src/grader/runner')).toBeUndefined()
    expect(hostModuleFor('../../simulator/src/sim/cluster')).toBeUndefined()
    expect(hostModuleFor('ckalab/kit/nope')).toBeUndefined()
  })
})
