import type { IFileSystem } from 'just-bash'
import type { SimCluster } from '../cluster'
import { parseEndpoint } from '../net'
import type { SimNode } from '../node'
import { checkTls } from '../pki'
import type { KeyValue, RangeOptions } from './keyspace'
import { type EtcdProcess, etcdRuntime } from './server'
import type { MemberRecord } from './storage'

// How a client reaches a member: the simulated network finds the listener,
// TLS is judged from the certificate registry, and the answer is the text
// gRPC would put in its error when it fails. Used by etcdctl and by the
// apiserver (through etcdClient).

export interface ClientTls {
  /** PEM contents, already read. */
  cacert?: string
  cert?: string
  key?: string
  insecureSkipVerify?: boolean
  insecureTransport?: boolean
}

export type DialResult = { ok: true; proc: EtcdProcess } | { ok: false; error: string; refused?: boolean }

/** Whether the client would speak TLS to an endpoint, as clientv3 decides per scheme. */
function wantsTls(scheme: string | undefined, tls: ClientTls): boolean {
  if (scheme === 'https' || scheme === 'unixs') return true
  if (scheme === 'http' || scheme === 'unix') return false
  return !!(tls.cacert || tls.cert || tls.key || tls.insecureSkipVerify)
}

export function dial(cluster: SimCluster, from: SimNode, endpoint: string, tls: ClientTls): DialResult {
  const explicit = /^([a-z]+):\/\//i.exec(endpoint)?.[1]?.toLowerCase()
  const u = parseEndpoint(endpoint, 'http')
  if (!u)
    return {
      ok: false,
      error: `transport: Error while dialing dial tcp: address ${endpoint}: missing port in address`,
    }
  const addr = `${u.host}:${u.port}`
  // etcdctl 3.5+ is built with today's Go and grpc-go, whose handshake errors read differently
  // from 3.4's (seen in etcdctl 3.5.16's output): a colon after "dialing", Go's "failed to
  // verify certificate" prefix, and server refusals seen while reading the HTTP/2 preface.
  const modern = cluster.profile.etcd.modernGrpcErrors
  const listener = cluster.network.connect(from.name, u.host, u.port)
  if (!listener)
    return {
      ok: false,
      refused: true,
      error: `transport: Error while dialing${modern ? ':' : ''} dial tcp ${addr}: connect: connection refused`,
    }
  const useTls = wantsTls(explicit, tls)
  if (listener.scheme === 'https' && !useTls)
    return { ok: false, error: modern ? 'error reading server preface: EOF' : 'connection closed' }
  /** The client's view of the member refusing its certificate (none, or one from another CA). */
  const refusedByServer = () =>
    modern
      ? `error reading server preface: remote error: tls: ${tls.cert ? 'unknown certificate authority' : 'certificate required'}`
      : 'transport: authentication handshake failed: remote error: tls: bad certificate'
  const unverified = (detail: string) =>
    `transport: authentication handshake failed: ${modern && detail.startsWith('x509:') ? `tls: failed to verify certificate: ${detail}` : detail}`
  if (listener.scheme === 'http' && useTls)
    return {
      ok: false,
      error:
        'transport: authentication handshake failed: tls: first record does not look like a TLS handshake',
    }
  const proc = listener.service as EtcdProcess
  if (listener.scheme === 'https') {
    const check = checkTls({
      registry: cluster.certs,
      host: u.host === 'localhost' ? '127.0.0.1' : u.host,
      serverCert: proc.tls.cert ?? '',
      serverRequiresClientCert: proc.config.clientCertAuth,
      serverClientCA: proc.tls.ca,
      clientCA: tls.cacert,
      clientCert: tls.cert,
      clientKey: tls.key,
    })
    if (!check.ok) {
      if (check.reason === 'unknown-authority' && tls.insecureSkipVerify) {
        // skip server verification, but the client certificate still counts
        const again = checkTls({
          registry: cluster.certs,
          host: u.host,
          serverCert: proc.tls.cert ?? '',
          serverRequiresClientCert: proc.config.clientCertAuth,
          serverClientCA: proc.tls.ca,
          clientCA: proc.tls.ca,
          clientCert: tls.cert,
          clientKey: tls.key,
        })
        if (!again.ok && again.reason === 'bad-certificate') {
          rejected(
            proc,
            from,
            tls.cert ? 'remote error: tls: bad certificate' : "tls: client didn't provide a certificate",
          )
          return { ok: false, error: refusedByServer() }
        }
      } else if (check.reason === 'name-mismatch' && tls.insecureSkipVerify) {
        // accepted
      } else if (check.reason === 'bad-certificate') {
        rejected(
          proc,
          from,
          tls.cert ? 'remote error: tls: bad certificate' : "tls: client didn't provide a certificate",
        )
        return { ok: false, error: refusedByServer() }
      } else {
        rejected(proc, from, 'remote error: tls: bad certificate')
        return {
          ok: false,
          error: unverified(check.detail ?? 'x509: certificate signed by unknown authority'),
        }
      }
    }
  }
  if (listener.kind !== 'etcd-client' || proc.status !== 'running')
    return { ok: false, error: 'connection closed' }
  return { ok: true, proc }
}

