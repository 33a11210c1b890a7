import { sha1 } from '@noble/hashes/legacy.js'
import { sha256 } from '@noble/hashes/sha2.js'
import type { SimNode } from '../node'
import type { CertInfo } from '../pki'

// What openssl (and kubeadm certs check-expiration) reads out of a simulated
// certificate: subject, issuer, validity, serial, key identifiers, SANs.
// Identity comes from the cluster's PKI registry; dates follow kubeadm: a CA
// is valid 10 years from `kubeadm init`, a leaf one year from its issue and
// not before its CA.

const DAY = 86_400_000

export interface CertDetails {
  info: CertInfo
  subject: string
  issuer: string
  notBefore: number
  notAfter: number
  serial: bigint
  ski: string
  aki?: string
  keyUsage: string
  extKeyUsage?: string
  sans: string[]
  modulus: Uint8Array
  signature: Uint8Array
  fingerprint: string
}

const CA_NAMES: Record<string, string> = {
  'kubernetes-ca': 'kubernetes',
  'etcd-ca': 'etcd-ca',
  'front-proxy-ca': 'front-proxy-ca',
}

/** When kubeadm init ran on this cluster: the first control plane's CA file's time. */
export async function initTime(node: SimNode): Promise<number> {
  const first = node.cluster.controlPlanes[0] ?? node
  const st = await first.fs.stat('/etc/kubernetes/pki/ca.crt').catch(() => undefined)
  const t = st?.mtime instanceof Date ? st.mtime.getTime() : node.cluster.clock.now()
  return Math.floor(t / 1000) * 1000
}

function bytes(seed: string, n: number): Uint8Array {
  const out = new Uint8Array(n)
  let block = sha256(new TextEncoder().encode(seed))
  for (let i = 0; i < n; i++) {
    if (i % 32 === 0 && i > 0) block = sha256(block)
    out[i] = block[i % 32] as number
  }
  return out
}

function hexColon(b: Uint8Array, upper = true): string {
  const s = [...b].map((x) => x.toString(16).padStart(2, '0')).join(':')
  return upper ? s.toUpperCase() : s
}

function organisation(node: SimNode, id: string): string | undefined {
  const base = id.replace(/@.*$/, '')
  if (base === 'apiserver-etcd-client' || base === 'etcd-healthcheck') return 'system:masters'
  // kubeadm 1.29 moved the apiserver's kubelet client out of system:masters.
  if (base === 'apiserver-kubelet-client')
    return node.cluster.profile.id === '1.20' ? 'system:masters' : 'kubeadm:cluster-admins'
  return undefined
}

export async function certDetails(node: SimNode, info: CertInfo, pem: string): Promise<CertDetails> {
  const t0 = await initTime(node)
  const isEtcd = info.issuer === 'etcd-ca'
  const isFp = info.issuer === 'front-proxy-ca'
  // kubeadm makes the CAs first, then the etcd and front-proxy ones a few seconds later.
  const caStart = t0 + (isEtcd ? 4000 : isFp ? 2000 : 0)
  const notBefore = caStart
  const notAfter = info.isCA ? caStart + 3650 * DAY : caStart + 1000 + 365 * DAY
  const o = organisation(node, info.id)
  const subject = `${o ? `O = ${o}, ` : ''}CN = ${info.commonName}`
  const issuer = `CN = ${CA_NAMES[info.issuer] ?? info.commonName}`
  const serialBytes = bytes(`serial/${info.id}/${node.cluster.seed}`, 8)
  serialBytes[0] = (serialBytes[0] as number) & 0x7f
  let serial = 0n
  for (const b of serialBytes) serial = (serial << 8n) | BigInt(b)
  if (info.isCA && node.cluster.profile.id === '1.20') serial = 0n
  const skiOf = (id: string) => hexColon(bytes(`ski/${id}/${node.cluster.seed}`, 20))
  const server = info.usages.includes('server')
  const client = info.usages.includes('client')
  const ext = [server ? 'TLS Web Server Authentication' : '', client ? 'TLS Web Client Authentication' : '']
    .filter(Boolean)
    .join(', ')
  const der = Uint8Array.from(atob(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '')), (c) =>
    c.charCodeAt(0),
  )
  return {
    info,
    subject,
    issuer,
    notBefore,
    notAfter,
    serial,
    ski: skiOf(info.id),
    aki: info.isCA ? undefined : skiOf(info.issuer),
    keyUsage: info.isCA
      ? 'Digital Signature, Key Encipherment, Certificate Sign'
      : 'Digital Signature, Key Encipherment',
    extKeyUsage: info.isCA ? undefined : ext,
    sans: info.sans,
    modulus: bytes(`modulus/${info.keyId}`, 256),
    signature: bytes(`sig/${info.id}`, 256),
    fingerprint: hexColon(sha1(der)),
  }
}

