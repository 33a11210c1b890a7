import type {
  BufferEncoding,
  CpOptions,
  FileContent,
  FsStat,
  IFileSystem,
  InMemoryFs,
  MkdirOptions,
  RmOptions,
} from 'just-bash'

// The node's filesystem: just-bash's in-memory filesystem plus change events,
// the simulator's stand-in for inotify. The kubelet watches
// /etc/kubernetes/manifests through these events; mtimes come from the
// simulated clock so listings are deterministic.

export type FsChangeKind = 'write' | 'remove' | 'rename' | 'mkdir' | 'chmod'

export interface Owner {
  uid: number
  gid: number
}

/** What `stat(2)` tells beyond just-bash's FsStat: owner, links, blocks, inode. */
export interface NodeStat extends FsStat {
  uid: number
  gid: number
  ino: number
  nlink: number
  /** 512-byte blocks allocated, as `stat -c %b` and `ls -s` count them. */
  blocks: number
}

/** ext4's directory size and allocation unit. */
export const DIR_SIZE = 4096
const ROOT: Owner = { uid: 0, gid: 0 }

function within(path: string, dir: string): boolean {
  return path === dir || path.startsWith(dir === '/' ? '/' : `${dir}/`)
}

function parentOf(path: string): string {
  const i = path.lastIndexOf('/')
  return i <= 0 ? '/' : path.slice(0, i)
}

export interface FsChange {
  kind: FsChangeKind
  path: string
  /** For renames: where the entry went. */
  to?: string
}

/**
 * The in-memory filesystem reports a full disk with an exception just-bash
 * would pass up as a crash. A RangeError is what just-bash turns into a shell
 * error line, so the learner sees bash's own words and the node lives on.
 */
async function guardQuota(write: () => Promise<void>): Promise<void> {
  try {
    await write()
  } catch (err) {
    if (String((err as Error)?.message).includes('ENOSPC'))
      throw new RangeError('write error: No space left on device')
    throw err
  }
}

type ReadFileOptions = Parameters<IFileSystem['readFile']>[1]
type WriteFileOptions = Parameters<IFileSystem['writeFile']>[2]

export class WatchedFs implements IFileSystem {
  private listeners = new Set<(change: FsChange) => void>()
  /** Owners other than root:root, by absolute path (just-bash keeps none). */
  private owners = new Map<string, Owner>()
  /**
   * Sizes of files that hold fewer bytes here than on a real disk: etcd's
   * preallocated 64 MB WAL segments would not fit the node's memory budget.
   */
  private apparent = new Map<string, number>()
  private inodes = new Map<string, number>()
  private nextInode = 1_310_000

  constructor(
    readonly inner: InMemoryFs,
    private now: () => number,
  ) {}

  onChange(listener: (change: FsChange) => void): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  private emit(change: FsChange): void {
    for (const l of this.listeners) {
      try {
        l(change)
      } catch {
        // A watcher's bug must never fail the write that triggered it.
      }
    }
  }

  private abs(path: string): string {
    return this.inner.resolvePath('/', path)
  }

  /** The owner of an entry (root:root unless chowned). */
  owner(path: string): Owner {
    return this.owners.get(this.abs(path)) ?? ROOT
  }

  /** chown(2) without the permission checks: the caller decides who may. */
  async chown(path: string, uid: number, gid: number, follow = true): Promise<void> {
    const p = follow ? await this.inner.realpath(path) : this.abs(path)
    if (!(await this.inner.exists(p)) && !(await this.inner.lstat(p).catch(() => undefined)))
      throw Object.assign(new Error(`ENOENT: no such file or directory, chown '${path}'`), { code: 'ENOENT' })
    if (uid === 0 && gid === 0) this.owners.delete(p)
    else this.owners.set(p, { uid, gid })
    this.emit({ kind: 'chmod', path: p })
  }

  /** Give a file the size a real disk shows for it (a preallocated WAL segment) without storing the bytes. */
  preallocate(path: string, size: number): void {
    this.apparent.set(this.abs(path), size)
  }

