import type { ProfileId } from '../../seam'

// Which kind releases can run which ckalab profile, and the node image each
// profile uses by default. kind only promises that a node image works with the
// release it shipped with (best effort with others), so a profile names the
// range of kind releases whose release notes list an image of that minor.

export interface KindVersion {
  major: number
  minor: number
  patch: number
  /** The whole version as printed, e.g. `v0.24.0` or `v0.25.0-alpha+abc`. */
  raw: string
}

/** Oldest kind ckalab drives at all: v1alpha4 configs with extraMounts propagation and `--wait`. */
export const MIN_KIND: KindVersion = { major: 0, minor: 11, patch: 0, raw: 'v0.11.0' }

export interface ProfileImage {
  /** Default node image (override per profile through the driver options). */
  image: string
  /** Inclusive range of kind releases that ship an image of this Kubernetes minor. */
  minKind: KindVersion
  maxKind?: KindVersion
}

const v = (raw: string): KindVersion => parseKindVersion(raw)!

export const PROFILE_IMAGES: Record<ProfileId, ProfileImage> = {
  // kind v0.11 – v0.17 published 1.20 node images; later releases dropped the minor.
  '1.20': { image: 'kindest/node:v1.20.15', minKind: v('v0.11.0'), maxKind: v('v0.17.0') },
  '1.31': { image: 'kindest/node:v1.31.0', minKind: v('v0.24.0') },
  '1.34': { image: 'kindest/node:v1.34.0', minKind: v('v0.30.0') },
}

/** Parses `kind version` output (`kind v0.24.0 go1.22.6 linux/amd64`) or a bare version. */
export function parseKindVersion(text: string): KindVersion | undefined {
  const m = /\bv?(\d+)\.(\d+)\.(\d+)([-+][0-9A-Za-z.+-]*)?/.exec(text)
  if (!m) return undefined
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3]), raw: `v${m[0].replace(/^v/, '')}` }
}

export function compareKindVersions(a: KindVersion, b: KindVersion): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch
}

/** Undefined when this kind release can run the profile, else what is wrong and what to do. */
export function profileSupportProblem(
  profile: ProfileId,
  kind: KindVersion,
  customImage: boolean,
): string | undefined {
  // A custom image is the operator's promise that it works with their kind.
  if (customImage) return undefined
  const p = PROFILE_IMAGES[profile]
  if (compareKindVersions(kind, p.minKind) < 0) {
    return `kind ${kind.raw} has no node image for Kubernetes ${profile}; install kind ${p.minKind.raw} or newer, or pick another version`
  }
  if (p.maxKind && compareKindVersions(kind, p.maxKind) > 0) {
    return `kind ${kind.raw} no longer supports Kubernetes ${profile} (the last release with a ${profile} node image is ${p.maxKind.raw}); use kind ${p.maxKind.raw} for this version, pick Kubernetes 1.31 or 1.34, or set a node image for ${profile}`
  }
  return undefined
}
