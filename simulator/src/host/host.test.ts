import { describe, expect, it } from 'vitest'
import type { Driver, Environment } from '../seam'
import { EnvironmentHost } from './host'
import type { FromHost, ToHost } from './messages'

// A port that carries messages as a real one does: structured clone with the transfer list.
function port() {
  const out: FromHost[] = []
  let deliver: (m: unknown) => void = () => {}
  return {
    out,
    send: (m: ToHost) => deliver(structuredClone(m)),
    port: {
      post: (m: ToHost | FromHost, transfer?: ArrayBuffer[]) =>
        out.push(structuredClone(m, { transfer: transfer ?? [] }) as FromHost),
      onMessage: (l: (m: unknown) => void) => {
        deliver = l
      },
    },
  }
}

describe('EnvironmentHost', () => {
  it('answers readFile with a copy, so transferring the reply leaves the file as it was', async () => {
    const stored = new TextEncoder().encode('apiVersion: v1\nkind: Pod\n')
    const env = {
      id: 'e1',
      driver: 'fake',
      spec: { controlPlanes: 1, workers: 0, kubernetes: '1.34' },
      nodes: [{ name: 'cp', role: 'control-plane', readFile: async () => stored }],
      settle: async () => {},
      dispose: async () => {},
    } as unknown as Environment
    const driver = { name: 'fake', probe: async () => ({ ok: true }), create: async () => env } as Driver
    const p = port()
    new EnvironmentHost(driver, p.port)
    p.send({ type: 'create', id: 1, spec: env.spec })
    await new Promise((r) => setTimeout(r, 10))
    p.send({ type: 'readFile', id: 2, node: 'cp', path: '/etc/kubernetes/manifests/etcd.yaml' })
    await new Promise((r) => setTimeout(r, 10))
    const reply = p.out.find((m) => m.type === 'reply' && m.id === 2) as { value: Uint8Array }
    expect(new TextDecoder().decode(reply.value)).toContain('kind: Pod')
    expect(stored.byteLength).toBe(25)
  })
})
