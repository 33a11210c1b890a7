import type { IFileSystem } from 'just-bash'
import { type Identity, UserView } from '../vfs/user-view'
import { DIR_SIZE, type NodeStat, WatchedFs } from '../vfs/watched-fs'

// What the file tools need to know about an entry and about the process
// asking, whichever filesystem they run on: the node's, another user's view
// of it, or a container's (which keeps no owners: everything is root's).

export const ROOT_IDENTITY: Identity = { name: 'root', uid: 0, gid: 0, groups: [0] }

/** The user a process runs as, from the filesystem view it was given. */
export function identityOf(fs: IFileSystem): Identity {
  return fs instanceof UserView ? fs.identity : ROOT_IDENTITY
}

/** The node filesystem behind a view, where owners can be changed. */
export function nodeFsOf(fs: IFileSystem): WatchedFs | undefined {
  if (fs instanceof WatchedFs) return fs
  if (fs instanceof UserView) return fs.base
  return undefined
}

export async function statOf(fs: IFileSystem, path: string, follow = true): Promise<NodeStat> {
  if (fs instanceof WatchedFs || fs instanceof UserView) return fs.statx(path, follow)
  const st = follow ? await fs.stat(path) : await fs.lstat(path)
  const size = st.isDirectory ? DIR_SIZE : st.size
  return {
    ...st,
    size,
    uid: 0,
    gid: 0,
    ino: 0,
    nlink: st.isDirectory ? 2 : 1,
    blocks: st.isSymbolicLink ? 0 : Math.ceil(size / DIR_SIZE) * 8,
  }
}

/** The C library's words for an errno, from a filesystem error. */
export function errnoText(err: unknown): string {
  const text = String((err as Error)?.message ?? err)
  const code = (err as { code?: string })?.code ?? /^(E[A-Z]+)\b/.exec(text)?.[1]
  switch (code) {
    case 'EACCES':
      return 'Permission denied'
    case 'EPERM':
      return 'Operation not permitted'
    case 'ENOTDIR':
      return 'Not a directory'
    case 'EISDIR':
      return 'Is a directory'
    case 'EEXIST':
      return 'File exists'
    case 'ENOTEMPTY':
      return 'Directory not empty'
    case 'EROFS':
      return 'Read-only file system'
    case 'ENOSPC':
      return 'No space left on device'
    case 'ELOOP':
      return 'Too many levels of symbolic links'
    default:
      return /not a directory/i.test(text) ? 'Not a directory' : 'No such file or directory'
  }
}

export function fileTypeChar(st: NodeStat): string {
  if (st.isSymbolicLink) return 'l'
  if (st.isDirectory) return 'd'
  return '-'
}

/** `drwxr-xr-x`, with setuid/setgid/sticky bits as ls shows them. */
export function modeString(st: NodeStat): string {
  const m = st.mode
  const rwx = (bits: number, special: boolean, ch: string) =>
    `${bits & 4 ? 'r' : '-'}${bits & 2 ? 'w' : '-'}${
      special ? (bits & 1 ? ch : ch.toUpperCase()) : bits & 1 ? 'x' : '-'
    }`
  return (
    fileTypeChar(st) +
    rwx((m >> 6) & 7, (m & 0o4000) !== 0, 's') +
    rwx((m >> 3) & 7, (m & 0o2000) !== 0, 's') +
    rwx(m & 7, (m & 0o1000) !== 0, 't')
  )
}

/** GNU quoting for names with spaces or specials, as ls and stat print them on a terminal. */
export function quoteName(name: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(name)) return name
  if (!name.includes("'")) return `'${name}'`
  return `"${name.replace(/(["\\$`])/g, '\\$1')}"`
}
