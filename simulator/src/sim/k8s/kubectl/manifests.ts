import { parseAllDocuments } from 'yaml'
import type { KubeObject } from '../api'
import type { Kube } from './context'
import { UsageError } from './context'
import { goYamlFailure } from './goyaml'

// Reading `-f FILE|DIR|-` the way kubectl does: multi-document YAML or JSON,
// List kinds flattened, and the exact error lines for missing files, bad
// YAML and objects without apiVersion/kind.

export interface SourcedObject {
  obj: KubeObject
  source: string
}

function parseText(text: string, source: string): KubeObject[] {
  const trimmed = text.trim()
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      const v = JSON.parse(trimmed)
      return flatten(Array.isArray(v) ? v : [v])
    } catch (err) {
      throw new UsageError(`error parsing ${source}: ${(err as Error).message}`)
    }
  }
  const docs = parseAllDocuments(text, { uniqueKeys: true, prettyErrors: false })
  const out: unknown[] = []
  for (const doc of Array.isArray(docs) ? docs : [docs]) {
    const e = doc.errors[0]
    if (e) {
      const g = goYamlFailure(text, e)
      throw new UsageError(
        `error parsing ${source}: error converting YAML to JSON: yaml: line ${g.line}: ${g.message}`,
      )
    }
    const v = doc.toJS()
    if (v === null || v === undefined) continue
    out.push(v)
  }
  return flatten(out)
}

function flatten(values: unknown[]): KubeObject[] {
  const out: KubeObject[] = []
  for (const v of values) {
    if (
      v &&
      typeof v === 'object' &&
      !Array.isArray(v) &&
      /List$/.test(String((v as any).kind)) &&
      Array.isArray((v as any).items)
    )
      out.push(...flatten((v as any).items))
    else out.push(v as KubeObject)
  }
  return out
}

export async function readManifests(k: Kube, files: string[]): Promise<SourcedObject[]> {
  const result: SourcedObject[] = []
  for (const f of files) {
    if (f === '-') {
      for (const obj of parseText(k.ctx.stdin, 'STDIN')) result.push({ obj, source: 'STDIN' })
      continue
    }
    if (/^https?:\/\//.test(f))
      throw new UsageError(`unable to read URL "${f}", server reported 404 Not Found, status code=404`)
    const path = k.ctx.fs.resolvePath(k.ctx.cwd, f)
    let st: Awaited<ReturnType<typeof k.ctx.fs.stat>>
    try {
      st = await k.ctx.fs.stat(path)
    } catch {
      throw new UsageError(`the path "${f}" does not exist`)
    }
    const paths: Array<[string, string]> = []
    if (st.isDirectory) {
      for (const name of (await k.ctx.fs.readdir(path)).sort()) {
        if (/\.(ya?ml|json)$/.test(name)) paths.push([`${path}/${name}`, `${f.replace(/\/$/, '')}/${name}`])
      }
    } else paths.push([path, f])
    for (const [p, display] of paths) {
      const text = await k.ctx.fs.readFile(p)
      for (const obj of parseText(text, display)) result.push({ obj, source: display })
    }
  }
  return result
}

/** kubectl's client-side check before sending an object. */
export function validateObject(o: SourcedObject): void {
  const obj = o.obj as any
  const hint = 'if you choose to ignore these errors, turn validation off with --validate=false'
  if (!obj || typeof obj !== 'object' || Array.isArray(obj))
    throw new UsageError(
      `error validating "${o.source}": error validating data: invalid object to validate; ${hint}`,
    )
  const missing: string[] = []
  if (!obj.apiVersion) missing.push('apiVersion not set')
  if (!obj.kind) missing.push('kind not set')
  if (missing.length)
    throw new UsageError(
      `error validating "${o.source}": error validating data: [${missing.join(', ')}]; ${hint}`.replace(
        /\[([^,\]]+)\]/,
        '$1',
      ),
    )
  if (!obj.metadata?.name && !obj.metadata?.generateName)
    throw new UsageError(
      `error when retrieving current configuration of:\nResource: "${String(obj.kind).toLowerCase()}s", GroupVersionKind: "${obj.apiVersion}, Kind=${obj.kind}"\nName: "", Namespace: ""\nfrom server for: "${o.source}": resource name may not be empty`,
    )
}
