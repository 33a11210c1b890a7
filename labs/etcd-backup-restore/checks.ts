import {
  effectiveDataDir,
  etcdHasKey,
  etcdHealthy,
  holdsMember,
  memberList,
  normalizePath,
  settledEtcd,
} from '../../simulator/src/grader/kit/etcd'
import { judgeSnapshot, judgeUndo, waitForApiserver } from '../../simulator/src/grader/kit/restore'
import type { Check, Probe } from '../../simulator/src/grader/types'

// Checks for etcd-backup-restore. They judge what the cluster does, so every
// valid way of restoring passes (hostPath only, consistent rename, a parent
// directory mounted, --name/--initial-* or defaults, etcdctl or etcdutl).

const SNAPSHOT = '/opt/backup/etcd-snapshot.db'
const RESTORED = '/var/lib/etcd-from-backup'
/** Written by setup before any backup: present in every restore of this cluster, absent in a fresh etcd. */
const ORIGIN_KEY = '/ckalab/cluster-origin'
const WAIT_MS = 90_000

/** Trigger condition: a valid, current snapshot is in place. */
export const probes: Record<string, Probe> = {
  snapshotReady: async (ctx) => (await judgeSnapshot(ctx, SNAPSHOT)).verdict === 'pass',
}

const snapshotSaved: Check = {
  id: 'snapshot-saved',
  title: `A current snapshot of etcd is saved at ${SNAPSHOT}`,
  points: 25,
  run: (ctx) => judgeSnapshot(ctx, SNAPSHOT),
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
        hint: `Restore with \`etcdutl snapshot restore ${SNAPSHOT} --data-dir ${RESTORED}\`.`,
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
    // Right after a manifest edit the old etcd still runs: wait for the kubelet to restart it,
    // but not for an etcd that nothing will start (no manifest, or one that does not parse).
    const r = await settledEtcd(ctx, cp, WAIT_MS)
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
    if (host !== RESTORED && r.manifestHostPath !== undefined)
      return {
        verdict: 'fail',
        expected,
        actual: `etcd still runs on ${host}; the manifest now says ${r.manifestHostPath}, but the kubelet has not restarted etcd with it yet`,
        hint: 'The kubelet restarts a static pod some seconds after its manifest changes. Grade again in a moment; if it stays like this, `crictl ps -a --name etcd` and the kubelet log (`journalctl -u kubelet`) say why.',
      }
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
  title: 'etcd and the apiserver are healthy again after the restore',
  points: 10,
  budgetMs: 60_000,
  async run(ctx) {
    const cp = ctx.node('cp1')
    const expected = `etcd runs on ${RESTORED}, answers \`endpoint health\` over TLS with one started member, and the apiserver /readyz says ok`
    const live = await settledEtcd(ctx, cp, WAIT_MS)
    if ('error' in live || !live.running)
      // Nothing to wait for: an etcd that is not running now has had its chance in the check before.
      return {
        verdict: 'fail',
        expected,
        actual: `etcd is not running: ${'error' in live ? live.error : `no etcd container runs on ${cp.name}`}`,
        hint: 'Look at `crictl ps -a` on the node: is etcd running, is kube-apiserver running? Their logs (`crictl logs`) say why not.',
      }
    let last = ''
    let awaiting = 'etcd to be healthy'
    const etcdOk = await ctx.waitFor(
      async () => {
        if (!(await etcdHealthy(ctx, cp))) {
          last = 'etcd does not answer `endpoint health` on https://127.0.0.1:2379'
          awaiting = 'etcd to answer `endpoint health`'
          return undefined
        }
        const ml = await memberList(ctx, cp)
        const started = (ml.members ?? []).filter((m) => m.name !== '' && !m.isLearner)
        if (started.length !== 1) {
          last = `member list shows ${ml.members?.length ?? 0} member(s), ${started.length} started`
          awaiting = `one started etcd member (${last.replace('member list shows ', '')})`
          return undefined
        }
        return true
      },
      WAIT_MS,
      { what: () => `waiting for ${awaiting}` },
    )
    const ok = etcdOk && (await waitForApiserver(ctx, WAIT_MS))
    if (etcdOk && !ok) last = 'etcd is healthy, but the apiserver /readyz is not ok'
    if (ok) {
      // Health is worth points only together with the restore: an untouched lab is healthy too.
      const r = await effectiveDataDir(ctx, cp)
      const host = !('error' in r) && r.running && r.hostPath ? normalizePath(r.hostPath) : null
      if (host === RESTORED)
        return {
          verdict: 'pass',
          expected,
          actual: `etcd healthy (1 member) on ${RESTORED}, apiserver ready`,
        }
      return {
        verdict: 'fail',
        expected,
        actual: `etcd and the apiserver are healthy, but etcd still runs on ${host ?? 'its original data'}; health counts once it runs on the restored data`,
        hint: `Restore into ${RESTORED} and point the etcd-data volume's hostPath at it; this check passes when the cluster is healthy again after that.`,
      }
    }
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
    const etcd = await settledEtcd(ctx, ctx.node('cp1'), WAIT_MS)
    if ('error' in etcd || !etcd.running)
      // The apiserver cannot come up without etcd; waiting for it would only delay this verdict.
      return {
        verdict: 'unknown',
        expected: 'the cluster state read through a running etcd and apiserver',
        actual: `etcd is not running (${'error' in etcd ? etcd.error : 'no container'}), so the cluster state cannot be judged`,
        note: 'A deployment that cannot be listed is not proof that it is gone.',
        hint: 'Get etcd running on the restored data first (see the checks above), then grade again.',
      }
    return judgeUndo(ctx, {
      before: String(ctx.facts.preSnapshotDeployment ?? 'web-frontend'),
      after:
        typeof ctx.facts.postSnapshotDeployment === 'string' ? ctx.facts.postSnapshotDeployment : undefined,
      marker: String(ctx.facts.postSnapshotKey ?? '/ckalab/after-backup'),
      snapshotFile: SNAPSHOT,
      waitMs: WAIT_MS,
    })
  },
}

export const checks: Check[] = [
  snapshotSaved,
  restoredDataDir,
  etcdUsesRestoredData,
  clusterHealthy,
  changeUndone,
]
