// How long grading takes on the simulator with a real clock, as `npm start`
// runs it (a check's waits are real waits there), for one lab in one state:
//
//   npx tsx scripts/bench/grade-wall.ts [lab] [solved|wrongdir|gone] [ms to let pass before grading]
//
// Every state is graded untouched first. `solved` types the reference solution
// (without its sleeps) and grades at once and again 30 s later; `wrongdir` points
// etcd's hostPath at a directory that does not exist; `gone` moves etcd's
// manifest out of /etc/kubernetes/manifests. Prints each check's verdict and time,
// and what a check said it was waiting for.

import { SimDriver } from '../../simulator/src/drivers/sim'
import { evaluateTriggers, runSetup } from '../../simulator/src/grader/lifecycle'
import { loadLabs } from '../../simulator/src/grader/loader'
import { runChecks } from '../../simulator/src/grader/runner'

const [labId = 'etcd-backup-restore', mode = 'solved', pause = '0'] = process.argv.slice(2)
// CKALAB_LABS_DIR times another checkout's labs (e.g. to compare with main).
const { labs } = await loadLabs(process.env.CKALAB_LABS_DIR)
const lab = labs.find((l) => l.id === labId)
if (!lab) throw new Error(`no lab named ${labId}`)
const env = await new SimDriver({ clock: 'real' }).create(lab.cluster)
const facts: Record<string, unknown> = {}
await runSetup(lab, env, facts)
const cp = env.nodes[0]

async function grade(label: string): Promise<void> {
  const started = performance.now()
  const results = await runChecks(lab!.module.checks, {
    env,
    facts,
    onProgress: (p) => {
      if (p.waiting) console.log(`   … ${p.id}: ${p.waiting.what} (${p.waiting.waitedMs / 1000} s)`)
    },
  })
  console.log(`${label}: ${Math.round(performance.now() - started)} ms`)
  for (const c of results)
    console.log(
      `  ${c.id.padEnd(30)} ${c.verdict.padEnd(7)} ${String(c.durationMs).padStart(6)} ms  ${c.evidence.actual.slice(0, 90)}`,
    )
}

async function sh(cmd: string): Promise<void> {
  const r = await cp.exec(cmd, { timeoutMs: 60_000 })
  if (r.exitCode !== 0) console.log(`! ${cmd}: ${r.stderr.trim()}`)
  await evaluateTriggers(lab!, env, facts)
}

await grade('untouched')
const lines = lab.solution.split('\n').filter((l) => l.trim() && !l.startsWith('sleep'))
const restoreLines = lines.filter((l) => !/sed -i|^grep -A1|^kubectl get deploy$/.test(l))
if (mode === 'wrongdir') {
  for (const l of restoreLines) await sh(l)
  await sh("sed -i 's#path: /var/lib/etcd$#path: /var/lib/etcd-typo#' /etc/kubernetes/manifests/etcd.yaml")
  await env.settle(Number(pause))
  await grade('hostPath pointed at a directory that does not exist')
} else if (mode === 'gone') {
  for (const l of restoreLines) await sh(l)
  await sh('mv /etc/kubernetes/manifests/etcd.yaml /root/')
  await env.settle(Number(pause))
  await grade('etcd manifest moved out of the manifests folder')
} else {
  for (const l of lines) await sh(l)
  await grade('solved, graded right after the manifest edit')
  await env.settle(30_000)
  await grade('solved, graded 30 s later')
}
await env.dispose()
process.exit(0)
