import type { IFileSystem } from 'just-bash'

// etcd preallocates each WAL segment (and the spare `0.tmp`) to 64 MB with
// fallocate; a real `ls -l member/wal` shows 64000000 for both. The node keeps
// only the bytes written and records the size a disk would show.

/** wal.SegmentSizeBytes in etcd. */
export const WAL_SEGMENT_BYTES = 64 * 1000 * 1000

interface Preallocating {
  preallocate(path: string, size: number): void
}

interface Routed {
  hostPathOf(path: string): string | undefined
  host: IFileSystem
}

/** Record a file's on-disk size on whichever filesystem holds it (a container's view routes to the node). */
export function preallocate(fs: IFileSystem, path: string, size: number): void {
  const f = fs as unknown as Partial<Preallocating & Routed & { base: IFileSystem }>
  if (typeof f.preallocate === 'function') f.preallocate(path, size)
  else if (typeof f.hostPathOf === 'function' && f.host) {
    const host = f.hostPathOf(path)
    if (host) preallocate(f.host, host, size)
  } else if (f.base) preallocate(f.base, path, size)
}

/** A WAL directory as a running or restored member leaves it: the segment and a spare `0.tmp`. */
export async function preallocateWal(fs: IFileSystem, walDir: string, segment: string): Promise<void> {
  preallocate(fs, `${walDir}/${segment}`, WAL_SEGMENT_BYTES)
  const spare = `${walDir}/0.tmp`
  if (!(await fs.exists(spare))) {
    await fs.writeFile(spare, new Uint8Array(0))
    await fs.chmod(spare, 0o600).catch(() => {})
  }
  preallocate(fs, spare, WAL_SEGMENT_BYTES)
}
