import {
  apiserverReady,
  deploymentState,
  effectiveDataDir,
  etcdHasKey,
  etcdHealthy,
  holdsMember,
  memberList,
  normalizePath,
  parseJsonBig,
  snapshotStatus,
} from '../../simulator/src/labs/kit/etcd'
import type { Check, CheckContext, CheckOutcome, Probe } from '../../simulator/src/labs/types'

// Checks for etcd-backup-restore. They judge what the cluster does, so every
// valid way of restoring passes (hostPath only, consistent rename, a parent
// directory mounted, --name/--initial-* or defaults, etcdctl or etcdutl).

const SNAPSHOT = '/opt/backup/etcd-snapshot.db'
const RESTORED = '/var/lib/etcd-from-backup'
/** Written by setup before any backup: present in every restore of this cluster, absent in a fresh etcd. */
const ORIGIN_KEY = '/ckalab/cluster-origin'
const WAIT_MS = 90_000

function setupRevision(ctx: CheckContext): number | undefined {
  const raw = ctx.facts.setupStatus
  if (typeof raw !== 'string') return undefined
  try {
    const rev = Number(parseJsonBig(raw)?.[0]?.Status?.header?.revision)
    return Number.isFinite(rev) && rev > 0 ? rev : undefined
  } catch {
    return undefined
  }
}

async function judgeSnapshot(ctx: CheckContext): Promise<CheckOutcome> {
  const cp = ctx.node('cp1')
  const expected = `a valid etcd snapshot at ${SNAPSHOT}, taken after the lab was set up`
  const exists = await ctx.exec(cp, `test -s ${SNAPSHOT} && echo present`)
  if (!exists.stdout.includes('present'))
    return {
      verdict: 'fail',
      expected,
      actual: `${SNAPSHOT} does not exist (or is empty)`,
      hint: `Save the snapshot exactly to ${SNAPSHOT}: \`etcdctl --endpoints=https://127.0.0.1:2379 --cacert=… --cert=… --key=… snapshot save ${SNAPSHOT}\`.`,
    }
  const { status, error } = await snapshotStatus(ctx, cp, SNAPSHOT)
  if (!status)
    return {
      verdict: 'fail',
      expected,
      actual: `${SNAPSHOT} is not a usable snapshot: ${error}`,
      hint: 'Take the snapshot with `etcdctl … snapshot save`; copying files out of /var/lib/etcd does not make a snapshot.',
    }
  const minimum = setupRevision(ctx)
  if (minimum !== undefined && status.revision < minimum)
    return {
      verdict: 'fail',
      expected,
      actual: `the snapshot is at revision ${status.revision}, older than the cluster state at the start of the lab (revision ${minimum})`,
      hint: 'This is an old backup, not a snapshot of the cluster as it is now. Take a fresh one with `etcdctl snapshot save`.',
    }
  return {
    verdict: 'pass',
    expected,
    actual: `snapshot at revision ${status.revision} with ${status.totalKeys} keys (hash ${status.hash})`,
  }
}

/** Trigger condition: a valid, current snapshot is in place. */
export const probes: Record<string, Probe> = {
  snapshotReady: async (ctx) => (await judgeSnapshot(ctx)).verdict === 'pass',
}

const snapshotSaved: Check = {
  id: 'snapshot-saved',
  title: `A current snapshot of etcd is saved at ${SNAPSHOT}`,
  points: 25,
  run: judgeSnapshot,
}

const restoredDataDir: Check = {
  id: 'restored-data-dir',
  title: `The snapshot is restored into ${RESTORED}`,
  points: 20,
  async run(ctx) {
    const cp = ctx.node('cp1')
    const expected = `${RESTORED} holds an etcd member restored from this cluster's snapshot (member/snap/db, member/wal)`
    if (!(await holdsMember(ctx, cp, RESTORED))) {
      const stray = await ctx.exec(cp, 'ls -d /root/default.etcd /default.etcd 2>/dev/null')
      const strayNote = stray.stdout.trim()
        ? ` A restore landed in ${stray.stdout.trim().split('\n')[0]} instead: without --data-dir the restore writes ./default.etcd.`
        : ''
      return {
        verdict: 'fail',
        expected,
        actual: `${RESTORED} holds no etcd member directory.${strayNote}`,
        hint: `Restore with \`etcdutl --data-dir ${RESTORED} snapshot restore ${SNAPSHOT}\`.`,
      }
    }
    // When etcd runs on this directory, its keyspace tells a restore from a fresh, empty cluster.
    const live = await effectiveDataDir(ctx, cp)
    if ('hostPath' in live && live.running && live.hostPath && normalizePath(live.hostPath) === RESTORED) {
      const origin = await etcdHasKey(ctx, cp, ORIGIN_KEY)
      if (origin === false)
        return {
          verdict: 'fail',
          expected,
          actual: `${RESTORED} holds a new, empty etcd cluster, not the restored data`,
          hint: `etcd created ${RESTORED} itself (the directory did not exist or was empty). Restore the snapshot into it first, with etcd stopped.`,
        }
    }
    return { verdict: 'pass', expected, actual: `${RESTORED} holds member/snap/db and member/wal` }
  },
}

