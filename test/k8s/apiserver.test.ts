import { describe, expect, it } from 'vitest'
import { ApiError } from '../../simulator/src/sim/k8s/api'
import { apiClientFor } from '../../simulator/src/sim/k8s/client'
import { cluster, pass, sh } from './helpers'

async function errorOf(p: Promise<unknown>): Promise<string> {
  try {
    await p
    return 'ok'
  } catch (err) {
    return err instanceof ApiError ? err.message : String(err)
  }
}

describe('apiserver availability', () => {
  it('goes through Timeout, TLS handshake timeout and refused while etcd is gone, and comes back', async () => {
    const c = await cluster({ kubernetes: '1.20' })
    const node = c.nodes[0]
    if (!node) throw new Error('no node')
    const api = apiClientFor(node)
    await sh(node, 'mv /etc/kubernetes/manifests/etcd.yaml /root/')
    await pass(c, 2000)
    const seen = new Set<string>()
    for (let t = 0; t < 180_000; t += 2000) {
      const m = await errorOf(api.list('pods'))
      if (m.startsWith('Error from server (Timeout)')) seen.add('timeout')
      else if (m.includes('TLS handshake timeout')) seen.add('tls')
      else if (m.includes('was refused - did you specify the right host or port?')) seen.add('refused')
      await pass(c, 2000)
    }
    expect([...seen].sort()).toEqual(['refused', 'timeout', 'tls'])
    expect(await errorOf(api.list('pods'))).toMatch(
      /^The connection to the server 172\.30\.1\.2:6443 was refused/,
    )
    await sh(node, 'mv /root/etcd.yaml /etc/kubernetes/manifests/')
    // CrashLoopBackOff may hold the apiserver back; a kubelet restart resets it, as the docs say.
    await sh(node, 'systemctl restart kubelet')
    await pass(c, 15_000)
    expect(await errorOf(api.list('pods'))).toBe('ok')
  })

  it('reports NotFound, AlreadyExists and missing namespaces with kubectl wording', async () => {
    const c = await cluster()
    const node = c.nodes[0]
    if (!node) throw new Error('no node')
    const api = apiClientFor(node)
    expect(await errorOf(api.get('deployments', 'nope', 'default'))).toBe(
      'Error from server (NotFound): deployments.apps "nope" not found',
    )
    const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'lab' } }
    await api.create('namespaces', ns)
    expect(await errorOf(api.create('namespaces', ns))).toBe(
      'Error from server (AlreadyExists): namespaces "lab" already exists',
    )
    expect(
      await errorOf(
        api.create('configmaps', {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'x', namespace: 'ghost' },
        }),
      ),
    ).toBe('Error from server (NotFound): namespaces "ghost" not found')
    const raw = await sh(
      node,
      `etcdctl --endpoints=https://127.0.0.1:2379 --cacert=/etc/kubernetes/pki/etcd/ca.crt --cert=/etc/kubernetes/pki/etcd/server.crt --key=/etc/kubernetes/pki/etcd/server.key get /registry/namespaces/lab`,
    )
    expect(raw.stdout.startsWith('/registry/namespaces/lab\nk8s\u0000\n')).toBe(true)
    expect(await api.raw('/readyz')).toBe('ok')
  })
})
