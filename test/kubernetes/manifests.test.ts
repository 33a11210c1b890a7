import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { KubeConfig } from '@kubernetes/client-node'
import { beforeAll, describe, expect, inject, it } from 'vitest'
import { KubernetesDriver } from '../../simulator/src/drivers/kubernetes'
import { kubectl, ROOT } from './cluster'

// deploy/kubernetes against the real 1.20 API server: every manifest passes a server-side dry run (the API
// server's own validation and admission), the Role lets ckalab's service account run the driver in the labs
// namespace and nowhere else, and the simulator overlay really runs the ckalab image with its probes.

const api = inject('k8s')
const IN_NODE = '/tmp/ckalab-deploy'

function copyDeploy(): void {
  // through tar: the node's /tmp is a tmpfs, which docker cp cannot write to
  const r = spawnSync(
    'bash',
    [
      '-c',
      'tar -C "$1" -c kubernetes | docker exec -i "$2" sh -c "rm -rf $3 && mkdir -p $3 && tar -C $3 --strip-components=1 -x"',
      'x',
      join(ROOT, 'deploy'),
      api.node,
      IN_NODE,
    ],
    { encoding: 'utf8' },
  )
  if (r.status !== 0) throw new Error(`copying deploy/kubernetes into ${api.node} failed: ${r.stderr}`)
}

function serviceAccountToken(ns: string, sa: string): string {
  let token = ''
  const deadline = Date.now() + 30_000
  while (!token && Date.now() < deadline) {
    const secret = kubectl(api.node, [
      '-n',
      ns,
      'get',
      'serviceaccount',
      sa,
      '-o',
      'jsonpath={.secrets[0].name}',
    ])
    if (secret)
      token = Buffer.from(
        kubectl(api.node, ['-n', ns, 'get', 'secret', secret, '-o', 'jsonpath={.data.token}']),
        'base64',
      ).toString()
    else spawnSync('sleep', ['1'])
  }
  if (!token) throw new Error(`no token for ${ns}/${sa}`)
  return token
}

