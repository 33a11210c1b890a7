import type { Environment, Node } from '../seam'
import { GradingContext, pickNodes } from './context'
import { buildReport } from './report'
import { type CheckProgress, runChecks } from './runner'
import type { Lab, Report, RunStep, Trigger } from './types'

// What happens to a lab around the learner's work: setup on a fresh
// environment, triggers between the learner's steps, grading at the end.

export class LabError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'LabError'
  }
}

export interface Notice {
  trigger: string
  message: string
  at: string
}

async function stepScript(lab: Lab, step: RunStep): Promise<string> {
  if (step.run !== undefined) return step.run
  const text = step.file === undefined ? undefined : lab.scripts?.[step.file]
  if (text === undefined)
    throw new LabError(
      `${lab.id}: the step script ${step.file ?? '(none)'} was not read when the lab was loaded; check lab.yaml names it`,
    )
  return text
}

async function runStep(
  lab: Lab,
  env: Environment,
  step: RunStep,
  facts: Record<string, unknown>,
  what: string,
): Promise<void> {
  const script = await stepScript(lab, step)
  for (const node of pickNodes(env.nodes, step.on)) {
    let waited = 0
    for (;;) {
      const r = await node.exec(script, { timeoutMs: 60_000 })
      if (r.exitCode === 0 || step.allowFailure) {
        if (step.capture) facts[step.capture] = r.stdout.trim()
        break
      }
      if (step.untilSuccessMs !== undefined && waited < step.untilSuccessMs) {
        await env.settle(2000)
        waited += 2000
        continue
      }
      throw new LabError(
        `${what} failed on ${node.name} (exit ${r.exitCode}): ${(r.stderr || r.stdout).trim().slice(0, 600)}`,
      )
    }
  }
}

/** Runs the lab's setup on a fresh environment, recording facts. Throws LabError with the failing step. */
export async function runSetup(lab: Lab, env: Environment, facts: Record<string, unknown>): Promise<void> {
  for (const [i, step] of lab.setup.entries()) {
    if ('settle' in step) await env.settle(step.settle)
    else await runStep(lab, env, step, facts, `setup step ${i + 1} of lab ${lab.id}`)
  }
  facts.setupFinishedAt = new Date().toISOString()
  // Read now: the learner may later move or break the manifests the versions come from.
  facts.profile = await detectProfile(env)
}

function fired(facts: Record<string, unknown>): Record<string, string> {
  const f = facts.triggersFired
  if (f && typeof f === 'object') return f as Record<string, string>
  const fresh: Record<string, string> = {}
  facts.triggersFired = fresh
  return fresh
}

async function conditionHolds(
  lab: Lab,
  env: Environment,
  t: Trigger,
  facts: Record<string, unknown>,
): Promise<boolean> {
  if ('probe' in t.when) {
    const probe = lab.module.probes?.[t.when.probe]
    if (!probe) return false
    const ctx = new GradingContext({ env, facts, budgetMs: 15_000, signal: new AbortController().signal })
    try {
      return (await probe(ctx)) === true
    } catch {
      return false
    }
  }
  const when = t.when
  const nodes: Node[] = pickNodes(env.nodes, when.on)
  for (const n of nodes) {
    const r = await n.exec(when.run, { timeoutMs: 15_000 })
    if (r.exitCode !== 0) return false
  }
  return true
}

/**
 * Looks at the environment and fires every trigger whose condition now holds
 * (each at most once per attempt). Returns the notices for the learner; an
 * empty list means nothing changed.
 */
export async function evaluateTriggers(
  lab: Lab,
  env: Environment,
  facts: Record<string, unknown>,
): Promise<Notice[]> {
  const done = fired(facts)
  const notices: Notice[] = []
  for (const t of lab.triggers) {
    if (done[t.id]) continue
    if (!(await conditionHolds(lab, env, t, facts))) continue
    for (const step of t.do) await runStep(lab, env, step, facts, `trigger ${t.id}`)
    Object.assign(facts, structuredClone(t.record ?? {}))
    const at = new Date().toISOString()
    done[t.id] = at
    if (t.message) {
      const notice = { trigger: t.id, message: t.message.trim(), at }
      const list = Array.isArray(facts.notices) ? (facts.notices as Notice[]) : []
      list.push(notice)
      facts.notices = list
      notices.push(notice)
    } else {
      notices.push({ trigger: t.id, message: '', at })
    }
  }
  return notices
}

/** Kubernetes and etcd versions, read from the images the static pods run (works on any driver). */
export async function detectProfile(env: Environment): Promise<{ kubernetes: string; etcd: string }> {
  const cp = env.nodes.find((n) => n.role === 'control-plane')
  const image = async (file: string, name: string): Promise<string | undefined> => {
    const bytes = await cp?.readFile(`/etc/kubernetes/manifests/${file}`).catch(() => undefined)
    if (!bytes) return undefined
    const m = new RegExp(`image:\\s*\\S*/${name}:(\\S+)`).exec(new TextDecoder().decode(bytes))
    return m?.[1]
  }
  const k = (await image('kube-apiserver.yaml', 'kube-apiserver')) ?? `v${env.spec.kubernetes}`
  const e = (await image('etcd.yaml', 'etcd'))?.replace(/-\d+$/, '') ?? 'unknown'
  return { kubernetes: k, etcd: e }
}

export async function gradeLab(
  lab: Lab,
  env: Environment,
  facts: Record<string, unknown>,
  onProgress?: (p: CheckProgress) => void,
): Promise<Report> {
  const startedAt = new Date()
  const saved = facts.profile as { kubernetes?: unknown; etcd?: unknown } | undefined
  const profile =
    typeof saved?.kubernetes === 'string' && typeof saved?.etcd === 'string'
      ? { kubernetes: saved.kubernetes, etcd: saved.etcd }
      : await detectProfile(env)
  const checks = await runChecks(lab.module.checks, { env, facts, onProgress })
  return buildReport({ lab: lab.id, driver: env.driver, profile, startedAt, finishedAt: new Date(), checks })
}
