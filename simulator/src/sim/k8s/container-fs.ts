import type {
  BufferEncoding,
  CpOptions,
  FileContent,
  FsStat,
  IFileSystem,
  MkdirOptions,
  RmOptions,
} from 'just-bash'

// What a container sees: its own private root filesystem with the pod's
// hostPath volumes bind-mounted over it. A path under a mountPath is served by
// the node's filesystem at hostPath + rest, everything else by the container
// rootfs, which disappears with the container. This is what makes etcd's
// --data-dir resolve through volumeMounts to a node directory, and a data dir
// the container cannot see vanish on restart.

export interface BindMount {
  /** Where the container sees it (a volumeMount's mountPath). */
  containerPath: string
  /** The node path behind it (the volume's hostPath.path). */
  hostPath: string
  readOnly: boolean
}

type ReadFileOptions = Parameters<IFileSystem['readFile']>[1]
type WriteFileOptions = Parameters<IFileSystem['writeFile']>[2]

export function normalizePath(path: string): string {
  const out: string[] = []
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue
    if (part === '..') out.pop()
    else out.push(part)
  }
  return `/${out.join('/')}`
}

function within(path: string, prefix: string): boolean {
  return prefix === '/' || path === prefix || path.startsWith(`${prefix}/`)
}

function erofs(op: string, path: string): Error {
  const err = new Error(`EROFS: read-only file system, ${op} '${path}'`) as Error & { code: string }
  err.code = 'EROFS'
  return err
}

interface Route {
  fs: IFileSystem
  path: string
  mount?: BindMount
}

export class ContainerFs implements IFileSystem {
  /** Longest container path first, so nested mounts win over their parents. */
  private readonly mounts: BindMount[]

  constructor(
    readonly rootfs: IFileSystem,
    readonly host: IFileSystem,
    mounts: BindMount[],
  ) {
    this.mounts = mounts
      .map((m) => ({
        ...m,
        containerPath: normalizePath(m.containerPath),
        hostPath: normalizePath(m.hostPath),
      }))
      .sort((a, b) => b.containerPath.length - a.containerPath.length)
  }

  get bindMounts(): readonly BindMount[] {
    return this.mounts
  }

  /** The node path behind a container path, or undefined when it lives in the container rootfs. */
  hostPathOf(containerPath: string): string | undefined {
    const r = this.route(containerPath)
    return r.mount ? r.path : undefined
  }

  private route(raw: string): Route {
    const path = normalizePath(raw)
    for (const m of this.mounts) {
      if (within(path, m.containerPath)) {
        const rest = path.slice(m.containerPath.length)
        return { fs: this.host, path: normalizePath(m.hostPath + rest), mount: m }
      }
    }
    return { fs: this.rootfs, path }
  }

  private writable(raw: string, op: string): Route {
    const r = this.route(raw)
    if (r.mount?.readOnly) throw erofs(op, normalizePath(raw))
    return r
  }

  /** Mount points directly below a directory, which a listing must show even if the rootfs lacks them. */
  private childMounts(dir: string): string[] {
    const d = normalizePath(dir)
    const names: string[] = []
    for (const m of this.mounts) {
      if (m.containerPath === d || !within(m.containerPath, d)) continue
      const rest = m.containerPath.slice(d === '/' ? 1 : d.length + 1)
      if (!rest.includes('/')) names.push(rest)
    }
    return names
  }

  readFile(path: string, options?: ReadFileOptions | BufferEncoding): Promise<string> {
    const r = this.route(path)
    return r.fs.readFile(r.path, options as ReadFileOptions)
  }

  readFileBuffer(path: string): Promise<Uint8Array> {
    const r = this.route(path)
    return r.fs.readFileBuffer(r.path)
  }

  async writeFile(
    path: string,
    content: FileContent,
    options?: WriteFileOptions | BufferEncoding,
  ): Promise<void> {
    const r = this.writable(path, 'open')
    return r.fs.writeFile(r.path, content, options as WriteFileOptions)
  }

  async appendFile(
    path: string,
    content: FileContent,
    options?: WriteFileOptions | BufferEncoding,
  ): Promise<void> {
    const r = this.writable(path, 'open')
    return r.fs.appendFile(r.path, content, options as WriteFileOptions)
  }

