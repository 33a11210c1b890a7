import { bytesToBase64 } from './base64'
import { createRng, type Rng, randomBytes, seedFrom } from './random'

// Simulated PKI. Certificates and keys are PEM files in the node's filesystem
// that look like the real ones. What a real TLS stack would read out of them
// (issuer, SANs, usages, which key pairs with which certificate) is kept in a
// cluster-wide registry keyed by file content, so a copied file keeps its
// identity and an edited or foreign file is unknown, as it would be to Go's
// crypto/tls.

export interface CertInfo {
  kind: 'cert'
  /** Stable id of this certificate, e.g. `etcd-ca`, `etcd-server@controlplane`. */
  id: string
  commonName: string
  /** id of the issuing CA (self for a root CA). */
  issuer: string
  isCA: boolean
  /** DNS names and IPs the certificate is valid for. */
  sans: string[]
  usages: Array<'server' | 'client'>
  /** id shared with the matching private key. */
  keyId: string
}

export interface KeyInfo {
  kind: 'key'
  keyId: string
}

export type PemInfo = CertInfo | KeyInfo

function pem(label: string, body: Uint8Array): string {
  const b64 = bytesToBase64(body)
  const lines: string[] = []
  for (let i = 0; i < b64.length; i += 64) lines.push(b64.slice(i, i + 64))
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`
}

export class CertRegistry {
  private byContent = new Map<string, PemInfo>()

  register(content: string, info: PemInfo): void {
    const trimmed = content.trim()
    this.byContent.set(trimmed, info)
    // Files end with one newline: keep that form too so the common lookup hits at once.
    this.byContent.set(`${trimmed}\n`, info)
  }

  lookup(content: string | undefined): PemInfo | undefined {
    if (content === undefined) return undefined
    // Every TLS handshake looks files up: try the bytes as they are before
    // paying for a trimmed copy (a PEM file normally ends with one newline).
    return (
      this.byContent.get(content) ??
      this.byContent.get(content.endsWith('\n') ? content.slice(0, -1) : content) ??
      this.byContent.get(content.trim())
    )
  }

  /** Issue a certificate and its key; returns both PEM texts. */
  issue(seed: string, info: Omit<CertInfo, 'kind' | 'keyId'>): { cert: string; key: string; info: CertInfo } {
    const rng: Rng = createRng(seedFrom(seed))
    const keyId = `${info.id}/key`
    const cert = pem('CERTIFICATE', randomBytes(rng, 780 + Math.floor(rng() * 120)))
    const key = pem('RSA PRIVATE KEY', randomBytes(rng, 1190))
    const full: CertInfo = { ...info, kind: 'cert', keyId }
    this.register(cert, full)
    this.register(key, { kind: 'key', keyId })
    return { cert, key, info: full }
  }

  /** Serialisable form, for saving a simulated environment. */
  toJSON(): Array<[string, PemInfo]> {
    return [...this.byContent.entries()].filter(([content]) => !content.endsWith('\n'))
  }

  static fromJSON(entries: Array<[string, PemInfo]>): CertRegistry {
    const r = new CertRegistry()
    for (const [content, info] of entries) r.register(content, info)
    return r
  }
}

export interface TlsCheck {
  ok: boolean
  /** Why the handshake fails, in Go's words, e.g. `x509: certificate signed by unknown authority`. */
  reason?: 'unknown-authority' | 'bad-certificate' | 'name-mismatch'
  detail?: string
}

/**
 * Would a TLS client with (ca, cert, key) complete a handshake with a server
 * presenting `serverCert` and trusting `clientCA` for client certificates?
 */
export function checkTls(opts: {
  registry: CertRegistry
  host: string
  serverCert: string
  serverRequiresClientCert: boolean
  serverClientCA?: string
  clientCA?: string
  clientCert?: string
  clientKey?: string
}): TlsCheck {
  const { registry } = opts
  const server = registry.lookup(opts.serverCert)
  const ca = registry.lookup(opts.clientCA)
  if (server?.kind !== 'cert') return { ok: false, reason: 'unknown-authority' }
  // Without --cacert Go falls back to the system roots, which never hold a kubeadm CA.
  if (ca?.kind !== 'cert' || !ca.isCA || ca.id !== server.issuer) {
    return { ok: false, reason: 'unknown-authority', detail: 'x509: certificate signed by unknown authority' }
  }
  if (!server.sans.includes(opts.host)) {
    return {
      ok: false,
      reason: 'name-mismatch',
      detail: `x509: certificate is valid for ${server.sans.join(', ')}, not ${opts.host}`,
    }
  }
  if (opts.serverRequiresClientCert) {
    const cert = registry.lookup(opts.clientCert)
    const key = registry.lookup(opts.clientKey)
    const trusted = registry.lookup(opts.serverClientCA)
    if (
      cert?.kind !== 'cert' ||
      !key ||
      key.kind !== 'key' ||
      key.keyId !== cert.keyId ||
      !trusted ||
      trusted.kind !== 'cert' ||
      cert.issuer !== trusted.id ||
      !cert.usages.includes('client')
    ) {
      return { ok: false, reason: 'bad-certificate', detail: 'remote error: tls: bad certificate' }
    }
  }
  return { ok: true }
}