  /** Owners and preallocated sizes, for saving a node. */
  metadata(): { owners: Record<string, Owner>; sizes: Record<string, number> } {
    return { owners: Object.fromEntries(this.owners), sizes: Object.fromEntries(this.apparent) }
  }

  restoreMetadata(m: { owners?: Record<string, Owner>; sizes?: Record<string, number> }): void {
    for (const [p, o] of Object.entries(m.owners ?? {})) this.owners.set(p, o)
    for (const [p, n] of Object.entries(m.sizes ?? {})) this.apparent.set(p, n)
  }

  private forgetTree(path: string): void {
    for (const map of [this.owners, this.apparent, this.inodes] as Map<string, unknown>[])
      for (const key of [...map.keys()]) if (within(key, path)) map.delete(key)
  }

  private moveTree(from: string, to: string): void {
    for (const map of [this.owners, this.apparent, this.inodes] as Map<string, unknown>[]) {
      const moved: Array<[string, unknown]> = []
      for (const [key, value] of map) if (within(key, from)) moved.push([key, value])
      for (const key of [...map.keys()]) if (within(key, to)) map.delete(key)
      for (const [key, value] of moved) {
        map.delete(key)
        map.set(to + key.slice(from.length), value)
      }
    }
  }

  private inodeOf(path: string): number {
    let n = this.inodes.get(path)
    if (n === undefined) {
      n = this.nextInode++
      this.inodes.set(path, n)
    }
    return n
  }

  private async withMeta(path: string, st: FsStat): Promise<NodeStat> {
    const o = this.owners.get(path) ?? ROOT
    let size = st.size
    let nlink = 1
    if (st.isDirectory) {
      size = DIR_SIZE
      nlink = 2
      try {
        for (const e of await this.inner.readdirWithFileTypes(path)) if (e.isDirectory) nlink++
      } catch {
        // An unreadable directory still has its two links.
      }
    } else if (st.isFile) size = this.apparent.get(path) ?? size
    // A preallocated file has its blocks on disk; a plain file uses whole 4 KiB blocks.
    const blocks = st.isSymbolicLink ? 0 : Math.ceil(size / DIR_SIZE) * 8
    return { ...st, size, uid: o.uid, gid: o.gid, ino: this.inodeOf(path), nlink, blocks }
  }

  /** stat(2) with owner, links and blocks; follows symlinks unless `follow` is false. */
  async statx(path: string, follow = true): Promise<NodeStat> {
    const abs = this.abs(path)
    if (!follow) return this.withMeta(abs, await this.inner.lstat(abs))
    const st = await this.inner.stat(abs)
    const real = await this.inner.realpath(abs).catch(() => abs)
    return this.withMeta(real, st)
  }

  /** A new entry's directory changes too: its mtime moves on, as on ext4. */
  private async touchParent(path: string): Promise<void> {
    await this.touch(parentOf(this.abs(path)))
  }

  private async touch(path: string): Promise<void> {
    const t = new Date(this.now())
    try {
      await this.inner.utimes(path, t, t)
    } catch {
      // The entry may already be gone (e.g. a racing rm); nothing to stamp.
    }
  }

  // just-bash writes its command stubs through this synchronous method.
  writeFileSync(path: string, content: FileContent): void {
    this.inner.writeFileSync(path, content, undefined, { mtime: new Date(this.now()) })
  }

  mkdirSync(path: string, options?: MkdirOptions): void {
    this.inner.mkdirSync(path, options)
  }

  readFile(path: string, options?: ReadFileOptions | BufferEncoding): Promise<string> {
    return this.inner.readFile(path, options as ReadFileOptions)
  }

  readFileBuffer(path: string): Promise<Uint8Array> {
    return this.inner.readFileBuffer(path)
  }

