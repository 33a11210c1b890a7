import { createHash } from 'node:crypto'
import type Docker from 'dockerode'
import { pack } from 'tar-stream'
import type { Profile } from '../../sim/profiles'

// A node image with what exam nodes have and kind's do not: etcdctl/etcdutl
// of the node's etcd version (copied from the matching etcd image), an
// editor, and ssh between the nodes (client and server; keys and sshd are
// set up per cluster by node-access.ts). Built once per base image and cached by tag.

export const PREPARED_REPO = 'ckalab/node'
export const PREPARED_LABEL = 'io.ckalab.prepared-from'

export interface PrepareOptions {
  baseImage: string
  profile: Profile
  /** The etcd image to take the clients from; default: the profile's. */
  etcdImage?: string
  onStep?: (line: string) => void
  /** How long a missing base or etcd image may take to pull (no registry → fail fast). */
  pullTimeoutMs?: number
}

/** Printed by the build when apt cannot fetch ssh: the image is still usable without it. */
export const SSH_MISSING_NOTE =
  'ckalab: openssh could not be installed; the nodes will have no ssh between them'

export function dockerfile(baseImage: string, etcdImage: string): string {
  return `FROM ${etcdImage} AS etcd
FROM ${baseImage}
# etcdctl, and etcdutl where the etcd image has it (3.6+); versioned copies come along
COPY --from=etcd /usr/local/bin/etcd[cu]tl* /usr/local/bin/
RUN set -e; missing=""; ssh=""; \\
  if ! command -v vim >/dev/null 2>&1; then \\
    if command -v vim.tiny >/dev/null 2>&1; then ln -s "$(command -v vim.tiny)" /usr/local/bin/vim; else missing="vim"; fi; \\
  fi; \\
  command -v nano >/dev/null 2>&1 || missing="$missing nano"; \\
  command -v ssh >/dev/null 2>&1 || ssh="openssh-client"; \\
  [ -x /usr/sbin/sshd ] || ssh="$ssh openssh-server"; \\
  if [ -n "$missing$ssh" ]; then \\
    if ! (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing $ssh); then \\
      if [ -n "$missing" ]; then echo "could not install$missing" >&2; exit 1; fi; \\
      echo "${SSH_MISSING_NOTE}" >&2; \\
    fi; \\
    rm -rf /var/lib/apt/lists/*; \\
  fi; \\
  if [ -x /usr/sbin/sshd ]; then \\
    rm -f /etc/ssh/ssh_host_*_key /etc/ssh/ssh_host_*_key.pub; \\
    if [ -f /etc/pam.d/sshd ]; then sed -i 's/^session\\s\\+required\\s\\+pam_loginuid\\.so/session optional pam_loginuid.so/' /etc/pam.d/sshd; fi; \\
    mkdir -p /etc/ssh/sshd_config.d; \\
    printf '%s\\n' '# ckalab: root logs in between the cluster nodes with the cluster key only' 'HostKey /etc/ssh/ssh_host_ed25519_key' 'PermitRootLogin prohibit-password' 'PasswordAuthentication no' 'KbdInteractiveAuthentication no' > /etc/ssh/sshd_config.d/ckalab.conf; \\
  fi; \\
  ETCDCTL_API=3 etcdctl version >/dev/null
LABEL ${PREPARED_LABEL}="${baseImage}" io.ckalab.etcd-image="${etcdImage}"
`
}

/**
 * Tag of the prepared image: the Kubernetes version plus a hash of what went
 * in (both images and the recipe's text), so any change to the recipe or a new
 * base makes a new image instead of reusing a stale one.
 */
export function preparedTag(
  profile: Profile,
  baseImageId: string,
  etcdImageId: string,
  recipe: string,
): string {
  const h = createHash('sha256')
    .update(`${baseImageId}\n${etcdImageId}\n${recipe}`)
    .digest('hex')
    .slice(0, 10)
  return `${PREPARED_REPO}:${profile.kubernetesVersion}-tools-${h}`
}

