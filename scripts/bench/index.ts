// `npm run bench`: runs every benchmark ckalab has and prints one table with
// the figures and their targets. A benchmark, not a test: it never fails the
// build, it reports.

interface BenchModule {
  title: string
  load: () => Promise<Record<string, unknown>>
  fn: string
}

const MODULES: BenchModule[] = [
  { title: 'simulated node and shell', load: () => import('./sim-shell'), fn: 'benchSimShell' },
  { title: 'simulated etcd', load: () => import('../../simulator/src/sim/etcd/bench'), fn: 'benchEtcd' },
  {
    title: 'simulated control plane',
    load: () => import('../../simulator/src/sim/k8s/bench'),
    fn: 'benchK8s',
  },
  { title: 'grading', load: () => import('./grading'), fn: 'benchLabs' },
  { title: 'web server and terminals', load: () => import('./server'), fn: 'benchServer' },
  {
    title: 'isolation under attack (20 attempts in worker threads)',
    load: () => import('./attack'),
    fn: 'benchAttack',
  },
  {
    title: 'npm start (compiled) and npx ckalab start (tsx)',
    load: () => import('./start'),
    fn: 'benchStart',
  },
  {
    title: 'static build in headless Chromium',
    load: () => import('./static'),
    fn: 'benchStatic',
  },
  { title: 'a simulated class', load: () => import('./class'), fn: 'benchClass' },
  { title: 'real kind nodes', load: () => import('./kind'), fn: 'benchKind' },
  {
    title: 'class of 100 on the kubernetes driver (placement simulation)',
    load: () => import('./placement'),
    fn: 'benchPlacement',
  },
]

/** Targets from the issues; a figure without a target is informational. */
export const TARGETS: Record<string, string> = {
  nodeCreateP50Ms: '< 20',
  idleNodeMb: '< 5',
  memberListP50Ms: '< 2',
  solutionReplayMs: '< 300',
  getPodsAllP50Ms: '< 3',
  gradeP50Ms: '< 100',
  idleRssMb: '< 150',
  startToPromptP50Ms: '< 300',
  echoP99Ms: '< 15',
  echoUnderLoadP99Ms: '< 50',
  loadErrors: '= 0',
  victimEchoP99Ms: '< 50',
  victimEchoErrors: '= 0',
  apiErrors: '= 0',
  rssMaxMb: '< 600',
  runawayCtrlCMaxMs: '< 200',
  startToPageMs: '< 3000',
  idleRssCompiledMb: '< 100',
  staticBundleGzipMb: '< 3',
  labStartToPromptP50Ms: '< 300',
  pageEchoP99Ms: '< 16',
  joinToPromptP99Ms: '< 1000',
  boardUpdateP99Ms: '< 2000',
  mirrorEchoP99Ms: '< 100',
  classErrors: '= 0',
}

function fmt(v: unknown): string {
  return typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(3)) : String(v)
}

async function main(): Promise<void> {
  const only = process.argv.slice(2)
  const all: Record<string, Record<string, unknown>> = {}
  for (const m of MODULES) {
    if (
      only.length > 0 &&
      !only.some((o) => m.title.includes(o) || m.fn.toLowerCase().includes(o.toLowerCase()))
    )
      continue
    process.stdout.write(`\n## ${m.title}\n`)
    try {
      const mod = await m.load()
      const fn = mod[m.fn]
      if (typeof fn !== 'function') throw new Error(`${m.fn} is not exported`)
      const started = performance.now()
      const figures = (await fn()) as Record<string, unknown>
      all[m.title] = figures
      for (const [k, v] of Object.entries(figures)) {
        const target = TARGETS[k] ? `  (target ${TARGETS[k]})` : ''
        process.stdout.write(`  ${k.padEnd(28)} ${fmt(v).padStart(12)}${target}\n`)
      }
      process.stdout.write(`  (took ${((performance.now() - started) / 1000).toFixed(1)} s)\n`)
    } catch (err) {
      process.stdout.write(`  not measured: ${(err as Error).message}\n`)
    }
  }
  process.stdout.write(`\n${JSON.stringify(all)}\n`)
}

await main()
