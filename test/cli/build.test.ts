import { execFile, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
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

  it('the compiled server runs a lab environment in its worker thread (npm start): create, ready, grade', async () => {
    await buildServer(OUT)
    const dataDir = mkdtempSync(join(tmpdir(), 'ckalab-build-'))
    const child = spawn(
      process.execPath,
      [join(OUT, 'main.js'), 'serve', '--port', '0', '--data-dir', dataDir],
      {
        cwd: '/',
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    try {
      let out = ''
      const url = await new Promise<string>((res, rej) => {
        const timer = setTimeout(() => rej(new Error(`no URL printed: ${out}`)), 30_000)
        const seen = (d: Buffer) => {
          out += d.toString()
          const m = /http:\/\/[^\s]+:\d+/.exec(out)
          if (m) {
            clearTimeout(timer)
            res(m[0])
          }
        }
        child.stdout.on('data', seen)
        child.stderr.on('data', seen)
      })
      const origin = new URL(url).origin
      const post = (path: string, body?: unknown) =>
        fetch(`${origin}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin },
          body: body === undefined ? undefined : JSON.stringify(body),
        })
      const created = await post('/api/attempts', { lab: 'etcd-client-setup', mode: 'practice' })
      expect(created.status).toBe(201)
      const { token } = (await created.json()) as { token: string }
      let view: { state: string; error?: string | null } = { state: 'creating' }
      for (let i = 0; i < 120 && view.state === 'creating'; i++) {
        await new Promise((r) => setTimeout(r, 500))
        view = (await (await fetch(`${origin}/api/attempts/${token}`)).json()) as typeof view
      }
      expect(view).toMatchObject({ state: 'ready' })
      const report = (await (await post(`/api/attempts/${token}/grade`)).json()) as {
        schema: string
        verdict: string
      }
      // untouched lab: graded, and not passed
      expect(report).toMatchObject({ schema: 'ckalab.report/v1', verdict: 'fail' })
    } finally {
      child.kill('SIGKILL')
      rmSync(dataDir, { recursive: true, force: true })
    }
  }, 120_000)
})