export class PrepareImageError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'PrepareImageError'
  }
}

/** Returns the prepared image's tag, building it when it is not cached. */
export async function prepareNodeImage(
  docker: Docker,
  opts: PrepareOptions,
): Promise<{ tag: string; built: boolean }> {
  const etcdImage = opts.etcdImage ?? opts.profile.etcdImage
  const pullTimeoutMs = opts.pullTimeoutMs ?? 120_000
  const baseId = await ensureImage(docker, opts.baseImage, pullTimeoutMs, opts.onStep)
  const etcdId = await ensureImage(docker, etcdImage, pullTimeoutMs, opts.onStep)
  const recipe = dockerfile(opts.baseImage, etcdImage)
  const tag = preparedTag(opts.profile, baseId, etcdId, recipe)
  if (await imageId(docker, tag)) return { tag, built: false }

  opts.onStep?.(`Building ${tag}`)
  const context = pack()
  context.entry({ name: 'Dockerfile' }, recipe)
  context.finalize()
  const stream = await docker.buildImage(context as unknown as NodeJS.ReadableStream, {
    t: tag,
    rm: true,
    forcerm: true,
  })
  const log: string[] = []
  await new Promise<void>((resolve, reject) => {
    docker.modem.followProgress(
      stream,
      (err: Error | null, events: Array<{ error?: string; errorDetail?: { message?: string } }>) => {
        const failed = events?.find((e) => e.error || e.errorDetail)
        if (err || failed) {
          const why = err?.message ?? failed?.errorDetail?.message ?? failed?.error
          reject(new PrepareImageError(`building ${tag} failed: ${why}\n${log.slice(-10).join('\n')}`))
        } else resolve()
      },
      (e: { stream?: string }) => {
        const line = e.stream?.trim()
        if (!line) return
        log.push(line)
        if (/^Step \d+\/\d+ :/.test(line)) opts.onStep?.(line)
      },
    )
  })
  if (!(await imageId(docker, tag)))
    throw new PrepareImageError(`building ${tag} reported success but the image is missing`)
  return { tag, built: true }
}

async function imageId(docker: Docker, ref: string): Promise<string | undefined> {
  try {
    return (await docker.getImage(ref).inspect()).Id
  } catch {
    return undefined
  }
}

async function ensureImage(
  docker: Docker,
  ref: string,
  timeoutMs: number,
  onStep?: (l: string) => void,
): Promise<string> {
  const have = await imageId(docker, ref)
  if (have) return have
  onStep?.(`Pulling ${ref}`)
  try {
    const stream = await docker.pull(ref)
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs)
      docker.modem.followProgress(stream, (err: Error | null) => {
        clearTimeout(t)
        if (err) reject(err)
        else resolve()
      })
    })
  } catch (e) {
    throw new PrepareImageError(
      `${ref} is not on this machine and could not be pulled (${(e as Error).message})`,
    )
  }
  const id = await imageId(docker, ref)
  if (!id) throw new PrepareImageError(`${ref} is not on this machine and could not be pulled`)
  return id
}

/**
 * Fallback when no prepared image could be built: copy the clients out of the
 * running etcd container's root filesystem into the node (no editor then).
 */
export const COPY_ETCD_CLIENTS_SCRIPT = `set -e
command -v etcdctl >/dev/null 2>&1 && exit 0
pid=""
for i in $(seq 120); do pid=$(pgrep -x etcd | head -n1 || true); [ -n "$pid" ] && break; sleep 1; done
[ -n "$pid" ] || { echo "etcd is not running in this node" >&2; exit 1; }
for b in etcdctl etcdutl; do
  for d in /usr/local/bin /usr/bin /bin; do
    if [ -f "/proc/$pid/root$d/$b" ]; then cp "/proc/$pid/root$d/$b" "/usr/local/bin/$b"; chmod 755 "/usr/local/bin/$b"; break; fi
  done
done
command -v etcdctl >/dev/null 2>&1 || { echo "no etcdctl in the etcd container" >&2; exit 1; }
`
