// The real etcd 3.5 of this suite: Debian trixie's 3.5.16 unpacked into the
// project's test cache by scripts/ci/install-etcd35.sh (never installed over
// the system's etcd 3.4), started with kubeadm 1.31's flags.

import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { kubeadmEtcdArgs, type RealEtcd, setEtcdBinDir, startRealEtcd } from '../etcd34/realEtcd'

export const ETCD35_VERSION = '3.5.16'
const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..')

/** Where install-etcd35.sh unpacks the packages (CKALAB_ETCD35_DIR overrides, as there). */
export const ETCD35_DIR = process.env.CKALAB_ETCD35_DIR ?? path.join(REPO, '.cache', `etcd-${ETCD35_VERSION}`)
export const ETCD35_BIN = path.join(ETCD35_DIR, 'usr', 'bin')

export const INSTALL_HINT =
  `real etcd ${ETCD35_VERSION} is not in ${ETCD35_BIN} (etcd, etcdctl, etcdutl); ` +
  'unpack it there (no system change, needs apt-get and dpkg) with: bash scripts/ci/install-etcd35.sh'

/** The binaries that are missing, empty when all three are there. */
export function missingBinaries(): string[] {
  return ['etcd', 'etcdctl', 'etcdutl'].filter((b) => !existsSync(path.join(ETCD35_BIN, b)))
}

/** kubeadm 1.31's etcd.yaml flags: 1.20's plus the two experimental ones it added. */
export const kubeadm131EtcdArgs: typeof kubeadmEtcdArgs = (o) => {
  const args = kubeadmEtcdArgs(o)
  const at = args.findIndex((a) => a.startsWith('--initial-advertise-peer-urls='))
  args.splice(
    at,
    0,
    '--experimental-initial-corrupt-check=true',
    '--experimental-watch-progress-notify-interval=5s',
  )
  return args
}

/** Starts the cached etcd 3.5 the kubeadm 1.31 way; lines run afterwards find etcdctl/etcdutl 3.5 first. */
export async function startRealEtcd35(): Promise<RealEtcd> {
  setEtcdBinDir(ETCD35_BIN)
  return startRealEtcd({ args: kubeadm131EtcdArgs, tmpPrefix: 'ckalab-etcd35-' })
}
