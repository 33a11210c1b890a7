import { CoreV1Api, KubeConfig } from '@kubernetes/client-node'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { KubernetesCreateError, KubernetesDriver } from '../../simulator/src/drivers/kubernetes'
import { ATTEMPT_LABEL } from '../../simulator/src/drivers/kubernetes/objects'
import { evaluateTriggers, gradeLab, runSetup } from '../../simulator/src/grader/lifecycle'
import { loadLabs, referenceSolution } from '../../simulator/src/grader/loader'
import type { Lab, Report, Verdict } from '../../simulator/src/grader/types'
import type { Environment } from '../../simulator/src/seam'
import { importImage, kindNodeImage } from './cluster'

// etcd-backup-restore on an environment made by the kubernetes driver with a real control plane in the pod:
// the kind node image (test/kubernetes/images/kind-node) as a privileged lab pod on the suite's Kubernetes
// 1.20 node, running its own containerd, kubelet and kubeadm control plane (etcd, apiserver, controller
// manager, scheduler as static pods). The lab's setup, trigger and checks run unchanged, through the driver's
// exec: every check fails on the untouched lab, and passes after the 1.20 reference solution.

const api = inject('k8s')
const LAB = 'etcd-backup-restore'
const NAMESPACE = 'ckalab-kind-labs'

function verdicts(r: Report): Record<string, Verdict> {
  return Object.fromEntries(r.checks.map((c) => [c.id, c.verdict]))
}

function explain(r: Report): string {
  return r.checks.map((c) => `${c.id}: ${c.verdict}: ${c.evidence.actual}`).join('\n')
}

describe('lab etcd-backup-restore on a kind node pod (a real control plane in a privileged pod)', () => {
  const kc = new KubeConfig()
  kc.loadFromFile(api.kubeconfig)
  let lab: Lab
  let env: Environment
  const facts: Record<string, unknown> = {}
  const seconds: Record<string, number> = {}
  const since = (t: number) => Math.round((Date.now() - t) / 1000)

  beforeAll(async () => {
    const { labs } = await loadLabs()
    const found = labs.find((l) => l.id === LAB)
    if (!found) throw new Error(`lab ${LAB} did not load`)
    lab = found
    const image = kindNodeImage()
    seconds.import = importImage(api.node, image)
    const driver = new KubernetesDriver({
      kubeConfig: kc,
      namespace: NAMESPACE,
      images: image,
      privileged: true,
      imagePullPolicy: 'Never',
      readyTimeoutMs: 240_000,
    })
    const spec = { ...lab.cluster, kubernetes: '1.20' as const }
    let t = Date.now()
    try {
      env = await driver.create(spec)
    } catch (e) {
      // one bring-up on two shared CPUs may outlast its bound; a second one decides
      if (!(e instanceof KubernetesCreateError)) throw e
      console.warn(`kind node pod did not come up, retrying once: ${String(e).slice(0, 1000)}`)
      t = Date.now()
      env = await driver.create(spec)
    }
    seconds.bringUp = since(t)
    t = Date.now()
    await runSetup(lab, env, facts)
    seconds.setup = since(t)
  }, 900_000)

  afterAll(async () => {
    const t = Date.now()
    await env?.dispose()
    seconds.delete = since(t)
    console.log(`kind node lab: ${JSON.stringify(seconds)} (seconds)`)
  }, 120_000)

  it('the pod is a kind node: privileged, named as kind names nodes, its own node Ready with etcd as a static pod', async () => {
    const pods = await kc
      .makeApiClient(CoreV1Api)
      .listNamespacedPod({ namespace: NAMESPACE, labelSelector: `${ATTEMPT_LABEL}=${env.id}` })
    const [pod] = pods.items
    expect(pod?.spec?.containers[0]?.securityContext?.privileged).toBe(true)
    expect(pod?.spec?.automountServiceAccountToken).toBe(false)
    expect(pod?.metadata?.labels).toMatchObject({
      'io.x-k8s.kind.role': 'control-plane',
      'io.x-k8s.kind.cluster': `ckalab-${env.id}`,
    })
    // its bring-up is in the pod's log (what the driver quotes when a node does not come up)
    const log = await kc
      .makeApiClient(CoreV1Api)
      .readNamespacedPodLog({ name: pod?.metadata?.name ?? '', namespace: NAMESPACE, container: 'node' })
    expect(String(log)).toMatch(/images loaded; node lab-control-plane at [\d.]+\n[\s\S]*control plane ready/)
    const cp = env.nodes[0]!
    expect(cp.name).toBe('lab-control-plane')
    const nodes = await cp.exec('kubectl get nodes --no-headers')
    expect(nodes.stdout).toMatch(/^lab-control-plane\s+Ready\s+control-plane,master\s+\S+\s+v1\.20\.2/)
    const etcd = await cp.exec('crictl ps --name etcd --state running -q')
    expect(etcd.stdout.trim()).toMatch(/^[0-9a-f]{64}$/)
    expect(facts.profile).toEqual({ kubernetes: 'v1.20.2', etcd: '3.4.13' })
  })

  it('untouched: every check fails', async () => {
    const t = Date.now()
    const report = await gradeLab(lab, env, facts)
    seconds.gradeUntouched = since(t)
    const untouched = lab.wrongAnswers.find((w) => w.id === 'untouched')
    expect(verdicts(report), explain(report)).toEqual(untouched?.expect)
    expect(Object.values(verdicts(report)).every((v) => v === 'fail')).toBe(true)
  })

  it('the 1.20 reference solution, line by line through the driver’s exec, passes every check', async () => {
    const cp = env.nodes[0]!
    let t = Date.now()
    const lines = referenceSolution(lab, '1.20')
      .split('\n')
      .filter((l) => l.trim() && !l.trim().startsWith('#'))
    for (const line of lines) {
      const r = await cp.exec(line, { timeoutMs: 120_000 })
      expect(r.exitCode, `${line}\n${r.stdout}${r.stderr}`).toBe(0)
      // between lines, as a learner's terminal does: the lab's trigger fires once the snapshot is in place
      await evaluateTriggers(lab, env, facts)
    }
    expect(Object.keys((facts.triggersFired as object) ?? {})).toEqual(['change-after-backup'])
    seconds.solution = since(t)
    t = Date.now()
    const report = await gradeLab(lab, env, facts)
    seconds.gradeSolved = since(t)
    expect(verdicts(report), explain(report)).toEqual(
      Object.fromEntries(lab.module.checks.map((c) => [c.id, 'pass'])),
    )
    expect(report.driver).toBe('kubernetes')
    expect(report.profile).toEqual({ kubernetes: 'v1.20.2', etcd: '3.4.13' })
  })
})
