import type { IFileSystem } from 'just-bash'
import type { SimCluster } from '../cluster'
import { type Listener, parseEndpoint } from '../net'
import type { SimNode } from '../node'
import type { Profile } from '../profiles'
import { preallocate, preallocateWal, WAL_SEGMENT_BYTES } from '../vfs/preallocate'
import { type EtcdConfig, parseEtcdArgs, parseInitialCluster, verifyBootstrap } from './config'
import { clusterId as computeClusterId, memberId as computeMemberId, hexId } from './ids'
import { Keyspace } from './keyspace'
import { formatServerLog, type LogEvent } from './log'
import {
  decodeDb,
  decodeWal,
  encodeDb,
  encodeWal,
  type MemberRecord,
  type StorageError,
  WAL_FILE,
  type WalContent,
} from './storage'

// etcd members as processes, and the raft groups they form. A member boots
// the way etcd does (an existing WAL wins over the --initial-cluster flags; an
// empty data dir bootstraps a new cluster from them), listens on the
// simulated network, and joins the group of running members that share its
// cluster ID and can reach each other's peer URLs. A group with a quorum has
// a leader and one shared keyspace; every member flushes it to its own db file.

export type EtcdStatus = 'starting' | 'running' | 'exited'

export interface TlsFiles {
  cert?: string
  key?: string
  ca?: string
}

export class EtcdProcess {
  status: EtcdStatus = 'starting'
  exitCode: number | undefined
  readonly config: EtcdConfig
  readonly node: SimNode
  readonly fs: IFileSystem
  readonly startedAt: number
  /** The command line after `etcd`, as given. */
  readonly args: string[]
  /** Resolves when the member is serving or has exited. */
  readonly ready: Promise<void>
  memberId = 0n
  clusterId = 0n
  token = ''
  /** This member's own copy of the data, used when it is not in a group with quorum. */
  keyspace = new Keyspace()
  /** Alarms read from this member's db at start (the group's once it joins one). */
  alarms: Array<{ memberId: bigint; alarm: 'NOSPACE' | 'CORRUPT' }> = []
  term = 0
  index = 0
  members: MemberRecord[] = []
  group: RaftGroup | undefined
  /** Whether this run of the member has published its attributes through raft. */
  published = false
  tls: TlsFiles = {}
  private lines: string[] = []
  private unlisten: Array<() => void> = []
  private flushQueued = false
  private stopListeners = new Set<() => void>()

  constructor(
    readonly runtime: EtcdRuntime,
    node: SimNode,
    args: string[],
    fs: IFileSystem,
  ) {
    this.node = node
    this.fs = fs
    this.config = parseEtcdArgs(args)
    this.args = args[0] === 'etcd' || args[0]?.endsWith('/etcd') ? args.slice(1) : [...args]
    this.startedAt = runtime.cluster.clock.now()
    this.ready = this.boot().catch((err) => {
      this.log({
        level: 'fatal',
        caller: 'etcdmain/etcd.go:204',
        msg: 'discovery failed',
        fields: { error: String(err?.message ?? err) },
      })
      this.exit(1)
    })
  }

  get profile(): Profile {
    return this.runtime.cluster.profile
  }

  get name(): string {
    return this.config.name
  }

  get dataDir(): string {
    return absolute(this.config.dataDir)
  }

  get dbPath(): string {
    return `${this.dataDir}/member/snap/db`
  }

  get walPath(): string {
    return `${this.config.walDir ? absolute(this.config.walDir) : `${this.dataDir}/member/wal`}/${WAL_FILE}`
  }

  /** etcd's own log lines, in the profile's format. */
  logs(): string[] {
    return [...this.lines]
  }

  onExit(fn: () => void): () => void {
    this.stopListeners.add(fn)
    return () => this.stopListeners.delete(fn)
  }

  log(e: LogEvent): void {
    this.lines.push(formatServerLog(this.profile.etcd.capnslog, this.runtime.cluster.clock.now(), e))
    if (this.lines.length > 2000) this.lines.splice(0, this.lines.length - 2000)
  }

  /** The keyspace clients see: the group's when in one. */
  get data(): Keyspace {
    return this.group?.keyspace ?? this.keyspace
  }

  get isLeader(): boolean {
    return this.group?.leader === this
  }

