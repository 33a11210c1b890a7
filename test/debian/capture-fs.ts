// Captures the file-tools corpus from real Debian 12 systems (run as root):
//   npx tsx test/debian/capture-fs.ts [id…]
// - chroot: a minimal Debian 12 (bookworm) tree made with
//   `debootstrap --variant=minbase --include=sudo,tree,file,xxd,bsdextrautils,procps,less bookworm DIR`
//   (CKALAB_DEBIAN_ROOT, default /work/.cache/i11fs/root), entered with unshare -m + chroot, /proc and
//   /dev mounted, environment LANG=C.UTF-8 HOME=/root as a root login has; its hostname resolves via
//   its own /etc/hosts. Users exist only inside that tree; the host's /etc/passwd is never touched.
// - kind-node: the shared kind-node fixture's Debian 12 node with a real kubeadm 1.20 control plane
//   (CKALAB_KIND_NODE, default i11fs-control-plane), through `docker exec -e LANG=C.UTF-8`.
// Each case's setup runs first, then the command; stdout, stderr and the exit code are written to
// test/debian/corpus/fs/<id>.yaml.
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { stringify } from 'yaml'
import { FS_CASES, type FsCase } from './fs-cases'

const here = dirname(fileURLToPath(import.meta.url))
const ROOT = process.env.CKALAB_DEBIAN_ROOT ?? '/work/.cache/i11fs/root'
const NODE = process.env.CKALAB_KIND_NODE ?? 'i11fs-control-plane'
const ENV = [
  'LANG=C.UTF-8',
  'HOME=/root',
  'USER=root',
  'LOGNAME=root',
  'SHELL=/bin/bash',
  'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
  'TZ=UTC',
]

function inChroot(script: string) {
  const inner = `mount --make-rprivate / && mount -t proc proc ${ROOT}/proc && mount --rbind /dev ${ROOT}/dev && exec chroot ${ROOT} /usr/bin/env -i ${ENV.join(' ')} /bin/bash -c "$0"`
  return spawnSync('unshare', ['-m', 'bash', '-c', inner, `cd /root; ${script}`], { encoding: 'utf8' })
}

function inNode(script: string) {
  return spawnSync('docker', ['exec', '-e', 'LANG=C.UTF-8', NODE, 'bash', '-c', `cd /root; ${script}`], {
    encoding: 'utf8',
  })
}

function describe(target: FsCase['target']): string {
  if (target === 'chroot')
    return `Debian 12.11 minbase chroot on this machine (coreutils 9.1, sudo 1.9.13p3, util-linux 2.38.1), as root, LANG=C.UTF-8, ${new Date().toISOString().slice(0, 10)}`
  const version = execFileSync('docker', ['exec', NODE, 'cat', '/etc/debian_version'], {
    encoding: 'utf8',
  }).trim()
  return `kind-node fixture (shared/fixtures/kind-node-1.20): Debian ${version} node after kubeadm init 1.20.2, docker exec as root, LANG=C.UTF-8, ${new Date().toISOString().slice(0, 10)}`
}

const only = new Set(process.argv.slice(2))
const out = join(here, 'corpus', 'fs')
mkdirSync(out, { recursive: true })
const described = new Map<string, string>()
for (const c of FS_CASES) {
  if (only.size && !only.has(c.id)) continue
  const run = c.target === 'chroot' ? inChroot : inNode
  if (c.setup?.length) {
    const s = run(c.setup.join('\n'))
    if (s.status !== 0) throw new Error(`${c.id}: setup failed: ${s.stderr}`)
  }
  const r = run(c.command)
  if (!described.has(c.target)) described.set(c.target, describe(c.target))
  const doc: Record<string, unknown> = { command: c.command }
  if (c.setup?.length) doc.setup = c.setup
  if (c.profile) doc.profile = c.profile
  doc.stdout = r.stdout
  doc.stderr = r.stderr
  doc.exitCode = r.status
  doc.captured = described.get(c.target)
  if (c.normalize?.length) doc.normalize = c.normalize
  writeFileSync(join(out, `${c.id}.yaml`), stringify(doc, { lineWidth: 0 }))
  console.log(`${c.id}: exit ${r.status}`)
}
