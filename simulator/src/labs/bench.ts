import { SimDriver } from '../drivers/sim'
import { gradeLab, runSetup } from './lifecycle'
import { loadLabs } from './loader'

// `npm run bench` (grading): p50 of grading all checks of each lab on a fresh
// simulated environment, right after setup (the untouched lab), and its
// reference-solution state is covered by test/labs.

function p50(values: number[]): number {
  const s = [...values].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)] ?? Number.NaN
}

export async function benchLabs(rounds = 7): Promise<Record<string, number>> {
  const { labs } = await loadLabs()
  const out: Record<string, number> = {}
  const all: number[] = []
  for (const lab of labs) {
    const env = await new SimDriver({ clock: 'virtual' }).create(lab.cluster)
    try {
      const facts: Record<string, unknown> = {}
      await runSetup(lab, env, facts)
      const times: number[] = []
      for (let i = 0; i < rounds; i++) {
        const t = performance.now()
        await gradeLab(lab, env, facts)
        times.push(performance.now() - t)
      }
      out[`grade:${lab.id}`] = Math.round(p50(times) * 10) / 10
      all.push(...times)
    } finally {
      await env.dispose()
    }
  }
  out.gradeP50Ms = Math.round(p50(all) * 10) / 10
  return out
}
