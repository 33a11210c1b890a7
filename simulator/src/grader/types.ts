import type { ClusterSpec, ExecResult, Node, ProfileId } from '../seam'

// The vocabulary of labs and grading. Labs and checks speak only to the seam
// (Node, Environment.settle), so the same lab grades a simulated cluster and a
// real kind cluster.

export type Verdict = 'pass' | 'fail' | 'unknown'

/** Which node(s) a setup step, trigger or check addresses, independent of driver naming. */
export type NodeRef = 'cp1' | 'cp2' | 'cp3' | 'control-planes' | 'all'

export interface CommandRecord {
  node: string
  command: string
  exitCode: number
  stdout: string
  stderr: string
  durationMs: number
  timedOut?: boolean
}

export interface Evidence {
  /** What a correct attempt shows, in words. */
  expected: string
  /** What this attempt showed. */
  actual: string
  /** Every command the check ran, with its output (truncated). */
  commands: CommandRecord[]
  /** Why the check could not judge, or extra context. */
  note?: string
}

/** What a check's `run` returns; the runner adds the commands and the timing. */
export interface CheckOutcome {
  verdict: Verdict
  expected: string
  actual: string
  /** Shown to the learner when the verdict is not pass. */
  hint?: string
  note?: string
}

export interface ManifestView {
  /** Path of the file the pod came from. */
  path: string
  /** The raw text. */
  text: string
  /** Parsed document, or undefined with `error` when the YAML is broken. */
  doc?: any
  error?: string
}

export interface KubectlResult extends ExecResult {
  /** The apiserver could not be reached or could not answer (not a judgement about the object). */
  unavailable: boolean
  notFound: boolean
}

export interface CheckContext {
  /** Nodes of the environment, first control plane first. */
  readonly nodes: Node[]
  node(ref: NodeRef | string): Node
  readonly controlPlanes: Node[]
  /** Facts recorded by setup and triggers. */
  readonly facts: Record<string, unknown>
  /** Milliseconds left in this check's time budget. */
  remainingMs(): number
  /** Run a command; recorded into the evidence. */
  exec(node: Node, cmd: string, opts?: { timeoutMs?: number; quiet?: boolean }): Promise<ExecResult>
  readText(node: Node, path: string): Promise<string | undefined>
  /**
   * Runs one command line in a new terminal on the node (a new interactive
   * login shell, as a person opening a terminal gets); stdout and stderr merged.
   */
  inNewTerminal(node: Node, commandLine: string): Promise<ExecResult>
  /** The static pod manifest defining `pod` (e.g. etcd) in /etc/kubernetes/manifests. */
  manifest(node: Node, pod: string): Promise<ManifestView | undefined>
  kubectl(node: Node, args: string): Promise<KubectlResult>
  /** etcdctl against the node's local member, with kubeadm's healthcheck client certificate. */
  etcdctl(node: Node, args: string, endpoint?: string): Promise<ExecResult>
  /** Let time pass (instant on the simulator's virtual clock). */
  settle(ms: number): Promise<void>
  /**
   * Runs `fn` once per grading and shares its result with the later checks, e.g.
   * "waited for the apiserver and it never became ready" is not waited for twice.
   */
  once<T>(key: string, fn: () => Promise<T>): Promise<T>
  /**
   * Retry `probe` until it returns a value or `withinMs` of (environment) time passed.
   * `what` says what is awaited ("the etcd pod to be Running"); while it waits, the
   * learner's page shows it with the time waited. A function is asked again each round,
   * so it can name the latest reason.
   */
  waitFor<T>(
    probe: () => Promise<T | undefined>,
    withinMs: number,
    options?: number | WaitOptions,
  ): Promise<T | undefined>
}

export interface WaitOptions {
  /** Time between two probes (default 2 s). */
  everyMs?: number
  what?: string | (() => string)
}

/** What a check is waiting for right now, as the page shows it. */
export interface WaitState {
  what: string
  /** Environment time waited so far. */
  waitedMs: number
  /** How long the check waits at most. */
  withinMs: number
}

export interface Check {
  id: string
  title: string
  points: number
  /** Wall-clock budget; default 30 s. */
  budgetMs?: number
  run(ctx: CheckContext): Promise<CheckOutcome>
}

/** A condition for a trigger, written in TypeScript in the lab's checks module. */
export type Probe = (ctx: CheckContext) => Promise<boolean>

export interface CheckModule {
  checks: Check[]
  probes?: Record<string, Probe>
}

export interface CheckResult {
  id: string
  title: string
  points: number
  verdict: Verdict
  evidence: Evidence
  hint?: string
  durationMs: number
}

export interface Report {
  schema: 'ckalab.report/v1'
  lab: string
  driver: string
  profile: { kubernetes: string; etcd: string }
  startedAt: string
  finishedAt: string
  score: { points: number; max: number }
  verdict: Verdict
  checks: CheckResult[]
}

// ---- the lab file (lab.yaml) ----

export interface RunStep {
  on: NodeRef
  /** Inline shell, or `file` relative to the lab folder. */
  run?: string
  file?: string
  /** Retry until exit 0 for this long (environment time), e.g. waiting for the apiserver. */
  untilSuccessMs?: number
  /** Store the trimmed stdout under this fact name. */
  capture?: string
  /** A non-zero exit is tolerated (setup continues). */
  allowFailure?: boolean
}

export interface SettleStep {
  settle: number
}

export type SetupStep = RunStep | SettleStep

export interface Trigger {
  id: string
  /** A probe exported by the lab's checks module, or a shell condition (exit 0 = true). */
  when: { probe: string } | { on: NodeRef; run: string }
  do: RunStep[]
  /** Facts to record when the trigger fires (merged into the attempt's facts). */
  record?: Record<string, unknown>
  /** Told to the learner when the trigger fires (markdown). */
  message?: string
}

export interface TaskDef {
  id: string
  title: string
  /** Markdown text, inline or from `file`. */
  text: string
  points: number
  checks: string[]
  hints: string[]
}

export interface WrongAnswer {
  id: string
  title: string
  script: string
  /** Kubernetes profile to replay on, when not the lab's default. */
  kubernetes?: ClusterSpec['kubernetes']
  expect: Record<string, Verdict>
}

export interface LabDefinition {
  id: string
  title: string
  summary: string
  difficulty: 'easy' | 'medium' | 'hard'
  minutes: number
  tags: string[]
  curriculumNote?: string
  drivers: string[]
  cluster: ClusterSpec
  setup: SetupStep[]
  triggers: Trigger[]
  tasks: TaskDef[]
  /** The reference solution, one line a learner types per line. */
  solution: string
  /** Reference solutions for Kubernetes versions whose tools differ from the lab's own version. */
  solutions: Partial<Record<ProfileId, string>>
  /** Optional markdown explaining the solution. */
  solutionNotes?: string
  wrongAnswers: WrongAnswer[]
}

export interface Lab extends LabDefinition {
  dir: string
  module: CheckModule
  /** Texts of the step scripts named by `file` (setup and triggers), read when the lab was loaded. */
  scripts?: Record<string, string>
}

export interface LintProblem {
  lab: string
  file: string
  field: string
  message: string
  fix: string
}
