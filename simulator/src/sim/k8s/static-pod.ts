import { sha256 } from '@noble/hashes/sha2.js'
import YAML from 'yaml'
import type { KubeObject } from './api'
import { cloneJson } from './codec'
import type { BindMount } from './container-fs'

// Reading a static pod manifest the way the kubelet's file source does:
// YAML → Pod, with the error texts of sigs.k8s.io/yaml (go-yaml) and of pod
// validation, and the config hash that becomes the pod UID.

export interface ContainerSpec {
  name: string
  image: string
  command: string[]
  args: string[]
  volumeMounts: Array<{ name: string; mountPath: string; readOnly?: boolean }>
}

export interface VolumeSpec {
  name: string
  hostPath?: { path: string; type?: string }
}

export interface StaticPod {
  name: string
  namespace: string
  /** The parsed object, as it goes into the mirror pod. */
  object: KubeObject
  containers: ContainerSpec[]
  volumes: VolumeSpec[]
  /** Hash of the content and the source file: the pod UID and `kubernetes.io/config.hash`. */
  hash: string
  source: string
}

export type ParseResult = { ok: true; pod: StaticPod } | { ok: false; error: string }

const GO_YAML_MESSAGES: Record<string, string> = {
  MULTILINE_IMPLICIT_KEY: "could not find expected ':'",
  MISSING_CHAR: "could not find expected ':'",
  BLOCK_AS_IMPLICIT_KEY: 'mapping values are not allowed in this context',
  TAB_AS_INDENT: 'found character that cannot start any token',
  BAD_INDENT: 'did not find expected key',
  UNEXPECTED_TOKEN: 'did not find expected key',
  DUPLICATE_KEY: 'did not find expected key',
}

/** go-yaml's wording for the first error the yaml library found. */
function goYamlError(code: string, line: number, message: string): string {
  if (/Flow (sequence|mapping)/.test(message)) return `yaml: line ${line}: did not find expected ',' or ']'`
  const text = GO_YAML_MESSAGES[code] ?? 'did not find expected key'
  // go-yaml notices a key without ':' only when it reaches the next line.
  const at = code === 'MULTILINE_IMPLICIT_KEY' ? line + 1 : line
  return `yaml: line ${at}: ${text}`
}

function hex(bytes: Uint8Array): string {
  let s = ''
  for (const b of bytes) s += b.toString(16).padStart(2, '0')
  return s
}

export function configHash(content: unknown, source: string, nodeName: string): string {
  return hex(sha256(new TextEncoder().encode(`${JSON.stringify(content)}\n${source}\n${nodeName}`))).slice(
    0,
    32,
  )
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.map((v) => String(v)) : []
}

/** Field errors in the format of apimachinery's ErrorList aggregate. */
function validate(obj: Record<string, any>): string[] {
  const errs: string[] = []
  const meta = obj.metadata ?? {}
  if (!meta.name) errs.push('metadata.name: Required value: name or generateName is required')
  else if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(String(meta.name)))
    errs.push(
      `metadata.name: Invalid value: "${meta.name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`,
    )
  const spec = obj.spec
  if (!spec || typeof spec !== 'object') {
    errs.push('spec.containers: Required value')
    return errs
  }
  const containers = Array.isArray(spec.containers) ? spec.containers : []
  if (containers.length === 0) errs.push('spec.containers: Required value')
  const volumes = new Set<string>()
  for (const [i, v] of (Array.isArray(spec.volumes) ? spec.volumes : []).entries()) {
    if (!v?.name) errs.push(`spec.volumes[${i}].name: Required value`)
    else volumes.add(String(v.name))
  }
  containers.forEach((c: any, i: number) => {
    const p = `spec.containers[${i}]`
    if (!c?.name) errs.push(`${p}.name: Required value`)
    if (!c?.image) errs.push(`${p}.image: Required value`)
    for (const [j, m] of (Array.isArray(c?.volumeMounts) ? c.volumeMounts : []).entries()) {
      if (!m?.name) errs.push(`${p}.volumeMounts[${j}].name: Required value`)
      else if (!volumes.has(String(m.name))) errs.push(`${p}.volumeMounts[${j}].name: Not found: "${m.name}"`)
      if (!m?.mountPath) errs.push(`${p}.volumeMounts[${j}].mountPath: Required value`)
    }
  })
  return errs
}

type YamlParse = { value: unknown } | { error: string }

