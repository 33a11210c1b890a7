import type { SimNode } from '../node'
import type { BindMount } from './container-fs'
import { agentOf } from './world'

// What a grader needs to know about the running etcd, read from the live
// container rather than the manifest or the (possibly stale) mirror pod:
// its command line, mounts, and where its data directory really is.

export interface EtcdContainerView {
  containerId: string
  startedAt: number
  argv: string[]
  mounts: BindMount[]
  /** --data-dir as etcd sees it (a container path). */
  dataDir: string
  /** The node path behind it, or undefined when it lives in the container's own rootfs (lost on restart). */
  hostDataDir: string | undefined
}

export function runningEtcd(node: SimNode): EtcdContainerView | undefined {
  const c = agentOf(node)
    .runtime.running()
    .find((x) => x.name === 'etcd' && x.podNamespace === 'kube-system')
  if (!c) return undefined
  const flag = c.argv.find((a) => a.startsWith('--data-dir='))
  const i = c.argv.indexOf('--data-dir')
  const raw = flag ? flag.slice('--data-dir='.length) : i >= 0 ? (c.argv[i + 1] ?? '') : 'default.etcd'
  const dataDir = raw.startsWith('/') ? raw : `/${raw}`
  return {
    containerId: c.id,
    startedAt: c.startedAt,
    argv: [...c.argv],
    mounts: c.mounts.map((m) => ({ ...m })),
    dataDir,
    hostDataDir: c.fs.hostPathOf(dataDir),
  }
}
