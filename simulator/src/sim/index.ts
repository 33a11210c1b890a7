// Loading this module registers every simulated command and cluster plugin.
// Import it (or the sim driver, which does) before creating a cluster.
import './etcd/index'
import './k8s/index'
import './shell/index'
import './linux/index'
import './editors/index'

export { type Clock, RealClock, VirtualClock } from './clock'
export { createSimCluster, type SerializedCluster, SimCluster } from './cluster'
export { SimNode } from './node'
