import { spawnSync } from 'node:child_process'
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
// @ts-expect-error: a plain .mjs script without type declarations
import { folderCycles, folderOf } from './check-deps.mjs'

describe('check:deps', () => {
  it('counts a module for the folder right below simulator/src or web/src', () => {
    expect(folderOf('simulator/src/sim/etcd/etcdctl.ts')).toBe('simulator/src/sim/')
    expect(folderOf('simulator/src/seam.ts')).toBe('simulator/src/seam.ts')
    expect(folderOf('web/src/backend/browser/index.ts')).toBe('web/src/backend/')
    expect(folderOf('node_modules/ws/index.js')).toBeUndefined()
  })

  it('finds folders that import each other in a ring, and only those', () => {
    expect(
      folderCycles([
        ['a', 'b'],
        ['b', 'c'],
        ['c', 'd'],
      ]),
    ).toEqual([])
    expect(
      folderCycles([
        ['a', 'b'],
        ['b', 'c'],
        ['c', 'a'],
        ['c', 'd'],
        ['d', 'e'],
        ['e', 'd'],
      ]),
    ).toEqual([
      ['d', 'e'],
      ['a', 'b', 'c'],
    ])
  })
})

describe('simulator/src/sim stays browser-safe', () => {
  // The repository's own biome.json, applied to a new file at a path in a scratch copy of the layout
  // (so the source tree is never written to).
  const biome = resolve('node_modules/.bin/biome')
  function lint(path: string, text: string) {
    const dir = mkdtempSync(join(tmpdir(), 'ckalab-lint-'))
    try {
      copyFileSync('biome.json', join(dir, 'biome.json'))
      mkdirSync(dirname(join(dir, path)), { recursive: true })
      writeFileSync(join(dir, path), text)
      const r = spawnSync(biome, ['lint', path], { cwd: dir, encoding: 'utf8' })
      return { status: r.status, out: r.stdout + r.stderr }
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }

  it('the lint refuses a Node built-in or a Node-only package in sim/, and allows them in server/', () => {
    const nodeFs = "import { readFileSync } from 'node:fs'\nexport const x = readFileSync\n"
    const sqlite = "import Database from 'better-sqlite3'\nexport const x = Database\n"
    const inSim = lint('simulator/src/sim/etcd/new-module.ts', nodeFs)
    expect(inSim.status, inSim.out).not.toBe(0)
    expect(inSim.out).toContain('noNodejsModules')
    const pkg = lint('simulator/src/sim/new-module.ts', sqlite)
    expect(pkg.status, pkg.out).not.toBe(0)
    expect(pkg.out).toContain('noRestrictedImports')
    expect(lint('simulator/src/server/new-module.ts', nodeFs).status).toBe(0)
  })

  it('the lint refuses an import of the server, drivers, grader or CLI from sim/', () => {
    const r = lint(
      'simulator/src/sim/new-module.ts',
      "import { Store } from '../server/store'\nexport const x = Store\n",
    )
    expect(r.status, r.out).not.toBe(0)
    expect(r.out).toContain('noRestrictedImports')
  })
})