  get leaderId(): bigint {
    return this.group?.leader?.memberId ?? 0n
  }

  get raftTerm(): number {
    return this.group?.term ?? this.term
  }

  get raftIndex(): number {
    return this.group?.index ?? this.index
  }

  private async boot(): Promise<void> {
    const c = this.config
    const v = this.profile.etcdVersion
    this.log({
      level: 'info',
      caller: 'etcdmain/etcd.go:73',
      msg: 'Running: ',
      fields: { args: ['etcd', ...this.argsEcho()] },
      capnslog: ['etcdmain', `etcd Version: ${v}`],
    })
    const go = this.profile.etcd.goVersion
    this.log({
      level: 'info',
      caller: 'embed/etcd.go:128',
      msg: 'configuring peer listeners',
      fields: { 'listen-peer-urls': c.listenPeerUrls },
      capnslog: ['etcdmain', `Go Version: ${go}`],
    })
    this.log({
      level: 'info',
      caller: 'embed/etcd.go:311',
      msg: 'starting an etcd server',
      fields: {
        'etcd-version': v,
        'go-version': go,
        name: c.name,
        'data-dir': c.dataDir,
        'listen-client-urls': c.listenClientUrls,
        'advertise-client-urls': c.advertiseClientUrls,
        'initial-cluster': c.initialCluster,
        'initial-cluster-state': c.initialClusterState,
        'initial-cluster-token': c.initialClusterToken,
      },
      capnslog: ['embed', `name = ${c.name}`],
    })
    if (this.profile.etcd.capnslog) {
      this.log({ level: 'info', caller: '', msg: '', capnslog: ['embed', `data dir = ${c.dataDir}`] })
      this.log({
        level: 'info',
        caller: '',
        msg: '',
        capnslog: ['embed', `member dir = ${c.dataDir}/member`],
      })
      this.log({
        level: 'info',
        caller: '',
        msg: '',
        capnslog: ['embed', `initial cluster = ${c.initialCluster}`],
      })
    }
    // TLS files are read at start, as etcd does; a missing one stops it.
    for (const [label, path] of [
      ['cert', c.certFile],
      ['key', c.keyFile],
      ['ca', c.trustedCaFile],
    ] as const) {
      if (!path) continue
      try {
        this.tls[label] = await this.fs.readFile(absolute(path))
      } catch {
        this.log({
          level: 'fatal',
          caller: 'etcdmain/etcd.go:204',
          msg: 'discovery failed',
          fields: { error: `open ${path}: no such file or directory` },
          capnslog: ['etcdmain', `open ${path}: no such file or directory`],
        })
        return this.exit(1)
      }
    }
    const walBytes = await readBytes(this.fs, this.walPath)
    if (walBytes) {
      let wal: WalContent
      try {
        wal = decodeWal(walBytes)
      } catch (err) {
        this.log({
          level: 'fatal',
          caller: 'etcdserver/storage.go:104',
          msg: 'failed to read WAL',
          fields: { error: (err as Error).message },
          capnslog: ['etcdserver', `failed to read WAL (${(err as Error).message})`],
        })
        return this.exit(1)
      }
      this.clusterId = BigInt(`0x${wal.clusterId}`)
      this.memberId = BigInt(`0x${wal.localMemberId}`)
      this.token = wal.token
      this.members = wal.members
      this.term = wal.term
      this.index = wal.index
      const dbBytes = await readBytes(this.fs, this.dbPath)
      if (dbBytes) {
        try {
          const db = decodeDb(dbBytes)
          this.keyspace = db.keyspace
          // alarms live in the db: a NOSPACE raised before a restart is still raised after it
          this.alarms = (db.alarms ?? []).map((a) => ({ memberId: BigInt(a.memberId), alarm: a.alarm }))
          this.term = Math.max(this.term, db.term)
          this.index = Math.max(this.index, db.index)
        } catch (err) {
          this.log({
            level: 'fatal',
            caller: 'etcdserver/backend.go:151',
            msg: 'failed to open database',
            fields: { error: (err as StorageError).message },
          })
          return this.exit(1)
        }
      }
      this.log({
        level: 'info',
        caller: 'etcdserver/server.go:530',
        msg: 'No snapshot found. Recovering WAL from scratch!',
        capnslog: [
          'etcdserver',
          `restarting member ${hexId(this.memberId)} in cluster ${hexId(this.clusterId)} at commit index ${this.index}`,
        ],
      })
      this.log({
        level: 'info',
        caller: 'etcdserver/raft.go:536',
        msg: 'restarting local member',
        fields: {
          'cluster-id': hexId(this.clusterId),
          'local-member-id': hexId(this.memberId),
          'commit-index': this.index,
        },
      })
    } else if (c.initialClusterState === 'existing') {
      const joined = this.runtime.findClusterToJoin(this)
      if (typeof joined === 'string') {
        this.log({
          level: 'fatal',
          caller: 'etcdmain/etcd.go:204',
          msg: 'discovery failed',
          fields: { error: joined },
          capnslog: ['etcdmain', joined],
        })
        return this.exit(1)
      }
      this.clusterId = joined.clusterId
      this.memberId = joined.memberId
      this.members = joined.members
      this.token = c.initialClusterToken
      this.keyspace = joined.keyspace.clone()
      await this.writeFreshDirs()
    } else {
      const err = verifyBootstrap(c)
      if (err) {
        this.log({
          level: 'fatal',
          caller: 'etcdmain/etcd.go:204',
          msg: 'discovery failed',
          fields: { error: err },
          capnslog: ['etcdmain', err],
        })
        return this.exit(1)
      }
      const boot = bootstrapMembership(c.initialCluster, c.initialClusterToken) as Bootstrap
      this.clusterId = boot.clusterId
      this.members = boot.members
      this.memberId = BigInt(`0x${boot.members.find((m) => m.name === c.name)?.id ?? '0'}`)
      this.token = c.initialClusterToken
      this.term = 1
      this.index = boot.members.length
      await this.writeFreshDirs()
      this.log({
        level: 'info',
        caller: 'etcdserver/raft.go:495',
        msg: 'starting local member',
        fields: { 'local-member-id': hexId(this.memberId), 'cluster-id': hexId(this.clusterId) },
        capnslog: [
          'etcdserver',
          `starting member ${hexId(this.memberId)} in cluster ${hexId(this.clusterId)}`,
        ],
      })
    }
    // A running member keeps a spare preallocated segment (0.tmp) beside its WAL.
    await preallocateWal(this.fs, this.walPath.replace(/\/[^/]+$/, ''), WAL_FILE).catch(() => {})
    const bindError = this.listen()
    if (bindError) {
      this.log({
        level: 'fatal',
        caller: 'etcdmain/etcd.go:204',
        msg: 'discovery failed',
        fields: { error: bindError },
        capnslog: ['etcdmain', bindError],
      })
      return this.exit(1)
    }
    this.status = 'running'
    this.runtime.admit(this)
    this.log({
      level: 'info',
      caller: 'embed/serve.go:250',
      msg: 'serving client traffic securely',
      fields: { address: this.config.listenClientUrls.map((u) => u.replace(/^\w+:\/\//, '')).join(',') },
      capnslog: [
        'embed',
        `serving client requests on ${this.config.listenClientUrls.map((u) => u.replace(/^\w+:\/\//, '')).join(', ')}`,
      ],
    })
  }

  private argsEcho(): string[] {
    return this.args
  }

  private async writeFreshDirs(): Promise<void> {
    await this.fs.mkdir(`${this.dataDir}/member/snap`, { recursive: true })
    await this.fs.mkdir(this.walPath.replace(/\/[^/]+$/, ''), { recursive: true })
    await this.writeWal()
    await this.flushNow()
    for (const f of [this.dbPath, this.walPath]) await this.fs.chmod(f, 0o600).catch(() => {})
    const walDir = this.walPath.replace(/\/[^/]+$/, '')
    for (const d of [this.dataDir, `${this.dataDir}/member`, `${this.dataDir}/member/snap`, walDir])
      await this.fs.chmod(d, 0o700).catch(() => {})
  }

  async writeWal(): Promise<void> {
    const wal: WalContent = {
      clusterId: hexId(this.clusterId),
      localMemberId: hexId(this.memberId),
      token: this.token,
      members: this.group?.members ?? this.members,
      term: this.raftTerm,
      index: this.raftIndex,
    }
    try {
      // A data dir deleted under a running member stays deleted: etcd writes to open files.
      if (!(await this.fs.exists(this.walPath.replace(/\/[^/]+$/, '')))) return
      await this.fs.writeFile(this.walPath, encodeWal(wal))
      preallocate(this.fs, this.walPath, WAL_SEGMENT_BYTES)
    } catch {
      // The directory went away under a running member; etcd keeps serving from memory.
    }
  }

  private dbCache: { ks: Keyspace; key: string; bytes: Uint8Array } | undefined

  /** The db file's bytes; encoded once per state (flushes and snapshots share them). */
  dbBytes(): Uint8Array {
    const members = this.group?.members ?? this.members
    const alarms = (this.group?.alarms ?? this.alarms).map((a) => `${a.memberId}:${a.alarm}`).join(',')
    const key = `${alarms}/${this.data.revision}/${this.data.compactRevision}/${this.data.writtenBytes}/${this.raftTerm}/${this.raftIndex}/${members.map((m) => `${m.id}:${m.name}:${m.clientURLs.join(' ')}:${m.isLearner ? 1 : 0}`).join(',')}`
    if (this.dbCache?.ks === this.data && this.dbCache.key === key) return this.dbCache.bytes
    const bytes = this.encodeDbNow()
    this.dbCache = { ks: this.data, key, bytes }
    return bytes
  }

  private encodeDbNow(): Uint8Array {
    return encodeDb({
      keyspace: this.data,
      term: this.raftTerm,
      index: this.raftIndex,
      membership: { clusterId: hexId(this.clusterId), members: this.group?.members ?? this.members },
      alarms: (this.group?.alarms ?? this.alarms).map((a) => ({
        memberId: String(a.memberId),
        alarm: a.alarm,
      })),
    })
  }

  /**
   * Write the db file. A full disk ends the member the way etcd 3.5.16 ends on
   * one (verified on a tmpfs, test/conformance/etcd35/golden/real-etcd-3.5.16-disk-full.txt):
   * a fatal "failed to commit tx" naming the db write's ENOSPC, then exit 1.
   * Returns whether the db on disk now holds the keyspace.
   */
  async flushNow(): Promise<boolean> {
    try {
      if (!(await this.fs.exists(`${this.dataDir}/member/snap`))) return false
      const fresh = !(await this.fs.exists(this.dbPath))
      await this.fs.writeFile(this.dbPath, this.dbBytes())
      // bbolt creates the db file 0600.
      if (fresh) await this.fs.chmod(this.dbPath, 0o600)
      return true
    } catch (err) {
      if (
        /No space left on device|ENOSPC/.test(String((err as Error)?.message)) &&
        this.status === 'running'
      ) {
        this.log({
          level: 'fatal',
          caller: 'backend/batch_tx.go:282',
          msg: 'failed to commit tx',
          fields: { error: `write ${this.dbPath}: no space left on device` },
          capnslog: ['mvcc/backend', `failed to commit tx: write ${this.dbPath}: no space left on device`],
        })
        this.exit(1)
      }
      // Otherwise see writeWal.
      return false
    }
  }

  /** Write the db file once the current burst of changes is over. */
  queueFlush(): void {
    if (this.flushQueued || this.status !== 'running') return
    this.flushQueued = true
    queueMicrotask(() => {
      this.flushQueued = false
      void this.flushNow()
    })
  }

  private listen(): string | undefined {
    const net = this.runtime.cluster.network
    const binds: Array<{ url: string; kind: string }> = [
      ...this.config.listenClientUrls.map((url) => ({ url, kind: 'etcd-client' })),
      ...this.config.listenPeerUrls.map((url) => ({ url, kind: 'etcd-peer' })),
      ...this.config.listenMetricsUrls.map((url) => ({ url, kind: 'etcd-metrics' })),
    ]
    for (const b of binds) {
      const p = parseEndpoint(b.url)
      if (!p) return `unexpected URL "${b.url}"`
      const host = p.host === 'localhost' ? '127.0.0.1' : p.host
      const taken = net
        .all()
        .some(
          (l) =>
            l.nodeName === this.node.name &&
            l.port === p.port &&
            (l.host === host || l.host === '0.0.0.0' || host === '0.0.0.0'),
        )
      if (taken) {
        for (const u of this.unlisten.splice(0)) u()
        return `listen tcp ${host}:${p.port}: bind: address already in use`
      }
      this.unlisten.push(
        net.listen<EtcdProcess>({
          nodeName: this.node.name,
          host,
          port: p.port,
          scheme: p.scheme === 'https' ? 'https' : 'http',
          kind: b.kind,
          service: this,
        }),
      )
    }
    return undefined
  }

  private exit(code: number): void {
    for (const u of this.unlisten.splice(0)) u()
    const wasRunning = this.status === 'running'
    this.status = 'exited'
    this.exitCode = code
    if (wasRunning) this.runtime.release(this)
    else this.runtime.forget(this)
    for (const l of this.stopListeners) l()
  }

  /** `member remove` of this member: etcd logs it and exits. */
  async removedFromCluster(): Promise<void> {
    this.log({
      level: 'warn',
      caller: 'etcdserver/server.go:1093',
      msg: 'server error',
      fields: { error: 'the member has been permanently removed from the cluster' },
      capnslog: ['etcdserver', 'the member has been permanently removed from the cluster'],
    })
    this.exit(0)
  }

  /** SIGTERM: flush and leave. */
  async stop(): Promise<void> {
    await this.ready
    if (this.status !== 'running') return
    await this.flushNow()
    await this.writeWal()
    this.log({
      level: 'info',
      caller: 'embed/etcd.go:375',
      msg: 'closing etcd server',
      fields: { name: this.name, 'data-dir': this.config.dataDir },
      capnslog: ['etcdmain', 'received terminated signal, shutting down...'],
    })
    this.exit(0)
  }
}

function absolute(p: string): string {
  return p.startsWith('/') ? p : `/${p}`
}

async function readBytes(fs: IFileSystem, path: string): Promise<Uint8Array | undefined> {
  try {
    return await fs.readFileBuffer(path)
  } catch {
    return undefined
  }
}

function memberSet(members: MemberRecord[]): string {
  return members
    .map((m) => m.id)
    .sort()
    .join(',')
}

export interface Bootstrap {
  clusterId: bigint
  members: MemberRecord[]
}

/** A new cluster's membership from --initial-cluster and the token. */
export function bootstrapMembership(initialCluster: string, token: string): Bootstrap | string {
  const parsed = parseInitialCluster(initialCluster)
  if (typeof parsed === 'string') return parsed
  const members: MemberRecord[] = []
  for (const [name, peerURLs] of parsed) {
    members.push({ id: hexId(computeMemberId(peerURLs, token)), name, peerURLs, clientURLs: [] })
  }
  const clusterId = computeClusterId(members.map((m) => BigInt(`0x${m.id}`)))
  return { clusterId, members }
}

/** Running members that share a cluster ID; with a quorum they have a leader and one keyspace. */
export class RaftGroup {
  readonly processes: EtcdProcess[] = []
  leader: EtcdProcess | undefined
  term: number
  index: number
  keyspace: Keyspace
  members: MemberRecord[]
  versionSet = false
  lastLeaderId = 0n
  /** Raised alarms, kept until `alarm disarm`; in every member's db, so they survive a restart as in etcd. */
  alarms: Array<{ memberId: bigint; alarm: 'NOSPACE' | 'CORRUPT' }> = []

  constructor(
    readonly clusterId: bigint,
    first: EtcdProcess,
  ) {
    this.alarms = first.alarms.map((a) => ({ ...a }))
    this.term = first.term
    this.index = first.index
    this.keyspace = first.keyspace
    this.members = first.members.map((m) => ({ ...m }))
    this.versionSet = first.index > first.members.length
  }

  /** Learners replicate but do not vote, so they do not count towards the quorum. */
  get quorum(): number {
    return Math.floor(this.members.filter((m) => !m.isLearner).length / 2) + 1
  }

  /** Record a change: raft index moves and every member writes its db. */
  commit(): void {
    this.index++
    this.flush()
  }

  /** Every member writes its db file at the end of this burst of changes. */
  flush(): void {
    for (const p of this.processes) p.queueFlush()
    for (const p of this.processes) p.node.cluster.notifyChange()
  }
}

export class EtcdRuntime {
  readonly processes = new Set<EtcdProcess>()
  /** Groups of running members: same cluster ID and the same membership (a restore starts a new one). */
  readonly groups = new Set<RaftGroup>()
  private mismatchLogged = new Set<string>()

  constructor(readonly cluster: SimCluster) {}

  start(node: SimNode, args: string[], fs: IFileSystem = node.fs): EtcdProcess {
    const p = new EtcdProcess(this, node, args, fs)
    this.processes.add(p)
    return p
  }

  /** Running members on a node. */
  onNode(nodeName: string): EtcdProcess[] {
    return [...this.processes].filter((p) => p.node.name === nodeName && p.status === 'running')
  }

  admit(p: EtcdProcess): void {
    const mine = memberSet(p.members)
    let g = [...this.groups].find((x) => x.clusterId === p.clusterId && memberSet(x.members) === mine)
    if (!g) {
      g = new RaftGroup(p.clusterId, p)
      this.groups.add(g)
    } else if (p.index > g.index || (p.index === g.index && p.keyspace.revision > g.keyspace.revision)) {
      // A member that is ahead brings its log; the others catch up from it.
      g.keyspace = p.keyspace
      g.index = p.index
      g.term = Math.max(g.term, p.term)
    }
    g.processes.push(p)
    p.group = g
    // Publish this member's name and client URLs (etcd does it through raft).
    const me = g.members.find((m) => m.id === hexId(p.memberId))
    if (me) {
      me.name = p.name
      me.clientURLs = [...p.config.advertiseClientUrls]
    }
    this.recompute()
  }

  release(p: EtcdProcess): void {
    const g = p.group
    if (g) {
      p.keyspace = g.keyspace.clone()
      p.term = g.term
      p.index = g.index
      p.members = g.members.map((m) => ({ ...m }))
      g.processes.splice(g.processes.indexOf(p), 1)
      if (g.leader === p) g.leader = undefined
      if (g.processes.length === 0) this.groups.delete(g)
      p.group = undefined
    }
    this.processes.delete(p)
    this.recompute()
  }

  forget(p: EtcdProcess): void {
    this.processes.delete(p)
  }

  /** The peer listener a URL reaches from a node, if an etcd member answers there. */
  peerAt(fromNode: string, url: string): EtcdProcess | undefined {
    const u = parseEndpoint(url)
    if (!u) return undefined
    const l: Listener | undefined = this.cluster.network.connect(fromNode, u.host, u.port)
    if (l?.kind !== 'etcd-peer') return undefined
    const proc = l.service as EtcdProcess
    return proc.status === 'running' ? proc : undefined
  }

  /** Elect leaders where a quorum can talk, log cluster ID mismatches where it cannot. */
  recompute(): void {
    for (const g of this.groups) {
      const reach = new Map<EtcdProcess, number>()
      for (const p of g.processes) {
        let n = 1
        const self = g.members.find((m) => m.id === hexId(p.memberId))
        if (!self || self.isLearner) {
          reach.set(p, 0)
          continue
        }
        for (const m of g.members) {
          if (m.id === hexId(p.memberId) || m.isLearner) continue
          for (const url of m.peerURLs) {
            const other = this.peerAt(p.node.name, url)
            if (!other) continue
            if (other.clusterId !== p.clusterId) {
              this.logMismatch(p, other)
              continue
            }
            if (other.group !== g) {
              this.logUnknownPeer(p, other)
              continue
            }
            if (hexId(other.memberId) === m.id && g.processes.includes(other)) {
              n++
              break
            }
          }
        }
        reach.set(p, n)
      }
      const eligible = g.processes.filter((p) => (reach.get(p) ?? 0) >= g.quorum)
      let changed = false
      if (!g.leader || !eligible.includes(g.leader)) {
        const previous = g.leader
        g.leader = undefined
        if (eligible.length === 0) {
          if (previous) for (const p of g.processes) this.logLostLeader(p, previous)
        } else {
          // The last leader wins again when it can (its log is the longest); otherwise the
          // member that has waited longest, then the lowest ID: deterministic, unlike raft's timers.
          const leader = (eligible.find((p) => p.memberId === g.lastLeaderId) ??
            [...eligible].sort(
              (a, b) => a.startedAt - b.startedAt || (a.memberId < b.memberId ? -1 : 1),
            )[0]) as EtcdProcess
          g.lastLeaderId = leader.memberId
          g.term++
          g.leader = leader
          g.index++ // the new leader's empty entry
          for (const p of g.processes) this.logElected(p, leader, g.term)
          changed = true
        }
      }
      if (g.leader) {
        for (const p of g.processes) {
          if (p.published) continue
          p.published = true
          g.index++ // the member publishes its name and client URLs through raft
          changed = true
        }
        if (!g.versionSet) {
          g.versionSet = true
          g.index++ // the leader sets the cluster version
        }
      }
      if (changed) {
        g.flush()
        for (const p of g.processes) void p.writeWal()
      }
    }
  }

  private logElected(p: EtcdProcess, leader: EtcdProcess, term: number): void {
    const me = hexId(p.memberId)
    const lid = hexId(leader.memberId)
    if (p === leader) {
      p.log({
        level: 'info',
        caller: 'raft/raft.go:923',
        msg: `${me} is starting a new election at term ${term - 1}`,
        capnslog: ['raft', `${me} is starting a new election at term ${term - 1}`],
      })
      p.log({
        level: 'info',
        caller: 'raft/raft.go:713',
        msg: `${me} became candidate at term ${term}`,
        capnslog: ['raft', `${me} became candidate at term ${term}`],
      })
      p.log({
        level: 'info',
        caller: 'raft/raft.go:765',
        msg: `${me} became leader at term ${term}`,
        capnslog: ['raft', `${me} became leader at term ${term}`],
      })
    }
    p.log({
      level: 'info',
      caller: 'raft/node.go:325',
      msg: `raft.node: ${me} elected leader ${lid} at term ${term}`,
      capnslog: ['raft', `raft.node: ${me} elected leader ${lid} at term ${term}`],
    })
    if (!p.profile.etcd.capnslog) {
      p.log({
        level: 'info',
        caller: 'etcdserver/server.go:2068',
        msg: 'published local member to cluster through raft',
        fields: {
          'local-member-id': me,
          'local-member-attributes': `{Name:${p.name} ClientURLs:[${p.config.advertiseClientUrls.join(' ')}]}`,
          'request-path': `/0/members/${me}/attributes`,
          'cluster-id': hexId(p.clusterId),
          'publish-timeout': '7s',
        },
      })
    } else {
      p.log({
        level: 'info',
        caller: '',
        msg: '',
        capnslog: [
          'etcdserver',
          `published {Name:${p.name} ClientURLs:[${p.config.advertiseClientUrls.join(' ')}]} to cluster ${hexId(p.clusterId)}`,
        ],
      })
    }
  }

  private logLostLeader(p: EtcdProcess, previous: EtcdProcess): void {
    const me = hexId(p.memberId)
    p.log({
      level: 'info',
      caller: 'raft/node.go:327',
      msg: `raft.node: ${me} lost leader ${hexId(previous.memberId)} at term ${p.raftTerm}`,
      capnslog: ['raft', `raft.node: ${me} lost leader ${hexId(previous.memberId)} at term ${p.raftTerm}`],
    })
  }

  /** Same cluster ID, different membership (e.g. one member restored alone): the peer is not known there. */
  private logUnknownPeer(sender: EtcdProcess, receiver: EtcdProcess): void {
    const key = `unknown/${sender.startedAt}/${hexId(sender.memberId)}->${receiver.startedAt}/${hexId(receiver.memberId)}`
    if (this.mismatchLogged.has(key)) return
    this.mismatchLogged.add(key)
    receiver.log({
      level: 'warn',
      caller: 'rafthttp/http.go:394',
      msg: 'failed to find remote peer in cluster',
      fields: {
        'local-member-id': hexId(receiver.memberId),
        'remote-peer-id-stream-handler': hexId(receiver.memberId),
        'remote-peer-id-from': hexId(sender.memberId),
        'cluster-id': hexId(receiver.clusterId),
      },
      capnslog: [
        'rafthttp',
        `failed to find member ${hexId(sender.memberId)} in cluster ${hexId(receiver.clusterId)}`,
      ],
    })
  }

  private logMismatch(sender: EtcdProcess, receiver: EtcdProcess): void {
    const key = `${sender.startedAt}/${hexId(sender.memberId)}->${receiver.startedAt}/${hexId(receiver.memberId)}`
    if (this.mismatchLogged.has(key)) return
    this.mismatchLogged.add(key)
    const local = hexId(receiver.clusterId)
    const remote = hexId(sender.clusterId)
    receiver.log({
      level: 'warn',
      caller: 'rafthttp/http.go:500',
      msg: 'request cluster ID mismatch',
      fields: {
        'local-member-id': hexId(receiver.memberId),
        'local-member-cluster-id': local,
        'local-member-server-version': receiver.profile.etcdVersion,
        'local-member-server-minimum-cluster-version': '3.0.0',
        'remote-peer-server-name': hexId(sender.memberId),
        'remote-peer-server-version': sender.profile.etcdVersion,
        'remote-peer-server-minimum-cluster-version': '3.0.0',
        'remote-peer-cluster-id': remote,
      },
      capnslog: ['rafthttp', `request cluster ID mismatch (got ${remote} want ${local})`],
    })
    sender.log({
      level: 'warn',
      caller: 'rafthttp/stream.go:653',
      msg: 'request sent was ignored by remote peer due to cluster ID mismatch',
      fields: {
        'remote-peer-id': hexId(receiver.memberId),
        'remote-peer-cluster-id': local,
        'local-member-id': hexId(sender.memberId),
        'local-member-cluster-id': remote,
        error: 'cluster ID mismatch',
      },
      capnslog: [
        'rafthttp',
        `request sent was ignored (cluster ID mismatch: peer[${hexId(receiver.memberId)}]=${local}, local=${remote})`,
      ],
    })
  }

  /** A member starting with --initial-cluster-state=existing and no WAL asks its peers for the membership. */
  findClusterToJoin(
    p: EtcdProcess,
  ): { clusterId: bigint; memberId: bigint; members: MemberRecord[]; keyspace: Keyspace } | string {
    const cluster = parseInitialCluster(p.config.initialCluster)
    if (typeof cluster === 'string') return cluster
    const myUrls = p.config.initialAdvertisePeerUrls
    for (const [name, urls] of cluster) {
      if (name === p.name) continue
      for (const url of urls) {
        const other = this.peerAt(p.node.name, url)
        if (!other?.group) continue
        let me = other.group.members.find((m) => m.peerURLs.some((u) => myUrls.includes(u)))
        if (!me && myUrls[0]) {
          // kubeadm join adds the member (`member add`, a timestamped ID) right before starting it.
          const id = joinedMemberId(myUrls[0], '', Math.floor(this.cluster.clock.now() / 1000))
          me = { id: hexId(id), name: '', peerURLs: [...myUrls], clientURLs: [] }
          other.group.members.push(me)
          other.group.index++
        }
        if (!me)
          return `error validating peerURLs {ClusterID:${hexId(other.clusterId)} Members:[...]}: member count is unequal`
        return {
          clusterId: other.clusterId,
          memberId: BigInt(`0x${me.id}`),
          members: other.group.members.map((m) => ({ ...m })),
          keyspace: other.group.keyspace,
        }
      }
    }
    return 'cannot fetch cluster info from peer urls: could not retrieve cluster information from the given URLs'
  }
}

const RUNTIME_KEY = 'etcd'

/** The cluster's etcd runtime (one per cluster). */
export function etcdRuntime(cluster: SimCluster): EtcdRuntime {
  let r = cluster.extension<EtcdRuntime>(RUNTIME_KEY)
  if (!r) {
    r = new EtcdRuntime(cluster)
    cluster.extensions.set(RUNTIME_KEY, r)
  }
  return r
}

/**
 * Start an etcd member from its command line (`etcd --name … --data-dir …`),
 * with the filesystem the container sees (the node's by default).
 * Await `process.ready` to know it is serving (or has exited; see `status`).
 */
export function startEtcd(o: { node: SimNode; args: string[]; fs?: IFileSystem }): EtcdProcess {
  return etcdRuntime(o.node.cluster).start(o.node, o.args, o.fs ?? o.node.fs)
}

/** Pre-made membership for kubeadm-joined members (IDs with a timestamp, like a runtime member add). */
/** A member added at runtime (`member add`): etcd hashes its peer URLs with no token and the time. */
export function joinedMemberId(peerURL: string, token: string, unixSeconds: number): bigint {
  return computeMemberId([peerURL], token, unixSeconds)
}

/** `etcd --version` inside the etcd container, for the profile's release. */
export function etcdVersionText(profile: Profile): string {
  const { gitSha, goVersion } = profile.etcd
  return `etcd Version: ${profile.etcdVersion}\nGit SHA: ${gitSha}\nGo Version: ${goVersion}\nGo OS/Arch: linux/amd64\n`
}