  async writeFile(
    path: string,
    content: FileContent,
    options?: WriteFileOptions | BufferEncoding,
  ): Promise<void> {
    const abs = this.abs(path)
    const before = await this.inner.stat(abs).catch(() => undefined)
    const existed = before !== undefined
    // Rewriting a file keeps its mode, as open(O_TRUNC) does; written in the same tick as the
    // look-up so a concurrent writer cannot slip in between.
    const keep = before?.isFile ? { mode: before.mode } : undefined
    await guardQuota(async () => this.inner.writeFileSync(path, content, options as WriteFileOptions, keep))
    this.apparent.delete(abs)
    await this.touch(path)
    if (!existed) await this.touchParent(abs)
    this.emit({ kind: 'write', path: abs })
  }

  async appendFile(
    path: string,
    content: FileContent,
    options?: WriteFileOptions | BufferEncoding,
  ): Promise<void> {
    await guardQuota(() => this.inner.appendFile(path, content, options as WriteFileOptions))
    await this.touch(path)
    this.emit({ kind: 'write', path: this.inner.resolvePath('/', path) })
  }

  exists(path: string): Promise<boolean> {
    return this.inner.exists(path)
  }

  stat(path: string): Promise<FsStat> {
    return this.statx(path, true)
  }

  async mkdir(path: string, options?: MkdirOptions): Promise<void> {
    const abs = this.abs(path)
    // mkdir -p stamps every directory it creates, not only the last one.
    const created: string[] = []
    for (let p = abs; p !== '/' && !(await this.inner.exists(p)); p = parentOf(p)) created.push(p)
    await this.inner.mkdir(path, options)
    for (const p of created) await this.touch(p)
    await this.touchParent(created[created.length - 1] ?? abs)
    this.emit({ kind: 'mkdir', path: abs })
  }

  readdir(path: string): Promise<string[]> {
    return this.inner.readdir(path)
  }

  readdirWithFileTypes(path: string) {
    return this.inner.readdirWithFileTypes(path)
  }

  async rm(path: string, options?: RmOptions): Promise<void> {
    const abs = this.abs(path)
    await this.inner.rm(path, options)
    this.forgetTree(abs)
    await this.touchParent(abs)
    this.emit({ kind: 'remove', path: abs })
  }

  async cp(src: string, dest: string, options?: CpOptions): Promise<void> {
    const to = this.abs(dest)
    const existed = await this.inner.exists(to)
    await guardQuota(() => this.inner.cp(src, dest, options))
    // A copy is a new file: the copier owns it and its size is what was written.
    if (!existed) this.forgetTree(to)
    this.apparent.delete(to)
    await this.touch(dest)
    if (!existed) await this.touchParent(to)
    this.emit({ kind: 'write', path: to })
  }

  async mv(src: string, dest: string): Promise<void> {
    const from = this.abs(src)
    const to = this.abs(dest)
    await this.inner.mv(src, dest)
    this.moveTree(from, to)
    await this.touchParent(from)
    await this.touchParent(to)
    this.emit({
      kind: 'rename',
      path: this.inner.resolvePath('/', src),
      to: this.inner.resolvePath('/', dest),
    })
  }

  resolvePath(base: string, path: string): string {
    return this.inner.resolvePath(base, path)
  }

  getAllPaths(): string[] {
    return this.inner.getAllPaths()
  }

  async chmod(path: string, mode: number): Promise<void> {
    await this.inner.chmod(path, mode)
    this.emit({ kind: 'chmod', path: this.inner.resolvePath('/', path) })
  }

  async symlink(target: string, linkPath: string): Promise<void> {
    await this.inner.symlink(target, linkPath)
    this.emit({ kind: 'write', path: this.inner.resolvePath('/', linkPath) })
  }

  async link(existingPath: string, newPath: string): Promise<void> {
    await this.inner.link(existingPath, newPath)
    this.emit({ kind: 'write', path: this.inner.resolvePath('/', newPath) })
  }

  readlink(path: string): Promise<string> {
    return this.inner.readlink(path)
  }

  lstat(path: string): Promise<FsStat> {
    return this.statx(path, false)
  }

  realpath(path: string): Promise<string> {
    return this.inner.realpath(path)
  }

  async utimes(path: string, atime: Date, mtime: Date): Promise<void> {
    await this.inner.utimes(path, atime, mtime)
    this.emit({ kind: 'chmod', path: this.inner.resolvePath('/', path) })
  }
}
