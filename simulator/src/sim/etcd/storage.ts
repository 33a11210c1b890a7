import { sha256 } from '@noble/hashes/sha2.js'
import { Keyspace, type KeyspaceState, MIN_DB_SIZE, roundPage } from './keyspace'

// The on-disk forms of a member's data, in ckalab's own format:
// - member/snap/db: a bbolt-looking file (binary meta page first) holding the
//   keyspace, the raft position and the membership, with an integrity hash,
//   padded to the page-based size `snapshot status` reports, so `ls -l` and
//   the status agree.
// - a snapshot file: the same db bytes followed by their sha256, as etcd's
//   `snapshot save` appends one; restore checks it.
// - member/wal/0000000000000000-0000000000000000.wal: the membership record.

export interface MemberRecord {
  id: string // hex
  name: string
  peerURLs: string[]
  clientURLs: string[]
  isLearner?: boolean
}

export interface MembershipRecord {
  clusterId: string // hex
  members: MemberRecord[]
}

/** A raised alarm as the db keeps it (etcd stores alarms in the backend's alarm bucket). */
export interface AlarmRecord {
  memberId: string // decimal, as etcdctl prints it
  alarm: 'NOSPACE' | 'CORRUPT'
}

export interface DbContent {
  keyspace: Keyspace
  term: number
  index: number
  membership?: MembershipRecord
  alarms?: AlarmRecord[]
}

export interface WalContent {
  clusterId: string
  localMemberId: string
  token: string
  members: MemberRecord[]
  term: number
  index: number
}

const enc = new TextEncoder()
const dec = new TextDecoder()
const DB_MAGIC = 'ckalab-etcd-db/1'
const WAL_MAGIC = 'ckalab-etcd-wal/1'
/** bbolt's magic number, little-endian, where bbolt keeps it in the meta page. */
const BOLT_HEADER = [
  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
]
const BOLT_MAGIC = [0xed, 0xda, 0x0c, 0xed, 0x02, 0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x00]
const HEAD_LEN = BOLT_HEADER.length + BOLT_MAGIC.length
export const WAL_FILE = '0000000000000000-0000000000000000.wal'

export class StorageError extends Error {}

function u32(view: DataView, at: number): number {
  return view.getUint32(at, true)
}

/**
 * The db file's own integrity check: a running member rewrites its db on
 * every change, so this must be cheap (FNV-1a, in a 32-byte slot). Snapshot
 * files keep etcd's real sha256 trailer (see snapshotBytes).
 */
function bodyChecksum(body: Uint8Array): Uint8Array {
  let h = 0x811c9dc5
  for (let i = 0; i < body.length; i++) {
    h ^= body[i]
    h = Math.imul(h, 0x01000193)
  }
  const out = new Uint8Array(32)
  new DataView(out.buffer).setUint32(0, h >>> 0, true)
  new DataView(out.buffer).setUint32(4, body.length, true)
  return out
}

function frame(magic: string, payload: unknown, minSize: number): Uint8Array {
  const body = enc.encode(`${magic}\n${JSON.stringify(payload)}`)
  const hash = bodyChecksum(body)
  const used = HEAD_LEN + 4 + body.length + hash.length
  const size = Math.max(minSize, used)
  const out = new Uint8Array(size)
  out.set(BOLT_HEADER, 0)
  out.set(BOLT_MAGIC, BOLT_HEADER.length)
  new DataView(out.buffer).setUint32(HEAD_LEN, body.length, true)
  out.set(body, HEAD_LEN + 4)
  out.set(hash, HEAD_LEN + 4 + body.length)
  return out
}

