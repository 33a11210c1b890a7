import { compareKindVersions, type KindVersion, MIN_KIND } from './versions'

// What the kind driver needs from the machine, and the decision whether it is
// usable. `diagnose` is pure so every branch is tested without Docker; the
// facts are gathered at the edge (see probe-facts.ts).

export interface HostFacts {
  /** Undefined when the daemon answered; otherwise the error text. */
  dockerError?: string
  /** Memory the Docker engine reports (bytes), when it answered. */
  dockerMemoryBytes?: number
  /** `kind version` output parsed, or the reason it could not run. */
  kind: { version: KindVersion; path: string } | { error: string; path: string }
  /** fs.inotify limits of the (Linux) host, when readable. */
  inotify?: { maxUserWatches: number; maxUserInstances: number }
}

export interface Problem {
  what: string
  fix: string
}

const GIB = 1024 ** 3
/** One node with a control plane needs about 2 GiB of working memory (etcd, apiserver, kubelet, shell). */
export const MEMORY_PER_CONTROL_PLANE = 2 * GIB
/** kind's known-issues page: three control planes exhaust the default inotify limits. */
export const MIN_INOTIFY_WATCHES = 524288
export const MIN_INOTIFY_INSTANCES = 512

export function problems(facts: HostFacts, controlPlanes = 1): Problem[] {
  const out: Problem[] = []
  if (facts.dockerError !== undefined) {
    out.push({
      what: `the Docker daemon is unreachable (${facts.dockerError})`,
      fix: 'start Docker (on Debian as root: scripts/ci/install-docker.sh), or set DOCKER_HOST to a running engine',
    })
  }
  if ('error' in facts.kind) {
    out.push({
      what: `kind is not usable at ${facts.kind.path} (${facts.kind.error})`,
      fix: `install kind ${MIN_KIND.raw} or newer (https://kind.sigs.k8s.io/docs/user/quick-start/#installation) and put it on PATH, or set CKALAB_KIND to its path`,
    })
  } else if (compareKindVersions(facts.kind.version, MIN_KIND) < 0) {
    out.push({
      what: `kind ${facts.kind.version.raw} at ${facts.kind.path} is too old`,
      fix: `install kind ${MIN_KIND.raw} or newer`,
    })
  }
  if (facts.dockerMemoryBytes !== undefined) {
    const need = MEMORY_PER_CONTROL_PLANE * Math.max(1, controlPlanes)
    if (facts.dockerMemoryBytes < need) {
      out.push({
        what: `Docker has ${gib(facts.dockerMemoryBytes)} of memory; ${controlPlanes} control plane(s) need about ${gib(need)}`,
        fix: 'give Docker more memory (Docker Desktop: Settings → Resources), or use the simulator',
      })
    }
  }
  if (facts.inotify && controlPlanes > 1) {
    const { maxUserWatches, maxUserInstances } = facts.inotify
    if (maxUserWatches < MIN_INOTIFY_WATCHES || maxUserInstances < MIN_INOTIFY_INSTANCES) {
      out.push({
        what: `inotify limits are too low for ${controlPlanes} control planes (max_user_watches ${maxUserWatches}, max_user_instances ${maxUserInstances})`,
        fix: `as root: sysctl fs.inotify.max_user_watches=${Math.max(maxUserWatches, MIN_INOTIFY_WATCHES)} fs.inotify.max_user_instances=${Math.max(maxUserInstances, MIN_INOTIFY_INSTANCES)}`,
      })
    }
  }
  return out
}

/** One readable paragraph: each problem with its fix, or undefined when nothing is missing. */
export function describeProblems(list: Problem[]): string | undefined {
  if (list.length === 0) return undefined
  return list.map((p) => `${p.what}; fix: ${p.fix}.`).join('\n')
}

function gib(bytes: number): string {
  return `${(bytes / GIB).toFixed(1)} GiB`
}
