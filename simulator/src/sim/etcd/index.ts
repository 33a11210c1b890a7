// The etcd part of the simulator.
// - server.ts: members as processes (startEtcd), the raft groups they form, data dirs in the VFS
// - client.ts: how clients reach a member (dial, TLS) and etcdClient for the apiserver
// - keyspace.ts / storage.ts / ids.ts: MVCC keyspace, db/WAL/snapshot files, member and cluster IDs
// - etcdctl.ts (with etcdctl-flags/-client/-cluster/-kv/-snapshot/-v2.ts) / etcdutl.ts / snapshot.ts /
//   help.ts: the command-line tools; what differs per etcd release is in ../profiles.ts (EtcdFacts)
// - static-boot.ts: starts each control plane's etcd at creation when no kubelet does
import type { SimCommand } from '../commands/types'
import { runEtcdctl } from './etcdctl'
import { runEtcdutl } from './etcdutl'

/** etcdctl and, from etcd 3.5 on, etcdutl. */
export const etcdCommands: SimCommand[] = [
  { name: 'etcdctl', run: runEtcdctl },
  { name: 'etcdutl', available: (node) => node.cluster.profile.hasEtcdutl, run: runEtcdutl },
]

export { type EtcdClient, EtcdClientError, etcdClient, membersOnNode } from './client'
export { type EtcdProcess, etcdRuntime, etcdVersionText, startEtcd } from './server'
export {
  addJoiningMember,
  bootStaticEtcd,
  etcdArgsFromManifest,
  etcdStaticBootPlugin,
  STATIC_BOOT_PLUGIN,
} from './static-boot'
