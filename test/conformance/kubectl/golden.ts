// The committed captures of the real kubectl clients: one JSON file per
// binary under golden/, written by capture.ts.

import { readFileSync } from 'node:fs'
import path from 'node:path'
import type { RealKubectl } from './realKubectl'
import type { RawOutput } from './script'

export interface GoldenCase extends RawOutput {
  id: string
  args: string[]
}

export interface KubectlGolden {
  /** How and from what the file was captured. */
  captured: { how: string; binary: string; package: string; version: string; at: string }
  cases: GoldenCase[]
}

const DIR = path.join(path.dirname(new URL(import.meta.url).pathname), 'golden')

export function goldenPath(k: RealKubectl): string {
  return path.join(DIR, `real-kubectl-${k.minor}-${k.suite}.json`)
}

export function readGolden(k: RealKubectl): KubectlGolden {
  return JSON.parse(readFileSync(goldenPath(k), 'utf8')) as KubectlGolden
}
