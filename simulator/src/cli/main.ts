import { readFileSync } from 'node:fs'
import { Command, CommanderError, Option } from 'commander'
import type { ProfileId } from '../seam'
import { doctorCommand } from './doctor'
import { loadExport, loaders, type SubCommand } from './lazy'
import { interactiveShell, scriptedShell } from './shell'

// The `ckalab` command. Each subcommand is a small function returning an exit
// status; this file only parses arguments and dispatches.

/** Exit status for a usage error (unknown command or flag), distinct from a failing command. */
export const USAGE_ERROR = 3

function packageVersion(): string {
  try {
    const url = new URL('../../../package.json', import.meta.url)
    return (JSON.parse(readFileSync(url, 'utf8')) as { version?: string }).version ?? '0.0.0'
  } catch {
    return '0.0.0'
  }
}

/** Commands implemented elsewhere, handed the rest of the command line untouched. */
const DELEGATED: Array<{ path: string[]; load: keyof typeof loaders; fn: string; summary: string }> = [
  {
    path: ['serve'],
    load: 'server',
    fn: 'serveCommand',
    summary: 'start the web server (labs in the browser)',
  },
  { path: ['try'], load: 'labs', fn: 'tryCommand', summary: 'run a lab in this terminal' },
  { path: ['grade'], load: 'labs', fn: 'gradeCommand', summary: 'grade an attempt (text, JSON or JUnit)' },
  { path: ['labs', 'lint'], load: 'labs', fn: 'labsLintCommand', summary: 'check lab definitions' },
  {
    path: ['class', 'export'],
    load: 'classes',
    fn: 'classExportCommand',
    summary: "write a class's results as CSV, JSON or JUnit",
  },
  {
    path: ['class', 'rotate-key'],
    load: 'classes',
    fn: 'classRotateKeyCommand',
    summary: 'make a new instructor key (the old one stops working)',
  },
]

async function delegate(entry: (typeof DELEGATED)[number], argv: string[]): Promise<number> {
  const fn = await loadExport<SubCommand>(loaders[entry.load], entry.fn)
  if (!fn) {
    process.stderr.write(`ckalab: '${entry.path.join(' ')}' is not available in this build of ckalab\n`)
    return 1
  }
  return fn(argv)
}

function isTty(stream: { isTTY?: boolean }): boolean {
  return stream.isTTY === true
}

async function runShell(opts: { kubernetes: string; nodes: string }): Promise<number> {
  const args = { kubernetes: opts.kubernetes as ProfileId, nodes: Number(opts.nodes) }
  const io = { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr }
  return isTty(process.stdin) ? interactiveShell(args, io) : scriptedShell(args, io)
}

export function buildProgram(setStatus: (code: number) => void): Command {
  const program = new Command()
  program
    .name('ckalab')
    .description('Practice the Kubernetes CKA etcd skills on a simulated or real (kind) cluster.')
    .version(packageVersion(), '-V, --version')
    .exitOverride()
    .showSuggestionAfterError(true)
    .configureOutput({ writeErr: (s) => process.stderr.write(s), writeOut: (s) => process.stdout.write(s) })

  program
    .command('shell')
    .description(
      'open a shell on a simulated control-plane node (reads commands from stdin when it is not a terminal)',
    )
    .addOption(
      new Option('--kubernetes <version>', 'Kubernetes version profile')
        .choices(['1.20', '1.31', '1.34'])
        .default('1.34'),
    )
    .addOption(
      new Option('--nodes <count>', 'control-plane nodes with stacked etcd').choices(['1', '3']).default('1'),
    )
    .action(async (opts: { kubernetes: string; nodes: string }) => setStatus(await runShell(opts)))

  program
    .command('doctor')
    .description('show which drivers work on this machine, and how to fix the others')
    .action(async () => setStatus(await doctorCommand(process.stdout)))

  program
    .command('start')
    .description('start ckalab (what `npm start` runs); options are those of `ckalab serve`')
    .allowUnknownOption()
    .allowExcessArguments()
    .argument('[serve-options...]')
    .action(async (args: string[]) => {
      const serve = await loadExport<(argv: string[], command?: string) => Promise<number>>(
        loaders.server,
        'serveCommand',
      )
      // The page names this command when it asks the person to start the server again.
      const command = process.env.npm_lifecycle_event === 'start' ? 'npm start' : 'ckalab start'
      setStatus(serve ? await serve(args, command) : await runShell({ kubernetes: '1.34', nodes: '1' }))
    })

  for (const entry of DELEGATED) {
    const parent =
      entry.path.length > 1
        ? (program.commands.find((c) => c.name() === entry.path[0]) ??
          program
            .command(entry.path[0] as string)
            .description(entry.path[0] === 'class' ? 'instructor-led classes' : 'lab authoring tools'))
        : program
    parent
      .command(entry.path[entry.path.length - 1] as string)
      .description(entry.summary)
      .helpOption(false)
      .allowUnknownOption()
      .allowExcessArguments()
      .argument('[args...]')
      .action(async () => {
        // Never reached: delegated commands are dispatched before parsing (see main).
      })
  }
  return program
}

export async function main(argv: string[]): Promise<number> {
  for (const entry of DELEGATED) {
    if (entry.path.every((p, i) => argv[i] === p)) return delegate(entry, argv.slice(entry.path.length))
  }
  let status = 0
  const program = buildProgram((code) => {
    status = code
  })
  try {
    await program.parseAsync(argv, { from: 'user' })
  } catch (err) {
    if (err instanceof CommanderError) {
      if (
        err.code === 'commander.helpDisplayed' ||
        err.code === 'commander.version' ||
        err.code === 'commander.help'
      )
        return 0
      return USAGE_ERROR
    }
    process.stderr.write(`ckalab: ${(err as Error)?.message ?? err}\n`)
    return 1
  }
  return status
}

/** Run the command line and leave: simulated clusters keep timers, so exit once output is flushed. */
export async function runAndExit(): Promise<void> {
  const code = await main(process.argv.slice(2))
  process.stdout.write('', () => process.exit(code))
}

// Run directly as bin/ckalab.mjs or cli/main.ts (tsx); the compiled build enters through entry.ts.
if (process.argv[1] !== undefined && /(ckalab(\.mjs)?|cli[\\/]main\.ts)$/.test(process.argv[1]))
  await runAndExit()
