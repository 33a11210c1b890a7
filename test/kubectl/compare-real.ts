// Compare ckalab's kubectl with a real kubectl binary on the client-side
// formats (describe, -o yaml|json|name|jsonpath|custom-columns): a small HTTP
// apiserver serves the fixture objects to the real binary, the simulated
// kubectl reads the same objects from the in-memory apiserver.
// Run: npx tsx test/kubectl/compare-real.ts   (needs `kubectl` on PATH; exits 1 on a difference)
import { execFile } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { harness } from './fake-api'
import { seedCluster } from './fixtures'

const run = promisify(execFile)
const h = harness('1.34')
seedCluster(h.api)
// What the apiserver defaults and the fixture leaves out.
h.api.objects.get('pods/kube-system/etcd-controlplane')!.spec.containers[0].livenessProbe.successThreshold = 1

const CASES: string[][] = [
  ['describe', 'pod', '-n', 'kube-system', 'etcd-controlplane'],
  ['get', 'deploy', 'web', '-o', 'yaml'],
  ['get', 'ns', '-o', 'yaml'],
  ['get', 'ns', '-o', 'name'],
  ['get', 'pod', '-n', 'kube-system', 'etcd-controlplane', '-o', 'json'],
  ['get', 'pod', '-n', 'kube-system', 'etcd-controlplane', '-o', 'jsonpath={.metadata}'],
  [
    'get',
    'pods',
    '-n',
    'default',
    '-o',
    'jsonpath={range .items[*]}{.metadata.name}{"\\t"}{.status.podIP}{"\\n"}{end}',
  ],
  [
    'get',
    'pods',
    '-n',
    'default',
    '-o',
    'custom-columns=NAME:.metadata.name,IMG:.spec.containers[*].image,X:.status.foo',
  ],
]

function resource(name: string, kind: string, namespaced: boolean, shortNames: string[] = []) {
  return { name, singularName: kind.toLowerCase(), namespaced, kind, verbs: ['get', 'list'], shortNames }
}
const discovery: Record<string, unknown> = {
  '/api': { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] },
  '/apis': {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: [
      {
        name: 'apps',
        versions: [{ groupVersion: 'apps/v1', version: 'v1' }],
        preferredVersion: { groupVersion: 'apps/v1', version: 'v1' },
      },
    ],
  },
  '/api/v1': {
    kind: 'APIResourceList',
    groupVersion: 'v1',
    resources: [
      resource('pods', 'Pod', true, ['po']),
      resource('events', 'Event', true),
      resource('nodes', 'Node', false),
      resource('namespaces', 'Namespace', false, ['ns']),
    ],
  },
  '/apis/apps/v1': {
    kind: 'APIResourceList',
    groupVersion: 'apps/v1',
    resources: [
      resource('deployments', 'Deployment', true, ['deploy']),
      resource('replicasets', 'ReplicaSet', true),
    ],
  },
}

const server = http.createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', 'http://x')
  const send = (code: number, body: unknown) => {
    res.writeHead(code, { 'content-type': 'application/json' })
    res.end(JSON.stringify(body))
  }
  if (discovery[url.pathname]) return send(200, discovery[url.pathname])
  const m = url.pathname.match(
    /^\/(?:api\/v1|apis\/apps\/v1)(?:\/namespaces\/([^/]+))?\/([^/]+)(?:\/([^/]+))?$/,
  )
  const notFound = { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404 }
  if (!m) return send(404, notFound)
  const [, ns, plural, name] = m
  try {
    if (name) return send(200, await h.api.get(plural, name, ns))
    return send(200, {
      kind: 'List',
      apiVersion: 'v1',
      metadata: {},
      items: await h.api.list(plural, { namespace: ns }),
    })
  } catch {
    return send(404, notFound)
  }
})

server.listen(0, '127.0.0.1', async () => {
  const port = (server.address() as { port: number }).port
  const dir = mkdtempSync(join(tmpdir(), 'ckalab-kubectl-'))
  const kubeconfig = join(dir, 'config')
  writeFileSync(
    kubeconfig,
    `apiVersion: v1\nclusters:\n- cluster:\n    server: http://127.0.0.1:${port}\n  name: k\ncontexts:\n- context:\n    cluster: k\n    user: u\n  name: c\ncurrent-context: c\nkind: Config\nusers:\n- name: u\n  user: {}\n`,
  )
  let differences = 0
  for (const args of CASES) {
    let real: string
    try {
      real = (await run('kubectl', args, { env: { ...process.env, KUBECONFIG: kubeconfig, HOME: dir } }))
        .stdout
    } catch (err) {
      real = `kubectl failed: ${(err as { stderr?: string }).stderr ?? err}`
    }
    const mine = (await h.run(args)).stdout
    const same = real === mine
    if (!same) differences++
    console.log(`${same ? 'same' : 'DIFFERENT'}: kubectl ${args.join(' ')}`)
    if (!same) console.log(`--- real\n${real}--- ckalab\n${mine}`)
  }
  server.close()
  process.exitCode = differences ? 1 : 0
})
