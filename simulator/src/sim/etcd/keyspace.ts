import { utf8Length } from './format'

// etcd's MVCC keyspace as learners see it: one revision counter for the whole
// store, per key create/mod revision and version, prefix ranges, deletes
// that bump the revision once per request, a compaction mark. Old values are
// not kept; their bytes are counted so the db size grows like bbolt's.

export interface KeyValue {
  key: string
  value: string
  createRevision: number
  modRevision: number
  version: number
}

export interface RangeOptions {
  /** All keys starting with `key`. */
  prefix?: boolean
  /** Range end (exclusive), etcd's `--from-key` when ''. */
  end?: string
  limit?: number
}

export interface KeyspaceState {
  revision: number
  compactRevision: number
  /** Bytes written over the store's life (history bbolt keeps until a defrag). */
  writtenBytes: number
  entries?: number
  kvs: Array<[string, string, number, number, number]>
}

const PAGE = 4096
/** A fresh etcd's bbolt file is 5 pages: meta ×2, freelist, two buckets' roots… */
export const MIN_DB_SIZE = 20 * 1024
/** Bookkeeping bbolt and the MVCC index spend per revision. */
const PER_REVISION = 64

export class Keyspace {
  revision = 1
  compactRevision = 0
  writtenBytes = 0
  /** Entries in bbolt's key bucket: one per put, one per deleted key (history until compaction). */
  entries = 0
  private kvs = new Map<string, KeyValue>()
  private sortedCache: string[] | undefined

  get size(): number {
    return this.kvs.size
  }

  private sortedKeys(): string[] {
    if (!this.sortedCache) this.sortedCache = [...this.kvs.keys()].sort(compareBytes)
    return this.sortedCache
  }

  put(key: string, value: string): KeyValue {
    this.revision++
    const prev = this.kvs.get(key)
    const kv: KeyValue = {
      key,
      value,
      createRevision: prev ? prev.createRevision : this.revision,
      modRevision: this.revision,
      version: prev ? prev.version + 1 : 1,
    }
    if (!prev) this.sortedCache = undefined
    this.kvs.set(key, kv)
    this.writtenBytes += utf8Length(key) + utf8Length(value) + PER_REVISION
    this.entries++
    return kv
  }

  get(key: string): KeyValue | undefined {
    return this.kvs.get(key)
  }

  range(key: string, opts: RangeOptions = {}): KeyValue[] {
    if (!opts.prefix && opts.end === undefined) {
      const kv = this.kvs.get(key)
      return kv ? [kv] : []
    }
    const out: KeyValue[] = []
    for (const k of this.sortedKeys()) {
      if (opts.prefix ? !k.startsWith(key) : compareBytes(k, key) < 0) continue
      if (!opts.prefix && opts.end && compareBytes(k, opts.end) >= 0) continue
      out.push(this.kvs.get(k) as KeyValue)
    }
    return out
  }

  /** Delete one key or a prefix; one revision for the whole request when anything went. */
  delete(key: string, opts: RangeOptions = {}): KeyValue[] {
    const gone = this.range(key, opts)
    if (gone.length === 0) return gone
    this.revision++
    for (const kv of gone) {
      this.kvs.delete(kv.key)
      this.writtenBytes += utf8Length(kv.key) + PER_REVISION
      this.entries++
    }
    this.sortedCache = undefined
    return gone
  }

  compact(revision: number): void {
    this.compactRevision = Math.max(this.compactRevision, Math.min(revision, this.revision))
  }

  /** defrag: the file shrinks to what live keys use. */
  defragment(): void {
    let n = 0
    for (const kv of this.kvs.values()) n += utf8Length(kv.key) + utf8Length(kv.value) + PER_REVISION
    this.writtenBytes = n
  }

  /** The bytes live keys use (etcd 3.6's "IN USE"). */
  inUseBytes(): number {
    let n = 0
    for (const kv of this.kvs.values()) n += utf8Length(kv.key) + utf8Length(kv.value) + PER_REVISION
    return roundPage(4 * PAGE + n)
  }

  /** bbolt's file size estimate: grows with everything ever written, in whole pages. */
  dbSize(): number {
    return Math.max(MIN_DB_SIZE, roundPage(Math.ceil((4 * PAGE + this.writtenBytes) * 1.1)))
  }

  all(): KeyValue[] {
    return this.sortedKeys().map((k) => this.kvs.get(k) as KeyValue)
  }

  clone(): Keyspace {
    return Keyspace.fromState(this.toState())
  }

  toState(): KeyspaceState {
    return {
      revision: this.revision,
      compactRevision: this.compactRevision,
      writtenBytes: this.writtenBytes,
      entries: this.entries,
      kvs: this.all().map((kv) => [kv.key, kv.value, kv.createRevision, kv.modRevision, kv.version]),
    }
  }

  static fromState(s: KeyspaceState): Keyspace {
    const ks = new Keyspace()
    ks.revision = s.revision
    ks.compactRevision = s.compactRevision
    ks.writtenBytes = s.writtenBytes
    ks.entries = s.entries ?? s.kvs.length
    for (const [key, value, createRevision, modRevision, version] of s.kvs)
      ks.kvs.set(key, { key, value, createRevision, modRevision, version })
    return ks
  }
}

export function roundPage(n: number): number {
  return Math.ceil(n / PAGE) * PAGE
}

/** etcd orders keys by their bytes; for the ASCII keys people use this is string order. */
function compareBytes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
