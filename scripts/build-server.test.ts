import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
// @ts-expect-error: a plain .mjs script without type declarations
import { buildInputs, sourceHash } from './build-server.mjs'

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'ckalab-build-hash-'))
  dirs.push(dir)
  for (const [f, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, f)), { recursive: true })
    writeFileSync(join(dir, f), text)
  }
  return dir
}

describe('the compiled build is remade when its sources change, and only then', () => {
  const files = {
    'simulator/src/cli/main.ts': 'export const a = 1\n',
    'simulator/src/sim/node.ts': 'export const b = 2\n',
    'simulator/src/sim/node.test.ts': 'test\n',
    'package-lock.json': '{}\n',
  }

  it('hashes the sources and the package lock, not the tests', () => {
    const dir = tree(files)
    expect(buildInputs(dir)).toEqual([
      'package-lock.json',
      'simulator/src/cli/main.ts',
      'simulator/src/sim/node.ts',
    ])
    const before = sourceHash(dir)
    writeFileSync(join(dir, 'simulator/src/sim/node.test.ts'), 'another test\n')
    expect(sourceHash(dir)).toBe(before)
  })

  it('a new mtime with the same content keeps the hash; an edit, a new file or a new lock changes it', () => {
    const dir = tree(files)
    const before = sourceHash(dir)
    utimesSync(join(dir, 'simulator/src/sim/node.ts'), new Date(), new Date(Date.now() + 60_000))
    expect(sourceHash(dir)).toBe(before)
    writeFileSync(join(dir, 'simulator/src/sim/node.ts'), 'export const b = 3\n')
    const edited = sourceHash(dir)
    expect(edited).not.toBe(before)
    writeFileSync(join(dir, 'simulator/src/sim/new.ts'), '')
    expect(sourceHash(dir)).not.toBe(edited)
    const added = sourceHash(dir)
    writeFileSync(join(dir, 'package-lock.json'), '{"lockfileVersion":3}\n')
    expect(sourceHash(dir)).not.toBe(added)
  })
})
