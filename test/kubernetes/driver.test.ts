import { CoreV1Api, KubeConfig, NetworkingV1Api } from '@kubernetes/client-node'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { probeKubernetes } from '../../simulator/src/cli/doctor'
import {
  KubernetesApiError,
  KubernetesCapacityError,
  KubernetesDriver,
  type KubernetesDriverOptions,
  PodGoneError,
} from '../../simulator/src/drivers/kubernetes'
import { ATTEMPT_LABEL, selector } from '../../simulator/src/drivers/kubernetes/objects'
import type { Environment, Progress } from '../../simulator/src/seam'
import { startHarness } from '../protocol/harness'
import { kubectl } from './cluster'

// The kubernetes driver against a real Kubernetes 1.20 API server (test/kubernetes/cluster.ts): pods of the
// stand-in lab node image, scheduled by the real scheduler, run by the real kubelet and containerd, reached
// only through the API server's exec WebSocket.

const api = inject('k8s')
const spec = { controlPlanes: 1, kubernetes: '1.20' as const }

function admin(): KubeConfig {
  const kc = new KubeConfig()
  kc.loadFromFile(api.kubeconfig)
  return kc
}

function driver(opts: Partial<KubernetesDriverOptions> = {}): KubernetesDriver {
  return new KubernetesDriver({
    kubeConfig: admin(),
    images: api.labImage,
    imagePullPolicy: 'Never',
    pollMs: 300,
    ...opts,
  })
}

/** Polls every 300 ms (the API server is shared with the pods under test; do not hammer it). */
async function waitFor(
  cond: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> {
  const until = Date.now() + timeoutMs
  while (!(await cond())) {
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 300))
  }
}

const core = () => admin().makeApiClient(CoreV1Api)
const podsOf = async (ns: string, id: string) =>
  (await core().listNamespacedPod({ namespace: ns, labelSelector: `${ATTEMPT_LABEL}=${id}` })).items

