// Runs one case of ./script.ts on the simulator's kubectl for a profile: the
// same admin.conf in /root/.kube/config and the case's files in /root (HOME
// and the working directory), against the in-memory apiserver of
// test/kubectl/fake-api.ts (the cases never depend on its objects).

import { readFileSync } from 'node:fs'
import path from 'node:path'
import { harness } from '../../kubectl/fake-api'
import { seedCluster } from '../../kubectl/fixtures'
import { FIXTURES } from './realKubectl'
import type { KubectlCase, RawOutput } from './script'

const ADMIN_CONF = readFileSync(path.join(FIXTURES, 'admin.conf'), 'utf8')

export async function runSim(profile: string, c: KubectlCase): Promise<RawOutput> {
  const h = harness(profile, { noConfig: true })
  if (c.seeded) {
    seedCluster(h.api)
    h.api.objects.get(
      'pods/kube-system/etcd-controlplane',
    )!.spec.containers[0].livenessProbe.successThreshold = 1
  }
  h.fs.mkdirSync('/root/.kube', { recursive: true })
  if (c.kubeconfig !== 'none') h.fs.writeFileSync('/root/.kube/config', c.kubeconfig ?? ADMIN_CONF)
  for (const [name, text] of Object.entries(c.files ?? {})) h.fs.writeFileSync(`/root/${name}`, text)
  const env = Object.fromEntries(Object.entries(c.env ?? {}).map(([k, v]) => [k, v.replaceAll('~', '/root')]))
  const r = await h.run(c.args, { env, stdin: c.stdin })
  return { stdout: r.stdout, stderr: r.stderr, exitCode: r.exitCode }
}
