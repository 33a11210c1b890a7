#!/usr/bin/env node
// Compiles the ckalab command (CLI, web server, simulator, grader) into
// simulator/dist/cli/ for `npm start`: plain JavaScript, so production runs
// without a TypeScript loader (less memory, faster start). Development keeps
// running the TypeScript sources through tsx (bin/ckalab.mjs).
//
// The output sits three folders below the repository, like the sources
// (simulator/src/<part>/), so paths the code finds from its own location
// (labs/, web/dist, package.json) are the same in both. Packages stay in
// node_modules (better-sqlite3 has a native part). No source maps unless
// CKALAB_SOURCEMAP=1.
import { rmSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
export const OUT_DIR = resolve(root, 'simulator/dist/cli')

/** Compile into `outDir`, which must be a folder two levels below simulator/ (see above). */
export async function buildServer(outDir = OUT_DIR) {
  rmSync(outDir, { recursive: true, force: true })
  await build({
    absWorkingDir: root,
    // The worker entry is its own file: each simulated environment runs it in a worker thread.
    entryPoints: { main: 'simulator/src/cli/entry.ts', 'worker-entry': 'simulator/src/host/worker-entry.ts' },
    outdir: outDir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    sourcemap: process.env.CKALAB_SOURCEMAP === '1',
    legalComments: 'none',
    logLevel: 'warning',
  })
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const t = performance.now()
  await buildServer()
  process.stderr.write(
    `ckalab: compiled the server into ${OUT_DIR} in ${Math.round(performance.now() - t)} ms\n`,
  )
}
