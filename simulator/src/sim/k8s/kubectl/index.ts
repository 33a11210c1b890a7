// ckalab's simulated kubectl. `kubectlCommands` is what the k8s runtime
// registers; `setKubectlBackend` is how it tells kubectl where the apiserver
// and container exec live.

import type { SimCommand } from '../../commands/types'
import type { KubectlBackend } from './context'
import { createKubectlCommand } from './kubectl'

export type { ExecRequest, KubectlBackend } from './context'
export { runKubectl } from './kubectl'

let backend: KubectlBackend = { client: () => undefined }

/** Install how kubectl reaches the simulated apiserver (and exec into containers). */
export function setKubectlBackend(b: KubectlBackend): void {
  backend = b
}

export const kubectlCommands: SimCommand[] = [createKubectlCommand(() => backend)]
