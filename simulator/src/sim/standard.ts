import type { SimParts } from './cluster'
import { editorCommands } from './editors/index'
import { etcdCommands } from './etcd/index'
import { k8sCommands, k8sRuntimePlugin } from './k8s/index'
import { linuxCommands } from './linux/index'
import { shellCommands } from './shell/index'
import { openShellTerminal } from './shell/terminal'

// A whole kubeadm control-plane node as the labs need it: the kubelet running
// etcd and the control plane from their static pod manifests, every command
// (etcd, Kubernetes, the shell's, the Debian userland, the editors) and the
// interactive shell. What the sim driver builds; tests compose less when they
// need less (e.g. etcd alone: `{ plugins: [etcdStaticBootPlugin], commands: etcdCommands }`).

export function standardParts(): SimParts {
  return {
    plugins: [k8sRuntimePlugin()],
    // Order matters only for names given twice: the later one replaces the earlier
    // (the userland's `id` and `tail` over the shell's).
    commands: [...etcdCommands, ...k8sCommands, ...shellCommands, ...linuxCommands, ...editorCommands],
    terminal: openShellTerminal,
  }
}
