// The JSONPath template language of `kubectl -o jsonpath=…` (client-go's
// util/jsonpath): text outside braces is literal; inside: paths (`.a.b`,
// `['x']`, `[0]`, `[1:3]`, `[*]`, `..name`, filters `[?(@.k=="v")]`),
// string literals (`{"\n"}`), `{range …}…{end}`, unions (`{.a,.b}`).

export class JsonPathError extends Error {}

type Seg =
  | { t: 'field'; name: string }
  | { t: 'wild' }
  | { t: 'recursive' }
  | { t: 'index'; start?: number; end?: number; slice: boolean }
  | { t: 'filter'; left: Seg[]; op?: string; right?: Operand }
  | { t: 'root' }

type Operand = { lit: unknown } | { path: Seg[] }

type Node =
  | { t: 'text'; text: string }
  | { t: 'expr'; paths: Array<Seg[] | { lit: string }> }
  | { t: 'range'; path: Seg[]; body: Node[] }

function unquote(s: string): string {
  if (s.startsWith('"')) {
    try {
      return JSON.parse(s)
    } catch {
      throw new JsonPathError(`invalid string literal ${s}`)
    }
  }
  return s.slice(1, -1)
}

/** Parse one path such as `.items[*].metadata.name` or `@.type`. */
function parsePath(src: string): Seg[] {
  const segs: Seg[] = []
  let i = 0
  const s = src.trim()
  if (s.startsWith('$')) i = 1
  else if (s.startsWith('@')) i = 1
  while (i < s.length) {
    const c = s[i]
    if (c === '.') {
      if (s[i + 1] === '.') {
        segs.push({ t: 'recursive' })
        i++ // the second dot starts the field that follows (`..image` → recursive, .image)
        continue
      }
      i++
      let j = i
      while (j < s.length && s[j] !== '.' && s[j] !== '[') j++
      const name = s.slice(i, j)
      if (name === '*') segs.push({ t: 'wild' })
      else if (name !== '') segs.push({ t: 'field', name })
      i = j
      continue
    }
    if (c === '[') {
      const close = findClose(s, i)
      const inner = s.slice(i + 1, close).trim()
      i = close + 1
      if (inner === '*') segs.push({ t: 'wild' })
      else if (inner.startsWith('?(')) segs.push(parseFilter(inner.slice(2, inner.lastIndexOf(')'))))
      else if (/^['"]/.test(inner)) segs.push({ t: 'field', name: unquote(inner) })
      else if (/^-?\d*(:-?\d*)?$/.test(inner)) {
        const [a, b] = inner.split(':')
        const slice = inner.includes(':')
        segs.push({
          t: 'index',
          start: a === '' ? undefined : Number(a),
          end: b === undefined || b === '' ? undefined : Number(b),
          slice,
        })
      } else throw new JsonPathError(`invalid array index ${inner}`)
      continue
    }
    if (/[A-Za-z_]/.test(c) && segs.length === 0) {
      // kubectl accepts a leading name without a dot in some places (`{items[*]}`)
      s.slice(i)
      let j = i
      while (j < s.length && s[j] !== '.' && s[j] !== '[') j++
      segs.push({ t: 'field', name: s.slice(i, j) })
      i = j
      continue
    }
    throw new JsonPathError(
      `unrecognized character in action: U+${c.codePointAt(0)?.toString(16).toUpperCase().padStart(4, '0')} '${c}'`,
    )
  }
  return segs
}

function findClose(s: string, open: number): number {
  let depth = 0
  let quote = ''
  for (let k = open; k < s.length; k++) {
    const ch = s[k]
    if (quote) {
      if (ch === quote) quote = ''
      continue
    }
    if (ch === '"' || ch === "'") quote = ch
    else if (ch === '[') depth++
    else if (ch === ']') {
      depth--
      if (depth === 0) return k
    }
  }
  throw new JsonPathError('unclosed array expect ]')
}

function parseOperand(text: string): Operand {
  const t = text.trim()
  if (/^['"]/.test(t)) return { lit: unquote(t) }
  if (/^-?\d+(\.\d+)?$/.test(t)) return { lit: Number(t) }
  if (t === 'true' || t === 'false') return { lit: t === 'true' }
  return { path: parsePath(t) }
}

function parseFilter(body: string): Seg {
  const m = body.match(/^(.*?)\s*(==|!=|<=|>=|<|>|=~)\s*(.*)$/)
  if (!m) return { t: 'filter', left: parsePath(body) }
  return { t: 'filter', left: parsePath(m[1]), op: m[2], right: parseOperand(m[3]) }
}

export function parseTemplate(tpl: string): Node[] {
  const root: Node[] = []
  const stack: Node[][] = [root]
  let i = 0
  while (i < tpl.length) {
    const open = tpl.indexOf('{', i)
    if (open < 0) {
      stack[stack.length - 1].push({ t: 'text', text: tpl.slice(i) })
      break
    }
    if (open > i) stack[stack.length - 1].push({ t: 'text', text: tpl.slice(i, open) })
    // find the matching close brace outside quotes
    let k = open + 1
    let quote = ''
    for (; k < tpl.length; k++) {
      const ch = tpl[k]
      if (quote) {
        if (ch === '\\') k++
        else if (ch === quote) quote = ''
        continue
      }
      if (ch === '"' || ch === "'") quote = ch
      else if (ch === '}') break
    }
    if (k >= tpl.length) throw new JsonPathError('unclosed action')
    const inner = tpl.slice(open + 1, k).trim()
    i = k + 1
    if (inner.startsWith('range ')) {
      const node: Node = { t: 'range', path: parsePath(inner.slice(6)), body: [] }
      stack[stack.length - 1].push(node)
      stack.push(node.body)
    } else if (inner === 'end') {
      if (stack.length === 1) throw new JsonPathError('not in range, nothing to end')
      stack.pop()
    } else if (inner === '') {
      // `{}` prints nothing
    } else {
      const parts = splitUnion(inner).map((p) =>
        /^['"]/.test(p.trim()) ? { lit: unquote(p.trim()) } : parsePath(p),
      )
      stack[stack.length - 1].push({ t: 'expr', paths: parts })
    }
  }
  if (stack.length > 1) throw new JsonPathError('unclosed range')
  return root
}

function splitUnion(s: string): string[] {
  const out: string[] = []
  let depth = 0
  let quote = ''
  let cur = ''
  for (let k = 0; k < s.length; k++) {
    const ch = s[k]
    if (quote) {
      cur += ch
      if (ch === '\\') cur += s[++k] ?? ''
      else if (ch === quote) quote = ''
      continue
    }
    if (ch === '"' || ch === "'") quote = ch
    if (ch === '[' || ch === '(') depth++
    if (ch === ']' || ch === ')') depth--
    if (ch === ',' && depth === 0) {
      out.push(cur)
      cur = ''
      continue
    }
    cur += ch
  }
  out.push(cur)
  return out
}

function children(v: unknown): unknown[] {
  if (Array.isArray(v)) return v
  if (v && typeof v === 'object') return Object.values(v as object)
  return []
}

function recurse(v: unknown, out: unknown[]): void {
  out.push(v)
  for (const c of children(v)) recurse(c, out)
}

function evalPath(segs: Seg[], start: unknown[], root: unknown): unknown[] {
  let cur = start
  for (let si = 0; si < segs.length; si++) {
    const seg = segs[si]
    const next: unknown[] = []
    for (const v of cur) {
      switch (seg.t) {
        case 'root':
          next.push(root)
          break
        case 'field':
          if (v && typeof v === 'object' && !Array.isArray(v) && Object.hasOwn(v, seg.name))
            next.push((v as any)[seg.name])
          break
        case 'wild':
          next.push(...children(v))
          break
        case 'recursive':
          recurse(v, next)
          break
        case 'index': {
          if (!Array.isArray(v)) break
          const n = v.length
          if (!seg.slice) {
            let idx = seg.start ?? 0
            if (idx < 0) idx += n
            if (idx < 0 || idx >= n)
              throw new JsonPathError(`array index out of bounds: index ${seg.start}, length ${n}`)
            next.push(v[idx])
          } else {
            let a = seg.start ?? 0
            let b = seg.end ?? n
            if (a < 0) a += n
            if (b < 0) b += n
            next.push(...v.slice(Math.max(0, a), Math.min(n, b)))
          }
          break
        }
        case 'filter': {
          for (const item of children(v)) if (filterMatch(seg, item, root)) next.push(item)
          break
        }
      }
    }
    cur = next
  }
  return cur
}

function filterMatch(seg: Extract<Seg, { t: 'filter' }>, item: unknown, root: unknown): boolean {
  const left = evalPath(seg.left, [item], root)
  if (!seg.op || !seg.right) return left.length > 0 && left[0] !== undefined
  if (left.length === 0) return false
  const right = 'lit' in seg.right ? [seg.right.lit] : evalPath(seg.right.path, [item], root)
  if (right.length === 0) return false
  const a = left[0] as any
  const b = right[0] as any
  switch (seg.op) {
    case '==':
      return a === b || String(a) === String(b)
    case '!=':
      return !(a === b || String(a) === String(b))
    case '<':
      return Number(a) < Number(b)
    case '>':
      return Number(a) > Number(b)
    case '<=':
      return Number(a) <= Number(b)
    case '>=':
      return Number(a) >= Number(b)
    case '=~':
      try {
        return new RegExp(String(b)).test(String(a))
      } catch {
        return false
      }
  }
  return false
}

/** Go's json.Marshal of decoded JSON: compact, map keys sorted. */
export function goJson(v: unknown): string {
  if (v === null || v === undefined) return 'null'
  if (Array.isArray(v)) return `[${v.map(goJson).join(',')}]`
  if (typeof v === 'object') {
    const keys = Object.keys(v as object).sort()
    return `{${keys.map((k) => `${JSON.stringify(k)}:${goJson((v as any)[k])}`).join(',')}}`
  }
  return JSON.stringify(v)
}

function toText(v: unknown): string {
  if (v === null || v === undefined) return v === null ? 'null' : ''
  if (typeof v === 'object') return goJson(v)
  return String(v)
}

function run(nodes: Node[], data: unknown, root: unknown): string {
  let out = ''
  for (const node of nodes) {
    if (node.t === 'text') out += node.text
    else if (node.t === 'expr') {
      const results: unknown[] = []
      for (const p of node.paths) {
        if ('lit' in p) results.push(p.lit)
        else results.push(...evalPath(p, [p[0]?.t === 'root' ? root : data], root))
      }
      out += results.map(toText).join(' ')
    } else {
      const items = evalPath(node.path, [data], root)
      // `{range .items[*]}` walks each match; a single array result is walked element by element.
      const list = items.length === 1 && Array.isArray(items[0]) ? (items[0] as unknown[]) : items
      for (const item of list) out += run(node.body, item, root)
    }
  }
  return out
}

/** Execute a template against the data (an object or a List). */
/** A template that does not parse (kubectl: `error parsing jsonpath TEMPLATE, MESSAGE`). */
export class JsonPathParseError extends JsonPathError {}

export function executeJsonPath(template: string, data: unknown): string {
  let parsed: ReturnType<typeof parseTemplate>
  try {
    parsed = parseTemplate(template)
  } catch (err) {
    if (err instanceof JsonPathError) throw new JsonPathParseError(err.message)
    throw err
  }
  return run(parsed, data, data)
}
