import { readdir, readFile, realpath, stat } from 'node:fs/promises'
import { isAbsolute, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse as parseYaml } from 'yaml'
import type { ProfileId } from '../seam'
import { importChecksModule } from './checks-module'
import { checkLabSchema, checkWrongAnswersSchema } from './schema'
import type { Check, CheckModule, Lab, LabDefinition, LintProblem, TaskDef, WrongAnswer } from './types'

// Reads labs/<id>/ folders into Lab objects. Every problem is collected as a
// LintProblem (file, field, fix); one broken folder never stops the others.

export { referenceSolution } from './solution'

export const DEFAULT_LABS_DIR = resolve(fileURLToPath(new URL('../../../labs', import.meta.url)))

export interface LoadResult {
  labs: Lab[]
  problems: LintProblem[]
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8')
  } catch {
    return undefined
  }
}

const OUTSIDE_FIX = 'keep every file a lab uses inside its folder and name it relative to lab.yaml'

function within(root: string, path: string): boolean {
  const rel = relative(root, path)
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))
}

/**
 * The text of `file` named by a lab relative to its folder: undefined when it
 * does not exist, null when it lies outside the folder (`../../etc/passwd`, an
 * absolute path, a link leading out), which is reported through `outside`
 * and never read.
 */
async function readInLab(
  dir: string,
  file: string,
  outside: (message: string) => void,
): Promise<string | undefined | null> {
  const root = resolve(dir)
  const path = resolve(root, file)
  if (!within(root, path)) {
    outside(`${file} is outside the lab folder`)
    return null
  }
  try {
    if (!within(await realpath(root), await realpath(path))) {
      outside(`${file} leads outside the lab folder (a symbolic link)`)
      return null
    }
  } catch {
    return undefined
  }
  return readText(path)
}

async function isDir(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory()
  } catch {
    return false
  }
}

function yamlError(err: unknown): string {
  return (err as Error).message.split('\n')[0]
}

const VALID_CHECK_KEYS = ['id', 'title', 'points', 'run']

/** Checks a check module's shape; returns problems instead of throwing. */
export function validateCheckModule(mod: unknown, lab: string, file: string): LintProblem[] {
  const problems: LintProblem[] = []
  const p = (field: string, message: string, fix: string) => problems.push({ lab, file, field, message, fix })
  const checks = (mod as Partial<CheckModule> | undefined)?.checks
  if (!Array.isArray(checks)) {
    p(
      'checks',
      'the module does not export an array named "checks"',
      'add `export const checks: Check[] = [...]`',
    )
    return problems
  }
  const ids = new Set<string>()
  checks.forEach((c: Partial<Check>, i) => {
    for (const k of VALID_CHECK_KEYS) {
      if (c?.[k as keyof Check] === undefined) p(`checks[${i}].${k}`, 'is missing', `give the check a ${k}`)
    }
    if (c?.run !== undefined && typeof c.run !== 'function')
      p(
        `checks[${i}].run`,
        'is not a function',
        'write run as `async (ctx) => ({ verdict, expected, actual })`',
      )
    if (c?.points !== undefined && (!Number.isInteger(c.points) || c.points < 0))
      p(`checks[${i}].points`, 'is not a whole number >= 0', 'give a whole number of points')
    if (typeof c?.id === 'string') {
      if (ids.has(c.id)) p(`checks[${i}].id`, `"${c.id}" is used twice`, 'give every check its own id')
      ids.add(c.id)
    }
  })
  return problems
}

async function loadTasks(
  dir: string,
  raw: any[],
  problem: (file: string, field: string, message: string, fix: string) => void,
): Promise<TaskDef[]> {
  const tasks: TaskDef[] = []
  for (const [i, t] of raw.entries()) {
    let text = t.text as string | undefined
    if (t.file) {
      const read = await readInLab(dir, t.file, (m) =>
        problem('lab.yaml', `tasks[${i}].file`, m, OUTSIDE_FIX),
      )
      text = read ?? undefined
      if (read === undefined)
        problem(
          'lab.yaml',
          `tasks[${i}].file`,
          `${t.file} does not exist`,
          'create the file or correct the path',
        )
    }
    tasks.push({
      id: t.id,
      title: t.title,
      text: text ?? '',
      points: t.points ?? 0,
      checks: t.checks ?? [],
      hints: t.hints ?? [],
    })
  }
  return tasks
}