  exists(path: string): Promise<boolean> {
    const r = this.route(path)
    return r.fs.exists(r.path)
  }

  stat(path: string): Promise<FsStat> {
    const r = this.route(path)
    return r.fs.stat(r.path)
  }

  lstat(path: string): Promise<FsStat> {
    const r = this.route(path)
    return r.fs.lstat(r.path)
  }

  async mkdir(path: string, options?: MkdirOptions): Promise<void> {
    const r = this.writable(path, 'mkdir')
    return r.fs.mkdir(r.path, options)
  }

  async readdir(path: string): Promise<string[]> {
    const r = this.route(path)
    const names = new Set(await r.fs.readdir(r.path))
    for (const n of this.childMounts(path)) names.add(n)
    return [...names].sort()
  }

  async rm(path: string, options?: RmOptions): Promise<void> {
    const r = this.writable(path, 'unlinkat')
    return r.fs.rm(r.path, options)
  }

  async cp(src: string, dest: string, options?: CpOptions): Promise<void> {
    const a = this.route(src)
    const b = this.writable(dest, 'open')
    if (a.fs === b.fs) return a.fs.cp(a.path, b.path, options)
    await this.copyAcross(a, b, options?.recursive ?? false)
  }

  private async copyAcross(a: Route, b: Route, recursive: boolean): Promise<void> {
    const st = await a.fs.stat(a.path)
    if (st.isDirectory) {
      if (!recursive) throw new Error(`EISDIR: illegal operation on a directory, cp '${a.path}'`)
      await b.fs.mkdir(b.path, { recursive: true })
      for (const name of await a.fs.readdir(a.path)) {
        await this.copyAcross(
          { fs: a.fs, path: `${a.path}/${name}` },
          { fs: b.fs, path: `${b.path}/${name}` },
          true,
        )
      }
      return
    }
    await b.fs.writeFile(b.path, await a.fs.readFileBuffer(a.path))
  }

  async mv(src: string, dest: string): Promise<void> {
    const a = this.writable(src, 'rename')
    const b = this.writable(dest, 'rename')
    if (a.fs === b.fs) return a.fs.mv(a.path, b.path)
    // Across mounts, rename(2) fails with EXDEV and mv falls back to copy + delete.
    await this.copyAcross(a, b, true)
    await a.fs.rm(a.path, { recursive: true, force: true })
  }

  resolvePath(base: string, path: string): string {
    return path.startsWith('/') ? normalizePath(path) : normalizePath(`${base}/${path}`)
  }

  getAllPaths(): string[] {
    const out = this.rootfs.getAllPaths().filter((p) => !this.mounts.some((m) => within(p, m.containerPath)))
    for (const m of this.mounts) {
      for (const p of this.host.getAllPaths()) {
        if (within(p, m.hostPath)) out.push(normalizePath(m.containerPath + p.slice(m.hostPath.length)))
      }
    }
    return out
  }

  async chmod(path: string, mode: number): Promise<void> {
    const r = this.writable(path, 'chmod')
    return r.fs.chmod(r.path, mode)
  }

  async symlink(target: string, linkPath: string): Promise<void> {
    const r = this.writable(linkPath, 'symlink')
    return r.fs.symlink(target, r.path)
  }

  async link(existingPath: string, newPath: string): Promise<void> {
    const a = this.route(existingPath)
    const b = this.writable(newPath, 'link')
    if (a.fs !== b.fs) throw new Error(`EXDEV: cross-device link not permitted, link '${existingPath}'`)
    return a.fs.link(a.path, b.path)
  }

  readlink(path: string): Promise<string> {
    const r = this.route(path)
    return r.fs.readlink(r.path)
  }

  async realpath(path: string): Promise<string> {
    const r = this.route(path)
    await r.fs.realpath(r.path)
    return normalizePath(path)
  }

  async utimes(path: string, atime: Date, mtime: Date): Promise<void> {
    const r = this.writable(path, 'utime')
    return r.fs.utimes(r.path, atime, mtime)
  }
}
