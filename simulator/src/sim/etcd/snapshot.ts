import type { IFileSystem } from 'just-bash'
import type { CommandResult } from '../commands/types'
import type { Profile } from '../profiles'
import { preallocate, WAL_SEGMENT_BYTES } from '../vfs/preallocate'
import type { ClientLog } from './clientlog'
import { resolvedPeerUrls, verifyBootstrap } from './config'
import { base64Of, goJson, humanBytes, renderTable } from './format'
import { hexId } from './ids'
import type { Keyspace } from './keyspace'
import { type Bootstrap, bootstrapMembership } from './server'
import {
  checkSnapshotHash,
  decodeDb,
  encodeDb,
  encodeWal,
  keyspaceHash,
  type StorageError,
  WAL_FILE,
} from './storage'

// `snapshot status` and `snapshot restore`, shared by etcdctl (3.4, 3.5
// deprecated) and etcdutl (3.5, 3.6): reading a snapshot file, and writing a
// new member's data dir from it.

void base64Of

/** Keys bbolt holds besides the key bucket (members, meta, cluster version …), per version. */
function overheadKeys(profile: Profile): number {
  return profile.etcd.snapshotOverheadKeys
}

export interface StatusResult {
  hash: number
  revision: number
  totalKey: number
  totalSize: number
  version?: string
}

function resolve(cwd: string, p: string): string {
  if (p.startsWith('/')) return p
  const parts = `${cwd}/${p}`.split('/')
  const out: string[] = []
  for (const part of parts) {
    if (!part || part === '.') continue
    if (part === '..') out.pop()
    else out.push(part)
  }
  return `/${out.join('/')}`
}

async function readMaybe(fs: IFileSystem, path: string): Promise<Uint8Array | undefined> {
  try {
    return await fs.readFileBuffer(path)
  } catch {
    return undefined
  }
}

export async function snapshotStatus(o: {
  fs: IFileSystem
  cwd: string
  profile: Profile
  path: string
  format: string
}): Promise<CommandResult> {
  const abs = resolve(o.cwd, o.path)
  let isDir = false
  try {
    const st = await o.fs.stat(abs)
    isDir = st.isDirectory
  } catch {
    return { stdout: '', stderr: `Error: stat ${o.path}: no such file or directory\n`, exitCode: 1 }
  }
  if (isDir) return { stdout: '', stderr: `Error: read ${o.path}: is a directory\n`, exitCode: 1 }
  const bytes = (await readMaybe(o.fs, abs)) ?? new Uint8Array()
  if (bytes.length === 0)
    return { stdout: '', stderr: `Error: write ${o.path}: bad file descriptor\n`, exitCode: 1 }
  let db: ReturnType<typeof decodeDb>
  try {
    db = decodeDb(bytes)
  } catch (err) {
    const msg =
      (err as StorageError).message === 'checksum error'
        ? 'snapshot file integrity check failed. 1 errors found.'
        : 'invalid database'
    return { stdout: '', stderr: `Error: ${msg}\n`, exitCode: 1 }
  }
  const st: StatusResult = {
    hash: keyspaceHash(db.keyspace),
    // bbolt's view: the revision of the last key written (0 when none), every key in every bucket.
    revision: db.keyspace.entries === 0 ? 0 : db.keyspace.revision,
    totalKey: db.keyspace.entries + overheadKeys(o.profile) - (db.keyspace.entries === 0 ? 1 : 0),
    totalSize: db.size,
    version: o.profile.etcd.storageVersion,
  }
  return { stdout: printStatus(st, o.format, o.profile), stderr: '', exitCode: 0 }
}

function printStatus(st: StatusResult, format: string, profile: Profile): string {
  const row = [st.hash.toString(16), String(st.revision), String(st.totalKey), humanBytes(st.totalSize)]
  const header = ['hash', 'revision', 'total keys', 'total size']
  if (profile.etcd.storageVersion) {
    row.push(st.version ?? '')
    header.push('version')
  }
  if (format === 'json')
    return `${goJson({ hash: st.hash, revision: st.revision, totalKey: st.totalKey, totalSize: st.totalSize, ...(st.version ? { version: st.version } : {}) })}\n`
  if (format === 'table') return renderTable(header, [row])
  if (format === 'fields') {
    let s = `"Hash" : ${st.hash}\n"Revision" : ${st.revision}\n"Keys" : ${st.totalKey}\n"Size" : ${st.totalSize}\n`
    if (st.version) s += `"Version" : "${st.version}"\n`
    return s
  }
  return `${row.join(', ')}\n`
}

