import { readFile, writeFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { renderJunit } from '../grader/junit'
import { gradeLab, LabError } from '../grader/lifecycle'
import { DEFAULT_LABS_DIR, loadLabs } from '../grader/loader'
import { EXIT, exitCodeFor, renderText } from '../grader/report'
import { tryLab } from '../grader/try'
import type { Lab, LintProblem, Report } from '../grader/types'
import type { Driver, Environment, ProfileId } from '../seam'

// `ckalab try`, `ckalab grade` and `ckalab labs lint`. Each returns the exit
// code: 0 all pass, 1 any fail, 2 no fail but some unknown, 3 usage or lab error.

const PROFILES: ProfileId[] = ['1.20', '1.31', '1.34']
const FORMATS = ['text', 'json', 'junit'] as const
type Format = (typeof FORMATS)[number]

export interface CliIo {
  out: (text: string) => void
  err: (text: string) => void
  labsDir: string
}

const defaultIo: CliIo = {
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
  labsDir: process.env.CKALAB_LABS_DIR ?? DEFAULT_LABS_DIR,
}

/** A live attempt the grader can reach. The web app's store provides these. */
export interface AttemptHandle {
  lab: string
  env: Environment
  facts: Record<string, unknown>
}

export interface AttemptSource {
  open(id: string): Promise<AttemptHandle | undefined>
  close?(handle: AttemptHandle): Promise<void>
}

let attemptSource: AttemptSource | undefined

/** Overrides where `ckalab grade` finds attempts (default: the web server's store in the data directory). */
export function setAttemptSource(source: AttemptSource | undefined): void {
  attemptSource = source
}

export function renderReport(report: Report, format: Format, verbose = false): string {
  if (format === 'json') return `${JSON.stringify(report, null, 2)}\n`
  if (format === 'junit') return renderJunit(report)
  return renderText(report, verbose)
}

/** `-h` / `--help` anywhere before a `--`. */
function wantsHelp(argv: string[]): boolean {
  const end = argv.indexOf('--')
  return (end < 0 ? argv : argv.slice(0, end)).some((a) => a === '-h' || a === '--help')
}

const EXIT_HELP = `
Exit status: 0 every check passed, 1 a check failed, 2 no failure but some checks could not tell,
3 a usage or lab error.`

function help(io: CliIo, text: string): number {
  io.out(`${text.trim()}\n`)
  return EXIT.pass
}

function usageError(io: CliIo, message: string, usage: string): number {
  io.err(`ckalab: ${message}\n${usage}\n`)
  return EXIT.usage
}

export function formatProblems(problems: LintProblem[]): string {
  return problems.map((p) => `${p.file}: ${p.field}: ${p.message}\n    fix: ${p.fix}\n`).join('')
}

async function findLab(io: CliIo, id: string): Promise<Lab | number> {
  const { labs, problems } = await loadLabs(io.labsDir)
  const lab = labs.find((l) => l.id === id)
  if (lab) return lab
  const own = problems.filter((p) => p.lab === id)
  if (own.length > 0) {
    io.err(`ckalab: the lab "${id}" has problems and cannot run:\n${formatProblems(own)}`)
    return EXIT.usage
  }
  io.err(`ckalab: no lab "${id}"; available: ${labs.map((l) => l.id).join(', ') || '(none)'}\n`)
  return EXIT.usage
}

async function makeDriver(name: string, io: CliIo): Promise<Driver> {
  if (name === 'sim') {
    const { SimDriver } = await import('../drivers/sim')
    return new SimDriver({ clock: 'virtual' })
  }
  if (name === 'kind') return kindDriverForTry(io)
  throw new LabError(`unknown driver "${name}"; use --driver sim or --driver kind`)
}

/**
 * A real kind cluster for one replay. Settings come from the environment so
 * tests can point at a stand-in (see drivers/kind/from-env: CKALAB_KIND_PATH,
 * CKALAB_KIND_NODE_IMAGE, CKALAB_KIND_PREFIX).
 * Progress goes to stderr; Ctrl-C cancels creation or deletes the cluster.
 */
async function kindDriverForTry(io: CliIo): Promise<Driver> {
  const { KindDriver } = await import('../drivers/kind')
  const { kindOptionsFromEnv } = await import('../drivers/kind/from-env')
  const kind = new KindDriver(kindOptionsFromEnv())
  const probe = await kind.probe()
  if (!probe.ok) throw new LabError(`kind cannot run here: ${probe.reason}\n  use --driver sim instead`)
  const cancel = new AbortController()
  let creating: Promise<Environment> | undefined
  let env: Environment | undefined
  let last = ''
  const onSigint = () => {
    io.err('\nckalab: interrupted; deleting the kind cluster\n')
    cancel.abort()
    // an aborted create() deletes what it started before it rejects
    const cleanup = env ? env.dispose() : (creating ?? Promise.resolve())
    void cleanup.catch(() => undefined).finally(() => process.exit(130))
  }
  process.once('SIGINT', onSigint)
  return {
    name: kind.name,
    probe: () => kind.probe(),
    async create(spec) {
      creating = kind.create(
        spec,
        (p) => {
          if (p.step !== last) io.err(`[kind ${Math.round(p.fraction * 100)}%] ${p.step}\n`)
          last = p.step
        },
        cancel.signal,
      )
      const created = await creating.catch((e) => {
        process.removeListener('SIGINT', onSigint)
        throw e
      })
      env = created
      return {
        id: created.id,
        driver: created.driver,
        spec: created.spec,
        nodes: created.nodes,
        settle: (ms: number) => created.settle(ms),
        dispose: async () => {
          process.removeListener('SIGINT', onSigint)
          await created.dispose()
        },
      }
    },
  }
}

const TRY_USAGE =
  'usage: ckalab try <lab> [--driver sim|kind] [--kubernetes 1.20|1.31|1.34] --script FILE [--format text|json|junit] [--transcript FILE] [--verbose]'

const TRY_HELP = `${TRY_USAGE}

Run a lab in this terminal: create its cluster, run its setup, type the script's commands as a learner
would, then grade.

Options:
  --driver sim|kind             where the cluster runs (default: sim, the simulator)
  --kubernetes 1.20|1.31|1.34   Kubernetes version (default: the lab's)
  --script FILE                 the commands to type, one per line (required)
  --format text|json|junit      how the report is printed (default: text)
  --transcript FILE             also write what the terminal showed to FILE
  -v, --verbose                 show every check's expected and actual values
  -h, --help                    show this help
${EXIT_HELP}`

export async function tryCommand(argv: string[], io: CliIo = defaultIo): Promise<number> {
  if (wantsHelp(argv)) return help(io, TRY_HELP)
  let parsed: ReturnType<typeof parseTry>
  try {
    parsed = parseTry(argv)
  } catch (err) {
    return usageError(io, (err as Error).message, TRY_USAGE)
  }
  const { values, positionals } = parsed
  if (positionals.length !== 1) return usageError(io, 'name exactly one lab', TRY_USAGE)
  if (!values.script) return usageError(io, '--script FILE is required', TRY_USAGE)
  const format = (values.format ?? 'text') as Format
  if (!FORMATS.includes(format)) return usageError(io, `unknown --format "${values.format}"`, TRY_USAGE)
  if (values.kubernetes && !PROFILES.includes(values.kubernetes as ProfileId))
    return usageError(
      io,
      `unknown --kubernetes "${values.kubernetes}": use ${PROFILES.join(', ')}`,
      TRY_USAGE,
    )
  let script: string
  try {
    script = await readFile(resolve(values.script), 'utf8')
  } catch (err) {
    return usageError(io, `cannot read the script ${values.script}: ${(err as Error).message}`, TRY_USAGE)
  }
  const lab = await findLab(io, positionals[0])
  if (typeof lab === 'number') return lab
  try {
    const driver = await makeDriver(values.driver ?? 'sim', io)
    const r = await tryLab({ lab, driver, kubernetes: values.kubernetes as ProfileId | undefined, script })
    if (values.transcript) await writeFile(resolve(values.transcript), r.transcript)
    if (r.stuckAt)
      io.err(
        `ckalab: line ${r.stuckAt.index + 1} of the script never gave the prompt back: ${r.stuckAt.line}\n` +
          '  the rest of the script was not typed; grading what is there\n',
      )
    io.out(renderReport(r.report, format, values.verbose === true))
    return exitCodeFor(r.report)
  } catch (err) {
    io.err(`ckalab: ${(err as Error).message}\n`)
    return EXIT.usage
  }
}

function parseTry(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      driver: { type: 'string' },
      kubernetes: { type: 'string' },
      script: { type: 'string' },
      format: { type: 'string' },
      transcript: { type: 'string' },
      verbose: { type: 'boolean', short: 'v' },
    },
  })
}

