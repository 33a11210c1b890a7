// What may legitimately differ between a real kubectl and the simulator's:
// the client's own version numbers (the simulator's 1.31 and 1.34 profiles are
// held against the nearest Debian packages, 1.32 and 1.36), and for --help
// only an excerpt is compared (the first paragraph and the Usage section:
// the simulator does not carry every example and option text). Nothing else
// is masked.

import type { RawOutput } from './script'

export interface VersionFacts {
  gitVersion: string
  gitCommit: string
  buildDate: string
  goVersion: string
  minor: string
  kustomizeVersion: string
}

/** The version facts a side printed for `version --client -o json`. */
export function versionFacts(versionJson: string): VersionFacts {
  const v = JSON.parse(versionJson) as { clientVersion: Record<string, string>; kustomizeVersion: string }
  const cv = v.clientVersion
  return {
    gitVersion: cv.gitVersion,
    gitCommit: cv.gitCommit,
    buildDate: cv.buildDate,
    goVersion: cv.goVersion,
    minor: cv.minor,
    kustomizeVersion: v.kustomizeVersion,
  }
}

function maskVersions(text: string, f: VersionFacts): string {
  let out = text
  for (const [key, value] of Object.entries(f) as [keyof VersionFacts, string][]) {
    if (!value || key === 'minor') continue
    out = out.replaceAll(value, `<${key}>`)
  }
  // The minor stands alone only in version.Info's "minor" field.
  return out
    .replaceAll(`"minor": "${f.minor}"`, '"minor": "<minor>"')
    .replaceAll(`minor: "${f.minor}"`, 'minor: "<minor>"')
}

/** The first paragraph of a help text and everything from its `Usage:` line on. */
export function helpExcerpt(text: string): string {
  const lines = text.split('\n')
  const blank = lines.indexOf('')
  const usage = lines.indexOf('Usage:')
  const head = lines.slice(0, blank < 0 ? lines.length : blank)
  return [...head, '[…]', ...(usage < 0 ? ['[no Usage section]'] : lines.slice(usage))].join('\n')
}

export function normalize(
  out: RawOutput,
  facts: VersionFacts,
  opts: { helpExcerpt?: boolean } = {},
): RawOutput {
  const stdout = opts.helpExcerpt && out.exitCode === 0 ? helpExcerpt(out.stdout) : out.stdout
  return {
    stdout: maskVersions(stdout, facts),
    stderr: maskVersions(out.stderr, facts),
    exitCode: out.exitCode,
  }
}
