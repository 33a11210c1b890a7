// Runs a real kubectl binary (Debian's, unpacked into the test cache by
// scripts/ci/install-kubectl.sh) on one case of ./script.ts, in a fresh HOME
// holding the kubeadm-style admin.conf and the case's files.
//
// A few client-side commands still ask the apiserver for discovery (`run`
// builds its REST mapping even with --dry-run=client). The admin.conf names
// https://172.30.1.2:6443 like a kubeadm node; kubectl reaches it through
// HTTPS_PROXY, a local CONNECT proxy that hands the connection to a small TLS
// server answering discovery only, with a certificate for 172.30.1.2 signed by
// the admin.conf's CA. So the kubeconfig and everything kubectl prints are the
// same as on a node, and nothing leaves the machine.

import { execFile } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import tls from 'node:tls'
import { harness } from '../../kubectl/fake-api'
import { seedCluster } from '../../kubectl/fixtures'
import type { KubectlCase, RawOutput } from './script'

const HERE = path.dirname(new URL(import.meta.url).pathname)
export const FIXTURES = path.join(HERE, 'fixtures')
const CACHE = process.env.CKALAB_KUBECTL_CACHE ?? path.resolve(HERE, '../../../.cache')

export interface RealKubectl {
  /** Debian suite the package came from. */
  suite: 'trixie' | 'sid'
  /** Kubernetes minor of the real client. */
  minor: string
  /** The simulator profile it is held against. */
  profile: '1.31' | '1.34'
  bin: string
}

export const REAL_KUBECTLS: RealKubectl[] = [
  {
    suite: 'trixie',
    minor: '1.32',
    profile: '1.31',
    bin: path.join(CACHE, 'kubectl-trixie/usr/bin/kubectl'),
  },
  { suite: 'sid', minor: '1.36', profile: '1.34', bin: path.join(CACHE, 'kubectl-sid/usr/bin/kubectl') },
]

export const INSTALL_HINT =
  'real kubectl 1.32 and 1.36 are not in .cache/kubectl-{trixie,sid}: run `bash scripts/ci/install-kubectl.sh` (needs apt-get and dpkg; no root needed)'

export function missingKubectls(): string[] {
  return REAL_KUBECTLS.filter((k) => !existsSync(k.bin)).map((k) => k.bin)
}

function resource(name: string, kind: string, namespaced: boolean, shortNames: string[] = []) {
  const verbs = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch']
  return { name, singularName: kind.toLowerCase(), namespaced, kind, verbs, shortNames }
}

/** What the fake apiserver answers: just enough discovery for a REST mapping. */
const DISCOVERY: Record<string, unknown> = {
  '/api': { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [] },
  '/apis': {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: ['apps', 'batch'].map((name) => ({
      name,
      versions: [{ groupVersion: `${name}/v1`, version: 'v1' }],
      preferredVersion: { groupVersion: `${name}/v1`, version: 'v1' },
    })),
  },
  '/api/v1': {
    kind: 'APIResourceList',
    groupVersion: 'v1',
    resources: [
      resource('pods', 'Pod', true, ['po']),
      resource('services', 'Service', true, ['svc']),
      resource('configmaps', 'ConfigMap', true, ['cm']),
      resource('secrets', 'Secret', true),
      resource('serviceaccounts', 'ServiceAccount', true, ['sa']),
      resource('namespaces', 'Namespace', false, ['ns']),
      resource('nodes', 'Node', false, ['no']),
      resource('events', 'Event', true, ['ev']),
    ],
  },
  '/apis/apps/v1': {
    kind: 'APIResourceList',
    groupVersion: 'apps/v1',
    resources: [
      resource('deployments', 'Deployment', true, ['deploy']),
      resource('replicasets', 'ReplicaSet', true, ['rs']),
    ],
  },
  '/apis/batch/v1': {
    kind: 'APIResourceList',
    groupVersion: 'batch/v1',
    resources: [resource('jobs', 'Job', true), resource('cronjobs', 'CronJob', true, ['cj'])],
  },
}

export interface FakeApiserver {
  /** HTTPS_PROXY for kubectl. */
  proxy: string
  /** Paths kubectl asked for that the fake does not answer (a capture notes them). */
  unanswered: string[]
  close(): Promise<void>
}

/**
 * The objects of test/kubectl/fixtures.ts (a fresh kubeadm control plane and
 * one deployment) for the `seeded` cases; the simulator's side reads the same
 * objects (simKubectl.ts).
 */
