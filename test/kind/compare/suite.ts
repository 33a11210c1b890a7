import { writeFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SimDriver } from '../../../simulator/src/drivers/sim'
import type { Environment } from '../../../simulator/src/seam'
import { REAL_VARIANTS } from './known'
import { replayScript, type StepOutput } from './replay'
import { STEPS } from './script'

/**
 * The simulator held against a real node: the command script (script.ts) on a
 * real Kubernetes 1.20 control plane and on the simulator's 1.20 profile gives
 * the same normalized output. Where the real node itself varies from run to
 * run (known.ts), either of its outputs is accepted and the variant is logged.
 * `real` is read when the describe's hooks run, so a caller can hand over a
 * cluster it creates in an outer beforeAll; it must be fresh.
 */
export function describeComparison(real: () => Environment | undefined): void {
  describe('the simulator against a real 1.20 node: what a learner sees around a restore', () => {
    let sim: Environment | undefined
    let realOut: StepOutput[] = []
    let simOut: StepOutput[] = []

    beforeAll(async () => {
      const env = real()
      if (!env) throw new Error('no real cluster to compare with')
      sim = await new SimDriver({ clock: 'virtual' }).create({
        controlPlanes: 1,
        workers: 0,
        kubernetes: '1.20',
      })
      ;[simOut, realOut] = [await replayScript(sim, STEPS), await replayScript(env, STEPS)]
      // CKALAB_COMPARE_OUT=<file> keeps both transcripts for working on a difference
      if (process.env.CKALAB_COMPARE_OUT)
        writeFileSync(process.env.CKALAB_COMPARE_OUT, JSON.stringify({ real: realOut, sim: simOut }, null, 2))
    }, 900_000)

    afterAll(async () => {
      await sim?.dispose()
    })

    for (const step of STEPS.filter((s) => s.norm)) {
      const variant = REAL_VARIANTS[step.id]
      it(`${step.id}: \`${step.cmd.slice(0, 80)}\``, () => {
        const r = realOut.find((o) => o.id === step.id)
        const s = simOut.find((o) => o.id === step.id)
        expect(r && s, 'both sides ran the step').toBeTruthy()
        if (variant && s!.normalized !== r!.normalized && variant.matches(r!.normalized)) {
          console.log(`${step.id}: the real node showed its other known output (${variant.why})`)
          return
        }
        const detail = `--- real (raw) ---\n${r!.raw}\n--- simulator (raw) ---\n${s!.raw}`
        expect(s!.normalized, detail).toBe(r!.normalized)
      })
    }
  })
}
