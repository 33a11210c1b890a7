import { sha1 } from '@noble/hashes/legacy.js'

// Member and cluster IDs computed the way etcd computes them, so a restore
// with given flags yields the same IDs a real cluster shows
// (reference §3.1): member ID = first 8 bytes of sha1(sorted peer URLs joined
// + token [+ unix seconds for a runtime member add]); cluster ID = first 8
// bytes of sha1 over the sorted member IDs as big-endian uint64s.

const enc = new TextEncoder()

function first8(bytes: Uint8Array): bigint {
  let v = 0n
  for (let i = 0; i < 8; i++) v = (v << 8n) | BigInt(bytes[i] ?? 0)
  return v
}

export function memberId(peerURLs: string[], token: string, unixSeconds?: number): bigint {
  let text = [...peerURLs].sort().join('') + token
  if (unixSeconds !== undefined) text += String(unixSeconds)
  return first8(sha1(enc.encode(text)))
}

export function clusterId(memberIds: bigint[]): bigint {
  const sorted = [...memberIds].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  const buf = new Uint8Array(8 * sorted.length)
  sorted.forEach((id, i) => {
    for (let b = 0; b < 8; b++) buf[i * 8 + b] = Number((id >> BigInt(56 - 8 * b)) & 0xffn)
  })
  return first8(sha1(buf))
}

/** `%x`: lower-case hex without zero padding, as etcd prints IDs. */
export function hexId(id: bigint): string {
  return id.toString(16)
}

export function parseHexId(text: string): bigint | undefined {
  if (!/^[0-9a-fA-F]{1,16}$/.test(text)) return undefined
  return BigInt(`0x${text}`)
}
