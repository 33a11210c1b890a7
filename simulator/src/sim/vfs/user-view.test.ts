import { InMemoryFs } from 'just-bash'
import { describe, expect, test } from 'vitest'
import { UserView } from './user-view'
import { WatchedFs } from './watched-fs'

async function node() {
  const fs = new WatchedFs(new InMemoryFs(), () => Date.UTC(2026, 0, 15))
  await fs.mkdir('/root', { recursive: true })
  await fs.chmod('/root', 0o700)
  await fs.mkdir('/tmp', { recursive: true })
  await fs.chmod('/tmp', 0o1777)
  await fs.writeFile('/etc/key', 'secret')
  await fs.chmod('/etc/key', 0o600)
  await fs.writeFile('/etc/public', 'hello')
  return fs
}

const nobody = { name: 'nobody', uid: 65534, gid: 65534, groups: [65534] }

describe('a non-root view of the node filesystem', () => {
  test('mode bits and search permission decide, with EACCES', async () => {
    const fs = await node()
    const view = new UserView(fs, nobody)
    await expect(view.readFile('/etc/key')).rejects.toMatchObject({ code: 'EACCES' })
    expect(await view.readFile('/etc/public')).toBe('hello')
    await expect(view.readdir('/root')).rejects.toMatchObject({ code: 'EACCES' })
    await expect(view.writeFile('/root/x', '')).rejects.toMatchObject({ code: 'EACCES' })
    await expect(view.chmod('/etc/public', 0o777)).rejects.toMatchObject({ code: 'EPERM' })
  })

  test('what the user creates is theirs; root can give it away and take it back', async () => {
    const fs = await node()
    const view = new UserView(fs, nobody)
    await view.writeFile('/tmp/mine', 'x')
    expect(fs.owner('/tmp/mine')).toEqual({ uid: 65534, gid: 65534 })
    await fs.chown('/tmp/mine', 0, 0)
    expect(fs.owner('/tmp/mine')).toEqual({ uid: 0, gid: 0 })
  })

  test('owners follow a rename and go with a removal; a rewrite keeps the mode', async () => {
    const fs = await node()
    await fs.mkdir('/data/sub', { recursive: true })
    await fs.writeFile('/data/sub/f', 'x')
    await fs.chown('/data/sub/f', 33, 33)
    await fs.mv('/data', '/moved')
    expect(fs.owner('/moved/sub/f')).toEqual({ uid: 33, gid: 33 })
    await fs.rm('/moved', { recursive: true })
    await fs.writeFile('/moved', 'again')
    expect(fs.owner('/moved')).toEqual({ uid: 0, gid: 0 })
    await fs.writeFile('/etc/key', 'rotated')
    expect((await fs.stat('/etc/key')).mode).toBe(0o600)
  })

  test('preallocated files show their disk size and whole blocks; directories are 4096', async () => {
    const fs = await node()
    await fs.writeFile('/w.wal', 'x')
    fs.preallocate('/w.wal', 64_000_000)
    const st = await fs.statx('/w.wal')
    expect(st.size).toBe(64_000_000)
    expect(st.blocks).toBe(125_000)
    expect((await fs.stat('/root')).size).toBe(4096)
  })
})
