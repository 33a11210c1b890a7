import type { Environment } from '../seam'
import type * as Ports from '../server/ports'
import { renderJunit } from './junit'
import { evaluateTriggers, gradeLab, runSetup } from './lifecycle'
import { DEFAULT_LABS_DIR, loadLabs } from './loader'
import type { Lab, Report } from './types'

// The lab registry as the web server sees it (simulator/src/server/ports.ts).
// Labs are loaded once; `reload()` picks up edits.

export class LabRegistry implements Ports.LabCatalog {
  private loaded: Promise<{ labs: Lab[]; errors: Ports.LabLoadError[] }> | undefined

  constructor(private readonly dir = DEFAULT_LABS_DIR) {}

  reload(): void {
    this.loaded = undefined
  }

  private load() {
    this.loaded ??= loadLabs(this.dir).then(({ labs, problems }) => ({
      labs,
      errors: problems.map((p) => ({
        lab: p.lab,
        message: `${p.file}: ${p.field}: ${p.message} (fix: ${p.fix})`,
      })),
    }))
    return this.loaded
  }

  async lab(id: string): Promise<Lab | undefined> {
    return (await this.load()).labs.find((l) => l.id === id)
  }

  private async require(id: string): Promise<Lab> {
    const lab = await this.lab(id)
    if (!lab) throw new Error(`no lab "${id}" in the catalogue`)
    return lab
  }

  async list(): Promise<{ labs: Ports.LabSummary[]; errors: Ports.LabLoadError[] }> {
    const { labs, errors } = await this.load()
    return { labs: labs.map(summary), errors }
  }

  async get(id: string): Promise<Ports.LabDetail | undefined> {
    const lab = await this.lab(id)
    if (!lab) return undefined
    return {
      ...summary(lab),
      taskMarkdown: taskMarkdown(lab),
      cluster: lab.cluster,
      hints: lab.tasks.flatMap((t) => t.hints),
      examMinutes: lab.minutes,
    }
  }

  async setup(labId: string, env: Environment, facts: Ports.Facts): Promise<void> {
    await runSetup(await this.require(labId), env, facts)
  }

  async onTick(labId: string, env: Environment, facts: Ports.Facts): Promise<boolean> {
    const fired = await evaluateTriggers(await this.require(labId), env, facts)
    return fired.length > 0
  }

  async grade(labId: string, env: Environment, facts: Ports.Facts): Promise<Ports.Report> {
    const report = await gradeLab(await this.require(labId), env, facts)
    // ckalab.report/v1 carries profile {kubernetes, etcd} and structured evidence.
    return report as unknown as Ports.Report
  }

  async solution(labId: string): Promise<string> {
    const lab = await this.require(labId)
    const notes = lab.solutionNotes ? `${lab.solutionNotes.trim()}\n\n` : ''
    return `${notes}\`\`\`bash\n${lab.solution.trimEnd()}\n\`\`\`\n`
  }

  junit(report: Ports.Report): string {
    return renderJunit(report as unknown as Report)
  }
}

function summary(lab: Lab): Ports.LabSummary {
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

/** The whole task as one markdown page: every task with its points, plus the curriculum note. */
export function taskMarkdown(lab: Lab): string {
  const parts = [`# ${lab.title}\n`, `${lab.summary.trim()}\n`]
  lab.tasks.forEach((t, i) => {
    parts.push(`## Task ${i + 1}: ${t.title} (${t.points} points)\n`, `${t.text.trim()}\n`)
  })
  if (lab.curriculumNote) parts.push(`> ${lab.curriculumNote.trim()}\n`)
  return parts.join('\n')
}
