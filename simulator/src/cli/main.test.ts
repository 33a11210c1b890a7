import { afterEach, describe, expect, it, vi } from 'vitest'
import { main } from './main'

// `--help` on every ckalab subcommand prints its usage on stdout and exits 0.

afterEach(() => {
  vi.restoreAllMocks()
})

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = ''
  let err = ''
  vi.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
    out += String(s)
    return true
  })
  vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => {
    err += String(s)
    return true
  })
  const code = await main(argv)
  vi.restoreAllMocks()
  return { code, out, err }
}

describe('ckalab --help', () => {
  it.each([['try'], ['grade'], ['labs', 'lint'], ['labs'], ['serve'], ['start'], ['shell'], ['doctor']])(
    '%s answers --help and -h with its usage and exit 0',
    async (...sub) => {
      for (const flag of ['--help', '-h']) {
        const r = await run([...sub, flag])
        expect({ code: r.code, err: r.err }).toEqual({ code: 0, err: '' })
        expect(r.out.toLowerCase()).toMatch(new RegExp(`^usage: ckalab ${sub.join(' ')}`))
      }
    },
  )

  it('an argument after -- is not taken for help', async () => {
    const r = await run(['try', 'etcd-inspect', '--', '--help'])
    expect(r.code).toBe(3)
    expect(r.err).toContain('usage: ckalab try')
  })
})
