import { execFileSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { selfSigned } from './testing/self-signed'
import { loadTls, TlsFileError } from './tls'

describe('loadTls', () => {
  let dir: string
  let a: { cert: string; key: string }
  let b: { cert: string; key: string }
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ckalab-tls-'))
    a = selfSigned(dir, 'a')
    b = selfSigned(dir, 'b')
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('reads a matching pair and names what the certificate is for', () => {
    const t = loadTls(a.cert, a.key)
    expect(t.cert).toContain('BEGIN CERTIFICATE')
    expect(t.key).toContain('PRIVATE KEY')
    expect(t.names).toEqual(['localhost', '127.0.0.1'])
    expect(t.warnings).toEqual([])
  })

  it('refuses a missing file, naming it and the flag', () => {
    expect(() => loadTls(join(dir, 'nope.crt'), a.key)).toThrow(
      new TlsFileError(
        `the TLS certificate file ${join(dir, 'nope.crt')} does not exist; pass the PEM file with --tls-cert`,
      ),
    )
    expect(() => loadTls(a.cert, join(dir, 'nope.key'))).toThrow(
      /TLS key file .*nope\.key does not exist.*--tls-key/,
    )
  })

  it('refuses an unreadable path (a directory; a permission error)', () => {
    const sub = join(dir, 'adir')
    mkdirSync(sub, { recursive: true })
    expect(() => loadTls(sub, a.key)).toThrow(/certificate path .*adir is a directory/)
    const denied = (p: string) => {
      if (p === a.key) throw Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' })
      return execFileSync('cat', [p], { encoding: 'utf8' })
    }
    expect(() => loadTls(a.cert, a.key, Date.now(), denied)).toThrow(
      /key file .*a\.key cannot be read \(permission denied\); make it readable/,
    )
  })

  it('refuses a key from another pair', () => {
    expect(() => loadTls(a.cert, b.key)).toThrow(
      /the TLS key .*b\.key does not belong to the certificate .*a\.crt \(they are from different pairs\)/,
    )
  })

  it('says when the files are swapped, empty or not PEM', () => {
    expect(() => loadTls(a.key, a.cert)).toThrow(/holds no PEM certificate.*were the two files swapped/)
    const empty = join(dir, 'empty.pem')
    writeFileSync(empty, '')
    expect(() => loadTls(empty, a.key)).toThrow(/certificate file .*empty\.pem is empty/)
    const junk = join(dir, 'junk.pem')
    writeFileSync(junk, 'hello\n')
    expect(() => loadTls(a.cert, junk)).toThrow(/key file .*junk\.pem holds no PEM private key/)
  })

  it('refuses a key with a passphrase, saying how to make a plain copy', () => {
    const locked = join(dir, 'locked.key')
    execFileSync('openssl', ['pkey', '-in', a.key, '-aes256', '-passout', 'pass:secret', '-out', locked])
    expect(() => loadTls(a.cert, locked)).toThrow(/protected by a passphrase.*openssl pkey/)
  })

  it('warns (without refusing) about an expired certificate', () => {
    const inTenDays = Date.now() + 10 * 86_400_000
    const t = loadTls(a.cert, a.key, inTenDays)
    expect(t.warnings).toHaveLength(1)
    expect(t.warnings[0]).toMatch(/a\.crt expired on .*browsers will refuse it/)
  })
})
