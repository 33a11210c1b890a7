// The simulator's public face: a cluster is built from explicit parts,
// `createSimCluster(spec, { ...standardParts(), clock })` for a whole kubeadm node.
// Importing this module registers nothing.

export { type Clock, RealClock, VirtualClock } from './clock'
export {
  type ClusterPlugin,
  createSimCluster,
  type SerializedCluster,
  SimCluster,
  type SimParts,
  type TerminalFactory,
} from './cluster'
export { SimNode } from './node'
export { standardParts } from './standard'