describe('kubernetes driver on a real 1.20 API server', () => {
  const d = driver({ namespace: 'ckalab-labs' })
  let env: Environment
  const steps: Progress[] = []

  beforeAll(async () => {
    env = await d.create({ ...spec, name: 'backup' }, (p) => steps.push(p))
  }, 180_000)
  afterAll(async () => {
    await env?.dispose()
  })

  it('probe: the API server answers and the admin may do everything the driver needs', async () => {
    expect(await d.probe()).toEqual({ ok: true })
  })

  it('create: one labelled pod per node, progress up to ready, no token, requests and limits, the lab pool’s toleration', async () => {
    expect(env.driver).toBe('kubernetes')
    expect(env.nodes.map((n) => n.name)).toEqual(['backup-control-plane'])
    expect(steps.at(-1)).toEqual({ fraction: 1, step: 'Lab node ready' })
    expect(steps.map((s) => s.fraction)).toEqual([...steps.map((s) => s.fraction)].sort((a, b) => a - b))
    const [pod] = await podsOf('ckalab-labs', env.id)
    expect(pod?.metadata?.labels).toMatchObject({
      'app.kubernetes.io/managed-by': 'ckalab',
      [ATTEMPT_LABEL]: env.id,
      'ckalab.dev/node': 'backup-control-plane',
    })
    expect(pod?.spec?.automountServiceAccountToken).toBe(false)
    expect(pod?.spec?.containers[0]?.resources?.requests).toEqual({ cpu: '100m', memory: '128Mi' })
    expect(pod?.status?.qosClass).toBe('Burstable')
    // nothing of the cluster's API inside the lab node
    const r = await env.nodes[0]!.exec('ls /var/run/secrets/kubernetes.io')
    expect(r.stderr).toMatch(/No such file or directory/)
    const policies = await admin()
      .makeApiClient(NetworkingV1Api)
      .listNamespacedNetworkPolicy({ namespace: 'ckalab-labs' })
    expect(policies.items.map((p) => p.metadata?.name).sort()).toEqual(
      ['ckalab-deny-between-learners', `ckalab-${env.id}`].sort(),
    )
  })

  it('exec: stdout, stderr and exit codes; input, environment and folder; a time budget', async () => {
    const n = env.nodes[0]!
    expect(await n.exec('echo out; echo err >&2; exit 3')).toEqual({
      stdout: 'out\n',
      stderr: 'err\n',
      exitCode: 3,
    })
    expect(await n.exec('true')).toEqual({ stdout: '', stderr: '', exitCode: 0 })
    expect((await n.exec('no-such-command')).exitCode).toBe(127)
    const r = await n.exec('wc -l; pwd; echo "$X"', {
      stdin: 'a\nb\n',
      cwd: '/etc/kubernetes',
      env: { X: 'x y' },
    })
    expect(r.stdout).toBe('2\n/etc/kubernetes\nx y\n')
    const slow = await n.exec('sleep 20', { timeoutMs: 1500 })
    expect(slow.timedOut).toBe(true)
    expect(slow.exitCode).toBe(124)
  })

  it('the lab node is a kubeadm-shaped etcd node: etcdctl with the kubeadm certificates', async () => {
    const r = await env.nodes[0]!.exec(
      'ETCDCTL_API=3 etcdctl --endpoints=https://127.0.0.1:2379 --cacert=/etc/kubernetes/pki/etcd/ca.crt ' +
        '--cert=/etc/kubernetes/pki/etcd/server.crt --key=/etc/kubernetes/pki/etcd/server.key member list',
    )
    expect(r.exitCode).toBe(0)
    expect(r.stdout).toMatch(/, started, backup-control-plane, https:\/\/10\.244\.\d+\.\d+:2380/)
  })

  it('readFile: bytes through exec; undefined for a missing file or a folder', async () => {
    const n = env.nodes[0]!
    const manifest = new TextDecoder().decode(await n.readFile('/etc/kubernetes/manifests/etcd.yaml'))
    expect(manifest).toMatch(/--data-dir=\/var\/lib\/etcd/)
    await n.exec('printf "\\x00\\xff\\x80bin" > /root/b')
    expect([...((await n.readFile('/root/b')) ?? [])]).toEqual([0, 255, 128, 98, 105, 110])
    expect(await n.readFile('/root/missing')).toBeUndefined()
    expect(await n.readFile('/etc')).toBeUndefined()
  })

  it('discover: a new driver (a restarted server) adopts the environment by its id', async () => {
    const again = await driver({ namespace: 'ckalab-labs' }).adopt(env.id)
    expect(again?.spec).toEqual({ ...spec, name: 'backup' })
    expect((await again!.nodes[0]!.exec('hostname')).stdout).toBe('backup-control-plane\n')
    expect(await driver({ namespace: 'ckalab-labs' }).adopt('00000000')).toBeUndefined()
  })

  it('a TTY terminal over ckalab’s WebSocket protocol: prompt, typing, resize, exit', async () => {
    const h = await startHarness({ driver: d })
    try {
      const r = await h.api('POST', '/api/attempts', { lab: 'fake-lab', mode: 'practice' })
      expect(r.status).toBe(201)
      const token = r.body.token as string
      await waitFor(
        async () => (await h.api('GET', `/api/attempts/${token}`)).body.state === 'ready',
        120_000,
        'ready',
      )
      const t = await h.terminal(token, 'lab-control-plane')
      await t.waitText('root@lab-control-plane:~#', 30_000)
      t.type('cat /root/setup-done; stty size; tty\r')
      await t.waitText(/ready\r\n24 80\r\n\/dev\/pts\/\d+/, 15_000)
      const { encodeResize } = await import('../../simulator/src/server/protocol')
      t.send(encodeResize(132, 40))
      await new Promise((res) => setTimeout(res, 500))
      t.type('stty size\r')
      await t.waitText('40 132', 15_000)
      t.type('exit 4\r')
      await waitFor(() => t.frames.some((f) => f.op === 'exit'), 15_000, 'exit frame')
      expect(t.frames.find((f) => f.op === 'exit')).toMatchObject({ code: 4 })
      t.close()
      await h.api('POST', `/api/attempts/${token}/reset`).catch(() => undefined)
    } finally {
      await h.close()
    }
  }, 240_000)
})

/**
 * The NetworkPolicies of a namespace with two environments, read back from the API server, select what they
 * should: the deny-all policy every lab pod (allowing nothing), each environment's policy its own pods, open to
 * and from them only. (The test node's bridge plugin does not enforce policies: docs/scale.md.)
 */
