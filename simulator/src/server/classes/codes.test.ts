import { describe, expect, it } from 'vitest'
import { CODE_ALPHABET, isJoinCode, newJoinCode, newRecoveryCode, normalizeCode } from './codes'

describe('class codes', () => {
  it('uses no characters that are easily misread', () => {
    for (const c of '01258BILOSUVZ') expect(CODE_ALPHABET).not.toContain(c)
  })

  it('makes 6-character join codes that validate, and differ', () => {
    const codes = new Set(Array.from({ length: 200 }, () => newJoinCode()))
    expect(codes.size).toBeGreaterThan(195)
    for (const c of codes) expect(isJoinCode(c)).toBe(true)
  })

  it('reads what a person typed: case, spaces and dashes do not matter', () => {
    const code = newRecoveryCode()
    expect(code).toMatch(/^[A-Z0-9]{5}(-[A-Z0-9]{5}){3}$/)
    expect(normalizeCode(` ${code.toLowerCase().replace(/-/g, ' ')} `)).toBe(code.replace(/-/g, ''))
    expect(isJoinCode(normalizeCode('ac3-d4f'))).toBe(true)
    expect(isJoinCode(normalizeCode('AC3D4'))).toBe(false)
    expect(isJoinCode(normalizeCode('ACOD4F'))).toBe(false)
  })
})