export interface RestoreOptions {
  fs: IFileSystem
  cwd: string
  profile: Profile
  tool: 'etcdctl' | 'etcdutl'
  log: ClientLog
  snapshot: string
  dataDir?: string
  walDir?: string
  name: string
  initialCluster?: string
  initialClusterToken: string
  initialAdvertisePeerUrls: string
  skipHashCheck: boolean
  bumpRevision: number
  markCompacted: boolean
}

export async function snapshotRestore(o: RestoreOptions): Promise<CommandResult> {
  const rlog = o.profile.etcd.restoreLog
  const peerUrls = o.initialAdvertisePeerUrls.split(',').filter(Boolean)
  const initialCluster = o.initialCluster ?? 'default=http://localhost:2380'
  let stderr = ''
  const fail = (msg: string, code = 1): CommandResult => ({
    stdout: '',
    stderr: `${stderr}Error: ${msg}\n`,
    exitCode: code,
  })
  const boot0 = { name: o.name, initialCluster, initialAdvertisePeerUrls: peerUrls }
  const verr = verifyBootstrap(boot0)
  // 3.5+ log each peer URL netutil resolves while comparing the advertised URLs with the
  // cluster's (seen in etcdctl 3.5.16's output; the call is at netutil.go:113 at v3.6.4)
  if (rlog.resolvedUrl && (!verr || verr.startsWith('--initial-')))
    for (const r of resolvedPeerUrls(boot0))
      stderr += `${o.log.console('info', rlog.resolvedUrl, 'resolved URL Host', { url: r.url, host: r.host, 'resolved-addr': r.host })}\n`
  if (verr) return fail(verr)
  if (o.bumpRevision > 0 && !o.markCompacted) return fail('--mark-compacted required if --revision-bump > 0')
  const boot = bootstrapMembership(initialCluster, o.initialClusterToken) as Bootstrap
  const dataDir = o.dataDir || `${o.name}.etcd`
  const walDir = o.walDir || `${dataDir}/member/wal`
  const snapDir = `${dataDir}/member/snap`
  const absData = resolve(o.cwd, dataDir)
  const absWal = resolve(o.cwd, walDir)
  // The data dir must not exist (3.4) or must be empty (3.5+).
  let exists = false
  let empty = true
  try {
    const st = await o.fs.stat(absData)
    exists = true
    if (st.isDirectory) empty = (await o.fs.readdir(absData)).length === 0
    else empty = false
  } catch {
    exists = false
  }
  if (!o.profile.etcd.restoreIntoEmptyDir && exists) return fail(`data-dir "${dataDir}" exists`)
  if (o.profile.etcd.restoreIntoEmptyDir && exists && !empty)
    return fail(`data-dir "${dataDir}" not empty or could not be read`)
  if (o.walDir) {
    const walExists = await o.fs.exists(absWal)
    if (walExists) return fail(`wal-dir "${walDir}" exists`)
  }
  const fields = {
    path: o.snapshot,
    'wal-dir': walDir,
    'data-dir': dataDir,
    'snap-dir': snapDir,
  }
  const mmap = o.tool === 'etcdutl' ? 10737418240 : 0
  const logFields = rlog.memoryMapSize ? { ...fields, 'initial-memory-map-size': mmap } : fields
  if (!rlog.console) {
    stderr += `${o.log.line('info', rlog.restoring, 'restoring snapshot', fields, { floatTs: true })}\n`
  } else {
    stderr += `${o.log.console('info', rlog.restoring, 'restoring snapshot', logFields)}\n`
  }
  const absSnap = resolve(o.cwd, o.snapshot)
  let isDir = false
  try {
    isDir = (await o.fs.stat(absSnap)).isDirectory
  } catch {
    return fail(`open ${o.snapshot}: no such file or directory`)
  }
  const bytes = isDir ? new Uint8Array(64) : ((await readMaybe(o.fs, absSnap)) ?? new Uint8Array())
  if (bytes.length < 32) return fail(`seek ${o.snapshot}: invalid argument`)
  if (isDir) return fail(`read ${o.snapshot}: is a directory`)
  // etcd copies the file into the new member's snap/db first, then checks it.
  await o.fs.mkdir(`${absData}/member/snap`, { recursive: true })
  const hasHash = bytes.length % 512 === 32
  await o.fs.writeFile(`${absData}/member/snap/db`, hasHash ? bytes.subarray(0, bytes.length - 32) : bytes)
  if (!o.skipHashCheck) {
    const h = checkSnapshotHash(bytes)
    if (!h.ok) return fail(h.error)
  }
  let ks: Keyspace
  try {
    ks = decodeDb(bytes).keyspace
  } catch {
    return fail('invalid database')
  }
  if (o.bumpRevision > 0) {
    ks.revision += o.bumpRevision
    if (o.markCompacted) ks.compact(ks.revision)
  }
  const local = boot.members.find((m) => m.name === o.name)
  const localId = local?.id ?? '0'
  const cid = hexId(boot.clusterId)
  for (const m of boot.members) {
    const f = {
      'cluster-id': cid,
      'local-member-id': '0',
      'added-peer-id': m.id,
      'added-peer-peer-urls': m.peerURLs,
    }
    if (!rlog.console)
      stderr += `${o.log.line('info', rlog.addedMember, 'added member', f, { floatTs: true })}\n`
    else {
      if (rlog.trimming && m === boot.members[0])
        stderr += `${o.log.console('info', rlog.trimming, 'Trimming membership information from the backend...')}\n`
      const added = rlog.addedPeerIsLearner ? { ...f, 'added-peer-is-learner': false } : f
      stderr += `${o.log.console('info', rlog.addedMember, 'added member', added)}\n`
    }
  }
  const members = boot.members.map((m) => ({ ...m, clientURLs: [] as string[] }))
  const index = members.length
  await o.fs.mkdir(`${absData}/member/snap`, { recursive: true })
  await o.fs.mkdir(absWal, { recursive: true })
  const db = encodeDb({ keyspace: ks, term: 1, index, membership: { clusterId: cid, members } })
  await o.fs.writeFile(`${absData}/member/snap/db`, db)
  const snapName = `${(1).toString(16).padStart(16, '0')}-${index.toString(16).padStart(16, '0')}.snap`
  await o.fs.writeFile(
    `${absData}/member/snap/${snapName}`,
    encodeWal({
      clusterId: cid,
      localMemberId: localId,
      token: o.initialClusterToken,
      members,
      term: 1,
      index,
    }),
  )
  await o.fs.writeFile(
    `${absWal}/${WAL_FILE}`,
    encodeWal({
      clusterId: cid,
      localMemberId: localId,
      token: o.initialClusterToken,
      members,
      term: 1,
      index,
    }),
  )
  // etcd keeps its files private to the user it runs as.
  for (const f of [`${absData}/member/snap/db`, `${absWal}/${WAL_FILE}`])
    await o.fs.chmod(f, 0o600).catch(() => {})
  for (const d of [absData, `${absData}/member`, `${absData}/member/snap`, absWal])
    await o.fs.chmod(d, 0o700).catch(() => {})
  // The new segment is preallocated; the spare 0.tmp exists only while a member runs.
  preallocate(o.fs, `${absWal}/${WAL_FILE}`, WAL_SEGMENT_BYTES)
  if (!rlog.console)
    stderr += `${o.log.line('info', rlog.restored, 'restored snapshot', fields, { floatTs: true })}\n`
  else stderr += `${o.log.console('info', rlog.restored, 'restored snapshot', logFields)}\n`
  return { stdout: '', stderr, exitCode: 0 }
}

export { resolve as resolvePathFrom }
