import { InMemoryFs } from 'just-bash'
import { describe, expect, it } from 'vitest'
import { ContainerFs, normalizePath } from './container-fs'

function setup() {
  const host = new InMemoryFs()
  host.mkdirSync('/var/lib/etcd-from-backup/member', { recursive: true })
  host.writeFileSync('/var/lib/etcd-from-backup/member/x', 'data')
  host.mkdirSync('/etc/kubernetes/pki/etcd', { recursive: true })
  host.writeFileSync('/etc/kubernetes/pki/etcd/ca.crt', 'CA')
  const rootfs = new InMemoryFs()
  rootfs.mkdirSync('/var/lib', { recursive: true })
  rootfs.mkdirSync('/etc/kubernetes/pki', { recursive: true })
  const fs = new ContainerFs(rootfs, host, [
    { containerPath: '/var/lib/etcd', hostPath: '/var/lib/etcd-from-backup', readOnly: false },
    { containerPath: '/etc/kubernetes/pki/etcd', hostPath: '/etc/kubernetes/pki/etcd', readOnly: true },
  ])
  return { host, rootfs, fs }
}

describe('container filesystem view', () => {
  it('serves mountPaths from the node path behind them', async () => {
    const { fs } = setup()
    expect(await fs.readFile('/var/lib/etcd/member/x')).toBe('data')
    expect(fs.hostPathOf('/var/lib/etcd/member')).toBe('/var/lib/etcd-from-backup/member')
    expect(await fs.readdir('/var/lib')).toContain('etcd')
  })

  it('keeps paths outside the mounts in the container rootfs', async () => {
    const { fs, host } = setup()
    await fs.mkdir('/var/lib/etcd-new', { recursive: true })
    await fs.writeFile('/var/lib/etcd-new/db', 'x')
    expect(fs.hostPathOf('/var/lib/etcd-new')).toBeUndefined()
    expect(await host.exists('/var/lib/etcd-new')).toBe(false)
  })

  it('refuses writes to read-only mounts and moves across mounts by copying', async () => {
    const { fs, host } = setup()
    await expect(fs.writeFile('/etc/kubernetes/pki/etcd/x', 'y')).rejects.toThrow(/EROFS/)
    await fs.writeFile('/tmp-file', 'moved')
    await fs.mv('/tmp-file', '/var/lib/etcd/moved')
    expect(await host.readFile('/var/lib/etcd-from-backup/moved')).toBe('moved')
  })

  it('normalizes paths like the kernel', () => {
    expect(normalizePath('/var//lib/./etcd/../etcd/')).toBe('/var/lib/etcd')
  })
})