export function seededApi() {
  const h = harness('1.34')
  seedCluster(h.api)
  // what an apiserver defaults and the fixture leaves out
  h.api.objects.get('pods/kube-system/etcd-controlplane')!.spec.containers[0].livenessProbe.successThreshold =
    1
  return h.api
}

async function objectRoute(objects: ReturnType<typeof seededApi>, pathname: string): Promise<unknown> {
  const m = pathname.match(/^\/(?:api\/v1|apis\/apps\/v1)(?:\/namespaces\/([^/]+))?\/([^/]+)(?:\/([^/]+))?$/)
  if (!m) return undefined
  const [, ns, plural, name] = m
  try {
    if (name) return await objects.get(plural, name, ns)
    return {
      kind: 'List',
      apiVersion: 'v1',
      metadata: {},
      items: await objects.list(plural, { namespace: ns }),
    }
  } catch {
    return undefined
  }
}

export async function startFakeApiserver(): Promise<FakeApiserver> {
  const unanswered: string[] = []
  const objects = seededApi()
  const api = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'https://172.30.1.2:6443')
    const body = DISCOVERY[url.pathname] ?? (await objectRoute(objects, url.pathname))
    if (!body) unanswered.push(`${req.method} ${url.pathname}`)
    const status = body ? 200 : 404
    res.writeHead(status, { 'content-type': 'application/json' })
    res.end(
      JSON.stringify(
        body ?? { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404 },
      ),
    )
  })
  const tlsServer = tls.createServer(
    {
      cert: readFileSync(path.join(FIXTURES, 'server.crt')),
      key: readFileSync(path.join(FIXTURES, 'server.key')),
      ALPNProtocols: ['http/1.1'],
    },
    (socket) => api.emit('connection', socket),
  )
  const proxy = http.createServer((_req, res) => {
    res.writeHead(405)
    res.end()
  })
  // tunnels handed to the TLS server: closing the proxy does not end them
  const tunnels = new Set<import('node:stream').Duplex>()
  proxy.on('connect', (req, socket) => {
    tunnels.add(socket)
    socket.on('close', () => tunnels.delete(socket))
    if (req.url !== '172.30.1.2:6443') {
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n')
      return
    }
    socket.write('HTTP/1.1 200 Connection Established\r\n\r\n')
    tlsServer.emit('connection', socket)
  })
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
  const port = (proxy.address() as AddressInfo).port
  return {
    proxy: `http://127.0.0.1:${port}`,
    unanswered,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of tunnels) socket.destroy()
        proxy.closeAllConnections()
        proxy.close(() => resolve())
      }),
  }
}

/** Writes the case's HOME: ~/.kube/config (unless the case says otherwise) and its files. */
export function prepareHome(c: KubectlCase, home: string): void {
  mkdirSync(path.join(home, '.kube'), { recursive: true })
  if (c.kubeconfig !== 'none')
    writeFileSync(
      path.join(home, '.kube/config'),
      c.kubeconfig ?? readFileSync(path.join(FIXTURES, 'admin.conf')),
    )
  for (const [name, text] of Object.entries(c.files ?? {})) writeFileSync(path.join(home, name), text)
}

/** Runs one case on a real kubectl; HOME is the working directory, as /root is for the simulator. */
export async function runReal(k: RealKubectl, c: KubectlCase, api: FakeApiserver): Promise<RawOutput> {
  const home = mkdtempSync(path.join(tmpdir(), 'ckalab-kubectl-'))
  try {
    prepareHome(c, home)
    const env: Record<string, string> = {
      HOME: home,
      PATH: '/usr/bin:/bin',
      HTTPS_PROXY: api.proxy,
      TZ: 'UTC',
      LANG: 'C.UTF-8',
      ...Object.fromEntries(Object.entries(c.env ?? {}).map(([key, v]) => [key, v.replaceAll('~', home)])),
    }
    const out = await new Promise<RawOutput>((resolve) => {
      const child = execFile(k.bin, c.args, { cwd: home, env, timeout: 30_000 }, (err, stdout, stderr) => {
        const code = err ? ((err as { code?: unknown }).code ?? 1) : 0
        resolve({ stdout, stderr, exitCode: typeof code === 'number' ? code : -1 })
      })
      child.stdin?.end(c.stdin ?? '')
    })
    // Paths under the temporary HOME read as the simulator's /root.
    const fix = (s: string) => s.replaceAll(home, '/root')
    return { stdout: fix(out.stdout), stderr: fix(out.stderr), exitCode: out.exitCode }
  } finally {
    rmSync(home, { recursive: true, force: true })
  }
}
