// The etcd part of the simulator: etcd members (server.ts), the client the
// apiserver uses (client.ts), etcdctl and etcdutl, and, until the kubelet
// takes over, a plugin that boots each control plane's etcd at creation.
import { registerCommands } from '../commands/registry'
import { runEtcdctl } from './etcdctl'
import { runEtcdutl } from './etcdutl'
import './static-boot'

registerCommands([
  { name: 'etcdctl', run: runEtcdctl },
  { name: 'etcdutl', available: (node) => node.cluster.profile.hasEtcdutl, run: runEtcdutl },
])

export { type EtcdClient, EtcdClientError, etcdClient, membersOnNode } from './client'
export { type EtcdProcess, etcdRuntime, etcdVersionText, startEtcd } from './server'
export { addJoiningMember, bootStaticEtcd, etcdArgsFromManifest, STATIC_BOOT_PLUGIN } from './static-boot'
