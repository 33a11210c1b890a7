import { describe, expect, it } from 'vitest'
import { profileFromVersionText } from './driver'
import { runKind, tailLines } from './kind-cli'

describe('kind CLI runner', () => {
  it('keeps the last lines, with spinner redraws resolved and colours removed', () => {
    const out = 'a\n ⠈ Starting\r ✓ Starting control-plane 🕹️\n\n\x1b[31mERROR: failed\x1b[0m\n'
    expect(tailLines(out, 2)).toEqual([' ✓ Starting control-plane 🕹️', 'ERROR: failed'])
  })

  it('reports a missing binary as a failed run, not an exception', async () => {
    const r = await runKind('/nonexistent/kind', ['version'])
    expect(r.code).not.toBe(0)
    expect(r.output).toMatch(/ENOENT/)
  })

  it('stops kind when the creation is aborted', async () => {
    const ac = new AbortController()
    const t = Date.now()
    // like kind (a Go program), node exits on SIGINT
    const pending = runKind(
      process.execPath,
      ['-e', 'process.stderr.write("started\\n"); setTimeout(() => {}, 30000)'],
      {
        signal: ac.signal,
        onOutput: () => ac.abort(),
      },
    )
    const r = await pending
    expect(r.aborted).toBe(true)
    expect(r.signal).toBe('SIGINT')
    expect(Date.now() - t).toBeLessThan(5000)
  })

  it('reads the profile from a node image tag', () => {
    expect(profileFromVersionText('kindest/node:v1.31.0@sha256:abc')).toBe('1.31')
    expect(profileFromVersionText('ckalab/node:v1.20.2-tools-0123456789')).toBe('1.20')
    expect(profileFromVersionText('kindest/node:v1.29.2')).toBeUndefined()
    expect(profileFromVersionText('busybox')).toBeUndefined()
  })
})