let ephemeral = 40000

/** The member's side of a failed TLS handshake, in its log (etcd-io/etcd#9619 shape). */
function rejected(proc: EtcdProcess, from: SimNode, error: string): void {
  ephemeral = ephemeral >= 60999 ? 40000 : ephemeral + 137
  const addr = `${from.name === proc.node.name ? '127.0.0.1' : from.ip}:${ephemeral}`
  proc.log({
    level: 'warn',
    caller: 'embed/config_logging.go:169',
    msg: 'rejected connection',
    fields: { 'remote-addr': addr, 'server-name': '', error },
    capnslog: ['embed', `rejected connection from "${addr}" (error "${error}", ServerName "")`],
  })
}

export interface Header {
  cluster_id: bigint
  member_id: bigint
  revision: number
  raft_term: number
}

export function header(p: EtcdProcess, withRevision = true): Header {
  return {
    cluster_id: p.clusterId,
    member_id: p.memberId,
    revision: withRevision ? p.data.revision : 0,
    raft_term: p.raftTerm,
  }
}

/** What the member's server answers, once connected. Requests needing raft fail without a leader. */
export class NoLeaderError extends Error {
  constructor() {
    super('etcdserver: request timed out')
  }
}

/** The membership as the server lists it: ordered by member ID. */
export function membersOf(p: EtcdProcess): MemberRecord[] {
  return [...(p.group?.members ?? p.members)].sort((a, b) => {
    const x = BigInt(`0x${a.id}`)
    const y = BigInt(`0x${b.id}`)
    return x < y ? -1 : x > y ? 1 : 0
  })
}

export function serverRange(
  p: EtcdProcess,
  key: string,
  opts: RangeOptions & { serializable?: boolean } = {},
): KeyValue[] {
  if (!opts.serializable && !p.group?.leader) throw new NoLeaderError()
  return p.data.range(key, opts)
}

/** etcd's default backend quota when --quota-backend-bytes is 0 (2 GiB). */
export const DEFAULT_QUOTA_BYTES = 2 * 1024 * 1024 * 1024
/** clientv3's default send limit (MaxCallSendMsgSize): 2 MiB. */
export const CLIENT_SEND_LIMIT = 2 * 1024 * 1024

function varintLength(n: number): number {
  let len = 1
  for (let v = n; v >= 0x80; v = Math.floor(v / 0x80)) len++
  return len
}

/**
 * The size grpc checks for a put: its protobuf encoding, a tag and a varint length before the key and
 * the value (real etcdctl 3.5.16 reported 3000011 bytes for a 4-byte key and a 3000000-byte value).
 */
export function putRequestBytes(key: string, value: string): number {
  const k = new TextEncoder().encode(key).length
  const v = new TextEncoder().encode(value).length
  return 1 + varintLength(k) + k + 1 + varintLength(v) + v
}

/** A gRPC status the member answers with; etcdctl logs the retry line and prints `Error: <message>`. */
export class EtcdServerError extends Error {
  constructor(
    readonly code: 'InvalidArgument' | 'ResourceExhausted',
    message: string,
  ) {
    super(message)
    this.name = 'EtcdServerError'
  }
}

/**
 * What etcd does before it applies a write: refuse requests over --max-request-bytes, refuse every
 * write while a NOSPACE alarm is raised, and raise that alarm (refusing the write) when the write
 * would take the backend past its quota. A refused write is not kept: nothing answers OK for it.
 */
