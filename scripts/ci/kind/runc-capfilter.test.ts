import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'

// The runtime wrapper for kind's privileged nodes, with `echo` standing in for runc: what it rewrites in
// the OCI spec, what it leaves alone, and that runc gets the same arguments.

const WRAPPER = join(dirname(fileURLToPath(import.meta.url)), 'runc-capfilter')
const hasJq = spawnSync('jq', ['--version']).status === 0
const bounding = /^CapBnd:\s+([0-9a-f]+)$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? ''
// CAP_SYS_RESOURCE (24): the capability these machines lack; on others the test takes one that is missing
const missingCap = [24, 38, 39, 40].find((n) => !((BigInt(`0x${bounding}`) >> BigInt(n)) & 1n))
const NAMES: Record<number, string> = {
  24: 'SYS_RESOURCE',
  38: 'PERFMON',
  39: 'BPF',
  40: 'CHECKPOINT_RESTORE',
}

if (!hasJq && (process.env.CI === 'true' || process.env.CI === '1'))
  throw new Error('runc-capfilter needs jq: apt-get install jq (scripts/ci/kind-suite.sh installs it)')
// a machine whose bounding set has every capability never needs the wrapper: nothing to drop there
const run = hasJq && bounding && missingCap !== undefined ? describe : describe.skip

run('runc-capfilter', () => {
  const dirs: string[] = []
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
  })
  const missing = `CAP_${NAMES[missingCap!]}`

  function wrapper(args: string[]): string {
    const r = spawnSync(WRAPPER, args, {
      encoding: 'utf8',
      env: { ...process.env, KINDX_REAL_RUNC: '/bin/echo' },
    })
    expect(r.status, r.stderr).toBe(0)
    return r.stdout
  }

  function bundle(spec: unknown): string {
    const dir = mkdtempSync(join(tmpdir(), 'capfilter-'))
    dirs.push(dir)
    writeFileSync(join(dir, 'config.json'), JSON.stringify(spec))
    return dir
  }

  it('create: drops capabilities outside the bounding set from every set, keeps the rest, passes the arguments on', () => {
    const dir = bundle({
      ociVersion: '1.0.2',
      process: {
        args: ['/sbin/init'],
        capabilities: { bounding: ['CAP_CHOWN', missing], effective: [missing] },
      },
    })
    const args = ['--root', '/run/x', '--log-format', 'json', 'create', '--bundle', dir, 'node-1']
    expect(wrapper(args)).toBe(`${args.join(' ')}\n`)
    const spec = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'))
    expect(spec.process.capabilities).toEqual({ bounding: ['CAP_CHOWN'], effective: [] })
    expect(spec.process.args).toEqual(['/sbin/init'])
  })

  it('exec: filters the --process spec (docker exec --privileged)', () => {
    const dir = bundle({})
    const proc = join(dir, 'process.json')
    writeFileSync(
      proc,
      JSON.stringify({ args: ['kubeadm'], capabilities: { permitted: [missing, 'CAP_KILL'] } }),
    )
    wrapper(['exec', '--process', proc, '--detach', 'node-1'])
    expect(JSON.parse(readFileSync(proc, 'utf8')).capabilities).toEqual({ permitted: ['CAP_KILL'] })
  })

  it('leaves a spec that asks for nothing missing byte for byte as it was', () => {
    const text = '{ "process": { "capabilities": { "bounding": ["CAP_CHOWN"] } } }\n'
    const dir = bundle({})
    writeFileSync(join(dir, 'config.json'), text)
    wrapper(['run', '--bundle', dir, 'c'])
    expect(readFileSync(join(dir, 'config.json'), 'utf8')).toBe(text)
  })

  it('a global option whose value is "run" or "exec" is not read as the command', () => {
    const dir = bundle({ process: { capabilities: { bounding: [missing] } } })
    const before = readFileSync(join(dir, 'config.json'), 'utf8')
    wrapper(['--log', 'run', 'delete', '--bundle', dir, 'c'])
    expect(readFileSync(join(dir, 'config.json'), 'utf8')).toBe(before)
  })
})
