import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { basename, dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Plugin } from 'esbuild'
import * as kitEtcd from './kit/etcd'
import * as kitRestore from './kit/restore'

// Loading a lab's checks.ts: compiled with esbuild into one module, in every
// way ckalab runs (TypeScript through tsx, or the compiled production build,
// which has no TypeScript loader), wherever the lab folder lives. The lab's
// imports of the grader's kit (`../../simulator/src/grader/kit/etcd`, or
// `ckalab/kit/etcd`) are answered with the running ckalab's own kit, so a lab
// copied out of the repository still finds it and shares one instance.

const HOST_MODULES: Record<string, Record<string, unknown>> = {
  'kit/etcd': kitEtcd,
  'kit/restore': kitRestore,
  // Types only: nothing to bind at run time.
  types: {},
}

const HOST_KEY = Symbol.for('ckalab.labs.host-modules')
;(globalThis as Record<symbol, unknown>)[HOST_KEY] = HOST_MODULES

/** The host module an import in a checks file means, if it names one. */
export function hostModuleFor(specifier: string): string | undefined {
  const m =
    /(?:^|\/)simulator\/src\/(?:grader|labs)\/(kit\/[\w-]+|types)(?:\.ts)?$/.exec(specifier) ??
    /^ckalab\/(kit\/[\w-]+|types)$/.exec(specifier)
  return m && m[1] in HOST_MODULES ? m[1] : undefined
}

function hostPlugin(): Plugin {
  return {
    name: 'ckalab-host-modules',
    setup(build) {
      build.onResolve({ filter: /(simulator\/src\/|^ckalab(\/|$))/ }, (args) => {
        const name = hostModuleFor(args.path)
        if (!name) {
          return {
            errors: [
              {
                text: `${args.path}: a lab's checks may import only ${Object.keys(HOST_MODULES)
                  .map((k) => `ckalab/${k}`)
                  .join(', ')} from ckalab`,
              },
            ],
          }
        }
        return { path: name, namespace: 'ckalab-host' }
      })
      build.onLoad({ filter: /.*/, namespace: 'ckalab-host' }, (args) => {
        const names = Object.keys(HOST_MODULES[args.path] ?? {})
        const lines = [
          `const m = globalThis[Symbol.for('ckalab.labs.host-modules')][${JSON.stringify(args.path)}]`,
        ]
        for (const n of names) lines.push(`export const ${n} = m[${JSON.stringify(n)}]`)
        return { contents: lines.join('\n'), loader: 'js' }
      })
    },
  }
}

/** ckalab's own node_modules, above this file in the sources and in the compiled build alike. */
function ownNodeModules(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (;;) {
    if (existsSync(resolve(dir, 'node_modules'))) return resolve(dir, 'node_modules')
    const up = dirname(dir)
    if (up === dir) return resolve('node_modules')
    dir = up
  }
}

// Packages a check imports (yaml, …) come from ckalab's own node_modules.
const OWN_NODE_MODULES = ownNodeModules()

const compiled = new Map<string, { source: string; module: Promise<unknown> }>()

/** Compile and import a checks file; the same text is imported once per process. */
export async function importChecksModule(file: string): Promise<unknown> {
  const path = resolve(file)
  const source = await readFile(path, 'utf8')
  const cached = compiled.get(path)
  if (cached && cached.source === source) return cached.module
  const { build } = (await import('esbuild')) as typeof import('esbuild')
  let code: string
  try {
    const out = await build({
      entryPoints: [path],
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      logLevel: 'silent',
      nodePaths: [OWN_NODE_MODULES],
      plugins: [hostPlugin()],
    })
    code = out.outputFiles[0]?.text ?? ''
  } catch (err) {
    const errors = (err as { errors?: Array<{ text: string; location?: { line: number; file: string } }> })
      .errors
    if (!errors?.length) throw err
    const e = errors[0]
    const where = e.location ? `${basename(e.location.file)}:${e.location.line}: ` : ''
    throw new Error(`${where}${e.text}`)
  }
  const module = import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`)
  compiled.set(path, { source, module })
  module.catch(() => compiled.delete(path))
  return module
}
