// go-yaml's error texts (what kubectl prints for broken YAML) for the errors
// of the yaml library that parses manifests and kubeconfigs here.

/**
 * go-yaml's wording and line for the yaml library's first error. go-yaml
 * reports scanner errors on the 1-based line and parser errors on the line
 * before the problem; the offsets below reproduce what kubectl prints for
 * the mistakes learners make (over-indented key, dedent, tab, missing colon).
 */
function goYamlError(code: string, line: number): { line: number; message: string } {
  switch (code) {
    case 'TAB_AS_INDENT':
      return { line, message: 'found character that cannot start any token' }
    case 'BLOCK_AS_IMPLICIT_KEY':
      return { line: line + 1, message: 'mapping values are not allowed in this context' }
    case 'MULTILINE_IMPLICIT_KEY':
      return { line: line + 1, message: "could not find expected ':'" }
    case 'BAD_INDENT':
    case 'MISSING_CHAR':
      return { line: Math.max(1, line - 1), message: 'did not find expected key' }
    case 'DUPLICATE_KEY':
      return { line, message: 'did not find expected key' }
    default:
      return { line, message: 'did not find expected key' }
  }
}

/**
 * An unterminated flow sequence or map (`kind: [`): go-yaml names the line of
 * the opening bracket and says whether anything followed it.
 */
function unclosedFlow(text: string, upTo: number): { line: number; message: string } | undefined {
  const open: number[] = []
  let quote = ''
  for (let i = 0; i < Math.min(upTo, text.length); i++) {
    const c = text[i]
    if (quote) {
      if (c === quote) quote = ''
    } else if (c === '"' || c === "'") quote = c
    else if (c === '[' || c === '{') open.push(i)
    else if ((c === ']' || c === '}') && open.length) open.pop()
  }
  const at = open.pop()
  if (at === undefined) return undefined
  const close = text[at] === '[' ? ']' : '}'
  const line = text.slice(0, at).split('\n').length
  const after = text.slice(at + 1).trim()
  return {
    line,
    message: after ? `did not find expected ',' or '${close}'` : 'did not find expected node content',
  }
}

/** go-yaml's `line N: message` for the yaml library's first error in `text`. */
export function goYamlFailure(
  text: string,
  e: { code: string; pos: [number, number]; message: string },
): {
  line: number
  message: string
} {
  if (/^Flow (sequence|map)/.test(e.message)) {
    const flow = unclosedFlow(text, e.pos[0])
    if (flow) return flow
  }
  return goYamlError(e.code, text.slice(0, e.pos[0]).split('\n').length)
}
