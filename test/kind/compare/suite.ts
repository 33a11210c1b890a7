import { writeFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SimDriver } from '../../../simulator/src/drivers/sim'
import type { Environment } from '../../../simulator/src/seam'
import { judgeStep } from './known'
import { replayScript, type StepOutput } from './replay'
import { STEPS } from './script'

/**
 * The simulator held against a real node: the command script (script.ts) on a
 * real Kubernetes 1.20 control plane and on the simulator's 1.20 profile gives
 * the same normalized output. Where the real node itself varies from run to
 * run (known.ts), the varying lines are masked on both sides, the real output
 * must be a state the variant describes in full, and the rest must still match.
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
      it(`${step.id}: \`${step.cmd.slice(0, 80)}\``, () => {
        const r = realOut.find((o) => o.id === step.id)
        const s = simOut.find((o) => o.id === step.id)
        expect(r && s, 'both sides ran the step').toBeTruthy()
        const verdict = judgeStep(step.id, r!.normalized, s!.normalized)
        if (verdict.ok && verdict.variant) {
          console.log(`${step.id}: equal once the known real variation is masked (${verdict.variant})`)
        }
        const detail = `${verdict.reason ?? ''}\n--- real (raw) ---\n${r!.raw}\n--- simulator (raw) ---\n${s!.raw}`
        expect(verdict.sim, detail).toBe(verdict.real)
        expect(verdict.ok, detail).toBe(true)
      })
    }
  })
}
