import type { Environment } from '../../../simulator/src/seam'
import type { Seen } from './normalize'
import type { Step } from './script'

// Runs the command script on one environment and returns, per compared
// step, the normalized text a learner would see (stdout, stderr, exit code).

export interface StepOutput {
  id: string
  raw: string
  normalized: string
}

export async function replayScript(env: Environment, steps: Step[]): Promise<StepOutput[]> {
  const node = env.nodes[0]
  if (!node) throw new Error('the environment has no node')
  const seen: Seen = { node: node.name }
  const out: StepOutput[] = []
  for (const step of steps) {
    if (step.until) {
      let waited = 0
      for (;;) {
        const r = await node.exec(step.until.cmd, { timeoutMs: 30_000 })
        if (step.until.ok(r)) break
        if (waited >= step.until.maxMs)
          throw new Error(
            `${env.driver}: before "${step.id}", \`${step.until.cmd}\` never held in ${step.until.maxMs / 1000} s; last: ${(r.stdout + r.stderr).slice(0, 500)}`,
          )
        await env.settle(2000)
        waited += 2000
      }
    }
    const r = await node.exec(step.cmd.replaceAll('$NODE', node.name), { timeoutMs: 120_000 })
    const raw = `${r.stdout}${r.stderr ? `[stderr]\n${r.stderr}` : ''}[exit ${r.exitCode}]`
    if (step.norm) {
      const text = `${step.norm(r.stdout, seen)}${r.stderr ? `[stderr]\n${step.norm(r.stderr, seen)}` : ''}[exit ${r.exitCode}]`
      out.push({ id: step.id, raw, normalized: text })
    }
    // the simulator's kubelet reacts in simulated time; a person takes a moment per command
    await env.settle(2000)
  }
  return out
}