async function expectPoliciesSelect(ns: string, envs: [Environment, Environment]): Promise<void> {
  const names = async (labels: Record<string, string> | undefined) =>
    (await core().listNamespacedPod({ namespace: ns, labelSelector: selector(labels ?? {}) })).items
      .map((p) => p.metadata?.name)
      .sort()
  const podsOfEnv = async (id: string) => (await podsOf(ns, id)).map((p) => p.metadata?.name).sort()
  const all = [...(await podsOfEnv(envs[0]!.id)), ...(await podsOfEnv(envs[1]!.id))].sort()
  expect(all).toHaveLength(2)
  const policies = (
    await admin().makeApiClient(NetworkingV1Api).listNamespacedNetworkPolicy({ namespace: ns })
  ).items
  const byName = new Map(policies.map((p) => [p.metadata?.name, p]))
  expect([...byName.keys()].sort()).toEqual(
    ['ckalab-deny-between-learners', `ckalab-${envs[0]!.id}`, `ckalab-${envs[1]!.id}`].sort(),
  )
  const deny = byName.get('ckalab-deny-between-learners')!
  expect(deny.spec?.policyTypes).toEqual(['Ingress', 'Egress'])
  expect(deny.spec?.ingress ?? []).toEqual([])
  expect(deny.spec?.egress ?? []).toEqual([])
  expect(await names(deny.spec?.podSelector?.matchLabels)).toEqual(all)
  for (const env of envs) {
    const own = byName.get(`ckalab-${env.id}`)!
    const mine = await podsOfEnv(env.id)
    expect(own.spec?.policyTypes).toEqual(['Ingress', 'Egress'])
    expect(await names(own.spec?.podSelector?.matchLabels)).toEqual(mine)
    // one peer each way, by pod labels only: no namespace selector, address block or port opens more
    expect(own.spec?.ingress).toHaveLength(1)
    expect(own.spec?.ingress?.[0]?._from).toHaveLength(1)
    expect(Object.keys(own.spec?.ingress?.[0]?._from?.[0] ?? {})).toEqual(['podSelector'])
    expect(await names(own.spec?.ingress?.[0]?._from?.[0]?.podSelector?.matchLabels)).toEqual(mine)
    expect(own.spec?.egress).toHaveLength(1)
    expect(own.spec?.egress?.[0]?.to).toHaveLength(1)
    expect(Object.keys(own.spec?.egress?.[0]?.to?.[0] ?? {})).toEqual(['podSelector'])
    expect(await names(own.spec?.egress?.[0]?.to?.[0]?.podSelector?.matchLabels)).toEqual(mine)
  }
}

describe('kubernetes driver: ckalab doctor', () => {
  it('ckalab doctor: usable with the API server, the rights and the namespace; a missing namespace is named', async () => {
    const base = { CKALAB_K8S_IMAGE: api.labImage, CKALAB_K8S_KUBECONFIG: api.kubeconfig }
    const ok = await probeKubernetes({ ...base, CKALAB_K8S_NAMESPACE: 'ckalab-labs' })
    expect(ok).toEqual({
      name: 'kubernetes',
      ok: true,
      detail: `usable: API server ${api.server} answers, RBAC allows pods, pods/exec and network policies in ckalab-labs; namespace ckalab-labs present`,
    })
    const later = await probeKubernetes({ ...base, CKALAB_K8S_NAMESPACE: 'ckalab-not-yet' })
    expect(later.ok).toBe(true)
    expect(later.detail).toMatch(/namespace ckalab-not-yet missing: ckalab makes it at the first start$/)
    const gone = await probeKubernetes({
      ...base,
      CKALAB_K8S_NAMESPACE: 'ckalab-not-yet',
      CKALAB_K8S_CREATE_NAMESPACE: '0',
    })
    expect(gone.ok).toBe(false)
    expect(gone.detail).toMatch(/missing: apply the manifests \(kubectl apply -k deploy\/kubernetes\/base\)$/)
  })
})