// The kubelet reads every manifest on each relist and every node of every
// cluster starts from the same few files: parsing each text once saves most
// of a cluster's start. Bounded; the oldest text goes first.
const yamlCache = new Map<string, YamlParse>()
const YAML_CACHE_LIMIT = 64

function parseYaml(text: string): YamlParse {
  let hit = yamlCache.get(text)
  if (!hit) {
    const doc = YAML.parseDocument(text, { uniqueKeys: false })
    if (doc.errors.length > 0) {
      const e = doc.errors[0]
      hit = { error: goYamlError(e.code, e.linePos?.[0]?.line ?? 1, e.message) }
    } else hit = { value: doc.toJS() as unknown }
    if (yamlCache.size >= YAML_CACHE_LIMIT) yamlCache.delete(yamlCache.keys().next().value as string)
    yamlCache.set(text, hit)
  }
  // The caller fills in defaults on what it gets: hand out a copy.
  return 'value' in hit ? { value: cloneJson(hit.value) } : hit
}

/**
 * Parse one manifest file. `error` is the text after `<path>: ` in the
 * kubelet's "couldn't parse as pod(...)" / "invalid pod" messages.
 */
export function parseStaticPod(text: string, source: string, nodeName: string): ParseResult {
  const parsed = parseYaml(text)
  if ('error' in parsed) {
    return { ok: false, error: `${source}: couldn't parse as pod(${parsed.error}), please check config file` }
  }
  const obj = parsed.value
  if (obj === null || obj === undefined || typeof obj !== 'object' || Array.isArray(obj)) {
    const shown = obj === null || obj === undefined ? 'null' : JSON.stringify(obj)
    return {
      ok: false,
      error: `${source}: couldn't parse as pod(Object 'Kind' is missing in '${shown}'), please check config file`,
    }
  }
  const o = obj as Record<string, any>
  if (!o.kind) {
    return {
      ok: false,
      error: `${source}: couldn't parse as pod(Object 'Kind' is missing in '${JSON.stringify(o)}'), please check config file`,
    }
  }
  if (o.kind !== 'Pod' || (o.apiVersion !== undefined && o.apiVersion !== 'v1')) {
    return {
      ok: false,
      error: `${source}: couldn't parse as pod(no kind "${o.kind}" is registered for version "${o.apiVersion ?? ''}" in scheme "pkg/api/legacyscheme/scheme.go:30"), please check config file`,
    }
  }
  o.metadata = o.metadata && typeof o.metadata === 'object' ? o.metadata : {}
  if (!o.metadata.namespace) o.metadata.namespace = 'default'
  const errs = validate(o)
  if (errs.length > 0) return { ok: false, error: `invalid pod: [${errs.join(', ')}]` }
  const containers: ContainerSpec[] = o.spec.containers.map((c: any) => ({
    name: String(c.name),
    image: String(c.image),
    command: strings(c.command),
    args: strings(c.args),
    volumeMounts: (Array.isArray(c.volumeMounts) ? c.volumeMounts : []).map((m: any) => ({
      name: String(m.name),
      mountPath: String(m.mountPath),
      readOnly: m.readOnly === true,
    })),
  }))
  const volumes: VolumeSpec[] = (Array.isArray(o.spec.volumes) ? o.spec.volumes : []).map((v: any) => ({
    name: String(v.name),
    hostPath:
      v.hostPath && typeof v.hostPath === 'object'
        ? { path: String(v.hostPath.path ?? ''), type: v.hostPath.type ? String(v.hostPath.type) : undefined }
        : undefined,
  }))
  const hash = configHash(o, source, nodeName)
  return {
    ok: true,
    pod: {
      name: String(o.metadata.name),
      namespace: String(o.metadata.namespace),
      object: o as KubeObject,
      containers,
      volumes,
      hash,
      source,
    },
  }
}

/** A container's bind mounts: its volumeMounts joined with the pod's hostPath volumes. */
export function bindMountsOf(pod: Pick<StaticPod, 'volumes'>, container: ContainerSpec): BindMount[] {
  const out: BindMount[] = []
  for (const m of container.volumeMounts) {
    const v = pod.volumes.find((x) => x.name === m.name)
    if (!v?.hostPath?.path) continue
    out.push({ containerPath: m.mountPath, hostPath: v.hostPath.path, readOnly: m.readOnly === true })
  }
  return out
}

/** The process argv of a container: command then args (images here have no ENTRYPOINT worth modelling). */
export function argvOf(container: ContainerSpec): string[] {
  return [...container.command, ...container.args]
}
