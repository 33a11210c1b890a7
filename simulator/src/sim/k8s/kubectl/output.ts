import type { KubeObject } from '../api'
import { UsageError } from './context'
import { executeJsonPath, JsonPathError, JsonPathParseError } from './jsonpath'
import { toJson, toYaml } from './render'
import { formatTable } from './tabwriter'

// `-o` formats that do not depend on the resource type: json, yaml, name,
// jsonpath, custom-columns. Table output lives in get.ts.

export type OutputFormat =
  | { kind: 'table'; wide: boolean }
  | { kind: 'json' | 'yaml' | 'name' }
  | { kind: 'jsonpath'; template: string }
  | { kind: 'custom-columns'; columns: Array<{ header: string; path: string }> }

const ALLOWED =
  'custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml'

export function parseOutput(value: string | undefined): OutputFormat {
  if (value === undefined || value === '') return { kind: 'table', wide: false }
  if (value === 'wide') return { kind: 'table', wide: true }
  if (value === 'json' || value === 'yaml' || value === 'name') return { kind: value }
  const eq = value.indexOf('=')
  const name = eq >= 0 ? value.slice(0, eq) : value
  const arg = eq >= 0 ? value.slice(eq + 1) : ''
  if (name === 'jsonpath' || name === 'jsonpath-as-json') {
    if (!arg) throw new UsageError('template format specified but no template given')
    return { kind: 'jsonpath', template: arg }
  }
  if (name === 'custom-columns') {
    if (!arg) throw new UsageError('custom-columns format specified but no custom columns given')
    const columns = arg.split(',').map((spec) => {
      const i = spec.indexOf(':')
      if (i < 0)
        throw new UsageError(`unexpected custom-columns spec: ${spec}, expected <header>:<json-path-expr>`)
      return { header: spec.slice(0, i), path: spec.slice(i + 1) }
    })
    return { kind: 'custom-columns', columns }
  }
  throw new UsageError(
    `unable to match a printer suitable for the output format "${value}", allowed formats are: ${ALLOWED}`,
  )
}

/** What -o json/yaml/jsonpath prints for several objects. */
export function listOf(items: KubeObject[], minor: number): KubeObject {
  const metadata: Record<string, unknown> = { resourceVersion: '' }
  if (minor < 21) metadata.selfLink = ''
  return { apiVersion: 'v1', items, kind: 'List', metadata } as unknown as KubeObject
}

/** kubectl's relaxed custom-column paths: `.metadata.name`, `metadata.name`, `{.metadata.name}`. */
function relaxed(path: string): string {
  let p = path.trim()
  if (p.startsWith('{') && p.endsWith('}')) p = p.slice(1, -1)
  if (!p.startsWith('.') && !p.startsWith('$')) p = `.${p}`
  return `{${p}}`
}

export function customColumns(
  objs: KubeObject[],
  columns: Array<{ header: string; path: string }>,
  noHeaders: boolean,
): string {
  const rows: string[][] = noHeaders ? [] : [columns.map((c) => c.header)]
  for (const o of objs) {
    rows.push(
      columns.map((c) => {
        let v: string
        try {
          v = executeJsonPath(relaxed(c.path), o)
        } catch (err) {
          if (err instanceof JsonPathError) throw new UsageError(err.message)
          throw err
        }
        return v === '' ? '<none>' : v
      }),
    )
  }
  return formatTable(rows)
}

export function jsonPath(template: string, data: unknown): string {
  try {
    return executeJsonPath(template, data)
  } catch (err) {
    if (err instanceof JsonPathParseError)
      throw new UsageError(`error parsing jsonpath ${template}, ${err.message}`)
    if (err instanceof JsonPathError)
      throw new UsageError(`error executing jsonpath "${template}": ${err.message}`)
    throw err
  }
}

export function serialize(kind: 'json' | 'yaml', obj: unknown): string {
  return kind === 'json' ? toJson(obj) : toYaml(obj)
}
