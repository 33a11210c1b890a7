import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tryCommand } from '../../simulator/src/cli/lab-commands'
import { KindDriver } from '../../simulator/src/drivers/kind'
import { loadLabs } from '../../simulator/src/grader/loader'
import { type TryResult, tryLab } from '../../simulator/src/grader/try'
import type { Lab, Verdict } from '../../simulator/src/grader/types'
import type { Environment } from '../../simulator/src/seam'
import { describeComparison } from './compare/suite'
import {
  createOnce,
  ensureDocker,
  ensureRealKind,
  IN_CI,
  KNOWN_BRINGUP_FLAKE,
  keepKindOutput,
  kindClusters,
  type RealKind,
  ROOT,
  sharedCluster,
} from './harness'

// etcd-backup-restore end to end on a real Kubernetes 1.20 control plane
// made by the real kind CLI (real etcd 3.4, kubelet, apiserver from the fixture's node image):
// `ckalab try --driver kind` with the 1.20 reference solution passes every
// check; on a second cluster the simulator is held against the fresh real node
// (compare/), then three wrong answers of the catalogue get their verdicts,
// with the cluster reset to its first state before each.

const docker = ensureDocker()
if (!docker.ok && IN_CI) throw new Error(`kind lab suite: ${docker.why}`)
const run = docker.ok ? describe : describe.skip

const PREFIX = 'ckalab-l'
const LAB = 'etcd-backup-restore'
const WRONG = ['manifest-untouched', 'data-dir-flag-only', 'apiserver-stopped-at-grading']
const ETCDCTL =
  'etcdctl --endpoints=https://127.0.0.1:2379 --cacert=/etc/kubernetes/pki/etcd/ca.crt --cert=/etc/kubernetes/pki/etcd/healthcheck-client.crt --key=/etc/kubernetes/pki/etcd/healthcheck-client.key'

/** etcd 3.4 has no etcdutl: the same commands through etcdctl (what the 1.20 reference does). */
function forEtcd34(script: string): string {
  return script.replace(/\betcdutl\b/g, 'ETCDCTL_API=3 etcdctl')
}

function verdicts(r: TryResult): Record<string, Verdict> {
  return Object.fromEntries(r.report.checks.map((c) => [c.id, c.verdict]))
}

function explain(r: TryResult): string {
  const lines = r.report.checks.map((c) => `${c.id}: ${c.verdict}: ${c.evidence.actual}`)
  return [...lines, '--- transcript (end) ---', r.transcript.slice(-2000)].join('\n')
}

/** Back to the state right after creation: original manifests, nothing the lab or a learner left. */
const RESET = `set -e
cp /root/ckalab-pristine/*.yaml /etc/kubernetes/manifests/
rm -rf /opt/backup /var/backups/etcd /var/lib/etcd-from-backup /root/default.etcd /root/kube-apiserver.yaml
for i in $(seq 1 90); do
  id=$(crictl ps --name etcd --state running -q | head -n 1)
  if [ -n "$id" ] && crictl inspect "$id" | grep -q '"hostPath": "/var/lib/etcd"' \\
    && ${ETCDCTL} endpoint health >/dev/null 2>&1 && kubectl get --raw /readyz >/dev/null 2>&1 \\
    && kubectl delete deployment --all >/dev/null 2>&1; then
    ${ETCDCTL} del --prefix /ckalab/ >/dev/null
    exit 0
  fi
  sleep 2
done
echo "the cluster did not come back to its first state" >&2
exit 1`

