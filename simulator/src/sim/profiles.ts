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
