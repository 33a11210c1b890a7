import { base64Of } from '../../etcd/format'
import type { KubeObject } from '../api'
import type { Parsed } from './args'
import { type Kube, RawError, UsageError } from './context'
import { lookupResource, type ResourceType } from './resources'

// The `kubectl create <kind> NAME` generators that build an object on the
// client: configmap and secret sources, secret generic|tls|docker-registry,
// service clusterip|nodeport|loadbalancer|externalname, serviceaccount, job,
// cronjob. Texts and object shapes as kubectl 1.32 and 1.36 print them.

/** Hands the built object to create's common path (dry run, -o, the apiserver). */
export type Submit = (k: Kube, p: Parsed, t: ResourceType, obj: KubeObject) => Promise<void>

const NULL_TIME = null as unknown as string

export function exactlyOneName(p: Parsed, path: string): string {
  if (p.positional.length !== 1)
    throw new RawError(
      `error: exactly one NAME is required, got ${p.positional.length}\nSee 'kubectl ${path} -h' for help and examples\n`,
    )
  return p.positional[0]
}

/** metadata as the generators set it: the namespace only when -n was given. */
function meta(k: Kube, name: string, extra: Record<string, unknown> = {}): KubeObject['metadata'] {
  const md: Record<string, unknown> = { name, creationTimestamp: NULL_TIME, ...extra }
  const ns = k.global.namespace as string | undefined
  if (ns) md.namespace = ns
  return md as KubeObject['metadata']
}

async function readSource(k: Kube, file: string): Promise<string> {
  try {
    return await k.ctx.fs.readFile(k.ctx.fs.resolvePath(k.ctx.cwd, file))
  } catch {
    throw new UsageError(`error reading ${file}: no such file or directory`)
  }
}

const baseName = (p: string) => p.replace(/\/+$/, '').split('/').pop() ?? p

/**
 * The key/value pairs of --from-literal, --from-file and --from-env-file, in
 * kubectl's order (files, then literals, then env files) and with its refusal
 * of a key given twice.
 */
export async function dataSources(
  k: Kube,
  p: Parsed,
  kind: 'ConfigMap' | 'Secret',
  name: string,
): Promise<Record<string, string>> {
  const data: Record<string, string> = {}
  const add = (key: string, value: string) => {
    if (Object.hasOwn(data, key))
      throw new UsageError(
        kind === 'ConfigMap'
          ? `cannot add key "${key}", another key by that name already exists in Data for ConfigMap "${name}"`
          : `cannot add key ${key}, another key by that name already exists in Data for Secret "${name}"`,
      )
    data[key] = value
  }
  for (const src of (p.flags['from-file'] as string[] | undefined) ?? []) {
    const i = src.indexOf('=')
    const key = i > 0 ? src.slice(0, i) : baseName(src)
    add(key, await readSource(k, i > 0 ? src.slice(i + 1) : src))
  }
  for (const lit of (p.flags['from-literal'] as string[] | undefined) ?? []) {
    const i = lit.indexOf('=')
    if (i <= 0) throw new UsageError(`invalid literal source ${lit}, expected key=value`)
    add(lit.slice(0, i), lit.slice(i + 1))
  }
  for (const file of (p.flags['from-env-file'] as string[] | undefined) ?? []) {
    for (const raw of (await readSource(k, file)).split('\n')) {
      const line = raw.replace(/^\s+/, '')
      if (!line || line.startsWith('#')) continue
      const i = line.indexOf('=')
      if (i < 0) {
        add(line, '')
        continue
      }
      add(line.slice(0, i), line.slice(i + 1))
    }
  }
  return data
}

export async function runCreateConfigMap(k: Kube, p: Parsed, submit: Submit): Promise<number> {
  const name = exactlyOneName(p, 'create configmap')
  const data = await dataSources(k, p, 'ConfigMap', name)
  const obj: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(k, name) }
  if (Object.keys(data).length) obj.data = data
  await submit(k, p, lookupResource('configmaps') as ResourceType, obj)
  return 0
}

function secret(k: Kube, name: string, data: Record<string, string>, type?: string): KubeObject {
  const obj: KubeObject = { apiVersion: 'v1', kind: 'Secret', metadata: meta(k, name) }
  if (Object.keys(data).length)
    obj.data = Object.fromEntries(Object.entries(data).map(([key, v]) => [key, base64Of(v)]))
  if (type) obj.type = type
  return obj
}

export async function runCreateSecretGeneric(k: Kube, p: Parsed, submit: Submit): Promise<number> {
  const name = exactlyOneName(p, 'create secret generic')
  const data = await dataSources(k, p, 'Secret', name)
  await submit(k, p, lookupResource('secrets') as ResourceType, secret(k, name, data, p.flags.type as string))
  return 0
}