describe('deploy/kubernetes on a real 1.20 API server', () => {
  beforeAll(() => {
    copyDeploy()
    // a server-side dry run checks namespaced objects against their namespace: make the namespaces first
    kubectl(api.node, ['apply', '-f', `${IN_NODE}/base/namespaces.yaml`])
  })

  it('every manifest of the base and the simulator overlay passes kubectl apply --dry-run=server', () => {
    const base = kubectl(api.node, ['apply', '--dry-run=server', '-k', `${IN_NODE}/base`])
    // every object accepted; "configured"/"unchanged" where the driver suite already made the same object
    const lines = base.split('\n')
    for (const line of lines) expect(line).toMatch(/^\S+ (created|configured|unchanged) \(server dry run\)$/)
    expect(lines.map((l) => l.split(' ')[0]).sort()).toEqual(
      [
        'namespace/ckalab',
        'namespace/ckalab-labs',
        'serviceaccount/ckalab',
        'role.rbac.authorization.k8s.io/ckalab-labs',
        'rolebinding.rbac.authorization.k8s.io/ckalab-labs',
        'service/ckalab',
        'persistentvolumeclaim/ckalab-data',
        'deployment.apps/ckalab',
        'networkpolicy.networking.k8s.io/ckalab-deny-between-learners',
      ].sort(),
    )
    const sim = kubectl(api.node, ['apply', '--dry-run=server', '-k', `${IN_NODE}/overlays/simulator`])
    expect(sim).toMatch(/deployment.apps\/ckalab created \(server dry run\)/)
    // the dry run also rejects what the API server would: a broken manifest fails
    const bad = spawnSync(
      'docker',
      ['exec', '-i', api.node, 'kubectl', 'apply', '--dry-run=server', '-f', '-'],
      {
        input:
          'apiVersion: v1\nkind: Service\nmetadata: {name: x, namespace: ckalab}\nspec: {ports: [{port: 99999}]}\n',
        encoding: 'utf8',
      },
    )
    expect(bad.status).not.toBe(0)
    expect(bad.stderr).toMatch(/Invalid value: 99999/)
  })

  it('the Role: ckalab’s service account runs the driver in ckalab-labs, and may do nothing elsewhere', async () => {
    kubectl(api.node, [
      'apply',
      '-f',
      `${IN_NODE}/base/serviceaccount.yaml`,
      '-f',
      `${IN_NODE}/base/rbac.yaml`,
    ])
    const admin = new KubeConfig()
    admin.loadFromFile(api.kubeconfig)
    const sa = new KubeConfig()
    sa.loadFromClusterAndUser(admin.getCurrentCluster()!, {
      name: 'ckalab',
      token: serviceAccountToken('ckalab', 'ckalab'),
    })
    const opts = {
      kubeConfig: sa,
      images: api.labImage,
      imagePullPolicy: 'Never' as const,
      createNamespace: false,
      pollMs: 300,
    }
    const labs = new KubernetesDriver({ ...opts, namespace: 'ckalab-labs' })
    expect(await labs.probe()).toEqual({ ok: true })
    const env = await labs.create({ controlPlanes: 1, kubernetes: '1.20' })
    try {
      expect((await env.nodes[0]!.exec('echo "$(hostname) ok"')).stdout).toBe('lab-control-plane ok\n')
      expect(await labs.reap([env.id], { minAgeMs: 0 })).toEqual([])
    } finally {
      await env.dispose()
    }
    const elsewhere = await new KubernetesDriver({ ...opts, namespace: 'default' }).probe()
    expect(elsewhere.ok).toBe(false)
    expect(elsewhere.missing).toContain('create pods')
    // nothing cluster-wide: kubectl auth can-i prints "no" and exits 1
    const nodes = spawnSync(
      'docker',
      [
        'exec',
        api.node,
        'kubectl',
        'auth',
        'can-i',
        'list',
        'nodes',
        '--as',
        'system:serviceaccount:ckalab:ckalab',
      ],
      { encoding: 'utf8' },
    )
    expect(nodes.stdout.trim()).toBe('no')
    expect(nodes.status).toBe(1)
  }, 180_000)

  it('the simulator overlay runs the ckalab image: the Deployment becomes ready through its readiness probe', () => {
    const tag = spawnSync('bash', [join(ROOT, 'scripts/ci/ckalab-image.sh')], {
      encoding: 'utf8',
      timeout: 900_000,
    })
    if (tag.status !== 0) throw new Error(`scripts/ci/ckalab-image.sh failed:\n${tag.stderr.slice(-2000)}`)
    const image = tag.stdout.trim().split('\n').pop()!
    // the manifests name ckalab/ckalab:0.1.0; this cluster has no registry, so the image goes into containerd
    spawnSync('docker', ['tag', image, 'ckalab/ckalab:0.1.0'])
    const imp = spawnSync(
      'bash',
      [
        '-c',
        'docker save ckalab/ckalab:0.1.0 | docker exec -i "$1" ctr -n k8s.io images import -',
        'x',
        api.node,
      ],
      {
        encoding: 'utf8',
        timeout: 300_000,
      },
    )
    expect(imp.status, imp.stderr).toBe(0)
    // no storage provisioner on the fixture: a hostPath volume stands in for the cluster's storage class. A
    // provisioned volume gets the pod's fsGroup; a hostPath does not, so it is made the ckalab user's here
    spawnSync('docker', [
      'exec',
      api.node,
      'sh',
      '-c',
      'mkdir -p /var/lib/ckalab-test-data && chown 10001:10001 /var/lib/ckalab-test-data',
    ])
    kubectl(
      api.node,
      ['apply', '-f', '-'],
      'apiVersion: v1\nkind: PersistentVolume\nmetadata: {name: ckalab-test-data}\nspec:\n  capacity: {storage: 2Gi}\n  accessModes: [ReadWriteOnce]\n  hostPath: {path: /var/lib/ckalab-test-data, type: DirectoryOrCreate}\n',
    )
    kubectl(api.node, ['apply', '-k', `${IN_NODE}/overlays/simulator`])
    // the lab pool taint keeps ordinary pods off this one node: the server may run there in this test
    kubectl(api.node, [
      '-n',
      'ckalab',
      'patch',
      'deployment',
      'ckalab',
      '--type',
      'json',
      '-p',
      '[{"op":"add","path":"/spec/template/spec/tolerations","value":[{"key":"ckalab.dev/labs","operator":"Exists"}]},' +
        '{"op":"replace","path":"/spec/template/spec/containers/0/imagePullPolicy","value":"Never"},' +
        '{"op":"replace","path":"/spec/template/spec/containers/0/resources/requests","value":{"cpu":"100m","memory":"128Mi"}}]',
    ])
    const rollout = spawnSync(
      'docker',
      [
        'exec',
        api.node,
        'kubectl',
        '-n',
        'ckalab',
        'rollout',
        'status',
        'deployment/ckalab',
        '--timeout=240s',
      ],
      {
        encoding: 'utf8',
        timeout: 300_000,
      },
    )
    if (rollout.status !== 0) {
      const why = spawnSync(
        'docker',
        [
          'exec',
          api.node,
          'sh',
          '-c',
          'kubectl -n ckalab describe pods | tail -30; kubectl -n ckalab logs deploy/ckalab --tail=30',
        ],
        { encoding: 'utf8' },
      )
      throw new Error(`the ckalab Deployment did not become ready:\n${rollout.stderr}\n${why.stdout}`)
    }
    // the health endpoint through the Service, proxied by the API server
    const health = JSON.parse(
      kubectl(api.node, ['get', '--raw', '/api/v1/namespaces/ckalab/services/ckalab:80/proxy/api/health']),
    )
    expect(health).toMatchObject({ ok: true, driver: 'sim' })
    const pod = JSON.parse(
      kubectl(api.node, ['-n', 'ckalab', 'get', 'pods', '-l', 'app.kubernetes.io/name=ckalab', '-o', 'json']),
    ).items[0]
    expect(pod.spec.securityContext.runAsUser).toBe(10001)
    expect(pod.status.containerStatuses[0].ready).toBe(true)
  }, 900_000)
})
