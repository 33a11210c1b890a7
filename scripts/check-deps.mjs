#!/usr/bin/env node
// `npm run check:deps`: the import rules between ckalab's folders.
// 1. The rules of .dependency-cruiser.cjs (what each folder of simulator/src may import; among them:
//    simulator/src/sim has no Node built-ins and no Node-only packages, as it runs in a browser Web Worker).
// 2. No import cycle between folders: imports are collapsed to the folders below simulator/src and
//    web/src, and any strongly connected group of two or more folders is a failure.
// Exits 1 with every problem named (file → file), 0 when all hold.
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { cruise } from 'dependency-cruiser'
import extractDepcruiseOptions from 'dependency-cruiser/config-utl/extract-depcruise-options'
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
process.chdir(root)

/** The folder a module counts for, or undefined for modules outside the checked trees (packages, built-ins). */
export function folderOf(path) {
  const m = /^(simulator\/src|web\/src)\/([^/]+)(\/)?/.exec(path)
  if (!m) return undefined
  // A file directly in simulator/src (seam.ts) is its own unit.
  return m[3] ? `${m[1]}/${m[2]}/` : `${m[1]}/${m[2]}`
}

/** Groups of folders that import each other in a ring (Tarjan's strongly connected components). */
export function folderCycles(edges) {
  const graph = new Map()
  for (const [a, b] of edges) {
    if (!graph.has(a)) graph.set(a, new Set())
    if (!graph.has(b)) graph.set(b, new Set())
    graph.get(a).add(b)
  }
  let next = 0
  const index = new Map()
  const low = new Map()
  const stack = []
  const onStack = new Set()
  const groups = []
  const visit = (v) => {
    index.set(v, next)
    low.set(v, next)
    next++
    stack.push(v)
    onStack.add(v)
    for (const w of graph.get(v)) {
      if (!index.has(w)) {
        visit(w)
        low.set(v, Math.min(low.get(v), low.get(w)))
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v), index.get(w)))
    }
    if (low.get(v) === index.get(v)) {
      const group = []
      let w
      do {
        w = stack.pop()
        onStack.delete(w)
        group.push(w)
      } while (w !== v)
      if (group.length > 1) groups.push(group.sort())
    }
  }
  for (const v of [...graph.keys()].sort()) if (!index.has(v)) visit(v)
  return groups
}

async function main() {
  const options = await extractDepcruiseOptions('./.dependency-cruiser.cjs')
  const tsConfig = extractTSConfig('tsconfig.json')
  const { output } = await cruise(['simulator/src', 'web/src'], options, undefined, { tsConfig })
  const problems = []
  for (const v of output.summary.violations) {
    const rule = options.ruleSet.forbidden.find((r) => r.name === v.rule.name)
    problems.push(`${v.rule.name}: ${v.from} → ${v.to}\n  ${rule?.comment ?? ''}`)
  }
  // Which file imports make each folder edge, to name them when a ring is found.
  const why = new Map()
  for (const m of output.modules) {
    const a = folderOf(m.source)
    if (!a) continue
    for (const d of m.dependencies) {
      const b = folderOf(d.resolved)
      if (!b || a === b) continue
      const key = `${a} → ${b}`
      if (!why.has(key)) why.set(key, `${m.source} → ${d.resolved}`)
    }
  }
  const edges = [...why.keys()].map((k) => k.split(' → '))
  for (const group of folderCycles(edges)) {
    const inside = [...why.entries()].filter(([k]) => k.split(' → ').every((f) => group.includes(f)))
    problems.push(
      `import cycle between folders ${group.join(', ')}:\n${inside.map(([k, f]) => `  ${k} (e.g. ${f})`).join('\n')}\n  ` +
        'move the shared part down into a folder both may import, or pass it in from the caller',
    )
  }
  const checked = output.summary.totalCruised
  if (problems.length) {
    process.stderr.write(
      `check:deps: ${problems.length} problem(s) in ${checked} modules\n\n${problems.join('\n\n')}\n`,
    )
    process.exit(1)
  }
  process.stdout.write(
    `check:deps: ${checked} modules, ${why.size} folder imports: every rule holds and no folders import each other in a ring\n`,
  )
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main()