run('lab etcd-backup-restore on a real 1.20 control plane', () => {
  let kind: RealKind
  let lab: Lab

  beforeAll(async () => {
    kind = ensureRealKind()
    const { labs } = await loadLabs()
    const found = labs.find((l) => l.id === LAB)
    if (!found) throw new Error(`lab ${LAB} did not load`)
    lab = found
  }, 900_000)

  it('`ckalab try --driver kind --kubernetes 1.20` with the 1.20 reference solution passes every check', async () => {
    const saved = { ...process.env }
    Object.assign(process.env, {
      CKALAB_KIND_PATH: kind.path,
      CKALAB_KIND_NODE_IMAGE: `1.20=${kind.nodeImage}`,
      CKALAB_KIND_PREFIX: PREFIX,
    })
    let out = ''
    let err = ''
    try {
      const attempt = () => {
        out = ''
        err = ''
        return tryCommand(
          [
            LAB,
            '--driver',
            'kind',
            '--kubernetes',
            '1.20',
            '--script',
            join(ROOT, 'labs', LAB, 'solution-1.20.sh'),
            '--format',
            'json',
          ],
          { out: (t) => (out += t), err: (t) => (err += t), labsDir: join(ROOT, 'labs') },
        )
      }
      let code = await attempt()
      if (code === 3 && KNOWN_BRINGUP_FLAKE.test(err)) {
        console.warn(`kind cluster creation failed (known bring-up flake), retrying once:\n${err}`)
        code = await attempt()
      }
      expect(code, `${err}\n${out}`).toBe(0)
    } finally {
      process.env = saved
    }
    const report = JSON.parse(out) as { checks: Array<{ id: string; verdict: Verdict }>; profile: unknown }
    expect(Object.fromEntries(report.checks.map((c) => [c.id, c.verdict]))).toEqual(
      Object.fromEntries(lab.module.checks.map((c) => [c.id, 'pass'])),
    )
    expect(report.profile).toEqual({ kubernetes: 'v1.20.2', etcd: '3.4.13' })
    expect(err).toContain('Cluster ready')
    // the CLI deletes its cluster when the replay ends
    const clusters = kindClusters().map((c) => c.name)
    expect(clusters.filter((n) => n.startsWith(PREFIX))).toEqual([])
  })

  describe('one more cluster: the simulator against it, then wrong answers, reset before each', () => {
    let env: Environment | undefined
    // CKALAB_COMPARE_ADOPT=<id> reuses a running fresh cluster ckalab-<id> (and leaves it) while working here
    const adopt = process.env.CKALAB_COMPARE_ADOPT

    beforeAll(async () => {
      const driver = new KindDriver({
        kindPath: kind.path,
        nodeImages: { '1.20': kind.nodeImage },
        onKindOutput: keepKindOutput,
        clusterPrefix: adopt ? 'ckalab-' : PREFIX,
      })
      env = adopt
        ? await driver.adopt(adopt)
        : await createOnce(() => driver.create({ controlPlanes: 1, workers: 0, kubernetes: '1.20' }))
      if (!env) throw new Error(`no cluster ckalab-${adopt}`)
      const keep = await env.nodes[0]!.exec(
        'mkdir -p /root/ckalab-pristine && cp -n /etc/kubernetes/manifests/*.yaml /root/ckalab-pristine/',
      )
      expect(keep.exitCode).toBe(0)
    }, 900_000)

    afterAll(async () => {
      if (!adopt) await env?.dispose()
    }, 300_000)

    describeComparison(() => env)

    for (const id of WRONG) {
      it(`${id} gets its expected verdicts on real etcd, kubelet and apiserver`, async () => {
        const e = env
        if (!e) throw new Error('no cluster')
        const wrong = lab.wrongAnswers.find((w) => w.id === id)
        if (!wrong) throw new Error(`the catalogue of ${LAB} has no ${id}`)
        const reset = await e.nodes[0]!.exec(RESET, { timeoutMs: 240_000 })
        expect(reset.exitCode, reset.stderr).toBe(0)
        const r = await tryLab({
          lab,
          driver: sharedCluster(e),
          kubernetes: '1.20',
          script: forEtcd34(wrong.script),
          lineTimeoutMs: 120_000,
        })
        expect(verdicts(r), explain(r)).toEqual(wrong.expect)
      })
    }
  })
})
