// `ckalab serve`: parses the options, picks the driver, starts the server
// and keeps it running until SIGINT/SIGTERM. The CLI entry calls
// `serveCommand(argv)` with the arguments after "serve".

import { networkInterfaces } from 'node:os'
import { resolve } from 'node:path'
import { Command, InvalidArgumentError, Option } from 'commander'
import type { Driver, ProfileId } from '../seam'
import { isProfileId, PROFILES } from '../sim/profiles'
import { generateKey, isLoopbackHost, keyUrl } from './access'
import { createLabCatalog } from './catalog'
import { instructorUrl } from './classes/instructor-key'
import { createLogger, type LogFormat, type Logger, type LogLevel } from './log'
import type { LabCatalog } from './ports'
import { type RunningServer, startServer } from './server'
import { defaultDataDir } from './store'
import { type LoadedTls, loadTls } from './tls'

export interface ServeOptions {
  port: number
  host: string
  driver: 'auto' | 'sim' | 'kind' | 'kubernetes'
  dataDir: string
  allowOrigin: string[]
  logLevel: LogLevel
  /** text (default): quiet, one line at start; json: structured lines for log tools. */
  logFormat: LogFormat
  /** Every lab on this Kubernetes version instead of its own (as `ckalab try --kubernetes`). */
  kubernetes?: ProfileId
  /** Replace the instructor key with a new one, shown once at start. */
  rotateInstructorKey?: boolean
  /** The key beyond loopback (`--access-key` or CKALAB_ACCESS_KEY); generated at start when absent. */
  accessKey?: string
  /** PEM files: serve https and wss (`--tls-cert`/`--tls-key`, or CKALAB_TLS_CERT/CKALAB_TLS_KEY). */
  tlsCert?: string
  tlsKey?: string
}

function port(value: string): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new InvalidArgumentError('a port is a number from 0 to 65535')
  return n
}

function kubernetesVersion(value: string): ProfileId {
  if (!isProfileId(value)) throw new InvalidArgumentError(`use one of ${Object.keys(PROFILES).join(', ')}`)
  return value
}

// Re-exported for the other commands that read the server's data dir (`ckalab class …`).
export { defaultDataDir }

export function parseServeArgs(argv: string[]): ServeOptions {
  const cmd = new Command('ckalab serve')
    .description('Serve the ckalab web app: labs, attempts and browser terminals')
    .exitOverride()
    // every option also reads a variable (CKALAB_PORT …), the way a container is configured
    .addOption(
      new Option('--port <port>', 'port to listen on (0 picks a free one)')
        .argParser(port)
        .env('CKALAB_PORT')
        .default(4173),
    )
    .addOption(
      new Option('--host <host>', 'address to bind; keep 127.0.0.1 unless others must reach it')
        .env('CKALAB_HOST')
        .default('127.0.0.1'),
    )
    .addOption(
      new Option(
        '--driver <driver>',
        'where lab environments run (kubernetes: pods on a cluster, see docs/scale.md)',
      )
        .choices(['auto', 'sim', 'kind', 'kubernetes'])
        .env('CKALAB_DRIVER')
        .default('auto'),
    )
    .option('--data-dir <dir>', 'where attempts, reports and saved environments live', defaultDataDir())
    .option(
      '--allow-origin <origin>',
      'another origin allowed to use the API and terminals (repeatable)',
      (v: string, prev: string[]) => [...prev, v],
      [] as string[],
    )
    .option(
      '--kubernetes <version>',
      "run every lab on this Kubernetes version instead of the lab's own",
      kubernetesVersion,
    )
    .option(
      '--rotate-instructor-key',
      'make a new instructor key (the old one stops working); shown once at start',
    )
    .addOption(
      new Option(
        '--access-key <key>',
        'key for creating attempts and every change when --host is beyond loopback (default: a new random key, printed at start)',
      ).env('CKALAB_ACCESS_KEY'),
    )
    .addOption(
      new Option('--tls-cert <file>', 'serve https and wss with this PEM certificate (and its chain)').env(
        'CKALAB_TLS_CERT',
      ),
    )
    .addOption(
      new Option('--tls-key <file>', "the certificate's PEM private key (unencrypted)").env('CKALAB_TLS_KEY'),
    )
    .addOption(
      new Option('--log-level <level>', 'log detail (default: warn for text, info for json)').choices([
        'debug',
        'info',
        'warn',
        'error',
      ]),
    )
    .addOption(
      new Option('--log-format <format>', 'text for people, json for log tools')
        .choices(['text', 'json'])
        .default('text'),
    )
  cmd.parse(argv, { from: 'user' })
  const o = cmd.opts()
  if (Boolean(o.tlsCert) !== Boolean(o.tlsKey))
    cmd.error(
      `error: --tls-cert and --tls-key go together; ${o.tlsCert ? '--tls-key <file> (the private key) is missing' : '--tls-cert <file> (the certificate) is missing'}`,
      { exitCode: 2 },
    )
  return {
    port: o.port,
    host: o.host,
    driver: o.driver,
    dataDir: resolve(o.dataDir),
    allowOrigin: [
      ...(process.env.CKALAB_ALLOW_ORIGIN ?? '')
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean),
      ...o.allowOrigin,
    ],
    logLevel: o.logLevel ?? (o.logFormat === 'json' ? 'info' : 'warn'),
    logFormat: o.logFormat,
    ...(o.kubernetes ? { kubernetes: o.kubernetes } : {}),
    ...(o.rotateInstructorKey ? { rotateInstructorKey: true } : {}),
    ...(o.accessKey ? { accessKey: o.accessKey } : {}),
    ...(o.tlsCert && o.tlsKey ? { tlsCert: resolve(o.tlsCert), tlsKey: resolve(o.tlsKey) } : {}),
  }
}

