import type { ProfileId } from '../seam'

// A version profile selects what kubeadm writes and which etcd binaries the
// node has. Numbers come from ../shared/reference/etcd-kubeadm-kind.md §2.5.

export type EtcdMinor = '3.4' | '3.5' | '3.6'

export interface Profile {
  id: ProfileId
  /** Full Kubernetes version, e.g. v1.34.1. */
  kubernetesVersion: string
  /** etcd server and client version, e.g. 3.6.4. */
  etcdVersion: string
  etcdMinor: EtcdMinor
  /** Image tag kubeadm pins, e.g. registry.k8s.io/etcd:3.6.4-0. */
  etcdImage: string
  /** Image registry prefix kubeadm used for this release. */
  registry: string
  pauseImage: string
  /** Which binaries exist on the simulated node. */
  hasEtcdutl: boolean
  /** Does `etcdctl snapshot restore|status` exist (3.4, 3.5 deprecated) */
  etcdctlHasRestore: boolean
  /** Is etcdutl in the etcd container image (3.6 yes, 3.5 no). */
  etcdutlInImage: boolean
  /** containerd / crictl versions shown by crictl version. */
  containerdVersion: string
  goVersion: string
  /** The etcd release's differences from the others. */
  etcd: EtcdFacts
}

/**
 * What one etcd minor release's server and tools do differently from the
 * others, as capabilities the simulator asks for (instead of comparing
 * version numbers where it prints). Where each text was verified:
 * docs/reference/etcd-versions.md. Line numbers are zap's callers.
 */
export interface EtcdFacts {
  /** `etcd --version`: the release's Git SHA and Go version. */
  gitSha: string
  goVersion: string
  /** etcd logs through capnslog (3.4 as kubeadm runs it) rather than zap JSON. */
  capnslog: boolean
  /** The etcd image has a shell (3.4's debian-base); 3.5+ images are distroless. */
  imageHasShell: boolean
  /** /livez and /readyz exist and /health says why it is unhealthy (3.5+). */
  healthReasons: boolean
  /** Client errors in today's Go and grpc-go wording (3.5+ builds). */
  modernGrpcErrors: boolean
  /** A restore refuses a non-empty data dir (3.5+) rather than any existing one (3.4). */
  restoreIntoEmptyDir: boolean
  /** Keys bbolt holds besides the key bucket (members, meta, cluster version …). */
  snapshotOverheadKeys: number
  /** The storage version 3.6 writes and reports (`snapshot status`, `endpoint status`, snapshot save). */
  storageVersion?: string
  /**
   * `snapshot restore`'s log: zap JSON with float-second times (3.4's etcdctl)
   * or the console encoder (3.5+ etcdctl and etcdutl), with each line's caller;
   * 3.5+ also log each peer URL netutil resolves and the memory map size.
   */
  restoreLog: {
    console: boolean
    restoring: string
    restored: string
    addedMember: string
    trimming?: string
    addedPeerIsLearner: boolean
    memoryMapSize: boolean
    resolvedUrl?: string
  }
  /** etcdutl's top-level commands (`etcdutl --help`); undefined where there is no etcdutl. */
  etcdutlCommands?: string[]
  /** etcdutl 3.5: `snapshot save` is a deprecated stub and `snapshot restore` requires --data-dir. */
  etcdutlSaveStub: boolean
  etcdutlRestoreNeedsDataDir: boolean
  etcdctl: EtcdctlFacts
}

