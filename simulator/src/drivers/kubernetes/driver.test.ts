import { KubeConfig } from '@kubernetes/client-node'
import { describe, expect, it } from 'vitest'
import { KubernetesDriver } from './driver'
import { KubernetesCreateError } from './errors'

// What the driver decides before it asks the API server anything (the rest is in test/kubernetes).

function offline(): KubeConfig {
  const kc = new KubeConfig()
  kc.loadFromOptions({
    clusters: [{ name: 'c', server: 'https://127.0.0.1:1', skipTLSVerify: true }],
    users: [{ name: 'u', token: 't' }],
    contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
    currentContext: 'x',
  })
  return kc
}

describe('kubernetes driver, before any API call', () => {
  it('a kind node pod is a one-node cluster: more nodes are refused with where to go instead', async () => {
    const d = new KubernetesDriver({ kubeConfig: offline(), images: 'node:1', privileged: true })
    const err = await d.create({ controlPlanes: 3, kubernetes: '1.20' }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(KubernetesCreateError)
    expect(String(err)).toMatch(/one-node cluster .* need the kind driver/)
    const workers = await d.create({ controlPlanes: 1, workers: 1, kubernetes: '1.20' }).catch((e) => e)
    expect(workers).toBeInstanceOf(KubernetesCreateError)
  })
})