/** The catalogue with every lab's cluster on one Kubernetes version. */
export function onKubernetes(catalog: LabCatalog, kubernetes: ProfileId): LabCatalog {
  return {
    list: () => catalog.list(),
    async get(id) {
      const lab = await catalog.get(id)
      return lab && { ...lab, cluster: { ...lab.cluster, kubernetes } }
    },
    setup: (id, env, facts) => catalog.setup(id, env, facts),
    ...(catalog.onTick ? { onTick: (id, env, facts) => catalog.onTick!(id, env, facts) } : {}),
    grade: (id, env, facts, onProgress) => catalog.grade(id, env, facts, onProgress),
    // the reference a learner on this version types (etcd 3.4 has no etcdutl)
    solution: (id, k) => catalog.solution(id, k ?? kubernetes),
    junit: (report) => catalog.junit(report),
  }
}

/**
 * `auto` uses kind when Docker and kind are usable here, the simulator otherwise.
 * The kind binary, node images and cluster prefix come from the environment
 * (CKALAB_KIND_PATH, CKALAB_KIND_NODE_IMAGE, CKALAB_KIND_PREFIX), as for `ckalab try`;
 * CKALAB_KIND_WARM_POOL keeps clusters ready for the server's attempts.
 */
export async function chooseDriver(choice: ServeOptions['driver'], log: Logger): Promise<Driver> {
  const simDriver = () => isolatedSimDriver(log)
  if (choice === 'sim') return simDriver()
  if (choice === 'kubernetes') return kubernetesDriver(log)
  const { KindDriver } = await import('../drivers/kind')
  const { kindOptionsFromEnv } = await import('../drivers/kind/from-env')
  const kind = new KindDriver(kindOptionsFromEnv())
  const probe = await kind.probe().catch((err: unknown) => ({ ok: false, reason: String(err) }))
  if (probe.ok) {
    // CKALAB_KIND_WARM_POOL: clusters made ahead of time; the server's close deletes the unused ones
    kind.startWarmPool((err) => log.warn('a warm kind cluster could not be made', { err: String(err) }))
    return kind
  }
  if (choice === 'kind')
    throw new Error(`the kind driver cannot run here: ${probe.reason ?? 'unknown reason'}`)
  log.info('using the simulator', { why: probe.reason ?? 'kind is not usable here' })
  return simDriver()
}

