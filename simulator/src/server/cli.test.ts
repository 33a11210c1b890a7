import { describe, expect, it } from 'vitest'
import { createLabCatalog } from './catalog'
import { onKubernetes, parseServeArgs, startLine } from './cli'
import type { LabCatalog } from './ports'
import { FakeCatalog } from './testing/fakes'

describe('ckalab serve options', () => {
  it('defaults to loopback, port 4173 and the auto driver', () => {
    const o = parseServeArgs([])
    expect(o).toMatchObject({
      host: '127.0.0.1',
      port: 4173,
      driver: 'auto',
      allowOrigin: [],
      logLevel: 'warn',
      logFormat: 'text',
    })
    expect(o.dataDir).toMatch(/ckalab/)
  })

  it('parses every option', () => {
    const o = parseServeArgs([
      '--port',
      '0',
      '--host',
      '0.0.0.0',
      '--driver',
      'sim',
      '--data-dir',
      '/tmp/x',
      '--allow-origin',
      'http://localhost:5173',
      '--allow-origin',
      'http://a:1',
    ])
    expect(o).toMatchObject({ port: 0, host: '0.0.0.0', driver: 'sim', dataDir: '/tmp/x' })
    expect(o.allowOrigin).toEqual(['http://localhost:5173', 'http://a:1'])
  })

  it('keeps structured logs behind --log-format json', () => {
    expect(parseServeArgs(['--log-format', 'json'])).toMatchObject({ logFormat: 'json', logLevel: 'info' })
    expect(parseServeArgs(['--log-level', 'debug']).logLevel).toBe('debug')
    expect(() => parseServeArgs(['--log-format', 'xml'])).toThrow()
  })

  it('starts with one calm line naming the URL and the driver', () => {
    const sim = startLine('http://127.0.0.1:4173', 'sim', 'auto')
    expect(sim).toMatch(
      /^ckalab is running: open http:\/\/localhost:4173 — labs run on the built-in simulated cluster/,
    )
    expect(sim.trimEnd().split('\n')).toHaveLength(1)
    expect(sim).not.toMatch(/error|fix:|not usable/i)
    expect(startLine('http://127.0.0.1:4173', 'kind', 'auto')).toContain('real kind clusters')
  })

  it('refuses a bad port or driver', () => {
    expect(() => parseServeArgs(['--port', 'http'])).toThrow()
    expect(() => parseServeArgs(['--driver', 'docker'])).toThrow()
  })

  it('takes one Kubernetes version for every lab, and refuses an unknown one', () => {
    expect(parseServeArgs(['--kubernetes', '1.20']).kubernetes).toBe('1.20')
    expect(parseServeArgs([]).kubernetes).toBeUndefined()
    expect(() => parseServeArgs(['--kubernetes', '1.29'])).toThrow()
  })
})

describe('the catalogue on one Kubernetes version', () => {
  it("changes the lab's cluster version and nothing else", async () => {
    const labs: LabCatalog = new FakeCatalog()
    const id = (await labs.list()).labs[0]!.id
    const own = (await labs.get(id))!
    const moved = (await onKubernetes(labs, '1.20').get(id))!
    expect(moved.cluster).toEqual({ ...own.cluster, kubernetes: '1.20' })
    expect({ ...moved, cluster: own.cluster }).toEqual(own)
    expect(await onKubernetes(labs, '1.20').get('no-such-lab')).toBeUndefined()
    expect(await onKubernetes(labs, '1.20').solution(id)).toBe(await labs.solution(id, '1.20'))
  })

  it('shows the reference solution of that version (etcd 3.4 has no etcdutl)', async () => {
    const labs = await createLabCatalog()
    expect(await labs.solution('etcd-backup-restore')).toContain('etcdutl snapshot restore')
    const script = (await onKubernetes(labs, '1.20').solution('etcd-backup-restore')).split('```')[1]
    expect(script).toContain('etcdctl snapshot restore')
    expect(script).not.toContain('etcdutl')
  })
})
