import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { proveLab } from './proof'

// The 1.20 reference (etcd 3.4: no etcdutl) is the one the kind suite replays
// on real control planes; here it must pass on the simulator's 1.20 profile too.
proveLab('etcd-ha-restore', [
  {
    title: 'the 1.20 reference solution (etcdctl snapshot restore) on Kubernetes 1.20',
    kubernetes: '1.20',
    script: readFileSync(join(import.meta.dirname, '../../labs/etcd-ha-restore/solution-1.20.sh'), 'utf8'),
  },
])