/**
 * Lab environments as pods on a Kubernetes cluster (docs/scale.md), configured
 * by CKALAB_K8S_* variables; refuses to start when the API server does not
 * answer or ckalab lacks the rights it needs, saying which.
 */
async function kubernetesDriver(log: Logger): Promise<Driver> {
  const { KubernetesDriver } = await import('../drivers/kubernetes')
  const { kubernetesOptionsFromEnv } = await import('../drivers/kubernetes/from-env')
  const driver = new KubernetesDriver(kubernetesOptionsFromEnv())
  const probe = await driver.probe()
  if (!probe.ok) throw new Error(`the kubernetes driver cannot run: ${probe.reason ?? 'unknown reason'}`)
  driver.startWarmPool((err) => log.warn('a warm lab environment could not be made', { err: String(err) }))
  return driver
}

/**
 * The simulator with every attempt in its own worker thread, so one learner's
 * runaway command cannot stall the others. CKALAB_SIM_IN_PROCESS=1 keeps the
 * environments on the server's thread (debugging only).
 */
async function isolatedSimDriver(log: Logger): Promise<Driver> {
  if (process.env.CKALAB_SIM_IN_PROCESS === '1') return new (await import('../drivers/sim')).SimDriver()
  const { WorkerSimDriver } = await import('../host/worker-driver')
  return new WorkerSimDriver({
    onRecover: (env, why) => log.warn('a lab environment was restarted from its last save', { env, why }),
  })
}

export async function runServe(
  opts: ServeOptions,
  command = 'ckalab serve',
  onTls: (tls: LoadedTls) => void = () => {},
): Promise<RunningServer> {
  const log = createLogger(opts.logLevel, undefined, opts.logFormat)
  // Before anything starts: a wrong certificate or key stops here with a sentence naming the file.
  const tls = opts.tlsCert && opts.tlsKey ? loadTls(opts.tlsCert, opts.tlsKey) : undefined
  if (tls) onTls(tls)
  const driver = await chooseDriver(opts.driver, log)
  const labs = await createLabCatalog()
  const catalog = opts.kubernetes ? onKubernetes(labs, opts.kubernetes) : labs
  if (opts.kubernetes) log.info('every lab runs on one Kubernetes version', { kubernetes: opts.kubernetes })
  return startServer({
    port: opts.port,
    host: opts.host,
    driver,
    catalog,
    dataDir: opts.dataDir,
    allowedOrigins: opts.allowOrigin,
    log,
    command,
    rotateInstructorKey: opts.rotateInstructorKey,
    ...(opts.accessKey ? { accessKey: opts.accessKey } : {}),
    ...(tls ? { tls: { cert: tls.cert, key: tls.key } } : {}),
  })
}

/** The one line a person sees at start: where to go and where the labs run. */
export function startLine(url: string, driver: string, choice: ServeOptions['driver']): string {
  const where =
    driver === 'sim'
      ? choice === 'auto'
        ? 'labs run on the built-in simulated cluster (`npx ckalab doctor` shows how to use real kind clusters)'
        : 'labs run on the built-in simulated cluster'
      : driver === 'kind'
        ? 'labs run on real kind clusters in Docker'
        : driver === 'kubernetes'
          ? 'labs run as pods on the Kubernetes cluster'
          : `labs run on the ${driver} driver`
  return `ckalab is running: open ${url.replace('127.0.0.1', 'localhost')} — ${where}. Stop with Ctrl+C.\n`
}

/**
 * The instructor's link, printed only when the key was just made (it is
 * stored hashed and cannot be shown again).
 */
export function instructorLine(url: string, key: string | undefined): string {
  const lines: string[] = []
  if (key) {
    const shown = url.replace('127.0.0.1', 'localhost')
    lines.push(`Instructor page (shown once, keep it private): ${instructorUrl(shown, key)}`)
  } else
    lines.push(
      'Instructor page: use the link printed when the key was made, or `ckalab serve --rotate-instructor-key` for a new one.',
    )
  return `${lines.join('\n')}\n`
}