const GRADE_USAGE =
  'usage: ckalab grade (<attempt> [--data-dir DIR] | --from-file FILE) [--format text|json|junit] [--verbose]'

const GRADE_HELP = `${GRADE_USAGE}

Grade an attempt started in the web app, by its id, against its cluster as it is now; or an attempt
exported from ckalab in the browser ("Export" on its page) with --from-file.

Options:
  --data-dir DIR                where the web app keeps its attempts (default: ckalab's data directory)
  --from-file FILE              grade the attempt exported to FILE (its saved cluster, as it was exported)
  --format text|json|junit      how the report is printed (default: text)
  -v, --verbose                 show every check's expected and actual values
  -h, --help                    show this help
${EXIT_HELP}`

export async function gradeCommand(argv: string[], io: CliIo = defaultIo): Promise<number> {
  if (wantsHelp(argv)) return help(io, GRADE_HELP)
  let values: { format?: string; verbose?: boolean; 'data-dir'?: string; 'from-file'?: string }
  let positionals: string[]
  try {
    ;({ values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        format: { type: 'string' },
        verbose: { type: 'boolean', short: 'v' },
        'data-dir': { type: 'string' },
        'from-file': { type: 'string' },
      },
    }))
  } catch (err) {
    return usageError(io, (err as Error).message, GRADE_USAGE)
  }
  const fromFile = values['from-file']
  if (fromFile !== undefined && (positionals.length > 0 || values['data-dir'] !== undefined))
    return usageError(
      io,
      '--from-file grades the attempt in that file; name no attempt and no --data-dir',
      GRADE_USAGE,
    )
  if (fromFile === undefined && positionals.length !== 1)
    return usageError(io, 'name exactly one attempt (or give --from-file FILE)', GRADE_USAGE)
  const format = (values.format ?? 'text') as Format
  if (!FORMATS.includes(format)) return usageError(io, `unknown --format "${values.format}"`, GRADE_USAGE)
  const id = fromFile ?? positionals[0]
  let source = fromFile === undefined ? attemptSource : undefined
  if (fromFile !== undefined) {
    const { fileAttemptSource } = await import('./attempt-file-source')
    source = fileAttemptSource()
  } else if (!source) {
    const { storeAttemptSource, defaultDataDir } = await import('./attempt-store')
    source = storeAttemptSource(values['data-dir'] ? resolve(values['data-dir']) : defaultDataDir())
  }
  let handle: AttemptHandle | undefined
  try {
    handle = await source.open(id)
  } catch (err) {
    io.err(`ckalab: ${(err as Error).message}\n`)
    return EXIT.usage
  }
  if (!handle) {
    io.err(`ckalab: no such attempt "${id}"; \`ckalab serve\` lists attempts on its web page\n`)
    return EXIT.usage
  }
  try {
    const lab = await findLab(io, handle.lab)
    if (typeof lab === 'number') return lab
    const report = await gradeLab(lab, handle.env, handle.facts)
    io.out(renderReport(report, format, values.verbose === true))
    return exitCodeFor(report)
  } finally {
    await source.close?.(handle)
  }
}

