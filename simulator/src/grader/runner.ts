import type { Environment } from '../seam'
import { BudgetExceeded, GradingContext } from './context'
import type { Check, CheckOutcome, CheckResult, Verdict, WaitState } from './types'

// Runs a lab's checks one after another. A check that throws, hangs past its
// budget or returns something that is not an outcome becomes "unknown" with
// the reason; the other checks still run.

export const DEFAULT_BUDGET_MS = 30_000
const VERDICTS: Verdict[] = ['pass', 'fail', 'unknown']

/** Why a value is not a CheckOutcome, or undefined when it is one. */
export function outcomeProblem(value: unknown): string | undefined {
  if (!value || typeof value !== 'object') return `it returned ${value === null ? 'null' : typeof value}`
  const o = value as Partial<CheckOutcome>
  if (!VERDICTS.includes(o.verdict as Verdict))
    return `its verdict ${JSON.stringify(o.verdict)} is not pass, fail or unknown`
  if (typeof o.expected !== 'string' || typeof o.actual !== 'string')
    return 'it did not say what it expected and saw'
  if (o.hint !== undefined && typeof o.hint !== 'string') return 'its hint is not text'
  return undefined
}

export interface RunOptions {
  env: Environment
  facts: Record<string, unknown>
  /** Overrides every check's own budget (tests). */
  budgetMs?: number
  shared?: Map<string, Promise<unknown>>
  /** Told as each check starts and ends, so a caller can show progress while grading runs. */
  onProgress?: (p: CheckProgress) => void
}

export interface CheckProgress {
  /** 0-based position of the check. */
  index: number
  total: number
  id: string
  title: string
  /** Every check is told as pending first, so a listener knows the whole list from the start. */
  phase: 'pending' | 'running' | 'done'
  verdict?: Verdict
  /** While running: the condition the check waits for, if it is waiting. */
  waiting?: WaitState
}

export async function runCheck(
  check: Check,
  o: RunOptions & { onWait?: (w: WaitState | undefined) => void },
): Promise<CheckResult> {
  const started = Date.now()
  const budgetMs = o.budgetMs ?? check.budgetMs ?? DEFAULT_BUDGET_MS
  const abort = new AbortController()
  const ctx = new GradingContext({
    env: o.env,
    facts: o.facts,
    budgetMs,
    signal: abort.signal,
    shared: o.shared,
    onWait: o.onWait,
  })
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), budgetMs)
  })
  let outcome: CheckOutcome
  try {
    const value = await Promise.race([Promise.resolve().then(() => check.run(ctx)), timeout])
    if (value === 'timeout') {
      abort.abort()
      outcome = unknown(`the check did not finish within ${(budgetMs / 1000).toFixed(1)} s`)
    } else {
      const problem = outcomeProblem(value)
      outcome = problem
        ? unknown(`the check returned an invalid result: ${problem}`)
        : (value as CheckOutcome)
    }
  } catch (err) {
    outcome =
      err instanceof BudgetExceeded
        ? unknown(`the check did not finish within ${(budgetMs / 1000).toFixed(1)} s`)
        : unknown(`the check failed to run: ${(err as Error)?.message ?? String(err)}`)
  } finally {
    clearTimeout(timer)
  }
  const points = Number.isFinite(check.points) ? check.points : 0
  return {
    id: String(check.id),
    title: String(check.title),
    points,
    verdict: outcome.verdict,
    evidence: {
      expected: outcome.expected,
      actual: outcome.actual,
      commands: ctx.commands.slice(),
      ...(outcome.note ? { note: outcome.note } : {}),
    },
    ...(outcome.verdict !== 'pass' && outcome.hint ? { hint: outcome.hint } : {}),
    durationMs: Date.now() - started,
  }
}

function unknown(note: string): CheckOutcome {
  return {
    verdict: 'unknown',
    expected: 'the check to finish and judge',
    actual: 'could not judge',
    note,
    hint: 'This is a problem of the grader, not of your work; grade again, and report it if it persists.',
  }
}

export async function runChecks(checks: Check[], o: RunOptions): Promise<CheckResult[]> {
  const out: CheckResult[] = []
  const shared = o.shared ?? new Map<string, Promise<unknown>>()
  const total = checks.length
  for (const [index, c] of checks.entries())
    tell(o, { index, total, id: String(c.id), title: String(c.title), phase: 'pending' })
  for (const [index, c] of checks.entries()) {
    const base = { index, total, id: String(c.id), title: String(c.title) }
    tell(o, { ...base, phase: 'running' })
    const r = await runCheck(c, {
      ...o,
      shared,
      onWait: (waiting) => tell(o, { ...base, phase: 'running', ...(waiting ? { waiting } : {}) }),
    })
    tell(o, { ...base, phase: 'done', verdict: r.verdict })
    out.push(r)
  }
  return out
}

/** A listener that throws must not change a verdict. */
function tell(o: RunOptions, p: CheckProgress): void {
  try {
    o.onProgress?.(p)
  } catch {
    /* progress is a courtesy */
  }
}
