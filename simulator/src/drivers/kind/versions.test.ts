import { describe, expect, it } from 'vitest'
import { compareKindVersions, parseKindVersion, profileSupportProblem } from './versions'

describe('kind versions', () => {
  it('parses kind version output, with and without a pre-release', () => {
    expect(parseKindVersion('kind v0.24.0 go1.22.6 linux/amd64')).toMatchObject({
      major: 0,
      minor: 24,
      patch: 0,
    })
    expect(parseKindVersion('kind v0.25.0-alpha+2b3f go1.23 linux/arm64')).toMatchObject({
      minor: 25,
      raw: 'v0.25.0-alpha+2b3f',
    })
    expect(parseKindVersion('no version here')).toBeUndefined()
  })

  it('orders versions numerically, not as text', () => {
    expect(compareKindVersions(parseKindVersion('v0.9.0')!, parseKindVersion('v0.11.0')!)).toBeLessThan(0)
    expect(compareKindVersions(parseKindVersion('v1.0.0')!, parseKindVersion('v0.30.2')!)).toBeGreaterThan(0)
  })

  it('knows which releases run which profile', () => {
    const v = (s: string) => parseKindVersion(s)!
    expect(profileSupportProblem('1.34', v('v0.30.0'), false)).toBeUndefined()
    expect(profileSupportProblem('1.34', v('v0.24.0'), false)).toMatch(
      /no node image for Kubernetes 1.34; install kind v0.30.0/,
    )
    expect(profileSupportProblem('1.20', v('v0.17.0'), false)).toBeUndefined()
    expect(profileSupportProblem('1.20', v('v0.32.0'), false)).toMatch(/no longer supports Kubernetes 1.20/)
    // an operator-provided image skips the table
    expect(profileSupportProblem('1.20', v('v0.32.0'), true)).toBeUndefined()
  })
})
