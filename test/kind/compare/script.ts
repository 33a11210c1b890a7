import type { ExecResult } from '../../../simulator/src/seam'
import {
  controlPlanePods,
  deployments,
  etcdLog,
  etcdTable,
  plain,
  type Seen,
  volumesSection,
} from './normalize'

// The command script run on the real node and on the simulator's 1.20
// profile: what a learner looks at around an etcd backup and restore.

export interface Step {
  id: string
  /** What the learner types (run with bash -c; `$NODE` is replaced by the node's own name). */
  cmd: string
  /** Makes the two outputs comparable; absent: the output is not compared (a command that only acts). */
  norm?: (text: string, seen: Seen) => string
  /** Wait (real time on the node, simulated time on the simulator) until this holds before `cmd`. */
  until?: { cmd: string; ok: (r: ExecResult) => boolean; maxMs: number }
}

const TLS =
  '--endpoints=https://127.0.0.1:2379 --cacert=/etc/kubernetes/pki/etcd/ca.crt --cert=/etc/kubernetes/pki/etcd/server.crt --key=/etc/kubernetes/pki/etcd/server.key'
export const ETCDCTL = `ETCDCTL_API=3 etcdctl ${TLS}`
const M = '/etc/kubernetes/manifests'

const controlPlaneRows = (r: ExecResult) =>
  r.stdout.split('\n').filter((l) => /^(etcd|kube-(apiserver|controller-manager|scheduler))-/.test(l))
const allRunning = (r: ExecResult) => {
  const rows = controlPlaneRows(r)
  return rows.length === 4 && rows.every((l) => /\s1\/1\s+Running\s/.test(l))
}

export const STEPS: Step[] = [
  {
    id: 'pods',
    cmd: 'kubectl get pods -n kube-system',
    norm: controlPlanePods,
    until: { cmd: 'kubectl get pods -n kube-system', ok: allRunning, maxMs: 180_000 },
  },
  {
    id: 'describe-etcd-volumes',
    cmd: 'kubectl describe pod etcd-$NODE -n kube-system',
    norm: volumesSection,
  },
  { id: 'member-list', cmd: `${ETCDCTL} member list`, norm: etcdTable },
  { id: 'member-list-table', cmd: `${ETCDCTL} member list -w table`, norm: etcdTable },
  { id: 'endpoint-status-table', cmd: `${ETCDCTL} endpoint status -w table`, norm: etcdTable },
  { id: 'backup-dir', cmd: 'mkdir -p /opt/backup' },
  {
    id: 'create-web-frontend',
    cmd: 'kubectl create deployment web-frontend --image=nginx:1.27 --replicas=2',
    norm: plain,
  },
  { id: 'snapshot-save', cmd: `${ETCDCTL} snapshot save /opt/backup/etcd-snapshot.db`, norm: etcdLog },
  {
    id: 'create-audit-logger',
    cmd: 'kubectl create deployment audit-logger --image=busybox:1.36 -- sleep 86400',
    norm: plain,
  },
  {
    id: 'snapshot-restore',
    cmd: 'ETCDCTL_API=3 etcdctl snapshot restore /opt/backup/etcd-snapshot.db --data-dir /var/lib/etcd-from-backup',
    norm: etcdLog,
  },
  {
    id: 'edit-manifest',
    cmd: `sed -i 's#path: /var/lib/etcd$#path: /var/lib/etcd-from-backup#' ${M}/etcd.yaml`,
  },
  {
    id: 'deploy-after-restore',
    cmd: 'kubectl get deploy',
    norm: deployments,
    until: {
      cmd: 'kubectl get deploy',
      ok: (r) => r.exitCode === 0 && r.stdout.includes('web-frontend') && !r.stdout.includes('audit-logger'),
      maxMs: 180_000,
    },
  },
  {
    id: 'member-list-after-restore',
    cmd: `${ETCDCTL} member list`,
    norm: etcdTable,
    until: { cmd: `${ETCDCTL} endpoint health`, ok: (r) => r.exitCode === 0, maxMs: 60_000 },
  },
  { id: 'endpoint-status-after-restore', cmd: `${ETCDCTL} endpoint status -w table`, norm: etcdTable },
  {
    id: 'pods-after-restore',
    cmd: 'kubectl get pods -n kube-system',
    norm: controlPlanePods,
    // the four control-plane pods listed; their status is what is compared
    until: {
      cmd: 'kubectl get pods -n kube-system',
      ok: (r) => controlPlaneRows(r).length === 4,
      maxMs: 120_000,
    },
  },
  { id: 'stop-etcd', cmd: `mv ${M}/etcd.yaml /root/` },
  {
    id: 'apiserver-while-etcd-down',
    cmd: 'kubectl get pods -n kube-system',
    norm: plain,
    until: {
      cmd: `${ETCDCTL} endpoint health --command-timeout=2s`,
      ok: (r) => r.exitCode !== 0,
      maxMs: 90_000,
    },
  },
]
