import { InMemoryFs } from 'just-bash'
import { VirtualClock } from '../../simulator/src/sim/clock'
import type { CommandResult, SimCommandContext } from '../../simulator/src/sim/commands/types'
import { type ApiClient, ApiError, type KubeObject, type ListOptions } from '../../simulator/src/sim/k8s/api'
import { type ExecRequest, type KubectlBackend, runKubectl } from '../../simulator/src/sim/k8s/kubectl/index'
import { getProfile } from '../../simulator/src/sim/profiles'

// An in-memory apiserver for kubectl's unit tests: objects by resource and
// namespace, the apiserver's error texts, and switches to make it unreachable.

const GROUPS: Record<string, string> = {
  deployments: 'apps',
  replicasets: 'apps',
  daemonsets: 'apps',
  statefulsets: 'apps',
}
const CLUSTER_SCOPED = new Set(['nodes', 'namespaces'])

export class FakeApi implements ApiClient {
  readonly server = '172.30.1.2:6443'
  objects = new Map<string, KubeObject>()
  down = false
  logsText: Record<string, string> = {}
  uid = 0

  constructor(readonly clock: VirtualClock) {}

  private key(resource: string, name: string, ns?: string): string {
    return `${resource}/${CLUSTER_SCOPED.has(resource) ? '' : (ns ?? 'default')}/${name}`
  }

  private check(): void {
    if (this.down)
      throw new ApiError(
        'unavailable',
        `The connection to the server ${this.server} was refused - did you specify the right host or port?`,
      )
  }

  private notFound(resource: string, name: string): ApiError {
    const g = GROUPS[resource]
    return new ApiError(
      'not-found',
      `Error from server (NotFound): ${resource}${g ? `.${g}` : ''} "${name}" not found`,
    )
  }

  add(resource: string, obj: KubeObject): KubeObject {
    const md = obj.metadata
    md.uid ??= `uid-${++this.uid}`
    md.creationTimestamp ??= new Date(this.clock.now()).toISOString().replace(/\.\d+Z$/, 'Z')
    if (!CLUSTER_SCOPED.has(resource)) md.namespace ??= 'default'
    this.objects.set(this.key(resource, md.name, md.namespace), obj)
    return obj
  }

  async list(resource: string, opts: ListOptions = {}): Promise<KubeObject[]> {
    this.check()
    const out: KubeObject[] = []
    for (const [k, o] of this.objects) {
      if (!k.startsWith(`${resource}/`)) continue
      if (opts.namespace && !CLUSTER_SCOPED.has(resource) && o.metadata.namespace !== opts.namespace) continue
      out.push(structuredClone(o))
    }
    return out
  }

  async get(resource: string, name: string, ns?: string): Promise<KubeObject> {
    this.check()
    const o = this.objects.get(this.key(resource, name, ns))
    if (!o) throw this.notFound(resource, name)
    return structuredClone(o)
  }

  async create(resource: string, obj: KubeObject): Promise<KubeObject> {
    this.check()
    const k = this.key(resource, obj.metadata.name, obj.metadata.namespace)
    if (this.objects.has(k)) {
      const g = GROUPS[resource]
      throw new ApiError(
        'already-exists',
        `Error from server (AlreadyExists): ${resource}${g ? `.${g}` : ''} "${obj.metadata.name}" already exists`,
      )
    }
    const copy = structuredClone(obj)
    copy.metadata.creationTimestamp = undefined
    return this.add(resource, copy)
  }

  async update(resource: string, obj: KubeObject): Promise<KubeObject> {
    this.check()
    const k = this.key(resource, obj.metadata.name, obj.metadata.namespace)
    if (!this.objects.has(k)) throw this.notFound(resource, obj.metadata.name)
    this.objects.set(k, structuredClone(obj))
    return obj
  }

