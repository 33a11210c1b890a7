import { SimDriver } from '../../simulator/src/drivers/sim'
import { evaluateTriggers, runSetup } from '../../simulator/src/labs/lifecycle'
import { loadLabs } from '../../simulator/src/labs/loader'
import { runChecks } from '../../simulator/src/labs/runner'

const { labs } = await loadLabs()
const lab = labs.find((l) => l.id === (process.argv[2] ?? 'etcd-backup-restore'))!
const env = await new SimDriver({ clock: 'real' }).create(lab.cluster)
const facts: Record<string, unknown> = {}
let t = performance.now()
await runSetup(lab, env, facts)
console.log(`setup ${Math.round(performance.now() - t)} ms`)
async function grade(label: string) {
  const t0 = performance.now()
  const r = await runChecks(lab.module.checks, {
    env,
    facts,
    onProgress: (p) => p.waiting && process.stdout.write(`   … ${JSON.stringify(p)}\n`),
  })
  console.log(`${label}: ${Math.round(performance.now() - t0)} ms`)
  for (const c of r)
    console.log(
      `  ${c.id.padEnd(30)} ${c.verdict.padEnd(5)} ${c.durationMs} ms  ${c.evidence.actual.slice(0, 100)}`,
    )
}
const cp = env.nodes[0]
const sh = async (cmd: string) => {
  const r = await cp.exec(cmd, { timeoutMs: 60_000 })
  if (r.exitCode !== 0) console.log(`! ${cmd}: ${r.stderr}`)
  await evaluateTriggers(lab, env, facts)
}
await grade('untouched')
const lines = lab.solution.split('\n').filter((l) => l.trim() && !l.startsWith('sleep'))
const mode = process.argv[3] ?? 'solved'
if (mode === 'wrongdir') {
  for (const l of lines.slice(0, 5)) await sh(l)
  await sh("sed -i 's#path: /var/lib/etcd$#path: /var/lib/etcd-typo#' /etc/kubernetes/manifests/etcd.yaml")
  await env.settle(Number(process.argv[4] ?? 0))
  await grade('pointed at a wrong dir')
} else if (mode === 'broken') {
  for (const l of lines.slice(0, 5)) await sh(l)
  await sh("sed -i 's#hostPath:#hostPath:\\n   broken: [#' /etc/kubernetes/manifests/etcd.yaml")
  await env.settle(Number(process.argv[4] ?? 0))
  await grade('manifest broken')
} else if (mode === 'gone') {
  for (const l of lines.slice(0, 5)) await sh(l)
  await sh('mv /etc/kubernetes/manifests/etcd.yaml /root/')
  await env.settle(Number(process.argv[4] ?? 0))
  await grade('etcd manifest moved away')
} else {
  for (const l of lines) await sh(l)
  await grade('solved, graded at once')
  await env.settle(30_000)
  await grade('solved, graded 30 s later')
}
t = performance.now()
await env.dispose()
process.exit(0)
