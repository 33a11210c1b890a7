// ckalab's simulated kubectl. `kubectlCommands` is the command list to
// register (./register does it); by default it talks to the simulated
// apiserver the kubeconfig names and execs through the node's container
// runtime. Tests swap the backend with `setKubectlBackend` or call
// `runKubectl` with their own.

import type { SimCommand } from '../../commands/types'
import { apiClientFor } from '../client'
import { execInContainer } from '../exec'
import type { KubectlBackend } from './context'
import { createKubectlCommand } from './kubectl'

export type { ExecOutcome, ExecRequest, KubectlBackend } from './context'
export { runKubectl } from './kubectl'

/** kubectl against the simulated cluster the command runs in. */
export const simBackend: KubectlBackend = {
  client: (node, target) => apiClientFor(node, target.serverUrl),
  async exec(req) {
    const cluster = req.ctx.node.cluster
    const node = req.nodeName ? cluster.node(req.nodeName) : undefined
    if (!node) return { stdout: '', stderr: '', exitCode: 1, notRunning: true }
    const r = await execInContainer(node, req.pod, req.container, req.argv, {
      namespace: req.namespace,
      stdin: req.stdin,
      tty: req.tty ? req.ctx.tty : undefined,
      signal: req.ctx.signal,
    })
    if (!r) return { stdout: '', stderr: '', exitCode: 1, notRunning: true }
    return r
  },
}

let backend: KubectlBackend = simBackend

/** Replace how kubectl reaches the cluster (tests); `simBackend` restores the default. */
export function setKubectlBackend(b: KubectlBackend): void {
  backend = b
}

export const kubectlCommands: SimCommand[] = [createKubectlCommand(() => backend)]
