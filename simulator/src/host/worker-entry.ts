// The thin worker_threads adapter: the only Node-specific part of the host
// side. A browser edition does the same with `self.postMessage` in a Web Worker.

import { parentPort, workerData } from 'node:worker_threads'
import { SimDriver } from '../drivers/sim'
import { EnvironmentHost } from './host'

if (!parentPort) throw new Error('worker-entry.ts runs only as a worker thread')
const port = parentPort
const options = (workerData ?? {}) as { clock?: 'real' | 'virtual'; seed?: string }
new EnvironmentHost(new SimDriver(options), {
  post: (message, transfer) => port.postMessage(message, transfer),
  onMessage: (listener) => port.on('message', listener),
})
