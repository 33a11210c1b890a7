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
  it('a lab node whose container exits: the start fails with the end of its log, and its objects are deleted', async () => {
    const d = new KubernetesDriver({ kubeConfig: offline(), images: 'node:1', pollMs: 10 })
    const calls: string[] = []
    let deleted = false
    const failed = {
      metadata: { name: 'ckalab-x-0', labels: {} },
      status: {
        phase: 'Failed',
        containerStatuses: [{ name: 'node', ready: false, state: { terminated: { exitCode: 1 } } }],
      },
    }
    const api = {
      readNamespace: async () => ({ status: { phase: 'Active' } }),
      createNamespacedNetworkPolicy: async () => ({}),
      deleteNamespacedNetworkPolicy: async () => ({}),
      createNamespacedPod: async () => ({}),
      listNamespacedPod: async () => ({ items: deleted ? [] : [failed] }),
      deleteCollectionNamespacedPod: async () => {
        deleted = true
        return {}
      },
      readNamespacedPodLog: async (req: { name: string; container: string; tailLines: number }) => {
        calls.push(`log ${req.name} ${req.container} ${req.tailLines}`)
        return 'images loaded\nkubeadm init failed: etcd did not start\n'
      },
    }
    Object.assign(d as unknown as Record<string, unknown>, { core: api, net: api })
    const err = await d.create({ controlPlanes: 1, kubernetes: '1.20' }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(KubernetesCreateError)
    expect(String(err)).toMatch(
      /could not start: .*exited with 1; the log of ckalab-x-0 ends:\nimages loaded\nkubeadm init failed: etcd did not start$/,
    )
    expect(calls).toEqual(['log ckalab-x-0 node 8'])
    expect(deleted).toBe(true)
  })

  it('a kind node pod is a one-node cluster: more nodes are refused with where to go instead', async () => {
    const d = new KubernetesDriver({ kubeConfig: offline(), images: 'node:1', privileged: true })
    const err = await d.create({ controlPlanes: 3, kubernetes: '1.20' }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(KubernetesCreateError)
    expect(String(err)).toMatch(/one-node cluster .* need the kind driver/)
    const workers = await d.create({ controlPlanes: 1, workers: 1, kubernetes: '1.20' }).catch((e) => e)
    expect(workers).toBeInstanceOf(KubernetesCreateError)
  })
})
