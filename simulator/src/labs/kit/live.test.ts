import { describe, expect, it } from 'vitest'
import { GradingContext } from '../context'
import { FakeEnv, FakeNode } from '../testing/fake-node'
import { effectiveDataDir } from './etcd'

// The running container is the truth: what crictl shows wins over the manifest
// (the kubelet may not have picked up an edit yet), in the shape containerd prints.

const MANIFEST = `apiVersion: v1
kind: Pod
metadata: {name: etcd, namespace: kube-system}
spec:
  containers:
  - name: etcd
    command: [etcd, --data-dir=/var/lib/etcd, --name=cp]
    volumeMounts: [{mountPath: /var/lib/etcd, name: etcd-data}]
  volumes: [{name: etcd-data, hostPath: {path: /var/lib/etcd, type: DirectoryOrCreate}}]
`

function inspect(args: Record<string, unknown>, hostPath: string): string {
  return JSON.stringify({
    status: {
      id: 'abc',
      metadata: { attempt: 1, name: 'etcd' },
      state: 'CONTAINER_RUNNING',
      mounts: [
        { containerPath: '/var/lib/etcd', hostPath, propagation: 'PROPAGATION_PRIVATE', readonly: false },
        {
          containerPath: '/dev/termination-log',
          hostPath: '/var/lib/kubelet/pods/x/containers/etcd/1',
          readonly: false,
        },
      ],
    },
    info: args,
  })
}

function ctxWith(crictl: { ps: string; inspect?: string; psExit?: number }) {
  const node = new FakeNode(
    'cp',
    'control-plane',
    [
      { match: /^crictl ps/, result: { stdout: crictl.ps, exitCode: crictl.psExit ?? 0 } },
      { match: /^crictl inspect abc$/, result: { stdout: crictl.inspect ?? '' } },
    ],
    { '/etc/kubernetes/manifests/etcd.yaml': MANIFEST },
  )
  const env = new FakeEnv([node])
  return {
    node,
    ctx: new GradingContext({ env, facts: {}, budgetMs: 5000, signal: new AbortController().signal }),
  }
}

describe('effectiveDataDir', () => {
  it.each([
    ['CRI config command', { config: { command: ['etcd', '--data-dir=/var/lib/etcd'], args: [] } }],
    ['runtime spec argv', { runtimeSpec: { process: { args: ['etcd', '--data-dir', '/var/lib/etcd'] } } }],
  ])('follows the running container (%s) over the manifest', async (_name, info) => {
    const { node, ctx } = ctxWith({ ps: 'abc\n', inspect: inspect(info, '/var/lib/etcd-from-backup') })
    const r = await effectiveDataDir(ctx, node)
    expect(r).toMatchObject({ source: 'container', running: true, hostPath: '/var/lib/etcd-from-backup' })
  })

  it('falls back to the manifest when no etcd container runs', async () => {
    const { node, ctx } = ctxWith({ ps: '' })
    expect(await effectiveDataDir(ctx, node)).toMatchObject({
      source: 'manifest',
      running: false,
      hostPath: '/var/lib/etcd',
    })
  })

  it('says so when the manifest is broken and nothing runs', async () => {
    const { node, ctx } = ctxWith({ ps: '' })
    node.files['/etc/kubernetes/manifests/etcd.yaml'] = 'spec:\n  path:/x\n  - a: b\n'
    const r = await effectiveDataDir(ctx, node)
    expect(r).toMatchObject({ running: false })
    expect('error' in r && r.error).toMatch(/is not valid YAML/)
  })
})
