import { writeFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { KindDriver } from '../../simulator/src/drivers/kind'
import { SimDriver } from '../../simulator/src/drivers/sim'
import type { Environment } from '../../simulator/src/seam'
import { createOnce, ensureCriNodeImage } from './compare/image'
import { KNOWN_DIFFERENCES } from './compare/known'
import { replayScript, type StepOutput } from './compare/replay'
import { STEPS } from './compare/script'
import { ensureDocker, FAKE_KIND, IN_CI } from './harness'

// The simulator held against a real node: the same command script on a real
// Kubernetes 1.20 control plane (fixture) and on the simulator's 1.20 profile
// gives the same normalized output, except for the differences listed in
// compare/known.ts (each one a simulator fix to make; the test fails when one
// is fixed, so the list stays true).

const docker = ensureDocker()
if (!docker.ok && IN_CI) throw new Error(`kind compare suite: ${docker.why}`)
const run = docker.ok ? describe : describe.skip

run('the simulator against a real 1.20 node: what a learner sees around a restore', () => {
  let real: Environment | undefined
  let sim: Environment | undefined
  let realOut: StepOutput[] = []
  let simOut: StepOutput[] = []
  // CKALAB_COMPARE_ADOPT=<id> reuses a running cluster ckalab-<id> (and leaves it) while working on this file
  const adopt = process.env.CKALAB_COMPARE_ADOPT

  beforeAll(async () => {
    const kind = new KindDriver({
      kindPath: FAKE_KIND,
      nodeImages: { '1.20': adopt ? 'unused' : ensureCriNodeImage() },
      clusterPrefix: adopt ? 'ckalab-' : 'ckalab-c',
    })
    real = adopt
      ? await kind.adopt(adopt)
      : await createOnce(() => kind.create({ controlPlanes: 1, workers: 0, kubernetes: '1.20' }))
    if (!real) throw new Error(`no cluster ckalab-${adopt}`)
    sim = await new SimDriver({ clock: 'virtual' }).create({
      controlPlanes: 1,
      workers: 0,
      kubernetes: '1.20',
    })
    ;[simOut, realOut] = [await replayScript(sim, STEPS), await replayScript(real, STEPS)]
    if (process.env.CKALAB_COMPARE_OUT)
      writeFileSync(process.env.CKALAB_COMPARE_OUT, JSON.stringify({ real: realOut, sim: simOut }, null, 2))
  }, 900_000)

  afterAll(async () => {
    await sim?.dispose()
    if (!adopt) await real?.dispose()
  }, 300_000)

  for (const step of STEPS.filter((s) => s.norm)) {
    const known = KNOWN_DIFFERENCES[step.id]
    it(`${step.id}: \`${step.cmd.slice(0, 80)}\`${known ? ` (known difference: ${known})` : ''}`, () => {
      const r = realOut.find((o) => o.id === step.id)
      const s = simOut.find((o) => o.id === step.id)
      expect(r && s, 'both sides ran the step').toBeTruthy()
      const detail = `--- real (raw) ---\n${r!.raw}\n--- simulator (raw) ---\n${s!.raw}`
      if (known)
        expect(s!.normalized, `fixed? remove it from compare/known.ts\n${detail}`).not.toBe(r!.normalized)
      else expect(s!.normalized, detail).toBe(r!.normalized)
    })
  }
})
