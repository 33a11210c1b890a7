import { describe, expect, it } from 'vitest'
import { GradingContext } from '../context'
import { FakeEnv, FakeNode } from '../testing/fake-node'
import type { WaitState } from '../types'
import { crashLooping, effectiveDataDir, settledEtcd } from './etcd'

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

const CONFIG = { config: { command: ['etcd', '--data-dir=/var/lib/etcd'], args: [] } }

function ctxWith(
  crictl: { ps: string; inspect?: string; psExit?: number },
  onWait?: (w: WaitState | undefined) => void,
) {
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
  const ctx = new GradingContext({
    env,
    facts: {},
    budgetMs: 5000,
    signal: new AbortController().signal,
    shared: new Map(),
    onWait,
  })
  return { node, env, ctx }
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

describe('settledEtcd', () => {
  it('does not wait for an etcd that nothing will start (no manifest)', async () => {
    const { node, ctx, env } = ctxWith({ ps: '' })
    delete node.files['/etc/kubernetes/manifests/etcd.yaml']
    const r = await settledEtcd(ctx, node, 30_000)
    expect('error' in r && r.error).toMatch(/no static pod manifest for etcd/)
    expect(env.settled).toBe(0)
  })

  it('waits for the kubelet to restart etcd after a manifest edit, and says what it waits for', async () => {
    const waits: string[] = []
    const { node, ctx, env } = ctxWith({ ps: 'abc\n', inspect: inspect(CONFIG, '/var/lib/etcd') }, (w) => {
      if (!w) return
      waits.push(w.what)
      // the kubelet restarts etcd on the edited manifest during the pause
      node.rules[1].result = { stdout: inspect(CONFIG, '/var/lib/etcd-from-backup') }
    })
    node.files['/etc/kubernetes/manifests/etcd.yaml'] = MANIFEST.replace(
      'path: /var/lib/etcd,',
      'path: /var/lib/etcd-from-backup,',
    )
    const r = await settledEtcd(ctx, node, 30_000)
    expect(r).toMatchObject({ running: true, hostPath: '/var/lib/etcd-from-backup' })
    expect('manifestHostPath' in r).toBe(false)
    expect(env.settled).toBe(2000)
    expect(waits).toEqual([
      'waiting for the kubelet to restart etcd with the edited manifest (hostPath /var/lib/etcd-from-backup)',
    ])
    // A later check of the same grading reuses the answer instead of waiting again.
    await settledEtcd(ctx, node, 30_000)
    expect(env.settled).toBe(2000)
  })
})

describe('crashLooping', () => {
  const CHANGED = 1_796_306_169 // the manifest's ctime, in seconds
  const container = (state: string, createdS: number) => ({
    metadata: { name: 'etcd', attempt: 0 },
    state,
    createdAt: String(BigInt(createdS) * 1_000_000_000n),
  })
  function looking(containers: object[]) {
    const { node, ctx } = ctxWith({ ps: '' })
    node.rules.unshift(
      { match: /^stat -c %Z /, result: { stdout: `${CHANGED}\n` } },
      { match: /^crictl ps -a --name etcd -o json$/, result: { stdout: JSON.stringify({ containers }) } },
    )
    return crashLooping(ctx, node, 'etcd', '/etc/kubernetes/manifests/etcd.yaml')
  }

  it('says so when etcd exited twice on the current manifest', async () => {
    expect(
      await looking([
        container('CONTAINER_EXITED', CHANGED + 3),
        container('CONTAINER_EXITED', CHANGED + 2),
        container('CONTAINER_EXITED', CHANGED - 3 * 86400),
      ]),
    ).toBe(true)
  })

  it('waits on after a single exit, a running container, or exits from before the last change', async () => {
    expect(await looking([container('CONTAINER_EXITED', CHANGED + 2)])).toBe(false)
    expect(
      await looking([
        container('CONTAINER_RUNNING', CHANGED + 4),
        container('CONTAINER_EXITED', CHANGED + 2),
      ]),
    ).toBe(false)
    expect(
      await looking([
        container('CONTAINER_EXITED', CHANGED - 60),
        container('CONTAINER_EXITED', CHANGED - 70),
      ]),
    ).toBe(false)
  })
})