function admitWrite(
  p: EtcdProcess,
  g: NonNullable<EtcdProcess['group']>,
  requestBytes: number,
  growth: number,
): void {
  if (requestBytes > p.config.maxRequestBytes)
    throw new EtcdServerError('InvalidArgument', 'etcdserver: request is too large')
  if (g.alarms.some((a) => a.alarm === 'NOSPACE'))
    throw new EtcdServerError('ResourceExhausted', 'etcdserver: mvcc: database space exceeded')
  const quota = p.config.quotaBackendBytes > 0 ? p.config.quotaBackendBytes : DEFAULT_QUOTA_BYTES
  if (g.keyspace.dbSize() + growth > quota) {
    for (const m of g.processes) g.alarms.push({ memberId: m.memberId, alarm: 'NOSPACE' })
    // the alarm is written to every member's db (it survives a restart)
    g.flush()
    throw new EtcdServerError('ResourceExhausted', 'etcdserver: mvcc: database space exceeded')
  }
}

export function serverPut(p: EtcdProcess, key: string, value: string): { revision: number; prev?: KeyValue } {
  const g = p.group
  if (!g?.leader) throw new NoLeaderError()
  const bytes = putRequestBytes(key, value)
  admitWrite(p, g, bytes, bytes)
  const prev = g.keyspace.get(key)
  const kv = g.keyspace.put(key, value)
  g.commit()
  return { revision: kv.modRevision, prev }
}

export function serverDelete(p: EtcdProcess, key: string, opts: RangeOptions = {}): KeyValue[] {
  const g = p.group
  if (!g?.leader) throw new NoLeaderError()
  const gone = g.keyspace.delete(key, opts)
  if (gone.length > 0) g.commit()
  return gone
}

export class EtcdClientError extends Error {
  constructor(
    readonly reason: 'unavailable' | 'timeout' | 'tls-files',
    message: string,
  ) {
    super(message)
    this.name = 'EtcdClientError'
  }
}

export interface EtcdClientOptions {
  endpoints: string[]
  /** Paths on the caller's filesystem, as the apiserver's --etcd-cafile/certfile/keyfile. */
  cacert?: string
  cert?: string
  key?: string
  fs?: IFileSystem
}

export interface EtcdClient {
  get(key: string): Promise<KeyValue | undefined>
  range(prefix: string): Promise<KeyValue[]>
  put(key: string, value: string): Promise<{ revision: number }>
  del(key: string, opts?: { prefix?: boolean }): Promise<number>
  /** The member answering now, or why none does. */
  probe(): Promise<{ ok: true; revision: number } | { ok: false; error: string }>
}

/**
 * A client for in-simulator callers (the apiserver). Fails at once, with
 * EtcdClientError, where a real client would time out: the caller decides
 * how long it waits on the clock.
 */
export function etcdClient(cluster: SimCluster, from: SimNode, o: EtcdClientOptions): EtcdClient {
  const fs = o.fs ?? from.fs
  const read = async (path?: string): Promise<string | undefined> => {
    if (!path) return undefined
    try {
      return await fs.readFile(path)
    } catch {
      throw new EtcdClientError('tls-files', `open ${path}: no such file or directory`)
    }
  }
  const connect = async (): Promise<EtcdProcess> => {
    const tls: ClientTls = { cacert: await read(o.cacert), cert: await read(o.cert), key: await read(o.key) }
    let last = 'context deadline exceeded'
    for (const ep of o.endpoints) {
      const r = dial(cluster, from, ep, tls)
      if (r.ok) return r.proc
      last = r.error
    }
    throw new EtcdClientError('unavailable', last)
  }
  const guard = <T>(fn: () => T): T => {
    try {
      return fn()
    } catch (err) {
      if (err instanceof NoLeaderError) throw new EtcdClientError('timeout', err.message)
      throw err
    }
  }
  return {
    async get(key) {
      const p = await connect()
      return guard(() => serverRange(p, key)[0])
    },
    async range(prefix) {
      const p = await connect()
      return guard(() => serverRange(p, prefix, { prefix: true }))
    },
    async put(key, value) {
      const p = await connect()
      return guard(() => ({ revision: serverPut(p, key, value).revision }))
    },
    async del(key, opts) {
      const p = await connect()
      return guard(() => serverDelete(p, key, { prefix: opts?.prefix }).length)
    },
    async probe() {
      try {
        const p = await connect()
        if (!p.group?.leader) return { ok: false, error: 'etcdserver: request timed out' }
        return { ok: true, revision: p.data.revision }
      } catch (err) {
        return { ok: false, error: (err as Error).message }
      }
    },
  }
}

/** The running members on a node (a node normally runs one). */
export function membersOnNode(node: SimNode): EtcdProcess[] {
  return etcdRuntime(node.cluster).onNode(node.name)
}