/** An address others can use: a wildcard bind is reached through one of this machine's addresses. */
export function reachableUrl(url: string, host: string): string {
  if (host !== '0.0.0.0' && host !== '::') return url
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? [])
      if (!a.internal && a.family === 'IPv4') return url.replace(/\/\/[^/]+:/, `//${a.address}:`)
  }
  return url
}

/**
 * What the server says at start about who may use it: nothing on loopback;
 * beyond it, that a key is required (the link carrying a generated key,
 * printed this once), and, unless it serves https itself, that the key and
 * terminals travel in clear.
 */
export function exposureLines(url: string, host: string, generatedKey: string | undefined): string {
  if (isLoopbackHost(host)) return ''
  const lines = [
    generatedKey
      ? `A key is required to use this server from ${host}. Share this link only with your learners (shown once, not stored): ${keyUrl(url, generatedKey)}`
      : `A key is required to use this server from ${host}: the --access-key you gave (open ${url}/?key=<key>).`,
  ]
  if (!url.startsWith('https:'))
    lines.push(
      `warning: serving beyond this machine without TLS: the key and everything typed in the terminals cross the network unencrypted; pass --tls-cert and --tls-key, put a TLS proxy in front, or keep to a trusted network.`,
    )
  return `${lines.join('\n')}\n`
}

/**
 * Browsers accept the certificate only under a name it was issued for: says
 * so when the address learners are shown is not one of them.
 */
export function certificateNameWarnings(url: string, names: string[]): string[] {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '')
  const covers = (name: string) =>
    name.toLowerCase() === host.toLowerCase() ||
    (name.startsWith('*.') &&
      host.toLowerCase().endsWith(name.slice(1).toLowerCase()) &&
      host.split('.').length === name.split('.').length)
  if (names.length === 0 || names.some(covers)) return []
  return [
    `the TLS certificate is for ${names.join(', ')}, not ${host}: browsers opening ${url} will warn; have learners use one of the certificate's names, or make the certificate for ${host}`,
  ]
}

/** Runs until SIGINT/SIGTERM; resolves with the process exit code. */
export async function serveCommand(argv: string[], command = 'ckalab serve'): Promise<number> {
  let opts: ServeOptions
  try {
    opts = parseServeArgs(argv)
  } catch (err) {
    const e = err as { code?: string; exitCode?: number }
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return 0
    return e.exitCode ?? 2
  }
  // Beyond loopback without a key of the person's own: a new random one, printed once below.
  const generatedKey = !isLoopbackHost(opts.host) && !opts.accessKey ? generateKey() : undefined
  if (generatedKey) opts = { ...opts, accessKey: generatedKey }
  let server: RunningServer
  let tls: LoadedTls | undefined
  try {
    server = await runServe(opts, command, (t) => {
      tls = t
    })
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err)
    const hint = /EADDRINUSE/.test(message) ? `; port ${opts.port} is taken, pass --port <another>` : ''
    process.stderr.write(`ckalab serve: ${message}${hint}\n`)
    return 1
  }
  process.stdout.write(startLine(server.url, server.manager.driverName, opts.driver))
  process.stdout.write(instructorLine(server.url, server.instructorKey))
  process.stdout.write(exposureLines(reachableUrl(server.url, opts.host), opts.host, generatedKey))
  if (tls)
    for (const w of [
      ...tls.warnings,
      ...certificateNameWarnings(reachableUrl(server.url, opts.host), tls.names),
    ])
      process.stderr.write(`ckalab serve: warning: ${w}\n`)
  return new Promise<number>((resolvePromise) => {
    let stopping = false
    const stop = (signal: string) => {
      if (stopping) {
        process.stderr.write('ckalab serve: forced exit\n')
        process.exit(130)
      }
      stopping = true
      process.stderr.write(`ckalab: ${signal === 'SIGINT' ? 'Ctrl+C' : signal} received, stopping…\n`)
      server.close().then(
        () => resolvePromise(0),
        () => resolvePromise(1),
      )
    }
    process.once('SIGINT', () => stop('SIGINT'))
    process.once('SIGTERM', () => stop('SIGTERM'))
  })
}
