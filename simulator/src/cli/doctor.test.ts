import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { formatDoctor, probeKubernetes } from './doctor'

// The kubernetes line of `ckalab doctor` without a cluster (with one: test/kubernetes/driver.test.ts).

describe('ckalab doctor: the kubernetes driver', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ckalab-doctor-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('not configured: says which settings to give', async () => {
    const r = await probeKubernetes({})
    expect(r).toMatchObject({ name: 'kubernetes', ok: false })
    expect(r.detail).toMatch(/^not configured: set CKALAB_K8S_IMAGE .* CKALAB_K8S_KUBECONFIG or KUBECONFIG/)
    expect(formatDoctor([r])).toMatch(/^✗ kubernetes not configured/)
  })

  it('an API server that does not answer: not usable, with its address', async () => {
    const kubeconfig = join(dir, 'config')
    writeFileSync(
      kubeconfig,
      `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: 'https://127.0.0.1:1', insecure-skip-tls-verify: true}}]
users: [{name: u, user: {token: t}}]
contexts: [{name: x, context: {cluster: c, user: u}}]
current-context: x
`,
    )
    const r = await probeKubernetes({ CKALAB_K8S_IMAGE: 'node:1', CKALAB_K8S_KUBECONFIG: kubeconfig })
    expect(r.ok).toBe(false)
    expect(r.detail).toMatch(/^not usable: .*https:\/\/127\.0\.0\.1:1 did not answer/)
  })
})
