import { execFile } from 'node:child_process'
import { rmSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
// @ts-expect-error a plain JavaScript build script without type declarations
import { buildServer } from '../../scripts/build-server.mjs'

// The compiled production build (`npm start`) runs without tsx: the command,
// the lab loader (labs' checks.ts compiled at load) and the web server.

const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)))
const OUT = join(ROOT, 'simulator/dist', `test-build-${process.pid}`)

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((res) => {
    // No --import tsx: plain Node must be able to run it.
    execFile(
      process.execPath,
      [join(OUT, 'main.js'), ...args],
      { cwd: '/', timeout: 60_000 },
      (err, stdout, stderr) =>
        res({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    )
  })
}

afterAll(() => rmSync(OUT, { recursive: true, force: true }))

describe('compiled build', () => {
  it('builds, and the compiled ckalab runs on plain Node: version, help, and the shipped labs (checks compiled at load)', async () => {
    await buildServer(OUT)
    const version = await run(['--version'])
    expect(version).toMatchObject({ code: 0, stdout: expect.stringMatching(/^\d+\.\d+\.\d+/) })
    const lint = await run(['labs', 'lint'])
    expect(lint.stderr).toBe('')
    expect(lint.stdout).toMatch(/^5 lab\(s\) valid: /)
    const help = await run(['try', '--help'])
    expect(help.stdout).toMatch(/^usage: ckalab try/)
  })
})