function unframe(bytes: Uint8Array, magic: string): unknown {
  if (bytes.length < HEAD_LEN + 4 + 32) throw new StorageError('file size too small')
  for (let i = 0; i < BOLT_MAGIC.length - 8; i++)
    if (bytes[BOLT_HEADER.length + i] !== BOLT_MAGIC[i]) throw new StorageError('invalid database')
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const len = u32(view, HEAD_LEN)
  if (HEAD_LEN + 4 + len + 32 > bytes.length) throw new StorageError('file size too small')
  const body = bytes.subarray(HEAD_LEN + 4, HEAD_LEN + 4 + len)
  const want = bytes.subarray(HEAD_LEN + 4 + len, HEAD_LEN + 4 + len + 32)
  const got = bodyChecksum(body)
  for (let i = 0; i < 32; i++) if (got[i] !== want[i]) throw new StorageError('checksum error')
  const text = dec.decode(body)
  if (!text.startsWith(`${magic}\n`)) throw new StorageError('invalid database')
  try {
    return JSON.parse(text.slice(magic.length + 1))
  } catch {
    throw new StorageError('invalid database')
  }
}

export function encodeDb(c: DbContent): Uint8Array {
  const payload = {
    keyspace: c.keyspace.toState(),
    term: c.term,
    index: c.index,
    membership: c.membership,
    alarms: c.alarms?.length ? c.alarms : undefined,
  }
  return frame(DB_MAGIC, payload, c.keyspace.dbSize())
}

interface DbPayload {
  keyspace: KeyspaceState
  term: number
  index: number
  membership?: MembershipRecord
  alarms?: AlarmRecord[]
}

/** Read a db file or a snapshot file (trailing sha256 ignored here). Throws StorageError. */
export function decodeDb(bytes: Uint8Array): DbContent & { size: number } {
  const p = unframe(bytes, DB_MAGIC) as DbPayload
  if (!p || typeof p !== 'object' || !p.keyspace) throw new StorageError('invalid database')
  return {
    keyspace: Keyspace.fromState(p.keyspace),
    term: p.term ?? 0,
    index: p.index ?? 0,
    membership: p.membership,
    alarms: Array.isArray(p.alarms) ? p.alarms : [],
    size: dbBytesLength(bytes),
  }
}

/** The db part of a file: whole pages (a snapshot adds 32 hash bytes after them). */
export function dbBytesLength(bytes: Uint8Array): number {
  return bytes.length % 512 === 32 ? bytes.length - 32 : bytes.length
}

export function snapshotBytes(db: Uint8Array): Uint8Array {
  const out = new Uint8Array(db.length + 32)
  out.set(db, 0)
  out.set(sha256(db), db.length)
  return out
}

/** etcd's restore check: the appended sha256 must match the db bytes. */
export function checkSnapshotHash(bytes: Uint8Array): { ok: true } | { ok: false; error: string } {
  if (bytes.length % 512 !== 32)
    return { ok: false, error: 'snapshot missing hash but --skip-hash-check=false' }
  const db = bytes.subarray(0, bytes.length - 32)
  const want = bytes.subarray(bytes.length - 32)
  const got = sha256(db)
  for (let i = 0; i < 32; i++)
    if (got[i] !== want[i])
      return { ok: false, error: `expected sha256 ${goBytes(want)}, got ${goBytes(got)}` }
  return { ok: true }
}

function goBytes(b: Uint8Array): string {
  return `[${[...b].join(' ')}]`
}

/** The 32-bit hash `snapshot status` prints, over the keyspace content. */
export function keyspaceHash(ks: Keyspace): number {
  const h = sha256(enc.encode(JSON.stringify(ks.toState().kvs) + String(ks.revision)))
  return (((h[0] ?? 0) << 24) | ((h[1] ?? 0) << 16) | ((h[2] ?? 0) << 8) | (h[3] ?? 0)) >>> 0
}

export function encodeWal(w: WalContent): Uint8Array {
  return frame(WAL_MAGIC, w, 0)
}

export function decodeWal(bytes: Uint8Array): WalContent {
  const w = unframe(bytes, WAL_MAGIC) as WalContent
  if (!w || typeof w !== 'object' || !Array.isArray(w.members)) throw new StorageError('wal: crc mismatch')
  return w
}

export { MIN_DB_SIZE, roundPage }
