import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { commandLine, exitCodeOf, MAX_STDIN_BYTES } from './exec'

describe('exec over the API server', () => {
  it('exit codes from the final Status', () => {
    expect(exitCodeOf({ status: 'Success' })).toEqual({ code: 0 })
    expect(
      exitCodeOf({
        status: 'Failure',
        reason: 'NonZeroExitCode',
        message:
          'command terminated with non-zero exit code: error executing command [bash -c exit 7], exit code 7',
        details: { causes: [{ reason: 'ExitCode', message: '7' }] },
      }),
    ).toEqual({ code: 7 })
    expect(exitCodeOf({ status: 'Failure', message: 'container not found ("node")' })).toEqual({
      code: -1,
      message: 'container not found ("node")',
    })
    expect(exitCodeOf(undefined).code).toBe(-1)
  })

  // the wrapper runs here as it runs in the pod: same bash, coreutils and base64
  it('the command line carries cwd, env and stdin and keeps the exit code', () => {
    const argv = commandLine('cat; pwd; echo "$GREETING"; exit 5', {
      cwd: '/tmp',
      env: { GREETING: 'hi there' },
      stdin: 'line one\nzwei – drei\n',
      timeoutMs: 10_000,
    })
    expect(argv.slice(0, 4)).toEqual(['timeout', '-k', '3', '10.0s'])
    const r = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8' })
    expect(r.stdout).toBe('line one\nzwei – drei\n/tmp\nhi there\n')
    expect(r.status).toBe(5)
  })

  it('without input, a command reading stdin sees end of file at once', () => {
    const argv = commandLine('cat; echo done')
    const r = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8', input: 'ignored' })
    expect(r.stdout).toBe('done\n')
  })

  it('refuses input too large for a request line', () => {
    expect(() => commandLine('cat', { stdin: 'x'.repeat(MAX_STDIN_BYTES + 1) })).toThrow(
      /more than a command in a lab pod takes/,
    )
  })
})