const etcdUsesRestoredData: Check = {
  id: 'etcd-uses-restored-data',
  title: `The cluster's etcd runs on the data in ${RESTORED}`,
  points: 25,
  async run(ctx) {
    const cp = ctx.node('cp1')
    const expected = `the running etcd keeps its data (--data-dir, through its volume mount) in the node directory ${RESTORED}`
    const live = await ctx.waitFor(async () => {
      const r = await effectiveDataDir(ctx, cp)
      return r.running ? r : undefined
    }, WAIT_MS)
    const r = live ?? (await effectiveDataDir(ctx, cp))
    if ('error' in r)
      return {
        verdict: 'fail',
        expected,
        actual: `etcd is not running: ${r.error}`,
        hint: 'The kubelet drops a manifest it cannot parse. Check the indentation and `key: value` spacing of your edit.',
      }
    if (!r.running) {
      const where = r.hostPath ? `its manifest points at ${r.hostPath}` : (r.problem ?? 'no data directory')
      return {
        verdict: 'fail',
        expected,
        actual: `no etcd container is running on ${cp.name}; ${where}`,
        hint: '`crictl ps -a --name etcd` and `crictl logs <id>` show why etcd does not start.',
      }
    }
    if (!r.hostPath)
      return {
        verdict: 'fail',
        expected,
        actual: `etcd runs with --data-dir=${r.dataDir}, but ${r.problem}`,
        hint: 'If you change --data-dir, change the etcd-data volumeMount and hostPath so the container sees the restored directory there.',
      }
    const host = normalizePath(r.hostPath)
    if (host !== RESTORED) {
      const missing = (await ctx.exec(cp, `test -d ${host} && echo yes`)).stdout.includes('yes')
        ? ''
        : ' (no such directory)'
      return {
        verdict: 'fail',
        expected,
        actual: `etcd's --data-dir ${r.dataDir} is the node directory ${host}${missing}`,
        hint:
          host === '/var/lib/etcd'
            ? 'etcd still uses the old data. Change the hostPath of the etcd-data volume in /etc/kubernetes/manifests/etcd.yaml.'
            : `The etcd-data hostPath must be exactly ${RESTORED}; a directory that does not exist is created empty and etcd starts a new cluster there.`,
      }
    }
    const origin = await etcdHasKey(ctx, cp, ORIGIN_KEY)
    if (origin === false)
      return {
        verdict: 'fail',
        expected,
        actual: `etcd runs on ${RESTORED}, but it holds a new, empty cluster`,
        hint: `Restore the snapshot into ${RESTORED} before etcd starts on it.`,
      }
    return {
      verdict: 'pass',
      expected,
      actual: `etcd runs with --data-dir=${r.dataDir}, mounted from ${host} (${r.source === 'container' ? 'the running container' : 'the manifest'})`,
    }
  },
}

const clusterHealthy: Check = {
  id: 'cluster-healthy',
  title: 'etcd and the apiserver are healthy',
  points: 10,
  budgetMs: 60_000,
  async run(ctx) {
    const cp = ctx.node('cp1')
    const expected =
      'etcd answers `endpoint health` over TLS with one started member, and the apiserver /readyz says ok'
    let last = ''
    const ok = await ctx.waitFor(async () => {
      if (!(await etcdHealthy(ctx, cp))) {
        last = 'etcd does not answer `endpoint health` on https://127.0.0.1:2379'
        return undefined
      }
      const ml = await memberList(ctx, cp)
      const started = (ml.members ?? []).filter((m) => m.name !== '' && !m.isLearner)
      if (started.length !== 1) {
        last = `member list shows ${ml.members?.length ?? 0} member(s), ${started.length} started`
        return undefined
      }
      if (!(await apiserverReady(ctx, cp))) {
        last = 'etcd is healthy, but the apiserver /readyz is not ok'
        return undefined
      }
      return true
    }, WAIT_MS)
    if (ok) return { verdict: 'pass', expected, actual: 'etcd healthy (1 member), apiserver ready' }
    return {
      verdict: 'fail',
      expected,
      actual: last,
      hint: 'Look at `crictl ps -a` on the node: is etcd running, is kube-apiserver running? Their logs (`crictl logs`) say why not.',
    }
  },
}

