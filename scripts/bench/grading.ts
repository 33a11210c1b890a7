import { SimDriver } from '../../simulator/src/drivers/sim'
import { gradeLab } from '../../simulator/src/grader/lifecycle'
import { loadLabs } from '../../simulator/src/grader/loader'
import { tryLab } from '../../simulator/src/grader/try'
import { median } from '../../simulator/src/sim/stats'

// `npm run bench` (grading): how long grading all checks of a lab takes on the
// simulator, after the reference solution has been replayed (the state a
// learner grades most). `gradeP50Ms` is the p50 over every lab's rounds.

const round1 = (n: number) => Math.round(n * 10) / 10

export async function benchLabs(rounds = 7): Promise<Record<string, number>> {
  const { labs } = await loadLabs()
  const out: Record<string, number> = {}
  const all: number[] = []
  for (const lab of labs) {
    const times: number[] = []
    await tryLab({
      lab,
      driver: new SimDriver({ clock: 'virtual' }),
      script: lab.solution,
      inspect: async (env, facts) => {
        for (let i = 0; i < rounds; i++) {
          const t = performance.now()
          await gradeLab(lab, env, facts)
          times.push(performance.now() - t)
        }
      },
    })
    out[`grade:${lab.id}`] = round1(median(times))
    all.push(...times)
  }
  out.gradeP50Ms = round1(median(all))
  return out
}
