import { describe, expect, it } from 'vitest'
import { GradingContext } from '../context'
import { FakeEnv, FakeNode } from '../testing/fake-node'
import { waitForApiserver } from './restore'

// Waiting for the apiserver only makes sense while something can start it: a
// kube-apiserver manifest in the kubelet's folder (any name but a dot file).

function setup(manifests: string) {
  const node = new FakeNode('cp', 'control-plane', [
    {
      match: /get --raw \/readyz/,
      result: { stderr: 'The connection to the server was refused\n', exitCode: 1 },
    },
    { match: /^grep -lsw kube-apiserver/, result: { stdout: manifests, exitCode: manifests ? 0 : 1 } },
  ])
  const env = new FakeEnv([node])
  const ctx = new GradingContext({ env, facts: {}, budgetMs: 120_000, signal: new AbortController().signal })
  return { node, env, ctx }
}

describe('waitForApiserver', () => {
  it('answers at once when no manifest would start an apiserver', async () => {
    const { node, env, ctx } = setup('')
    expect(await waitForApiserver(ctx, 90_000)).toBe(false)
    expect(env.settled).toBe(0)
    expect(node.log.filter((c) => c.includes('/readyz'))).toHaveLength(1)
  })

  it('keeps waiting while a manifest (even a renamed copy) can still start one', async () => {
    const { env, ctx } = setup('/etc/kubernetes/manifests/kube-apiserver.yaml.bak\n')
    expect(await waitForApiserver(ctx, 10_000)).toBe(false)
    expect(env.settled).toBeGreaterThanOrEqual(9_000)
  })
})
