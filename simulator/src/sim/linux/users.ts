import type { IFileSystem } from 'just-bash'

// Users and groups as the node's /etc/passwd and /etc/group say, so a user a
// learner adds by editing those files (or with useradd, if it ever exists)
// is known to sudo, chown, ls and stat alike.

export interface User {
  name: string
  uid: number
  gid: number
  home: string
  shell: string
}

export interface Group {
  name: string
  gid: number
  members: string[]
}

export interface UserDb {
  users: User[]
  groups: Group[]
}

export const ROOT_USER: User = { name: 'root', uid: 0, gid: 0, home: '/root', shell: '/bin/bash' }

export function parsePasswd(text: string): User[] {
  const out: User[] = []
  for (const line of text.split('\n')) {
    const f = line.split(':')
    if (f.length < 7 || line.startsWith('#')) continue
    const uid = Number(f[2])
    const gid = Number(f[3])
    if (!Number.isInteger(uid) || !Number.isInteger(gid)) continue
    out.push({ name: f[0] as string, uid, gid, home: f[5] as string, shell: f[6] as string })
  }
  return out
}

export function parseGroup(text: string): Group[] {
  const out: Group[] = []
  for (const line of text.split('\n')) {
    const f = line.split(':')
    if (f.length < 4 || line.startsWith('#')) continue
    const gid = Number(f[2])
    if (!Number.isInteger(gid)) continue
    out.push({ name: f[0] as string, gid, members: (f[3] as string).split(',').filter(Boolean) })
  }
  return out
}

export async function readUserDb(fs: IFileSystem): Promise<UserDb> {
  const read = (p: string) => fs.readFile(p).catch(() => '')
  const users = parsePasswd(await read('/etc/passwd'))
  if (!users.some((u) => u.uid === 0)) users.unshift(ROOT_USER)
  const groups = parseGroup(await read('/etc/group'))
  if (!groups.some((g) => g.gid === 0)) groups.unshift({ name: 'root', gid: 0, members: [] })
  return { users, groups }
}

/** A user by name or by number (`chown 0 f`, `sudo -u '#33' id`). */
export function findUser(db: UserDb, spec: string): User | undefined {
  const byName = db.users.find((u) => u.name === spec)
  if (byName) return byName
  const n = /^#?(\d+)$/.exec(spec)
  return n ? db.users.find((u) => u.uid === Number(n[1])) : undefined
}

export function findGroup(db: UserDb, spec: string): Group | undefined {
  const byName = db.groups.find((g) => g.name === spec)
  if (byName) return byName
  const n = /^#?(\d+)$/.exec(spec)
  return n ? db.groups.find((g) => g.gid === Number(n[1])) : undefined
}

export function userName(db: UserDb, uid: number): string {
  return db.users.find((u) => u.uid === uid)?.name ?? String(uid)
}

export function groupName(db: UserDb, gid: number): string {
  return db.groups.find((g) => g.gid === gid)?.name ?? String(gid)
}

/** The supplementary groups of a user: its primary group, then every group listing it. */
export function groupsOf(db: UserDb, user: User): number[] {
  const out = [user.gid]
  for (const g of db.groups) if (g.members.includes(user.name) && !out.includes(g.gid)) out.push(g.gid)
  return out
}

/** Debian 12's base-passwd users and groups: what a fresh node has before any package adds its own. */
export const DEBIAN_PASSWD = `root:x:0:0:root:/root:/bin/bash
daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin
bin:x:2:2:bin:/bin:/usr/sbin/nologin
sys:x:3:3:sys:/dev:/usr/sbin/nologin
sync:x:4:65534:sync:/bin:/bin/sync
games:x:5:60:games:/usr/games:/usr/sbin/nologin
man:x:6:12:man:/var/cache/man:/usr/sbin/nologin
lp:x:7:7:lp:/var/spool/lpd:/usr/sbin/nologin
mail:x:8:8:mail:/var/mail:/usr/sbin/nologin
news:x:9:9:news:/var/spool/news:/usr/sbin/nologin
uucp:x:10:10:uucp:/var/spool/uucp:/usr/sbin/nologin
proxy:x:13:13:proxy:/bin:/usr/sbin/nologin
www-data:x:33:33:www-data:/var/www:/usr/sbin/nologin
backup:x:34:34:backup:/var/backups:/usr/sbin/nologin
list:x:38:38:Mailing List Manager:/var/list:/usr/sbin/nologin
irc:x:39:39:ircd:/run/ircd:/usr/sbin/nologin
_apt:x:42:65534::/nonexistent:/usr/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
`

export const DEBIAN_GROUP = `root:x:0:
daemon:x:1:
bin:x:2:
sys:x:3:
adm:x:4:
tty:x:5:
disk:x:6:
lp:x:7:
mail:x:8:
news:x:9:
uucp:x:10:
man:x:12:
proxy:x:13:
kmem:x:15:
dialout:x:20:
fax:x:21:
voice:x:22:
cdrom:x:24:
floppy:x:25:
tape:x:26:
sudo:x:27:
audio:x:29:
dip:x:30:
www-data:x:33:
backup:x:34:
operator:x:37:
list:x:38:
irc:x:39:
src:x:40:
shadow:x:42:
utmp:x:43:
video:x:44:
sasl:x:45:
plugdev:x:46:
staff:x:50:
games:x:60:
users:x:100:
nogroup:x:65534:
`
