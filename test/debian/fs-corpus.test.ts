import { readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, test } from 'vitest'
import { parse } from 'yaml'
import { VirtualClock } from '../../simulator/src/sim/clock'
import { createSimCluster, type SimCluster } from '../../simulator/src/sim/cluster'
import { standardParts } from '../../simulator/src/sim/standard'
import type { Normalizer } from './fs-cases'
import { normalize } from './normalize'

// Replays every case of the file-tools corpus (captured from real Debian 12
// systems by capture-fs.ts) on a simulated node and compares stdout, stderr
// and the exit code after normalising only what each case says may vary.

interface CorpusCase {
  command: string
  setup?: string[]
  profile?: '1.20' | '1.31' | '1.34'
  stdout: string
  stderr: string
  exitCode: number
  captured: string
  normalize?: Normalizer[]
}

const dir = join(dirname(fileURLToPath(import.meta.url)), 'corpus', 'fs')
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.yaml'))
  .sort()
const cases = files.map((f) => ({
  id: f.replace(/\.yaml$/, ''),
  doc: parse(readFileSync(join(dir, f), 'utf8')) as CorpusCase,
}))

const clusters = new Map<string, Promise<SimCluster>>()
function clusterFor(profile: '1.20' | '1.31' | '1.34'): Promise<SimCluster> {
  let c = clusters.get(profile)
  if (!c) {
    c = createSimCluster(
      { controlPlanes: 1, kubernetes: profile },
      { ...standardParts(), clock: new VirtualClock() },
    )
    clusters.set(profile, c)
  }
  return c
}

afterAll(async () => {
  for (const c of clusters.values()) await (await c).dispose()
})

describe('Debian 12 file tools, sudo and su: real outputs replayed on the simulator', () => {
  test('the corpus has at least 40 cases, each saying how it was captured', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40)
    for (const c of cases) expect(c.doc.captured, c.id).toMatch(/Debian 12/)
  })

  for (const { id, doc } of cases) {
    test(id, async () => {
      const cluster = await clusterFor(doc.profile ?? '1.34')
      const node = cluster.nodes[0]
      if (!node) throw new Error('the simulated cluster has no node')
      if (doc.setup?.length) {
        const s = await node.exec(doc.setup.join('\n'))
        expect(s.stderr, `${id}: setup`).toBe('')
      }
      const r = await node.exec(doc.command)
      const n = (t: string) => normalize(t, doc.normalize)
      expect({ stdout: n(r.stdout), stderr: n(r.stderr), exitCode: r.exitCode }).toEqual({
        stdout: n(doc.stdout),
        stderr: n(doc.stderr),
        exitCode: doc.exitCode,
      })
    })
  }
})