async function loadWrongAnswers(
  dir: string,
  name: string,
  lab: string,
  problems: LintProblem[],
): Promise<WrongAnswer[]> {
  const file = `labs/${lab}/${name}`
  const text = await readInLab(dir, name, (message) =>
    problems.push({ lab, file: `labs/${lab}/lab.yaml`, field: 'wrongAnswers', message, fix: OUTSIDE_FIX }),
  )
  if (text === undefined || text === null) return []
  let doc: unknown
  try {
    doc = parseYaml(text)
  } catch (err) {
    problems.push({
      lab,
      file,
      field: '(file)',
      message: `is not valid YAML: ${yamlError(err)}`,
      fix: 'fix the YAML',
    })
    return []
  }
  for (const s of checkWrongAnswersSchema(doc ?? [])) problems.push({ lab, file, ...s })
  if (!Array.isArray(doc)) return []
  const out: WrongAnswer[] = []
  const ids = new Set<string>()
  for (const [i, w] of doc.entries()) {
    if (!w || typeof w !== 'object') continue
    let script = w.script as string | undefined
    if (w.file) {
      const read = await readInLab(dir, w.file, (message) =>
        problems.push({ lab, file, field: `[${i}].file`, message, fix: OUTSIDE_FIX }),
      )
      script = read ?? undefined
      if (read === undefined)
        problems.push({
          lab,
          file,
          field: `[${i}].file`,
          message: `${w.file} does not exist`,
          fix: 'create the script',
        })
    }
    if (ids.has(w.id))
      problems.push({ lab, file, field: `[${i}].id`, message: `"${w.id}" is used twice`, fix: 'rename one' })
    ids.add(w.id)
    out.push({
      id: w.id,
      title: w.title,
      script: script ?? '',
      kubernetes: w.kubernetes,
      expect: w.expect ?? {},
    })
  }
  return out
}

/** Loads one lab folder. Returns the lab (when usable) and every problem found. */
export async function loadLab(dir: string): Promise<{ lab?: Lab; problems: LintProblem[] }> {
  const folder = dir.split(/[\\/]/).filter(Boolean).pop() ?? dir
  const problems: LintProblem[] = []
  const problem = (file: string, field: string, message: string, fix: string) =>
    problems.push({ lab: folder, file: `labs/${folder}/${file}`, field, message, fix })

  const labText = await readText(join(dir, 'lab.yaml'))
  if (labText === undefined) {
    problem('lab.yaml', '(file)', 'does not exist', 'every lab folder needs a lab.yaml')
    return { problems }
  }
  let raw: any
  try {
    raw = parseYaml(labText)
  } catch (err) {
    problem('lab.yaml', '(file)', `is not valid YAML: ${yamlError(err)}`, 'fix the YAML syntax at that line')
    return { problems }
  }
  for (const s of checkLabSchema(raw)) problem('lab.yaml', s.field, s.message, s.fix)
  if (problems.length > 0) return { problems }
  if (raw.id !== folder)
    problem(
      'lab.yaml',
      'id',
      `is "${raw.id}" but the folder is "${folder}"`,
      `set id: ${folder} or rename the folder`,
    )

  const solution = await readInLab(dir, raw.solution, (m) => problem('lab.yaml', 'solution', m, OUTSIDE_FIX))
  if (solution === undefined)
    problem('lab.yaml', 'solution', `${raw.solution} does not exist`, 'write the reference solution script')
  const solutions: Partial<Record<ProfileId, string>> = {}
  for (const [version, file] of Object.entries((raw.solutions ?? {}) as Record<string, string>)) {
    const text = await readInLab(dir, file, (m) =>
      problem('lab.yaml', `solutions.${version}`, m, OUTSIDE_FIX),
    )
    if (text === undefined)
      problem(
        'lab.yaml',
        `solutions.${version}`,
        `${file} does not exist`,
        `write the reference solution for Kubernetes ${version} or remove the entry`,
      )
    else if (text !== null) solutions[version as ProfileId] = text
  }
  const solutionNotes = raw.solutionNotes
    ? ((await readInLab(dir, raw.solutionNotes, (m) =>
        problem('lab.yaml', 'solutionNotes', m, OUTSIDE_FIX),
      )) ?? undefined)
    : undefined
  // Step scripts are read now, so running a lab needs no filesystem (the browser edition has none).
  const scripts: Record<string, string> = {}
  for (const [i, s] of (raw.setup ?? []).entries()) {
    if (!s.file) continue
    const text = await readInLab(dir, s.file, (m) => problem('lab.yaml', `setup[${i}].file`, m, OUTSIDE_FIX))
    if (text === undefined)
      problem(
        'lab.yaml',
        `setup[${i}].file`,
        `${s.file} does not exist`,
        'create the script or correct the path',
      )
    else if (text !== null) scripts[s.file] = text
  }
  for (const [i, t] of (raw.triggers ?? []).entries()) {
    for (const [j, s] of (t.do ?? []).entries()) {
      if (!s.file || s.file in scripts) continue
      const field = `triggers[${i}].do[${j}].file`
      const text = await readInLab(dir, s.file, (m) => problem('lab.yaml', field, m, OUTSIDE_FIX))
      if (text === undefined)
        problem('lab.yaml', field, `${s.file} does not exist`, 'create the script or correct the path')
      else if (text !== null) scripts[s.file] = text
    }
  }
  const tasks = await loadTasks(dir, raw.tasks, problem)

  const checksFile = raw.checks ?? 'checks.ts'
  let module: CheckModule | undefined
  const checksPath = resolve(dir, checksFile)
  try {
    if (!within(resolve(dir), checksPath) || !within(await realpath(dir), await realpath(checksPath)))
      problem('lab.yaml', 'checks', `${checksFile} is outside the lab folder`, OUTSIDE_FIX)
    else module = (await importChecksModule(checksPath)) as CheckModule
  } catch (err) {
    problem(
      checksFile,
      '(module)',
      `could not be loaded: ${(err as Error).message}`,
      'fix the TypeScript error',
    )
  }
  if (module) {
    for (const p of validateCheckModule(module, folder, `labs/${folder}/${checksFile}`)) problems.push(p)
  }
  const wrongFile = raw.wrongAnswers ?? 'wrong-answers.yaml'
  const wrongAnswers = await loadWrongAnswers(dir, wrongFile, folder, problems)

  const def: LabDefinition = {
    id: raw.id,
    title: raw.title,
    summary: raw.summary,
    difficulty: raw.difficulty,
    minutes: raw.minutes,
    tags: raw.tags,
    curriculumNote: raw.curriculumNote,
    drivers: raw.drivers ?? ['sim', 'kind'],
    cluster: { workers: 0, ...raw.cluster },
    setup: raw.setup ?? [],
    triggers: raw.triggers ?? [],
    tasks,
    solution: solution ?? '',
    solutions,
    solutionNotes,
    wrongAnswers,
  }
  if (module && Array.isArray(module.checks)) {
    for (const p of crossCheck(def, module, folder, checksFile, wrongFile)) problems.push(p)
  }
  if (problems.length > 0 || !module) return { problems }
  return { lab: { ...def, dir, module, scripts }, problems }
}