export interface EtcdctlFacts {
  /** ETCDCTL_API=2 selects the v2 client (3.4, 3.5); 3.6 takes ETCDCTL_API for an unknown variable. */
  api2: boolean
  /** How a bad ETCDCTL_API value is refused, before the value. */
  unsupportedApi: string
  /** Flags that came with 3.5: get --count-only, restore --bump-revision/--mark-compacted. */
  flagsOf35: boolean
  /** `downgrade cancel|enable|validate` (3.6: etcdctl/ctlv3/command/downgrade_command.go at v3.6.4). */
  downgradeCommands: boolean
  /** --max-recv-bytes and --max-request-bytes (3.6: etcdctl/ctlv3/ctl.go at v3.6.4; 3.5.16 refuses them). */
  clientSizeFlags: boolean
  /** They say `Deprecated: Use etcdutl …` first (3.5). */
  restoreDeprecated: boolean
  /** pkg/flags' lines for ETCDCTL_* variables: capnslog (3.4) or zap at these flag.go lines. */
  envLog: 'capnslog' | { unrecognized: number; conflict: number }
  /**
   * zap's stack traces on error and fatal lines, as the named build prints them
   * (the frames' lines depend on the build: Debian's 3.4.23 and 3.5.16 were
   * captured; 3.6's are not printed, no binary was at hand).
   */
  stacks?: 'v3.4.23' | 'v3.5.16'
  /**
   * clientv3's package in zap callers and its retry/stream interceptor lines;
   * 3.4's balancer (endpoint://client-<uuid> targets, "all SubConns are in
   * TransientFailure").
   */
  client: { caller: 'clientv3' | 'v3'; retryLine: number; streamLine: number; oldBalancer: boolean }
  /** `member list` needs a leader (linearizable) unless --consistency=s (3.5+). */
  memberListLinearizable: boolean
  /** `member list -w json --hex` prints IDs in hex (3.5+), and how its printer spells clientURLs. */
  hexMemberIds: boolean
  hexClientUrlsKey: string
  /** `member add --learner` says "as learner" (3.5+). */
  learnerWording: boolean
  /** Which client a dead endpoint's retry warning comes from in `endpoint status`: one per endpoint (passthrough target, 3.4), the shared one (first endpoint, 3.5), one per endpoint (3.6). */
  statusClient: 'passthrough' | 'shared' | 'own'
  /** `defrag` asks each endpoint through the shared client (3.5) or its own (3.4, 3.6), and says how long it took (3.6). */
  defragClient: 'shared' | 'own'
  defragTook: boolean
  /** `endpoint health` logs through a client named "client" (3.5), prints healthy endpoints on stdout (3.5+). */
  healthLogger?: string
  healthyToStdout: boolean
  /** `snapshot save`: v3_snapshot.go lines of its four log lines, the maintenance client's two, how it reports "took", its refusals' argument hint. */
  snapshotSave: {
    lines: [number, number, number, number]
    maintenance: [string, string]
    took: 'seconds' | 'now' | 'duration'
    argHint: string
    /** The logger of the stream error line. */
    streamLogger: string
  }
}

const ETCD_34: EtcdFacts = {
  gitSha: 'ae9734ed2',
  goVersion: 'go1.12.17',
  capnslog: true,
  imageHasShell: true,
  healthReasons: false,
  modernGrpcErrors: false,
  restoreIntoEmptyDir: false,
  snapshotOverheadKeys: 4,
  restoreLog: {
    console: false,
    restoring: 'snapshot/v3_snapshot.go:296',
    restored: 'snapshot/v3_snapshot.go:309',
    addedMember: 'membership/cluster.go:392',
    addedPeerIsLearner: false,
    memoryMapSize: false,
  },
  etcdutlSaveStub: false,
  etcdutlRestoreNeedsDataDir: false,
  etcdctl: {
    api2: true,
    unsupportedApi: 'unsupported API version ',
    flagsOf35: false,
    clientSizeFlags: false,
    downgradeCommands: false,
    restoreDeprecated: false,
    envLog: 'capnslog',
    stacks: 'v3.4.23',
    client: { caller: 'clientv3', retryLine: 62, streamLine: 129, oldBalancer: true },
    memberListLinearizable: false,
    hexMemberIds: false,
    hexClientUrlsKey: 'clientURLs',
    learnerWording: false,
    statusClient: 'passthrough',
    defragClient: 'own',
    defragTook: false,
    healthyToStdout: false,
    snapshotSave: {
      lines: [119, 127, 142, 152],
      maintenance: ['clientv3/maintenance.go:200', 'clientv3/maintenance.go:208'],
      took: 'seconds',
      argHint: '',
      streamLogger: '',
    },
  },
}

const ETCD_35: EtcdFacts = {
  gitSha: '9a5533382',
  goVersion: 'go1.21.12',
  capnslog: false,
  imageHasShell: false,
  healthReasons: true,
  modernGrpcErrors: true,
  restoreIntoEmptyDir: true,
  snapshotOverheadKeys: 6,
  restoreLog: {
    console: true,
    restoring: 'snapshot/v3_snapshot.go:265',
    restored: 'snapshot/v3_snapshot.go:293',
    addedMember: 'membership/cluster.go:421',
    trimming: 'membership/store.go:141',
    addedPeerIsLearner: false,
    memoryMapSize: true,
    resolvedUrl: 'netutil/netutil.go:112',
  },
  // 3.5.16's `etcdutl --help` (binary): backup, no check, hashkv or migrate
  etcdutlCommands: ['backup', 'completion', 'defrag', 'help', 'snapshot', 'version'],
  etcdutlSaveStub: true,
  etcdutlRestoreNeedsDataDir: true,
  etcdctl: {
    api2: true,
    unsupportedApi: 'unsupported API version: ',
    flagsOf35: true,
    clientSizeFlags: false,
    downgradeCommands: false,
    restoreDeprecated: true,
    envLog: { unrecognized: 93, conflict: 85 },
    stacks: 'v3.5.16',
    client: { caller: 'v3', retryLine: 63, streamLine: 130, oldBalancer: false },
    memberListLinearizable: true,
    hexMemberIds: true,
    hexClientUrlsKey: 'clientURLS',
    learnerWording: true,
    statusClient: 'shared',
    defragClient: 'shared',
    defragTook: false,
    healthLogger: 'client',
    healthyToStdout: true,
    snapshotSave: {
      lines: [65, 73, 88, 97],
      maintenance: ['v3/maintenance.go:212', 'v3/maintenance.go:220'],
      took: 'now',
      argHint: '',
      streamLogger: 'client',
    },
  },
}