  async delete(resource: string, name: string, ns?: string): Promise<KubeObject> {
    this.check()
    const k = this.key(resource, name, ns)
    const o = this.objects.get(k)
    if (!o) throw this.notFound(resource, name)
    this.objects.delete(k)
    return o
  }

  async raw(path: string): Promise<string> {
    this.check()
    if (path.startsWith('/readyz') || path.startsWith('/livez')) {
      if (path.includes('verbose')) return '[+]ping ok\n[+]etcd ok\nreadyz check passed'
      return 'ok'
    }
    if (path === '/version')
      return JSON.stringify(
        { major: '1', minor: '34', gitVersion: 'v1.34.1', platform: 'linux/amd64' },
        null,
        2,
      )
    throw new ApiError(
      'not-found',
      'Error from server (NotFound): the server could not find the requested resource',
    )
  }

  async logs(ns: string, pod: string): Promise<string> {
    this.check()
    await this.get('pods', pod, ns)
    return this.logsText[`${ns}/${pod}`] ?? ''
  }
}

export const ADMIN_CONF = `apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: LS0tLS1CRUdJTg==
    server: https://172.30.1.2:6443
  name: kubernetes
contexts:
- context:
    cluster: kubernetes
    user: kubernetes-admin
  name: kubernetes-admin@kubernetes
current-context: kubernetes-admin@kubernetes
kind: Config
preferences: {}
users:
- name: kubernetes-admin
  user:
    client-certificate-data: LS0tLS1CRUdJTg==
    client-key-data: LS0tLS1CRUdJTg==
`

export interface Harness {
  api: FakeApi
  clock: VirtualClock
  fs: InMemoryFs
  execCalls: ExecRequest[]
  run(
    line: string | string[],
    opts?: { stdin?: string; env?: Record<string, string> },
  ): Promise<CommandResult>
}

/** A kubectl wired to a FakeApi, with /root/.kube/config present unless `noConfig`. */
export function harness(profile = '1.34', o: { noConfig?: boolean } = {}): Harness {
  const clock = new VirtualClock(Date.UTC(2026, 0, 15, 9, 0, 0))
  const api = new FakeApi(clock)
  const fs = new InMemoryFs()
  if (!o.noConfig) {
    fs.mkdirSync('/root/.kube', { recursive: true })
    fs.writeFileSync('/root/.kube/config', ADMIN_CONF)
  }
  const execCalls: ExecRequest[] = []
  const backend: KubectlBackend = {
    client: () => api,
    exec: async (req) => {
      execCalls.push(req)
      if (req.argv[0] === 'false') return { stdout: '', stderr: '', exitCode: 1 }
      return { stdout: `ran ${req.argv.join(' ')} in ${req.pod}/${req.container}\n`, stderr: '', exitCode: 0 }
    },
  }
  const node = { name: 'controlplane', cluster: { clock, profile: getProfile(profile) } }
  return {
    api,
    clock,
    fs,
    execCalls,
    run(line, opts = {}) {
      const args = Array.isArray(line) ? line : splitWords(line)
      const ctx = {
        node,
        args,
        cwd: '/root',
        env: { HOME: '/root', ...opts.env },
        stdin: opts.stdin ?? '',
        fs,
        exec: async () => ({ stdout: '', stderr: '', exitCode: 0 }),
      } as unknown as SimCommandContext
      return runKubectl(ctx, backend)
    },
  }
}

/** Shell-like word splitting with single and double quotes (enough for tests). */
export function splitWords(line: string): string[] {
  const out: string[] = []
  let cur = ''
  let has = false
  let q = ''
  for (const ch of line) {
    if (q) {
      if (ch === q) q = ''
      else cur += ch
      continue
    }
    if (ch === '"' || ch === "'") {
      q = ch
      has = true
    } else if (ch === ' ') {
      if (has || cur) out.push(cur)
      cur = ''
      has = false
    } else cur += ch
  }
  if (has || cur) out.push(cur)
  return out
}
