import { stringify } from 'yaml'

// `-o yaml` and `-o json` as kubectl writes them: keys sorted (objects pass
// through Go maps), JSON indented by 4 with Go's HTML-safe escapes, YAML in
// go-yaml's block style with sequences not indented under their key.

export function sortDeep(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortDeep)
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {}
    for (const k of Object.keys(v as object).sort()) {
      const val = (v as any)[k]
      if (val !== undefined) out[k] = sortDeep(val)
    }
    return out
  }
  return v
}

function goString(s: string): string {
  return JSON.stringify(s)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029')
}

function json(v: unknown, indent: string, sorted: boolean): string {
  if (v === null || v === undefined) return 'null'
  if (typeof v === 'string') return goString(v)
  if (typeof v !== 'object') return JSON.stringify(v)
  const inner = `${indent}    `
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]'
    return `[\n${v.map((x) => inner + json(x, inner, sorted)).join(',\n')}\n${indent}]`
  }
  const keys = Object.keys(v as object).filter((k) => (v as any)[k] !== undefined)
  if (sorted) keys.sort()
  if (keys.length === 0) return '{}'
  return `{\n${keys.map((k) => `${inner}${goString(k)}: ${json((v as any)[k], inner, sorted)}`).join(',\n')}\n${indent}}`
}

export function toJson(v: unknown): string {
  return `${json(v, '', true)}\n`
}

/** JSON with the keys in the order given (see goorder.ts for Go's struct order). */
export function toOrderedJson(v: unknown): string {
  return `${json(v, '', false)}\n`
}

export function toYaml(v: unknown): string {
  return stringify(sortDeep(v), {
    indentSeq: false,
    lineWidth: 0,
    schema: 'yaml-1.1',
    aliasDuplicateObjects: false,
  })
}
