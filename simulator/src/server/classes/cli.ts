// `ckalab class export <class> --format csv|json|junit` (headless grading:
// the same files as the instructor's page, read from the data dir, also
// while the server runs) and `ckalab class rotate-key` (a new instructor
// key; the old one stops working at once, even in a running server).

import { Command, Option } from 'commander'
import { defaultDataDir } from '../cli'
import { Store } from '../store'
import { type ClassRow, ClassStore } from './class-store'
import { normalizeCode } from './codes'
import { EXPORT_FORMATS, type ExportFormat, learnerResults, renderExport } from './export'
import { ensureInstructorKey } from './instructor-key'

interface Io {
  out(text: string): void
  err(text: string): void
}

const stdio: Io = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) }

/** A class by id, join code or exact name. */
export function findClass(store: ClassStore, which: string): ClassRow | ClassRow[] | undefined {
  const all = store.listClasses()
  const byId = all.find((c) => c.id === which || c.code === normalizeCode(which))
  if (byId) return byId
  const named = all.filter((c) => c.name === which)
  return named.length === 1 ? named[0] : named.length > 1 ? named : undefined
}

function openStores(dataDir: string): { store: Store; classes: ClassStore } {
  const store = new Store(dataDir)
  return { store, classes: new ClassStore(store.db) }
}

export async function classExportCommand(argv: string[], io: Io = stdio): Promise<number> {
  const cmd = new Command('ckalab class export')
    .description('Write a class’s results (a row per learner, a report per lab) to stdout')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .argument('<class>', 'the class id, join code or name')
    .addOption(new Option('--format <format>', 'csv, json or junit').choices(EXPORT_FORMATS).default('csv'))
    .option('--data-dir <dir>', 'the data dir of the server that ran the class', defaultDataDir())
  try {
    cmd.parse(argv, { from: 'user' })
  } catch (err) {
    const e = err as { code?: string; exitCode?: number }
    return e.code === 'commander.helpDisplayed' ? 0 : 2
  }
  const o = cmd.opts<{ format: ExportFormat; dataDir: string }>()
  let opened: ReturnType<typeof openStores>
  try {
    opened = openStores(o.dataDir)
  } catch (err) {
    io.err(`ckalab class export: ${err instanceof Error ? err.message : String(err)}\n`)
    return 1
  }
  try {
    const found = findClass(opened.classes, cmd.args[0])
    if (!found) {
      const names = opened.classes.listClasses().map((c) => `  ${c.id}  ${c.code}  ${c.name}`)
      io.err(
        `ckalab class export: no class "${cmd.args[0]}" in ${o.dataDir}; ${names.length ? `the classes there:\n${names.join('\n')}` : 'it holds no classes'}\n`,
      )
      return 1
    }
    if (Array.isArray(found)) {
      io.err(
        `ckalab class export: ${found.length} classes are named "${cmd.args[0]}"; give the id: ${found.map((c) => c.id).join(', ')}\n`,
      )
      return 1
    }
    const results = learnerResults(found, opened.classes.seats(found.id), (attemptId) => {
      const r = opened.store.latestReport(attemptId)
      return r ? { report: r.report, final: r.final } : undefined
    })
    io.out(renderExport(o.format, found, results))
    return 0
  } finally {
    opened.store.close()
  }
}

export async function classRotateKeyCommand(argv: string[], io: Io = stdio): Promise<number> {
  const cmd = new Command('ckalab class rotate-key')
    .description('Make a new instructor key; the old one stops working at once')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .option('--data-dir <dir>', 'the data dir of the server', defaultDataDir())
  try {
    cmd.parse(argv, { from: 'user' })
  } catch (err) {
    return (err as { code?: string }).code === 'commander.helpDisplayed' ? 0 : 2
  }
  const { dataDir } = cmd.opts<{ dataDir: string }>()
  let opened: ReturnType<typeof openStores>
  try {
    opened = openStores(dataDir)
  } catch (err) {
    io.err(`ckalab class rotate-key: ${err instanceof Error ? err.message : String(err)}\n`)
    return 1
  }
  try {
    const key = ensureInstructorKey(opened.classes, true)
    io.out(
      `New instructor key (shown once; the old one no longer works). Open <server address>/instructor#key=${key}\n`,
    )
    return 0
  } finally {
    opened.store.close()
  }
}
