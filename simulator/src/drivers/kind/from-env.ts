import type { ProfileId } from '../../seam'
import { isProfileId, PROFILES } from '../../sim/profiles'
import type { KindDriverOptions } from './driver'

// The kind driver's settings from the environment, the one place they are
// read, shared by `ckalab serve`, `ckalab try --driver kind` and `ckalab doctor`, so one set of variables points both at a
// kind binary, node images and a cluster prefix (a stand-in kind in tests,
// a locally built node image on a machine without a registry):
//   CKALAB_KIND_PATH (or CKALAB_KIND)  the kind binary
//   CKALAB_KIND_NODE_IMAGE             `1.20=repo/node:tag,1.34=…`
//   CKALAB_KIND_PREFIX                 cluster names ckalab owns (default `ckalab-`)
//   CKALAB_KIND_WARM_POOL              `<count>:<version>[:<control planes>]`, e.g. `2:1.34` or `1:1.20:3`
//   CKALAB_KIND_MAX_CLUSTERS           real clusters at once (a whole number > 0; otherwise the default 3)

export type KindEnvOptions = Pick<
  KindDriverOptions,
  'kindPath' | 'nodeImages' | 'clusterPrefix' | 'warmPool' | 'maxClusters'
>

export class KindEnvError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'KindEnvError'
  }
}

/**
 * The reaper deletes every cluster whose name starts with the prefix, so the
 * prefix must stay inside ckalab's own `ckalab-` names: a prefix like `kind`
 * or `` would let it delete clusters ckalab never made.
 */
const PREFIX = /^ckalab-[a-z0-9.-]*$/

function nonEmpty(value: string | undefined): string | undefined {
  const v = value?.trim()
  return v ? v : undefined
}

export function parseNodeImages(text: string): Partial<Record<ProfileId, string>> {
  const images: Partial<Record<ProfileId, string>> = {}
  const versions = Object.keys(PROFILES).join(', ')
  for (const raw of text.split(',')) {
    const pair = raw.trim()
    if (pair === '') continue
    const at = pair.indexOf('=')
    const profile = at < 0 ? '' : pair.slice(0, at).trim()
    const image = at < 0 ? '' : pair.slice(at + 1).trim()
    if (!isProfileId(profile) || image === '' || /\s/.test(image))
      throw new KindEnvError(
        `CKALAB_KIND_NODE_IMAGE: "${pair}" is not <version>=<image>; write e.g. 1.20=ckalab-test/node:v1.20.2 (versions: ${versions})`,
      )
    images[profile] = image
  }
  return images
}

/** `<count>:<version>[:<control planes>]`: clusters kept ready so "start" takes seconds. */
export function parseWarmPool(text: string): NonNullable<KindDriverOptions['warmPool']> {
  const [count = '', version = '', controlPlanes = '1', ...rest] = text.split(':').map((p) => p.trim())
  const size = Number(count)
  const cps = Number(controlPlanes)
  if (
    rest.length > 0 ||
    !/^\d+$/.test(count) ||
    size > 10 ||
    !isProfileId(version) ||
    !(cps === 1 || cps === 3)
  )
    throw new KindEnvError(
      `CKALAB_KIND_WARM_POOL: "${text}" is not <count>:<version>[:<control planes>]; write e.g. 2:1.34 or 1:1.20:3 (count 0-10, versions: ${Object.keys(PROFILES).join(', ')}, 1 or 3 control planes)`,
    )
  return { size, spec: { controlPlanes: cps, workers: 0, kubernetes: version } }
}

/** Reads the variables above; throws KindEnvError (saying what to fix) on a malformed value. */
export function kindOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): KindEnvOptions {
  const options: KindEnvOptions = {}
  const kindPath = nonEmpty(env.CKALAB_KIND_PATH) ?? nonEmpty(env.CKALAB_KIND)
  if (kindPath) options.kindPath = kindPath
  const images = nonEmpty(env.CKALAB_KIND_NODE_IMAGE)
  if (images) options.nodeImages = parseNodeImages(images)
  const prefix = nonEmpty(env.CKALAB_KIND_PREFIX)
  if (prefix) {
    if (!PREFIX.test(prefix))
      throw new KindEnvError(
        `CKALAB_KIND_PREFIX: "${prefix}" must start with "ckalab-" and use only a-z, 0-9, "." and "-" (the reaper deletes every cluster whose name starts with it)`,
      )
    options.clusterPrefix = prefix
  }
  const warm = nonEmpty(env.CKALAB_KIND_WARM_POOL)
  if (warm) options.warmPool = parseWarmPool(warm)
  const max = Number(env.CKALAB_KIND_MAX_CLUSTERS)
  if (Number.isInteger(max) && max > 0) options.maxClusters = max
  return options
}
