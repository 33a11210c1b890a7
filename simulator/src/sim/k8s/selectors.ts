import type { KubeObject } from './api'

// Label and field selectors, as `kubectl get -l` / `--field-selector` pass
// them to the apiserver. Returns an error text for a selector that does not parse.

type Req = { key: string; op: '=' | '!=' | 'in' | 'notin' | 'exists' | '!exists'; values: string[] }

function splitTop(text: string): string[] {
  const out: string[] = []
  let depth = 0
  let cur = ''
  for (const ch of text) {
    if (ch === '(') depth++
    if (ch === ')') depth--
    if (ch === ',' && depth === 0) {
      out.push(cur)
      cur = ''
    } else cur += ch
  }
  if (cur.trim()) out.push(cur)
  return out.map((s) => s.trim()).filter(Boolean)
}

export function parseLabelSelector(text: string): Req[] | string {
  const reqs: Req[] = []
  for (const part of splitTop(text)) {
    let m = /^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(part)
    if (m) {
      reqs.push({
        key: m[1] as string,
        op: m[2] as 'in' | 'notin',
        values: (m[3] as string).split(',').map((s) => s.trim()),
      })
      continue
    }
    m = /^([\w./-]+)\s*(==|=|!=)\s*([\w./-]*)$/.exec(part)
    if (m) {
      reqs.push({ key: m[1] as string, op: m[2] === '!=' ? '!=' : '=', values: [m[3] as string] })
      continue
    }
    m = /^(!?)([\w./-]+)$/.exec(part)
    if (m) {
      reqs.push({ key: m[2] as string, op: m[1] ? '!exists' : 'exists', values: [] })
      continue
    }
    return `unable to parse requirement: found '${part}', expected: in, notin, =, ==, !=, gt, lt`
  }
  return reqs
}

export function matchesLabels(labels: Record<string, string> | undefined, reqs: Req[]): boolean {
  const l = labels ?? {}
  return reqs.every((r) => {
    const has = Object.hasOwn(l, r.key)
    const v = l[r.key]
    switch (r.op) {
      case '=':
        return has && v === r.values[0]
      case '!=':
        return !has || v !== r.values[0]
      case 'in':
        return has && r.values.includes(v as string)
      case 'notin':
        return !has || !r.values.includes(v as string)
      case 'exists':
        return has
      case '!exists':
        return !has
    }
    return false
  })
}

function fieldValue(obj: KubeObject, path: string): string {
  let cur: unknown = obj
  for (const p of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return ''
    cur = (cur as Record<string, unknown>)[p]
  }
  return cur === undefined || cur === null ? '' : String(cur)
}

export function parseFieldSelector(
  text: string,
): Array<{ path: string; neg: boolean; value: string }> | string {
  const out: Array<{ path: string; neg: boolean; value: string }> = []
  for (const part of splitTop(text)) {
    const m = /^([\w.]+)\s*(==|=|!=)\s*(.*)$/.exec(part)
    if (!m) return `invalid selector: '${text}'; can't understand '${part}'`
    out.push({ path: m[1] as string, neg: m[2] === '!=', value: (m[3] as string).trim() })
  }
  return out
}

export function matchesFields(
  obj: KubeObject,
  reqs: Array<{ path: string; neg: boolean; value: string }>,
): boolean {
  return reqs.every((r) => (fieldValue(obj, r.path) === r.value) !== r.neg)
}