describe('kubernetes driver: capacity, reaping, deletion and what goes wrong', () => {
  it('capacity: a pod the scheduler cannot place shows "Waiting for capacity", starts when room frees up', async () => {
    // the node has 2 CPUs and the control plane requests 650m: one lab of 1 CPU fits, a second does not
    const big = driver({
      namespace: 'ckalab-capacity',
      resources: { requests: { cpu: '1', memory: '64Mi' }, limits: { cpu: '1', memory: '256Mi' } },
      capacityTimeoutMs: 120_000,
    })
    const first = await big.create(spec)
    const steps: Progress[] = []
    let second: Environment | undefined
    const pending = big
      .create(spec, (p) => steps.push(p))
      .then((e) => {
        second = e
        return e
      })
    try {
      await waitFor(
        () => steps.some((s) => s.step.startsWith('Waiting for capacity')),
        60_000,
        'waiting state',
      )
      const waiting = steps.find((s) => s.step.startsWith('Waiting for capacity'))!
      expect(waiting.step).toMatch(
        /^Waiting for capacity \(\d+ s\): 0\/1 nodes are available: 1 Insufficient cpu\.$/,
      )
      expect(second).toBeUndefined()
      await first.dispose()
      const env = await pending
      expect(steps.at(-1)?.step).toBe('Lab node ready')
      expect((await env.nodes[0]!.exec('echo placed')).stdout).toBe('placed\n')
    } finally {
      await first.dispose()
      await (await pending.catch(() => undefined))?.dispose()
    }
  }, 240_000)

  it('a full cluster: after the capacity wait the start fails with advice and leaves nothing behind', async () => {
    const huge = driver({
      namespace: 'ckalab-capacity',
      resources: { requests: { cpu: '64', memory: '64Mi' }, limits: { cpu: '64', memory: '256Mi' } },
      capacityTimeoutMs: 3000,
    })
    const err = await huge.create(spec).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(KubernetesCapacityError)
    expect(String(err)).toMatch(
      /no room for this lab for 3 s \(0\/1 nodes are available: 1 Insufficient cpu\.\).*nothing was left behind/,
    )
    const left = await core().listNamespacedPod({
      namespace: 'ckalab-capacity',
      labelSelector: 'app.kubernetes.io/managed-by=ckalab',
    })
    expect(left.items.filter((p) => !p.metadata?.deletionTimestamp)).toEqual([])
  }, 120_000)

  it('reap: environments no live attempt owns are deleted; live ones stay (and the policies keep learners apart)', async () => {
    const a = driver({ namespace: 'ckalab-reap' })
    const [live, orphan] = await Promise.all([a.create(spec), a.create(spec)])
    try {
      await expectPoliciesSelect('ckalab-reap', [live, orphan])
      const other = driver({ namespace: 'ckalab-reap' }) // another server process, after a crash
      expect(await other.reap([live.id], { minAgeMs: 60_000 })).toEqual([]) // too young: maybe still being made
      expect(await other.reap([live.id], { minAgeMs: 0 })).toEqual([orphan.id])
      await waitFor(async () => (await podsOf('ckalab-reap', orphan.id)).length === 0, 60_000, 'orphan gone')
      expect(await podsOf('ckalab-reap', live.id)).toHaveLength(1)
      expect((await live.nodes[0]!.exec('echo alive')).stdout).toBe('alive\n')
    } finally {
      await live.dispose()
      await orphan.dispose()
    }
  }, 180_000)

  it('delete: dispose removes the pods and the policy; the node then says it is gone', async () => {
    const x = driver({ namespace: 'ckalab-reap' })
    const env = await x.create(spec)
    await env.dispose()
    expect(await podsOf('ckalab-reap', env.id)).toEqual([])
    const policies = await admin()
      .makeApiClient(NetworkingV1Api)
      .listNamespacedNetworkPolicy({ namespace: 'ckalab-reap' })
    expect(policies.items.map((p) => p.metadata?.name)).not.toContain(`ckalab-${env.id}`)
    const err = await env.nodes[0]!.exec('true').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(PodGoneError)
    expect(String(err)).toMatch(/was deleted.*reset the attempt/)
  }, 120_000)

  it('an evicted pod: the learner reads why and that a reset gives a new environment', async () => {
    const x = driver({ namespace: 'ckalab-evict' })
    const env = await x.create(spec)
    const pod = (await podsOf('ckalab-evict', env.id))[0]!.metadata!.name!
    // the Eviction API (policy/v1beta1 on 1.20), as kubectl drain evicts pods
    const eviction = {
      apiVersion: 'policy/v1beta1',
      kind: 'Eviction',
      metadata: { name: pod, namespace: 'ckalab-evict' },
    }
    kubectl(
      api.node,
      ['create', '--raw', `/api/v1/namespaces/ckalab-evict/pods/${pod}/eviction`, '-f', '-'],
      JSON.stringify(eviction),
    )
    await waitFor(
      async () => (await podsOf('ckalab-evict', env.id)).length === 0,
      120_000,
      'evicted pod gone',
    )
    const err = await env.nodes[0]!.exec('true').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(PodGoneError)
    expect(String(err)).toMatch(
      /node lab-control-plane is not available \(its pod ckalab-\w+-0 was deleted \(evicted, or removed by hand\)\)/,
    )
    await env.dispose() // nothing left to delete: no error
  }, 180_000)

  it('a namespace deleted by hand: the node says so, dispose is quiet, the next start makes the namespace again', async () => {
    const x = driver({ namespace: 'ckalab-gone' })
    const env = await x.create(spec)
    kubectl(api.node, ['delete', 'namespace', 'ckalab-gone', '--wait=false'])
    await waitFor(
      async () => (await podsOf('ckalab-gone', env.id).catch(() => [])).length === 0,
      90_000,
      'pods gone',
    )
    const err = await env.nodes[0]!.exec('true').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(PodGoneError)
    expect(String(err)).toMatch(/its namespace ckalab-gone was deleted/)
    await env.dispose()
    await waitFor(
      () => !kubectl(api.node, ['get', 'namespaces', '-o', 'name']).includes('namespace/ckalab-gone'),
      90_000,
      'namespace gone',
    )
    const fresh = await x.create(spec)
    expect((await fresh.nodes[0]!.exec('echo back')).stdout).toBe('back\n')
    await fresh.dispose()
  }, 240_000)

  it('an unreachable API server: probe and create say where and what still works', async () => {
    const kc = admin()
    const cluster = kc.getCurrentCluster()!
    const broken = new KubeConfig()
    broken.loadFromClusterAndUser({ ...cluster, server: 'https://127.0.0.1:1' }, kc.getCurrentUser()!)
    const x = new KubernetesDriver({ kubeConfig: broken, images: api.labImage, apiTimeoutMs: 5000 })
    const probe = await x.probe()
    expect(probe.ok).toBe(false)
    expect(probe.reason).toMatch(/API server at https:\/\/127\.0\.0\.1:1 did not answer \(ECONNREFUSED\)/)
    const err = await x.create(spec).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(KubernetesApiError)
    expect(String(err)).toMatch(/did not answer \(ECONNREFUSED\).*simulator still works/)
  })

  it('missing RBAC: probe lists what is missing; create names the refused call and the Role to grant', async () => {
    kubectl(api.node, ['create', 'namespace', 'ckalab-norbac'])
    kubectl(api.node, ['-n', 'ckalab-norbac', 'create', 'serviceaccount', 'nobody'])
    let token = ''
    await waitFor(
      () => {
        const name = kubectl(api.node, [
          '-n',
          'ckalab-norbac',
          'get',
          'serviceaccount',
          'nobody',
          '-o',
          'jsonpath={.secrets[0].name}',
        ])
        if (!name) return false
        token = Buffer.from(
          kubectl(api.node, ['-n', 'ckalab-norbac', 'get', 'secret', name, '-o', 'jsonpath={.data.token}']),
          'base64',
        ).toString('utf8')
        return token.length > 0
      },
      30_000,
      'service account token',
    )
    const kc = admin()
    const weak = new KubeConfig()
    weak.loadFromClusterAndUser(kc.getCurrentCluster()!, { name: 'nobody', token })
    const x = new KubernetesDriver({ kubeConfig: weak, images: api.labImage, namespace: 'ckalab-norbac' })
    const probe = await x.probe()
    expect(probe.ok).toBe(false)
    expect(probe.missing).toEqual([
      'create pods',
      'list pods',
      'delete pods',
      'create pods/exec',
      'create networkpolicies',
      'delete networkpolicies',
    ])
    expect(probe.reason).toMatch(/deploy\/kubernetes\/base\/rbac\.yaml/)
    const err = await x.create(spec).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(KubernetesApiError)
    expect(String(err)).toMatch(
      /could not read the namespace ckalab-norbac: ckalab's identity \(nobody\) is not allowed to \(403 Forbidden\): .*system:serviceaccount:ckalab-norbac:nobody/,
    )
  })
})