/** `Dec  3 09:42:24 2026 GMT`, OpenSSL's ASN1_TIME_print. */
export function opensslTime(at: number): string {
  const d = new Date(at)
  const mon = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][
    d.getUTCMonth()
  ]
  const p = (n: number) => String(n).padStart(2, '0')
  return `${mon} ${String(d.getUTCDate()).padStart(2)} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} ${d.getUTCFullYear()} GMT`
}

/** SANs as OpenSSL prints them: `DNS:x, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1`. */
export function sanText(sans: string[]): string {
  return sans
    .map((s) => {
      if (/^\d+\.\d+\.\d+\.\d+$/.test(s)) return `IP Address:${s}`
      if (s === '::1') return 'IP Address:0:0:0:0:0:0:0:1'
      return `DNS:${s}`
    })
    .join(', ')
}

function hexBlock(b: Uint8Array, indent: string, perLine: number, leadingZero: boolean): string {
  const all = leadingZero ? [0, ...b] : [...b]
  const lines: string[] = []
  for (let i = 0; i < all.length; i += perLine) {
    const chunk = all.slice(i, i + perLine).map((x) => x.toString(16).padStart(2, '0'))
    lines.push(`${indent}${chunk.join(':')}${i + perLine < all.length ? ':' : ''}`)
  }
  return lines.join('\n')
}

/** `openssl x509 -text`. */
export function certText(d: CertDetails): string {
  const serial =
    d.serial < 2n ** 63n
      ? `        Serial Number: ${d.serial} (0x${d.serial.toString(16)})`
      : `        Serial Number:\n            ${hexColon(bytes(String(d.serial), 8), false)}`
  const ext: string[] = [
    '        X509v3 extensions:',
    '            X509v3 Key Usage: critical',
    `                ${d.keyUsage}`,
  ]
  if (d.info.isCA)
    ext.push(
      '            X509v3 Basic Constraints: critical',
      '                CA:TRUE',
      '            X509v3 Subject Key Identifier: ',
      `                ${d.ski}`,
    )
  else {
    if (d.extKeyUsage) ext.push('            X509v3 Extended Key Usage: ', `                ${d.extKeyUsage}`)
    ext.push('            X509v3 Authority Key Identifier: ', `                ${d.aki}`)
    if (d.sans.length)
      ext.push('            X509v3 Subject Alternative Name: ', `                ${sanText(d.sans)}`)
  }
  return `${[
    'Certificate:',
    '    Data:',
    '        Version: 3 (0x2)',
    serial,
    '        Signature Algorithm: sha256WithRSAEncryption',
    `        Issuer: ${d.issuer}`,
    '        Validity',
    `            Not Before: ${opensslTime(d.notBefore)}`,
    `            Not After : ${opensslTime(d.notAfter)}`,
    `        Subject: ${d.subject}`,
    '        Subject Public Key Info:',
    '            Public Key Algorithm: rsaEncryption',
    '                Public-Key: (2048 bit)',
    '                Modulus:',
    hexBlock(d.modulus, '                    ', 15, true),
    '                Exponent: 65537 (0x10001)',
    ...ext,
    '    Signature Algorithm: sha256WithRSAEncryption',
    '    Signature Value:',
    hexBlock(d.signature, '        ', 18, false),
  ].join('\n')}\n`
}
