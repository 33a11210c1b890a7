// The browser Web Worker adapter: the same EnvironmentHost and message
// protocol as worker-entry.ts (worker_threads on the server), over the Web
// Worker's postMessage. The static build bundles it as the lab's worker.

import { SimDriver } from '../drivers/sim'
import { EnvironmentHost } from './host'

interface WorkerScope {
  postMessage(message: unknown, transfer?: Transferable[]): void
  addEventListener(type: 'message', listener: (ev: MessageEvent) => void): void
}

const scope = globalThis as unknown as WorkerScope
new EnvironmentHost(new SimDriver({ clock: 'real' }), {
  post: (message, transfer) => scope.postMessage(message, transfer ?? []),
  onMessage: (listener) => scope.addEventListener('message', (ev) => listener(ev.data)),
})
