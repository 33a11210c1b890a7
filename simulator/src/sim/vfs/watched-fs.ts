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
    await guardQuota(() => this.inner.writeFile(path, content, options as WriteFileOptions))
    await this.touch(path)
    this.emit({ kind: 'write', path: this.inner.resolvePath('/', path) })
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
    return this.inner.stat(path)
  }

  async mkdir(path: string, options?: MkdirOptions): Promise<void> {
    await this.inner.mkdir(path, options)
    await this.touch(path)
    this.emit({ kind: 'mkdir', path: this.inner.resolvePath('/', path) })
  }

  readdir(path: string): Promise<string[]> {
    return this.inner.readdir(path)
  }

  readdirWithFileTypes(path: string) {
    return this.inner.readdirWithFileTypes(path)
  }

  async rm(path: string, options?: RmOptions): Promise<void> {
    await this.inner.rm(path, options)
    this.emit({ kind: 'remove', path: this.inner.resolvePath('/', path) })
  }

  async cp(src: string, dest: string, options?: CpOptions): Promise<void> {
    await guardQuota(() => this.inner.cp(src, dest, options))
    await this.touch(dest)
    this.emit({ kind: 'write', path: this.inner.resolvePath('/', dest) })
  }

  async mv(src: string, dest: string): Promise<void> {
    await this.inner.mv(src, dest)
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
    return this.inner.lstat(path)
  }

  realpath(path: string): Promise<string> {
    return this.inner.realpath(path)
  }

  async utimes(path: string, atime: Date, mtime: Date): Promise<void> {
    await this.inner.utimes(path, atime, mtime)
    this.emit({ kind: 'chmod', path: this.inner.resolvePath('/', path) })
  }
}
