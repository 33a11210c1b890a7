import type { Driver, Environment, ProfileId } from '../seam'
import { evaluateTriggers, gradeLab, LabError, runSetup } from './lifecycle'
import { ScriptTyper } from './typer'
import type { Lab, Report } from './types'

// One replay of a lab: fresh environment, setup, the script typed line by
// line into the first control plane's terminal (triggers between lines), grade.

/** Simulated time that passes after each typed line, so the kubelet reacts as it would for a person. */
export const SECONDS_PER_LINE = 2

export interface TryOptions {
  lab: Lab
  driver: Driver
  kubernetes?: ProfileId
  script: string
  /** Real-time limit per typed line. */
  lineTimeoutMs?: number
  /** Called with the environment before it is disposed (tests inspect it). */
  inspect?: (env: Environment, facts: Record<string, unknown>) => Promise<void>
}

export interface TryResult {
  report: Report
  transcript: string
  facts: Record<string, unknown>
  notices: string[]
  /** The script stopped here because the prompt never came back. */
  stuckAt?: { index: number; line: string }
}

export async function tryLab(o: TryOptions): Promise<TryResult> {
  const spec = { ...o.lab.cluster, kubernetes: o.kubernetes ?? o.lab.cluster.kubernetes }
  const env = await o.driver.create(spec)
  try {
    const facts: Record<string, unknown> = {}
    await runSetup(o.lab, env, facts)
    const notices: string[] = []
    const announce = async (): Promise<string | undefined> => {
      const fired = (await evaluateTriggers(o.lab, env, facts)).filter((n) => n.message)
      if (fired.length === 0) return undefined
      for (const n of fired) notices.push(n.message)
      return fired.map((n) => `[ckalab] ${n.message}`).join('\n')
    }
    await announce()
    const cp = env.nodes.find((n) => n.role === 'control-plane')
    if (!cp) throw new LabError('the environment has no control-plane node')
    const term = await cp.openTerminal({ cols: 160, rows: 50 })
    const typer = new ScriptTyper(term)
    let result: { transcript: string; stuckAt?: { index: number; line: string } }
    try {
      if (!(await typer.ready())) throw new LabError(`the terminal on ${cp.name} never showed a prompt`)
      result = await typer.type(o.script, {
        lineTimeoutMs: o.lineTimeoutMs,
        between: async () => {
          await env.settle(SECONDS_PER_LINE * 1000)
          return announce()
        },
      })
    } finally {
      term.dispose()
    }
    const report = await gradeLab(o.lab, env, facts)
    await o.inspect?.(env, facts)
    return { report, transcript: result.transcript, facts, notices, stuckAt: result.stuckAt }
  } finally {
    await env.dispose()
  }
}
