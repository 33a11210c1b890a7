// Starts a ckalab server for the browser suites in its own process (so a test
// can SIGKILL it). `--driver fake` uses the server's test driver and lab;
// `--driver sim` uses the real simulator and the labs in labs/.
// Prints one JSON line {"url": ...} on stdout once listening.

import { parseArgs } from 'node:util'
import { FakeCatalog, FakeDriver } from '../../simulator/src/server/testing/fakes'
import { createLogger } from '../../simulator/src/server/log'
import { startServer } from '../../simulator/src/server/server'

const { values } = parseArgs({
  options: {
    driver: { type: 'string', default: 'fake' },
    'data-dir': { type: 'string' },
    port: { type: 'string', default: '0' },
  },
})

async function pieces() {
  if (values.driver === 'fake') return { driver: new FakeDriver({ createMs: 300 }), catalog: new FakeCatalog() }
  const { SimDriver } = await import('../../simulator/src/drivers/sim')
  const { createLabCatalog } = await import('../../simulator/src/server/catalog')
  return { driver: new SimDriver(), catalog: await createLabCatalog() }
}

const { driver, catalog } = await pieces()
const server = await startServer({
  port: Number(values.port),
  host: '127.0.0.1',
  driver,
  catalog,
  dataDir: values['data-dir'] ?? '.ckalab/e2e',
  log: createLogger('info'),
})
process.stdout.write(`${JSON.stringify({ url: server.url })}\n`)
const stop = () => void server.close().then(() => process.exit(0))
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
