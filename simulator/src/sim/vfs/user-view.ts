import type {
  BufferEncoding,
  CpOptions,
  FileContent,
  FsStat,
  IFileSystem,
  MkdirOptions,
  RmOptions,
} from 'just-bash'
import type { NodeStat, Owner, WatchedFs } from './watched-fs'

// The node's filesystem as a process of another user sees it (`sudo -u nobody
// cat …`): every call checks the owner and mode bits the way the kernel does
// and fails with EACCES / EPERM, and new entries belong to that user. Root's
// processes use the node's filesystem directly.

export interface Identity {
  name: string
  uid: number
  gid: number
  /** Supplementary groups, the primary one included. */
  groups: number[]
}

type ReadFileOptions = Parameters<IFileSystem['readFile']>[1]
type WriteFileOptions = Parameters<IFileSystem['writeFile']>[2]

const R = 4
const W = 2
const X = 1

function fsError(code: 'EACCES' | 'EPERM' | 'ENOENT', op: string, path: string): Error {
  const text =
    code === 'EACCES'
      ? 'permission denied'
      : code === 'EPERM'
        ? 'operation not permitted'
        : 'no such file or directory'
  return Object.assign(new Error(`${code}: ${text}, ${op} '${path}'`), { code })
}

function parentOf(path: string): string {
  const i = path.lastIndexOf('/')
  return i <= 0 ? '/' : path.slice(0, i)
}

export class UserView implements IFileSystem {
  constructor(
    readonly base: WatchedFs,
    readonly identity: Identity,
  ) {}

  private abs(path: string): string {
    return this.base.resolvePath('/', path)
  }

  /** Whether the mode bits grant `want` (R, W, X) to this user. */
  private grants(st: NodeStat, want: number): boolean {
    const mode = st.mode & 0o777
    let bits: number
    if (st.uid === this.identity.uid) bits = (mode >> 6) & 7
    else if (this.identity.groups.includes(st.gid)) bits = (mode >> 3) & 7
    else bits = mode & 7
    return (bits & want) === want
  }

  /** Search permission on every directory above `path`. */
  private async walk(path: string, op: string): Promise<void> {
    const parts = this.abs(path).split('/').filter(Boolean)
    let dir = '/'
    for (let i = 0; i < parts.length - 1; i++) {
      const st = await this.base.statx(dir).catch(() => undefined)
      if (!st) return
      if (st.isDirectory && !this.grants(st, X)) throw fsError('EACCES', op, path)
      dir = dir === '/' ? `/${parts[i]}` : `${dir}/${parts[i]}`
    }
    const st = await this.base.statx(dir).catch(() => undefined)
    if (st?.isDirectory && parts.length > 0 && !this.grants(st, X)) throw fsError('EACCES', op, path)
  }

  private async need(path: string, want: number, op: string): Promise<void> {
    await this.walk(path, op)
    const st = await this.base.statx(path).catch(() => undefined)
    if (st && !this.grants(st, want)) throw fsError('EACCES', op, path)
  }

  /** Creating or removing an entry needs write and search permission on its directory. */
  private async needDir(path: string, op: string): Promise<void> {
    const dir = parentOf(this.abs(path))
    await this.walk(dir === '/' ? '/x' : `${dir}/x`, op)
    const st = await this.base.statx(dir).catch(() => undefined)
    if (st && !this.grants(st, W | X)) throw fsError('EACCES', op, path)
  }

  /** Rejects with EACCES when this user may not read `path`. */
  async checkRead(path: string): Promise<void> {
    await this.need(path, R, 'open')
  }

  /** Rejects with EACCES when this user may not create or remove an entry at `path`. */
  async checkEntryChange(path: string): Promise<void> {
    await this.needDir(path, 'open')
  }

  private async own(path: string): Promise<void> {
    await this.base.chown(path, this.identity.uid, this.identity.gid, false).catch(() => undefined)
  }

