import { describe, expect, it } from 'vitest'
import { isVolatilePath } from './attempts'

describe('isVolatilePath', () => {
  it('ignores device and process files but not lab data', () => {
    expect(isVolatilePath('/dev/null')).toBe(true)
    expect(isVolatilePath('/proc/1/status')).toBe(true)
    expect(isVolatilePath('/run')).toBe(true)
    expect(isVolatilePath('/devices.txt')).toBe(false)
    expect(isVolatilePath('/opt/backup/etcd-snapshot.db')).toBe(false)
    expect(isVolatilePath('/var/lib/etcd/member/snap/db')).toBe(false)
    expect(isVolatilePath(undefined)).toBe(false)
  })
})
