import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

// `ckalab` as a script or a person runs it: a real child process.

const ROOT = fileURLToPath(new URL('../..', import.meta.url))

function ckalab(
  args: string[],
  stdin = '',
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/ckalab.mjs', ...args], {
      cwd: ROOT,
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (d) => {
      stdout += d
    })
    child.stderr.on('data', (d) => {
      stderr += d
    })
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
    child.stdin.end(stdin)
  })
}

describe('ckalab CLI', () => {
  it('runs piped commands like bash -s: no prompt, stdout and stderr apart, last status', async () => {
    const r = await ckalab(
      ['shell'],
      [
        'cd /etc/kubernetes',
        'pwd',
        'export A=1',
        'echo "a=$A"',
        'nosuch',
        'for i in 1 2; do',
        '  echo "n$i"',
        'done',
        'false',
      ].join('\n'),
    )
    expect(r.stdout).toBe('/etc/kubernetes\na=1\nn1\nn2\n')
    expect(r.stderr).toBe('bash: line 5: nosuch: command not found\n')
    expect(r.code).toBe(1)
  }, 60_000)

  it('exits with the status given to exit and skips the rest', async () => {
    const r = await ckalab(['shell', '--kubernetes', '1.20'], 'echo one\nexit 7\necho two\n')
    expect(r.stdout).toBe('one\n')
    expect(r.code).toBe(7)
  }, 60_000)

  it('prints help and lists its commands', async () => {
    const r = await ckalab(['--help'])
    expect(r.code).toBe(0)
    for (const word of ['shell', 'doctor', 'start', 'serve']) expect(r.stdout).toContain(word)
  }, 60_000)

  it('reports the drivers with doctor; sim is always usable', async () => {
    const r = await ckalab(['doctor'])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/✓ sim\s+usable/)
    expect(r.stdout).toMatch(/[✓✗] kind /)
  }, 60_000)

  it('rejects unknown commands and flags with status 3', async () => {
    const a = await ckalab(['frobnicate'])
    expect(a.code).toBe(3)
    expect(a.stderr).toContain("unknown command 'frobnicate'")
    const b = await ckalab(['shell', '--nodes', '2'])
    expect(b.code).toBe(3)
    expect(b.stderr).toContain('Allowed choices are 1, 3')
    const c = await ckalab(['shell', '--bogus'])
    expect(c.code).toBe(3)
    expect(c.stderr).toContain("unknown option '--bogus'")
  }, 60_000)
})