const LINT_USAGE = 'usage: ckalab labs lint [LABS_DIR]'

const LINT_HELP = `${LINT_USAGE}

Check every lab folder in LABS_DIR (default: the labs shipped with ckalab): lab.yaml against its schema,
the files it names (which must lie inside the lab's folder), the checks module and the wrong answers.
Each problem is printed with its file, field and a fix.

Options:
  -h, --help                    show this help

Exit status: 0 every lab is valid, 3 some lab has problems.`

export async function labsLintCommand(argv: string[], io: CliIo = defaultIo): Promise<number> {
  if (wantsHelp(argv)) return help(io, LINT_HELP)
  if (argv.length > 1 || argv.some((a) => a.startsWith('-')))
    return usageError(io, 'unexpected arguments', LINT_USAGE)
  const dir = argv[0] ? resolve(argv[0]) : io.labsDir
  const { labs, problems } = await loadLabs(dir)
  if (problems.length > 0) io.err(formatProblems(problems))
  const broken = new Set(problems.map((p) => p.lab))
  io.out(
    `${labs.length} lab(s) valid: ${labs.map((l) => l.id).join(', ') || '(none)'}` +
      (broken.size > 0 ? `; ${broken.size} with problems: ${[...broken].join(', ')}` : '') +
      '\n',
  )
  return problems.length > 0 ? EXIT.usage : EXIT.pass
}