  owner(path: string): Owner {
    return this.base.owner(path)
  }

  async statx(path: string, follow = true): Promise<NodeStat> {
    await this.walk(path, 'stat')
    return this.base.statx(path, follow)
  }

  async readFile(path: string, options?: ReadFileOptions | BufferEncoding): Promise<string> {
    await this.need(path, R, 'open')
    return this.base.readFile(path, options)
  }

  async readFileBuffer(path: string): Promise<Uint8Array> {
    await this.need(path, R, 'open')
    return this.base.readFileBuffer(path)
  }

  private async writeCheck(path: string): Promise<boolean> {
    const exists = await this.base.exists(path)
    if (exists) await this.need(path, W, 'open')
    else await this.needDir(path, 'open')
    return exists
  }

  async writeFile(path: string, content: FileContent, options?: WriteFileOptions | BufferEncoding) {
    const existed = await this.writeCheck(path)
    await this.base.writeFile(path, content, options)
    if (!existed) await this.own(path)
  }

  async appendFile(path: string, content: FileContent, options?: WriteFileOptions | BufferEncoding) {
    const existed = await this.writeCheck(path)
    await this.base.appendFile(path, content, options)
    if (!existed) await this.own(path)
  }

  async exists(path: string): Promise<boolean> {
    try {
      await this.walk(path, 'stat')
    } catch {
      return false
    }
    return this.base.exists(path)
  }

  async stat(path: string): Promise<FsStat> {
    return this.statx(path, true)
  }

  async lstat(path: string): Promise<FsStat> {
    return this.statx(path, false)
  }

  async mkdir(path: string, options?: MkdirOptions): Promise<void> {
    if (!(await this.base.exists(path))) await this.needDir(path, 'mkdir')
    const existed = await this.base.exists(path)
    await this.base.mkdir(path, options)
    if (!existed) await this.own(path)
  }

  async readdir(path: string): Promise<string[]> {
    await this.need(path, R, 'scandir')
    return this.base.readdir(path)
  }

  async readdirWithFileTypes(path: string) {
    await this.need(path, R, 'scandir')
    return this.base.readdirWithFileTypes(path)
  }

  async rm(path: string, options?: RmOptions): Promise<void> {
    await this.needDir(path, 'unlink')
    return this.base.rm(path, options)
  }

  async cp(src: string, dest: string, options?: CpOptions): Promise<void> {
    await this.need(src, R, 'open')
    const existed = await this.writeCheck(dest)
    await this.base.cp(src, dest, options)
    if (!existed) await this.own(dest)
  }

  async mv(src: string, dest: string): Promise<void> {
    await this.needDir(src, 'rename')
    await this.needDir(dest, 'rename')
    return this.base.mv(src, dest)
  }

  resolvePath(base: string, path: string): string {
    return this.base.resolvePath(base, path)
  }

  getAllPaths(): string[] {
    return this.base.getAllPaths()
  }

  async chmod(path: string, mode: number): Promise<void> {
    const st = await this.statx(path)
    if (st.uid !== this.identity.uid) throw fsError('EPERM', 'chmod', path)
    return this.base.chmod(path, mode)
  }

  async symlink(target: string, linkPath: string): Promise<void> {
    await this.needDir(linkPath, 'symlink')
    await this.base.symlink(target, linkPath)
    await this.own(linkPath)
  }

  async link(existingPath: string, newPath: string): Promise<void> {
    await this.needDir(newPath, 'link')
    return this.base.link(existingPath, newPath)
  }

  async readlink(path: string): Promise<string> {
    await this.walk(path, 'readlink')
    return this.base.readlink(path)
  }

  async realpath(path: string): Promise<string> {
    await this.walk(path, 'realpath')
    return this.base.realpath(path)
  }

  async utimes(path: string, atime: Date, mtime: Date): Promise<void> {
    await this.need(path, W, 'utime')
    return this.base.utimes(path, atime, mtime)
  }
}
