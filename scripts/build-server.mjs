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
//
// `--if-stale` (what `npm start` runs) compiles only when the build is missing
// or was made from other sources: a SHA-256 over the server's sources, the
// package lock and this script, kept beside the output. A checkout or a
// touched file with the same content does not rebuild; any edit does.
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
export const OUT_DIR = resolve(root, 'simulator/dist/cli')
const HASH_FILE = 'source-hash'

/** Every file the compiled build is made from, relative to `base`, sorted (tests are not part of it). */
export function buildInputs(base = root) {
  const files = []
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, e.name)
      if (e.isDirectory()) walk(path)
      else if (!/\.test\.tsx?$/.test(e.name)) files.push(relative(base, path))
    }
  }
  walk(join(base, 'simulator/src'))
  for (const f of ['package.json', 'package-lock.json', 'scripts/build-server.mjs'])
    if (existsSync(join(base, f))) files.push(f)
  return files.sort()
}

/** The SHA-256 (hex) of the build's inputs: their paths and contents. */
export function sourceHash(base = root) {
  const h = createHash('sha256')
  for (const f of buildInputs(base)) {
    h.update(`${f}\0`)
    h.update(readFileSync(join(base, f)))
    h.update('\0')
  }
  return h.digest('hex')
}

/** Compile unless `outDir` already holds a build of these very sources. Returns whether it compiled. */
export async function buildServerIfStale(outDir = OUT_DIR) {
  const hash = sourceHash()
  const stamp = join(outDir, HASH_FILE)
  if (existsSync(join(outDir, 'main.js')) && existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === hash)
    return false
  process.stderr.write('ckalab: compiling the server…\n')
  await buildServer(outDir, hash)
  return true
}

/** Compile into `outDir`, which must be a folder two levels below simulator/ (see above). */
export async function buildServer(outDir = OUT_DIR, hash = sourceHash()) {
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
  writeFileSync(join(outDir, HASH_FILE), `${hash}\n`)
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const t = performance.now()
  let built = true
  if (process.argv.includes('--if-stale')) built = await buildServerIfStale()
  else await buildServer()
  if (built)
    process.stderr.write(
      `ckalab: compiled the server into ${OUT_DIR} in ${Math.round(performance.now() - t)} ms\n`,
    )
}
