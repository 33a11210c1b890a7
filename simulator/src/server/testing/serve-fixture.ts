// Starts a ckalab server in its own process for the browser suites (so a test
// can SIGKILL it) and the benchmarks. `--driver fake|sim` picks the driver,
// `--catalog fake|labs` the labs (default: fake with fake, labs with sim).
// Prints one JSON line {"url", "pid", "instructorKey"} on stdout once listening.

import { parseArgs } from 'node:util'
import { createLogger } from '../log'
import { startServer } from '../server'
import { FakeCatalog, FakeDriver } from './fakes'

const { values } = parseArgs({
  options: {
    driver: { type: 'string', default: 'fake' },
    'data-dir': { type: 'string' },
    port: { type: 'string', default: '0' },
    catalog: { type: 'string' },
    'create-ms': { type: 'string', default: '300' },
    'log-level': { type: 'string', default: 'info' },
  },
})

async function pieces() {
  // sim-worker: environments in worker threads as `ckalab serve` runs them; sim: on the server's thread.
  const driver =
    values.driver === 'fake'
      ? new FakeDriver({ createMs: Number(values['create-ms']) })
      : values.driver === 'sim-worker'
        ? new (await import('../../host/worker-driver')).WorkerSimDriver()
        : new (await import('../../drivers/sim')).SimDriver()
  const which = values.catalog ?? (values.driver === 'fake' ? 'fake' : 'labs')
  const catalog = which === 'fake' ? new FakeCatalog() : await (await import('../catalog')).createLabCatalog()
  return { driver, catalog }
}

const { driver, catalog } = await pieces()
const server = await startServer({
  port: Number(values.port),
  host: '127.0.0.1',
  driver,
  catalog,
  dataDir: values['data-dir'] ?? '.ckalab/e2e',
  log: createLogger(values['log-level'] as 'info'),
})
// The instructor key is printed only by the start that made it (a fresh data dir).
process.stdout.write(
  `${JSON.stringify({ url: server.url, pid: process.pid, instructorKey: server.instructorKey })}\n`,
)
const stop = () => void server.close().then(() => process.exit(0))
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
