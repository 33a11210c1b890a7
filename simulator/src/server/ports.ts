// What the server needs from the rest of ckalab, as small interfaces. The
// labs/grading code is wired in by one adapter (catalog.ts); tests use fakes.

import type { ClusterSpec, Environment, ProfileId } from '../seam'

export type Difficulty = 'easy' | 'medium' | 'hard' | string

export interface LabSummary {
  id: string
  title: string
  difficulty: Difficulty
  /** Expected time for a prepared learner. */
  minutes: number
  /** Curriculum tags, e.g. "etcd", "backup", "cluster-architecture". */
  tags: string[]
  /** Drivers the lab is written for, e.g. ["sim", "kind"]. */
  drivers: string[]
  summary?: string
}

export interface LabDetail extends LabSummary {
  /** The task as markdown, shown on the lab page. */
  taskMarkdown: string
  cluster: ClusterSpec
  /** Hints revealed one by one in practice mode. */
  hints: string[]
  /** Exam-mode time limit; defaults to `minutes`. */
  examMinutes?: number
}

// The grade report is the grader's type; the server and the page use it as is.
import type { CheckResult, CommandRecord, Evidence, Report, Verdict } from '../grader/types'

export type { CheckResult, CommandRecord, Evidence, Report, Verdict }

import type { CheckProgress } from '../grader/runner'

export type { CheckProgress }

/** Facts recorded by lab triggers and setup that the grader needs later. Plain JSON. */
export type Facts = Record<string, unknown>

export interface LabLoadError {
  lab: string
  message: string
}

export interface LabCatalog {
  list(): Promise<{ labs: LabSummary[]; errors: LabLoadError[] }>
  get(id: string): Promise<LabDetail | undefined>
  /** Runs the lab's setup on a fresh environment; may record facts. */
  setup(labId: string, env: Environment, facts: Facts): Promise<void>
  /**
   * Lets the lab's triggers look at the environment (e.g. "a snapshot now
   * exists → create the post-snapshot deployment"). Mutates `facts` and
   * returns true when it changed anything worth saving.
   */
  onTick?(labId: string, env: Environment, facts: Facts): Promise<boolean>
  /** Runs the checks; `onProgress` hears each check start, wait and end while grading runs. */
  grade(
    labId: string,
    env: Environment,
    facts: Facts,
    onProgress?: (p: CheckProgress) => void,
  ): Promise<Report>
  /** The reference solution as markdown, for the lab's Kubernetes version or the one given. */
  solution(labId: string, kubernetes?: ProfileId): Promise<string>
  junit(report: Report): string
}