const changeUndone: Check = {
  id: 'post-snapshot-change-undone',
  title: 'The change made after the backup is undone by the restore',
  points: 20,
  budgetMs: 60_000,
  async run(ctx) {
    const cp = ctx.node('cp1')
    const before = String(ctx.facts.preSnapshotDeployment ?? 'web-frontend')
    const after = ctx.facts.postSnapshotDeployment
    const marker = String(ctx.facts.postSnapshotKey ?? '/ckalab/after-backup')
    const expected = `deployment ${before} present and ${String(after ?? 'audit-logger')} absent, through the apiserver and in etcd, with no data written after the snapshot`
    if (typeof after !== 'string')
      return {
        verdict: 'fail',
        expected,
        actual: `no change was made after a backup, because no valid current snapshot ever appeared at ${SNAPSHOT}`,
        hint: `The post-backup change is made once ${SNAPSHOT} holds a valid snapshot; save it there first.`,
      }
    const ready = await ctx.waitFor(async () => ((await apiserverReady(ctx, cp)) ? true : undefined), WAIT_MS)
    if (!ready)
      return {
        verdict: 'unknown',
        expected,
        actual: 'the apiserver is not ready, so the cluster state cannot be judged',
        note: 'A deployment that cannot be listed is not proof that it is gone.',
        hint: 'Bring the apiserver back (its static pod manifest must be in /etc/kubernetes/manifests, etcd must be healthy), then grade again.',
      }
    const api = {
      before: await deploymentState(ctx, cp, before),
      after: await deploymentState(ctx, cp, after),
    }
    const inEtcd = {
      before: await etcdHasKey(ctx, cp, `/registry/deployments/default/${before}`),
      after: await etcdHasKey(ctx, cp, `/registry/deployments/default/${after}`),
      marker: await etcdHasKey(ctx, cp, marker),
    }
    if (api.before === 'unknown' || api.after === 'unknown' || Object.values(inEtcd).includes(undefined))
      return {
        verdict: 'unknown',
        expected,
        actual: `could not read every fact: apiserver ${before}=${api.before}, ${after}=${api.after}; etcd ${JSON.stringify(inEtcd)}`,
        hint: 'Make sure etcd and the apiserver stay up, then grade again.',
      }
    const actual = `apiserver: ${before} ${api.before}, ${after} ${api.after}; etcd: ${before} ${inEtcd.before ? 'present' : 'absent'}, ${after} ${inEtcd.after ? 'present' : 'absent'}, data written after the snapshot ${inEtcd.marker ? 'present' : 'absent'}`
    if (api.after === 'present' || inEtcd.after)
      return {
        verdict: 'fail',
        expected,
        actual,
        hint:
          api.after === 'present' && !inEtcd.after
            ? 'etcd no longer has the deployment but the apiserver still serves it from its cache: restart the apiserver (move its manifest out of /etc/kubernetes/manifests and back).'
            : `${after} is still there, so etcd does not run on the restored data yet.`,
      }
    if (api.before !== 'present' || !inEtcd.before)
      return {
        verdict: 'fail',
        expected,
        actual,
        hint: `${before} is missing: etcd runs on data that does not contain it (an empty data directory, or a snapshot from before the lab was set up).`,
      }
    if (inEtcd.marker)
      return {
        verdict: 'fail',
        expected,
        actual,
        hint: `${after} is gone, but etcd still holds data written after your snapshot: it was deleted by hand instead of restoring the snapshot.`,
      }
    return { verdict: 'pass', expected, actual }
  },
}

export const checks: Check[] = [
  snapshotSaved,
  restoredDataDir,
  etcdUsesRestoredData,
  clusterHealthy,
  changeUndone,
]
