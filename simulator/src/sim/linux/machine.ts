import { agentOf } from '../k8s/world'
import type { SimNode } from '../node'

// Facts about the simulated machine that several tools print: its kernel,
// memory, boot time and mounted filesystems. One place, so `free`, `top`,
// `ps aux` (%MEM) and `df` agree with each other.

export const KERNEL = {
  release: '6.1.0-27-amd64',
  version: '#1 SMP PREEMPT_DYNAMIC Debian 6.1.115-1 (2024-11-01)',
  machine: 'x86_64',
}

/** Memory of a small lab VM, in KiB as /proc/meminfo has it. */
export const MEM_TOTAL_KIB = 4_027_508

/** When the machine booted: a little before containerd started. */
export function bootTime(node: SimNode): number {
  return agentOf(node).units.containerd.since - 5_000
}

export interface Mount {
  source: string
  type: string
  target: string
  /** Sizes in KiB. */
  size: number
  used: number
  avail: number
  inodes: number
  iused: number
}

/** Bytes used by the files under a path of the node's filesystem (best effort). */
async function usedBytes(node: SimNode, path: string, budget = { left: 5000 }): Promise<number> {
  let total = 0
  let entries: string[]
  try {
    entries = await node.fs.readdir(path)
  } catch {
    return 0
  }
  for (const name of entries) {
    if (budget.left-- <= 0) break
    const p = `${path === '/' ? '' : path}/${name}`
    const st = await node.fs.lstat(p).catch(() => undefined)
    if (!st) continue
    if (st.isDirectory) total += await usedBytes(node, p, budget)
    else total += st.size
  }
  return total
}

/**
 * What `df` lists on a kubeadm VM: the root disk, the usual tmpfs mounts, and
 * per pod sandbox and container the shm and overlay mounts containerd makes.
 */
export async function mounts(node: SimNode): Promise<Mount[]> {
  const etcdBytes = await usedBytes(node, '/var/lib')
  const rootSize = 20_466_256
  const rootUsed = 6_214_332 + Math.ceil(etcdBytes / 1024)
  // ext4 keeps 5% for root, so Avail is less than Size - Used, as on a real disk.
  const rootAvail = rootSize - rootUsed - Math.floor(rootSize * 0.05)
  const mem = MEM_TOTAL_KIB
  const run = Math.floor(mem / 10)
  const list: Mount[] = [
    {
      source: 'udev',
      type: 'devtmpfs',
      target: '/dev',
      size: 1_990_540,
      used: 0,
      avail: 1_990_540,
      inodes: 497_635,
      iused: 405,
    },
    {
      source: 'tmpfs',
      type: 'tmpfs',
      target: '/run',
      size: run,
      used: 1_160,
      avail: run - 1_160,
      inodes: 503_438,
      iused: 838,
    },
    {
      source: '/dev/vda1',
      type: 'ext4',
      target: '/',
      size: rootSize,
      used: rootUsed,
      avail: rootAvail,
      inodes: 1_308_160,
      iused: 98_417 + Math.floor(etcdBytes / 65_536),
    },
    {
      source: 'tmpfs',
      type: 'tmpfs',
      target: '/dev/shm',
      size: Math.floor(mem / 2),
      used: 0,
      avail: Math.floor(mem / 2),
      inodes: 503_438,
      iused: 1,
    },
    {
      source: 'tmpfs',
      type: 'tmpfs',
      target: '/run/lock',
      size: 5_120,
      used: 0,
      avail: 5_120,
      inodes: 503_438,
      iused: 3,
    },
    {
      source: '/dev/vda15',
      type: 'vfat',
      target: '/boot/efi',
      size: 126_678,
      used: 11_840,
      avail: 114_838,
      inodes: 0,
      iused: 0,
    },
  ]
  const rt = agentOf(node).runtime
  for (const sb of rt.sandboxes) {
    if (sb.state !== 'SANDBOX_READY') continue
    list.push({
      source: 'shm',
      type: 'tmpfs',
      target: `/run/containerd/io.containerd.grpc.v1.cri/sandboxes/${sb.id}/shm`,
      size: 65_536,
      used: 0,
      avail: 65_536,
      inodes: 503_438,
      iused: 1,
    })
    list.push(overlay(sb.id, rootSize, rootUsed, rootAvail))
  }
  for (const c of rt.containers) {
    if (c.state !== 'CONTAINER_RUNNING') continue
    list.push(overlay(c.id, rootSize, rootUsed, rootAvail))
  }
  list.push({
    source: 'tmpfs',
    type: 'tmpfs',
    target: '/run/user/0',
    size: run,
    used: 0,
    avail: run,
    inodes: 100_687,
    iused: 20,
  })
  return list
}

function overlay(id: string, size: number, used: number, avail: number): Mount {
  return {
    source: 'overlay',
    type: 'overlay',
    target: `/run/containerd/io.containerd.runtime.v2.task/k8s.io/${id}/rootfs`,
    size,
    used,
    avail,
    inodes: 1_308_160,
    iused: 98_417,
  }
}

/** Memory figures in KiB, moving a little with the number of running containers. */
export function memory(node: SimNode): {
  total: number
  used: number
  free: number
  shared: number
  buffCache: number
  available: number
} {
  const running = agentOf(node).runtime.running().length
  const used = 812_344 + running * 61_440
  const buffCache = 1_903_116 + running * 20_480
  const shared = 3_412
  const free = MEM_TOTAL_KIB - used - buffCache
  const available = MEM_TOTAL_KIB - used - shared - 120_000
  return { total: MEM_TOTAL_KIB, used, free, shared, buffCache, available }
}

/** Load averages that drift with time but stay plausible for a busy control plane. */
export function loadAverage(node: SimNode): [number, number, number] {
  const t = Math.floor(node.cluster.clock.now() / 5000)
  const wobble = (k: number) => ((t * 7919 + k * 104_729) % 37) / 100
  return [0.21 + wobble(1), 0.32 + wobble(2), 0.29 + wobble(3) / 2]
}
