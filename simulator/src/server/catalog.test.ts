import { describe, expect, it } from 'vitest'
import { runnableOn } from './catalog'

describe('runnableOn', () => {
  it('runs a lab on a driver it names', () => {
    expect(runnableOn(['sim', 'kind'], 'sim')).toBe(true)
    expect(runnableOn(['sim'], 'kind')).toBe(false)
  })

  it('runs the labs written for kind on the kubernetes driver, and only those', () => {
    expect(runnableOn(['sim', 'kind'], 'kubernetes')).toBe(true)
    expect(runnableOn(['sim'], 'kubernetes')).toBe(false)
  })
})
