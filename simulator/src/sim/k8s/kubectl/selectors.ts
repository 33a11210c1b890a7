import type { KubeObject } from '../api'

// Label selectors (`-l`) and field selectors (`--field-selector`) with the
// syntax the apiserver accepts; kubectl here applies them client-side.

export type Requirement =
  | { key: string; op: 'exists' | 'notexists' }
  | { key: string; op: 'eq' | 'neq'; value: string }
  | { key: string; op: 'in' | 'notin'; values: string[] }

export class SelectorError extends Error {}

function splitTopLevel(s: string): string[] {
  const parts: string[] = []
  let depth = 0
  let cur = ''
  for (const ch of s) {
    if (ch === '(') depth++
    if (ch === ')') depth--
    if (ch === ',' && depth === 0) {
      parts.push(cur)
      cur = ''
    } else cur += ch
  }
  parts.push(cur)
  return parts
}

const KEY = /^[A-Za-z0-9]([-A-Za-z0-9_./]*[A-Za-z0-9])?$/

export function parseLabelSelector(text: string): Requirement[] {
  const reqs: Requirement[] = []
  if (text.trim() === '') return reqs
  for (const raw of splitTopLevel(text)) {
    const part = raw.trim()
    const notExists = part.match(/^!\s*(\S+)$/)
    const set = part.match(/^(\S+?)\s+(in|notin)\s*\(([^)]*)\)$/)
    const eq = part.match(/^([^=!\s]+)\s*(==|=|!=)\s*([^=!\s]*)$/)
    const exists = part.match(/^([^=!\s()]+)$/)
    if (notExists) reqs.push({ key: notExists[1], op: 'notexists' })
    else if (set)
      reqs.push({
        key: set[1],
        op: set[2] as 'in' | 'notin',
        values: set[3]
          .split(',')
          .map((v) => v.trim())
          .filter((v) => v !== ''),
      })
    else if (eq) reqs.push({ key: eq[1], op: eq[2] === '!=' ? 'neq' : 'eq', value: eq[3] })
    else if (exists) reqs.push({ key: exists[1], op: 'exists' })
    else
      throw new SelectorError(
        `unable to parse requirement: found '${part}', expected: '=', '!=', '==', 'in', notin'`,
      )
    const key = reqs[reqs.length - 1].key
    if (!KEY.test(key))
      throw new SelectorError(
        `unable to parse requirement: values[0][${key}]: Invalid value: "${key}": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
      )
  }
  return reqs
}

export function matchesLabels(reqs: Requirement[], labels: Record<string, string> | undefined): boolean {
  const l = labels ?? {}
  for (const r of reqs) {
    const has = Object.hasOwn(l, r.key)
    switch (r.op) {
      case 'exists':
        if (!has) return false
        break
      case 'notexists':
        if (has) return false
        break
      case 'eq':
        if (!has || l[r.key] !== r.value) return false
        break
      case 'neq':
        if (has && l[r.key] === r.value) return false
        break
      case 'in':
        if (!has || !r.values.includes(l[r.key])) return false
        break
      case 'notin':
        if (has && r.values.includes(l[r.key])) return false
        break
    }
  }
  return true
}

export interface FieldRequirement {
  field: string
  op: 'eq' | 'neq'
  value: string
}

const FIELD_PATHS: Record<string, (o: KubeObject) => string> = {
  'metadata.name': (o) => o.metadata.name,
  'metadata.namespace': (o) => o.metadata.namespace ?? '',
  'status.phase': (o) => o.status?.phase ?? '',
  'spec.nodeName': (o) => o.spec?.nodeName ?? '',
  'spec.restartPolicy': (o) => o.spec?.restartPolicy ?? '',
  'spec.schedulerName': (o) => o.spec?.schedulerName ?? '',
  'spec.serviceAccountName': (o) => o.spec?.serviceAccountName ?? '',
  'status.podIP': (o) => o.status?.podIP ?? '',
  'spec.unschedulable': (o) => String(o.spec?.unschedulable ?? false),
  'involvedObject.name': (o) => (o as any).involvedObject?.name ?? '',
  'involvedObject.kind': (o) => (o as any).involvedObject?.kind ?? '',
  'involvedObject.namespace': (o) => (o as any).involvedObject?.namespace ?? '',
  type: (o) => String((o as any).type ?? ''),
  reason: (o) => String((o as any).reason ?? ''),
}

export function parseFieldSelector(text: string): FieldRequirement[] {
  const out: FieldRequirement[] = []
  if (text.trim() === '') return out
  for (const raw of text.split(',')) {
    const m = raw.trim().match(/^([^=!]+)(==|=|!=)(.*)$/)
    if (!m) throw new SelectorError(`invalid selector: '${text}'; can't understand '${raw}'`)
    out.push({ field: m[1], op: m[2] === '!=' ? 'neq' : 'eq', value: m[3] })
  }
  return out
}

/** Error text the apiserver gives for a field it cannot select on. */
export function unsupportedField(reqs: FieldRequirement[], kind: string): string | undefined {
  for (const r of reqs) {
    if (!FIELD_PATHS[r.field])
      return `"${r.field}" is not a known field selector: only "metadata.name", "metadata.namespace"`
  }
  void kind
  return undefined
}

export function matchesFields(reqs: FieldRequirement[], o: KubeObject): boolean {
  for (const r of reqs) {
    const get = FIELD_PATHS[r.field]
    const v = get ? get(o) : ''
    if (r.op === 'eq' ? v !== r.value : v === r.value) return false
  }
  return true
}