const ETCD_36: EtcdFacts = {
  gitSha: '5cd7bd2e6',
  goVersion: 'go1.24.4',
  capnslog: false,
  imageHasShell: false,
  healthReasons: true,
  modernGrpcErrors: true,
  restoreIntoEmptyDir: true,
  snapshotOverheadKeys: 7,
  storageVersion: '3.6.0',
  restoreLog: {
    console: true,
    restoring: 'snapshot/v3_snapshot.go:305',
    restored: 'snapshot/v3_snapshot.go:333',
    addedMember: 'membership/cluster.go:424',
    trimming: 'membership/store.go:138',
    addedPeerIsLearner: true,
    memoryMapSize: true,
    resolvedUrl: 'netutil/netutil.go:113',
  },
  // etcdutl/ctl.go at v3.6.4: no backup, no check
  etcdutlCommands: ['completion', 'defrag', 'hashkv', 'help', 'migrate', 'snapshot', 'version'],
  etcdutlSaveStub: false,
  etcdutlRestoreNeedsDataDir: false,
  etcdctl: {
    api2: false,
    unsupportedApi: 'unsupported API version: ',
    flagsOf35: true,
    clientSizeFlags: true,
    downgradeCommands: true,
    restoreDeprecated: false,
    envLog: { unrecognized: 94, conflict: 86 },
    client: { caller: 'v3', retryLine: 65, streamLine: 130, oldBalancer: false },
    memberListLinearizable: true,
    hexMemberIds: true,
    hexClientUrlsKey: 'clientURLs',
    learnerWording: true,
    statusClient: 'own',
    defragClient: 'own',
    defragTook: true,
    healthyToStdout: true,
    snapshotSave: {
      lines: [83, 96, 111, 121],
      maintenance: ['v3/maintenance.go:236', 'v3/maintenance.go:302'],
      took: 'duration',
      argHint: ' <filename>',
      streamLogger: 'etcd-client',
    },
  },
}

export const PROFILES: Record<ProfileId, Profile> = {
  '1.20': {
    id: '1.20',
    kubernetesVersion: 'v1.20.2',
    etcdVersion: '3.4.13',
    etcdMinor: '3.4',
    etcdImage: 'k8s.gcr.io/etcd:3.4.13-0',
    registry: 'k8s.gcr.io',
    pauseImage: 'k8s.gcr.io/pause:3.2',
    hasEtcdutl: false,
    etcdctlHasRestore: true,
    etcdutlInImage: false,
    containerdVersion: '1.4.0',
    goVersion: 'go1.15.5',
    etcd: ETCD_34,
  },
  '1.31': {
    id: '1.31',
    kubernetesVersion: 'v1.31.1',
    etcdVersion: '3.5.15',
    etcdMinor: '3.5',
    etcdImage: 'registry.k8s.io/etcd:3.5.15-0',
    registry: 'registry.k8s.io',
    pauseImage: 'registry.k8s.io/pause:3.10',
    hasEtcdutl: true,
    etcdctlHasRestore: true,
    etcdutlInImage: false,
    containerdVersion: '1.7.18',
    goVersion: 'go1.22.6',
    etcd: ETCD_35,
  },
  '1.34': {
    id: '1.34',
    kubernetesVersion: 'v1.34.1',
    etcdVersion: '3.6.4',
    etcdMinor: '3.6',
    etcdImage: 'registry.k8s.io/etcd:3.6.4-0',
    registry: 'registry.k8s.io',
    pauseImage: 'registry.k8s.io/pause:3.10.1',
    hasEtcdutl: true,
    etcdctlHasRestore: false,
    etcdutlInImage: true,
    containerdVersion: '2.1.4',
    goVersion: 'go1.24.6',
    etcd: ETCD_36,
  },
}

export const DEFAULT_PROFILE: ProfileId = '1.34'

export function isProfileId(value: string): value is ProfileId {
  return Object.hasOwn(PROFILES, value)
}

export function getProfile(id: string = DEFAULT_PROFILE): Profile {
  if (!isProfileId(id)) {
    throw new Error(`unknown Kubernetes profile "${id}": use one of ${Object.keys(PROFILES).join(', ')}`)
  }
  return PROFILES[id]
}
