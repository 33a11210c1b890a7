// The server's own TLS: the PEM certificate and key given with --tls-cert and
// --tls-key, read and checked before the server listens, so a wrong file is
// a sentence at start (which file, what is wrong with it, what to do) instead
// of a handshake failure in every learner's browser.

import { createPrivateKey, type KeyObject, X509Certificate } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createSecureContext } from 'node:tls'

export interface TlsPair {
  /** PEM text: the server's certificate, optionally followed by its chain. */
  cert: string
  /** PEM text of the unencrypted private key. */
  key: string
}

export interface LoadedTls extends TlsPair {
  /** Things worth saying at start that do not stop the server (an expired certificate). */
  warnings: string[]
  /** The names the certificate is valid for (subjectAltName, else its CN), for the start line. */
  names: string[]
}

export class TlsFileError extends Error {}

type Reader = (path: string) => string

function readPem(path: string, what: string, flag: string, read: Reader): string {
  let text: string
  try {
    text = read(path)
  } catch (err) {
    const code = (err as { code?: string }).code
    if (code === 'ENOENT')
      throw new TlsFileError(`the TLS ${what} file ${path} does not exist; pass the PEM file with ${flag}`)
    if (code === 'EISDIR')
      throw new TlsFileError(
        `the TLS ${what} path ${path} is a directory; pass the PEM file itself with ${flag}`,
      )
    if (code === 'EACCES' || code === 'EPERM')
      throw new TlsFileError(
        `the TLS ${what} file ${path} cannot be read (permission denied); make it readable by the user running ckalab`,
      )
    throw new TlsFileError(`the TLS ${what} file ${path} cannot be read: ${(err as Error).message}`)
  }
  if (text.trim() === '') throw new TlsFileError(`the TLS ${what} file ${path} is empty`)
  return text
}

/** The names a certificate is issued for: DNS names and IP addresses, else its common name. */
function namesOf(cert: X509Certificate): string[] {
  const alt = (cert.subjectAltName ?? '')
    .split(',')
    .map((s) => s.trim())
    .flatMap((s) => {
      const m = /^(DNS|IP Address):(.+)$/.exec(s)
      return m ? [m[2]] : []
    })
  if (alt.length > 0) return alt
  const cn = /(?:^|\n)CN=([^\n]+)/.exec(cert.subject)
  return cn ? [cn[1]] : []
}

/**
 * Reads and checks a certificate and key pair: both exist and are readable,
 * the certificate is a PEM certificate, the key a PEM private key without a
 * passphrase, and the key is the certificate's. Throws TlsFileError saying
 * which file is wrong and how to fix it.
 */
export function loadTls(
  certPath: string,
  keyPath: string,
  now = Date.now(),
  read: Reader = (p) => readFileSync(p, 'utf8'),
): LoadedTls {
  const certText = readPem(certPath, 'certificate', '--tls-cert', read)
  const keyText = readPem(keyPath, 'key', '--tls-key', read)
  let cert: X509Certificate
  try {
    cert = new X509Certificate(certText)
  } catch {
    const hint = /PRIVATE KEY-----/.test(certText)
      ? ' (it holds a private key: were the two files swapped?)'
      : ''
    throw new TlsFileError(
      `the TLS certificate file ${certPath} holds no PEM certificate (a "-----BEGIN CERTIFICATE-----" block)${hint}`,
    )
  }
  let key: KeyObject
  try {
    key = createPrivateKey(keyText)
  } catch (err) {
    const message = (err as Error).message
    if (/passphrase/i.test(message) || /ENCRYPTED/.test(keyText))
      throw new TlsFileError(
        `the TLS key file ${keyPath} is protected by a passphrase; give ckalab an unencrypted copy (openssl pkey -in ${keyPath} -out <new file>) and keep that file private`,
      )
    const hint = /BEGIN CERTIFICATE/.test(keyText)
      ? ' (it holds a certificate: were the two files swapped?)'
      : ''
    throw new TlsFileError(
      `the TLS key file ${keyPath} holds no PEM private key (a "-----BEGIN PRIVATE KEY-----" block)${hint}`,
    )
  }
  if (!cert.checkPrivateKey(key))
    throw new TlsFileError(
      `the TLS key ${keyPath} does not belong to the certificate ${certPath} (they are from different pairs); pass the key the certificate was made for`,
    )
  try {
    createSecureContext({ cert: certText, key: keyText })
  } catch (err) {
    throw new TlsFileError(
      `the TLS certificate ${certPath} and key ${keyPath} cannot be used together: ${(err as Error).message}`,
    )
  }
  const warnings: string[] = []
  const validTo = Date.parse(cert.validTo)
  const validFrom = Date.parse(cert.validFrom)
  if (Number.isFinite(validTo) && validTo < now)
    warnings.push(
      `the TLS certificate ${certPath} expired on ${new Date(validTo).toISOString()}; browsers will refuse it, make a new one`,
    )
  else if (Number.isFinite(validFrom) && validFrom > now)
    warnings.push(
      `the TLS certificate ${certPath} is valid only from ${new Date(validFrom).toISOString()}; check this machine's clock`,
    )
  return { cert: certText, key: keyText, warnings, names: namesOf(cert) }
}
