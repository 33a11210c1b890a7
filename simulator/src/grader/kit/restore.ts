import type { Node } from '../../seam'
import type { CheckContext, CheckOutcome } from '../types'
import { apiserverReady, deploymentState, etcdHasKey, parseJsonBig, snapshotStatus } from './etcd'

// Judgements shared by the restore labs: "is this a current snapshot" and
// "was the change made after the snapshot undone by a restore".

/** The keyspace revision recorded at the end of setup (fact `setupStatus`, `endpoint status -w json`). */
export function setupRevision(ctx: CheckContext): number | undefined {
  const raw = ctx.facts.setupStatus
  if (typeof raw !== 'string') return undefined
  try {
    const rev = Number(parseJsonBig(raw)?.[0]?.Status?.header?.revision)
    return Number.isFinite(rev) && rev > 0 ? rev : undefined
  } catch {
    return undefined
  }
}

/** A valid snapshot at `file` on the first control plane, taken after the lab was set up. */
export async function judgeSnapshot(ctx: CheckContext, file: string): Promise<CheckOutcome> {
  const cp = ctx.node('cp1')
  const expected = `a valid etcd snapshot at ${file} on ${cp.name}, taken after the lab was set up`
  const exists = await ctx.exec(cp, `test -s ${file} && echo present`)
  if (!exists.stdout.includes('present'))
    return {
      verdict: 'fail',
      expected,
      actual: `${file} does not exist (or is empty)`,
      hint: `Save the snapshot exactly to ${file}: \`etcdctl --endpoints=https://127.0.0.1:2379 --cacert=… --cert=… --key=… snapshot save ${file}\`.`,
    }
  const { status, error } = await snapshotStatus(ctx, cp, file)
  if (!status)
    return {
      verdict: 'fail',
      expected,
      actual: `${file} is not a usable snapshot: ${error}`,
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

/**
 * Whether some static pod manifest on the node runs a kube-apiserver. The
 * kubelet reads every file in the folder that does not start with a dot, so a
 * renamed copy left there counts too.
 */
async function apiserverManifestPresent(ctx: CheckContext, node: Node): Promise<boolean> {
  const r = await ctx.exec(node, 'grep -lsw kube-apiserver /etc/kubernetes/manifests/*')
  return r.stdout.trim() !== ''
}

/**
 * Waits (once per grading) for the first control plane's apiserver to be ready.
 * A later check reuses a negative answer instead of waiting again; a positive
 * one is re-checked, since it costs one request. With no apiserver manifest in
 * /etc/kubernetes/manifests nothing will start one, so the answer comes at
 * once instead of after the whole wait.
 */
export async function waitForApiserver(ctx: CheckContext, withinMs: number): Promise<boolean> {
  const cp = ctx.node('cp1')
  const waited = await ctx.once(
    'apiserver-ready',
    async () =>
      (await ctx.waitFor(
        async () => {
          if (await apiserverReady(ctx, cp)) return true
          return (await apiserverManifestPresent(ctx, cp)) ? undefined : false
        },
        withinMs,
        { what: 'waiting for the apiserver to answer /readyz with ok' },
      )) ?? false,
  )
  return waited ? apiserverReady(ctx, cp) : false
}

export interface UndoFacts {
  /** Deployment that existed at snapshot time (namespace default). */
  before: string
  /** Deployment created after the snapshot, when the trigger fired. */
  after: string | undefined
  /** A key written to etcd after the snapshot; a restore removes it, deleting by hand does not. */
  marker: string
  snapshotFile: string
  waitMs: number
}

/**
 * The undo proof: the snapshot-era deployment present and the post-snapshot one
 * absent, through the apiserver and in etcd, and nothing else written after the
 * snapshot left in etcd. Unknown (never pass) while the apiserver cannot answer.
 */
export async function judgeUndo(ctx: CheckContext, f: UndoFacts): Promise<CheckOutcome> {
  const cp = ctx.node('cp1')
  const { before, after, marker } = f
  const expected = `deployment ${before} present and ${after ?? 'the post-backup deployment'} absent, through the apiserver and in etcd, with no data written after the snapshot`
  if (after === undefined)
    return {
      verdict: 'fail',
      expected,
      actual: `no change was made after a backup, because no valid current snapshot ever appeared at ${f.snapshotFile}`,
      hint: `The post-backup change is made once ${f.snapshotFile} holds a valid snapshot; save it there first.`,
    }
  const ready = await waitForApiserver(ctx, f.waitMs)
  if (!ready)
    return {
      verdict: 'unknown',
      expected,
      actual: 'the apiserver is not ready, so the cluster state cannot be judged',
      note: 'A deployment that cannot be listed is not proof that it is gone.',
      hint: 'Bring the apiserver back (its static pod manifest must be in /etc/kubernetes/manifests, etcd must be healthy), then grade again.',
    }
  const api = { before: await deploymentState(ctx, cp, before), after: await deploymentState(ctx, cp, after) }
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
  const word = (b: boolean | undefined) => (b ? 'present' : 'absent')
  const actual = `apiserver: ${before} ${api.before}, ${after} ${api.after}; etcd: ${before} ${word(inEtcd.before)}, ${after} ${word(inEtcd.after)}, data written after the snapshot ${word(inEtcd.marker)}`
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
}