export async function runCreateSecretTls(k: Kube, p: Parsed, submit: Submit): Promise<number> {
  const name = exactlyOneName(p, 'create secret tls')
  const cert = p.flags.cert as string | undefined
  const key = p.flags.key as string | undefined
  if (!cert || !key) throw new UsageError('key and cert must be specified')
  const data = { 'tls.crt': await readSource(k, cert), 'tls.key': await readSource(k, key) }
  await submit(k, p, lookupResource('secrets') as ResourceType, secret(k, name, data, 'kubernetes.io/tls'))
  return 0
}

export async function runCreateSecretDockerRegistry(k: Kube, p: Parsed, submit: Submit): Promise<number> {
  const name = exactlyOneName(p, 'create secret docker-registry')
  const server = (p.flags['docker-server'] as string | undefined) ?? 'https://index.docker.io/v1/'
  const username = p.flags['docker-username'] as string
  const password = p.flags['docker-password'] as string
  const entry: Record<string, string> = { username, password }
  const email = p.flags['docker-email'] as string | undefined
  if (email) entry.email = email
  entry.auth = base64Of(`${username}:${password}`)
  const config = JSON.stringify({ auths: { [server]: entry } })
  await submit(
    k,
    p,
    lookupResource('secrets') as ResourceType,
    secret(k, name, { '.dockerconfigjson': config }, 'kubernetes.io/dockerconfigjson'),
  )
  return 0
}

function servicePorts(specs: string[], nodePort?: number): Record<string, unknown>[] {
  return specs.map((spec) => {
    const [portText, targetText] = spec.split(':')
    const port = Number(portText)
    if (!/^\d+$/.test(portText)) throw new UsageError(`invalid port "${portText}": must be an integer`)
    const target = targetText ?? portText
    const out: Record<string, unknown> = {
      name: targetText === undefined ? portText : `${portText}-${targetText}`,
      protocol: 'TCP',
      port,
      targetPort: /^\d+$/.test(target) ? Number(target) : target,
    }
    if (nodePort) out.nodePort = nodePort
    return out
  })
}

export function serviceRunner(type: 'ClusterIP' | 'NodePort' | 'LoadBalancer' | 'ExternalName') {
  const sub = type.toLowerCase()
  return async (k: Kube, p: Parsed, submit: Submit): Promise<number> => {
    const name = exactlyOneName(p, `create service ${sub}`)
    const tcp = (p.flags.tcp as string[] | undefined) ?? []
    const clusterIP = p.flags.clusterip as string | undefined
    const spec: Record<string, unknown> = {}
    if (type === 'ExternalName') {
      const external = p.flags['external-name'] as string | undefined
      if (!external) throw new UsageError('external name must be specified')
      spec.externalName = external
    } else if (tcp.length) spec.ports = servicePorts(tcp, p.flags['node-port'] as number | undefined)
    else if (clusterIP !== 'None') throw new UsageError('at least one tcp port specifier must be provided')
    spec.selector = { app: name }
    if (clusterIP) spec.clusterIP = clusterIP
    spec.type = type
    const obj: KubeObject = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: meta(k, name, { labels: { app: name } }),
      spec,
      status: { loadBalancer: {} },
    }
    await submit(k, p, lookupResource('services') as ResourceType, obj)
    return 0
  }
}

export async function runCreateServiceAccount(k: Kube, p: Parsed, submit: Submit): Promise<number> {
  const name = exactlyOneName(p, 'create serviceaccount')
  const obj: KubeObject = { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(k, name) }
  await submit(k, p, lookupResource('serviceaccounts') as ResourceType, obj)
  return 0
}

function jobPodTemplate(name: string, image: string, command: string[] | undefined, restartPolicy: string) {
  const container: Record<string, unknown> = { name, image }
  if (command?.length) container.command = command
  container.resources = {}
  return { metadata: { creationTimestamp: null }, spec: { containers: [container], restartPolicy } }
}

export async function runCreateJob(k: Kube, p: Parsed, submit: Submit): Promise<number> {
  const name = exactlyOneName(p, 'create job')
  const image = p.flags.image as string | undefined
  if (!image && !p.flags.from) throw new UsageError('either --image or --from must be specified')
  if (!image) throw new UsageError('--from is not supported here: use --image')
  const obj: KubeObject = {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: meta(k, name),
    spec: { template: jobPodTemplate(name, image, p.afterDash, 'Never') },
    status: {},
  }
  await submit(k, p, lookupResource('jobs') as ResourceType, obj)
  return 0
}

export async function runCreateCronJob(k: Kube, p: Parsed, submit: Submit): Promise<number> {
  const name = exactlyOneName(p, 'create cronjob')
  const image = p.flags.image as string | undefined
  if (!image) throw new UsageError('--image must be specified')
  const restart = (p.flags.restart as string | undefined) ?? 'OnFailure'
  const obj: KubeObject = {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: meta(k, name),
    spec: {
      schedule: p.flags.schedule,
      jobTemplate: {
        metadata: { name, creationTimestamp: null },
        spec: { template: jobPodTemplate(name, image, p.afterDash, restart) },
      },
    },
    status: {},
  }
  await submit(k, p, lookupResource('cronjobs') as ResourceType, obj)
  return 0
}
