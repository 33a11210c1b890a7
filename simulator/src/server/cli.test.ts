import { describe, expect, it } from 'vitest'
import { parseServeArgs } from './cli'

describe('ckalab serve options', () => {
  it('defaults to loopback, port 4173 and the auto driver', () => {
    const o = parseServeArgs([])
    expect(o).toMatchObject({
      host: '127.0.0.1',
      port: 4173,
      driver: 'auto',
      allowOrigin: [],
      logLevel: 'info',
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

  it('refuses a bad port or driver', () => {
    expect(() => parseServeArgs(['--port', 'http'])).toThrow()
    expect(() => parseServeArgs(['--driver', 'docker'])).toThrow()
  })
})
