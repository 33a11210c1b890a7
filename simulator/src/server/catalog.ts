// The one adapter between the server's LabCatalog port and ckalab's labs and
// grading code (simulator/src/grader). Labs are loaded once at start (from
// labs/ by the server; bundled at build time by the static build, which
// calls catalogOf with them). Only createLabCatalog needs Node.

import { renderJunit } from '../grader/junit'
import { evaluateTriggers, gradeLab, runSetup } from '../grader/lifecycle'
import { referenceSolution } from '../grader/solution'
import type { Lab, Report as LabReport, LintProblem } from '../grader/types'
import type { Environment, ProfileId } from '../seam'
import type { CheckProgress, Facts, LabCatalog, LabDetail, LabSummary, Report } from './ports'

function summary(lab: Lab): LabSummary {
  return {
    id: lab.id,
    title: lab.title,
    difficulty: lab.difficulty,
    minutes: lab.minutes,
    tags: lab.tags,
    drivers: lab.drivers,
    summary: lab.summary,
  }
}

function detail(lab: Lab): LabDetail {
  const tasks = lab.tasks.map((t) => `## ${t.title}\n\n${t.text.trim()}\n`).join('\n')
  return {
    ...summary(lab),
    taskMarkdown: `${lab.summary ? `${lab.summary.trim()}\n\n` : ''}${tasks}`,
    cluster: lab.cluster,
    hints: lab.tasks.flatMap((t) => t.hints),
  }
}

/**
 * Whether a lab that names `labDrivers` can run on the server's driver. The
 * kubernetes driver runs each lab node as a kind node in a pod, so it takes
 * the labs written for kind (a multi-node lab is refused when it starts, with
 * a message that names the kind driver).
 */
export function runnableOn(labDrivers: readonly string[], driver: string): boolean {
  return labDrivers.includes(driver) || (driver === 'kubernetes' && labDrivers.includes('kind'))
}

export async function createLabCatalog(root?: string): Promise<LabCatalog> {
  const { DEFAULT_LABS_DIR, loadLabs } = await import('../grader/loader')
  const { labs, problems } = await loadLabs(root ?? DEFAULT_LABS_DIR)
  return catalogOf(labs, problems)
}

export function catalogOf(labs: Lab[], problems: LintProblem[]): LabCatalog {
  const byId = new Map(labs.map((l) => [l.id, l]))
  const need = (id: string): Lab => {
    const lab = byId.get(id)
    if (!lab) throw new Error(`no lab named "${id}" is loaded`)
    return lab
  }
  const errors = problems.map((p) => ({
    lab: p.lab || p.file,
    message: `${p.file}${p.field ? ` (${p.field})` : ''}: ${p.message}${p.fix ? `; ${p.fix}` : ''}`,
  }))
  return {
    async list() {
      return { labs: labs.map(summary), errors }
    },
    async get(id) {
      const lab = byId.get(id)
      return lab ? detail(lab) : undefined
    },
    async setup(id: string, env: Environment, facts: Facts) {
      await runSetup(need(id), env, facts)
    },
    async onTick(id: string, env: Environment, facts: Facts) {
      const lab = need(id)
      if (lab.triggers.length === 0) return false
      return (await evaluateTriggers(lab, env, facts)).length > 0
    },
    async grade(id: string, env: Environment, facts: Facts, onProgress?: (p: CheckProgress) => void) {
      return (await gradeLab(need(id), env, facts, onProgress)) as unknown as Report
    },
    async solution(id: string, kubernetes?: ProfileId) {
      const lab = need(id)
      const notes = lab.solutionNotes ? `\n\n${lab.solutionNotes.trim()}\n` : ''
      return `\`\`\`bash\n${referenceSolution(lab, kubernetes).trim()}\n\`\`\`${notes}`
    },
    junit(report: Report) {
      return renderJunit(report as unknown as LabReport)
    },
  }
}
