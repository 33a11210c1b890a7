import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ensureNodeImage, hasImage, NODE_IMAGE } from '../harness'

// The fixture's node image plus a crictl that answers `ps` and `inspect` as
// the real one on a kind node does (the checks read the running etcd's mounts
// through it). Tagged by the content of node-image/, built once (~5 s).

const DIR = join(dirname(fileURLToPath(import.meta.url)), 'node-image')

export function ensureCriNodeImage(): string {
  ensureNodeImage()
  const hash = createHash('sha256')
  for (const f of ['Dockerfile', 'crictl']) hash.update(readFileSync(join(DIR, f)))
  const tag = `${NODE_IMAGE}-cri-${hash.digest('hex').slice(0, 10)}`
  if (!hasImage(tag))
    execFileSync('docker', ['build', '-q', '--build-arg', `BASE=${NODE_IMAGE}`, '-t', tag, DIR], {
      stdio: ['ignore', 'ignore', 'inherit'],
      timeout: 300_000,
    })
  return tag
}

export { createOnce } from '../harness'