/** Consistency between lab.yaml, the checks module and the wrong-answer catalogue. */
export function crossCheck(
  def: LabDefinition,
  module: CheckModule,
  folder: string,
  checksFile = 'checks.ts',
  wrongFile = 'wrong-answers.yaml',
): LintProblem[] {
  const problems: LintProblem[] = []
  const file = (f: string) => `labs/${folder}/${f}`
  const ids = new Map(module.checks.map((c) => [c.id, c]))
  const used = new Set<string>()
  def.tasks.forEach((t, i) => {
    let sum = 0
    t.checks.forEach((c, j) => {
      const check = ids.get(c)
      used.add(c)
      if (!check)
        problems.push({
          lab: folder,
          file: file('lab.yaml'),
          field: `tasks[${i}].checks[${j}]`,
          message: `names the check "${c}", which ${checksFile} does not export`,
          fix: `use one of: ${[...ids.keys()].join(', ')}`,
        })
      else sum += check.points
    })
    if (t.points && t.points !== sum)
      problems.push({
        lab: folder,
        file: file('lab.yaml'),
        field: `tasks[${i}].points`,
        message: `is ${t.points} but its checks are worth ${sum}`,
        fix: `set points: ${sum} or change the checks' points`,
      })
    if (!t.points) t.points = sum
  })
  for (const c of module.checks) {
    if (!used.has(c.id))
      problems.push({
        lab: folder,
        file: file(checksFile),
        field: c.id,
        message: 'is a check no task lists',
        fix: 'add it to a task\'s "checks" or remove it',
      })
  }
  def.triggers.forEach((t, i) => {
    if ('probe' in t.when && !module.probes?.[t.when.probe])
      problems.push({
        lab: folder,
        file: file('lab.yaml'),
        field: `triggers[${i}].when.probe`,
        message: `names the probe "${t.when.probe}", which ${checksFile} does not export in "probes"`,
        fix: `export const probes = { ${t.when.probe}: async (ctx) => … }`,
      })
  })
  def.wrongAnswers.forEach((w, i) => {
    for (const id of Object.keys(w.expect)) {
      if (!ids.has(id))
        problems.push({
          lab: folder,
          file: file(wrongFile),
          field: `[${i}].expect.${id}`,
          message: `names the check "${id}", which ${checksFile} does not export`,
          fix: `use one of: ${[...ids.keys()].join(', ')}`,
        })
    }
    for (const id of ids.keys()) {
      if (!(id in w.expect))
        problems.push({
          lab: folder,
          file: file(wrongFile),
          field: `[${i}].expect`,
          message: `gives no expected verdict for the check "${id}"`,
          fix: `add ${id}: pass|fail|unknown`,
        })
    }
  })
  return problems
}

/** Loads every lab under `root`; broken folders are reported and skipped. */
export async function loadLabs(root = DEFAULT_LABS_DIR): Promise<LoadResult> {
  let entries: string[]
  try {
    entries = (await readdir(root)).sort()
  } catch {
    return {
      labs: [],
      problems: [
        {
          lab: '',
          file: root,
          field: '(folder)',
          message: 'cannot be read',
          fix: 'point at the labs folder',
        },
      ],
    }
  }
  const labs: Lab[] = []
  const problems: LintProblem[] = []
  for (const name of entries) {
    const dir = join(root, name)
    if (name.startsWith('.') || name.startsWith('_') || !(await isDir(dir))) continue
    const r = await loadLab(dir)
    if (r.lab) labs.push(r.lab)
    problems.push(...r.problems)
  }
  return { labs, problems }
}
