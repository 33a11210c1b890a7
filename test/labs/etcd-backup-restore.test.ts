import { proveLab } from './proof'

const SAVE =
  'etcdctl --endpoints=https://127.0.0.1:2379 --cacert=/etc/kubernetes/pki/etcd/ca.crt --cert=/etc/kubernetes/pki/etcd/server.crt --key=/etc/kubernetes/pki/etcd/server.key snapshot save /opt/backup/etcd-snapshot.db'
const SAVE_FLAGS_FIRST =
  'etcdctl snapshot save /opt/backup/etcd-snapshot.db --key /etc/kubernetes/pki/etcd/peer.key --cert /etc/kubernetes/pki/etcd/peer.crt --cacert /etc/kubernetes/pki/etcd/ca.crt --endpoints 127.0.0.1:2379'
const M = '/etc/kubernetes/manifests'

// Every valid way of doing the task (reference §4.2) must pass.
proveLab('etcd-backup-restore', [
  {
    title: 'A as in the kubernetes.io docs: `etcdutl --data-dir DIR snapshot restore FILE`',
    script: [
      SAVE,
      'etcdutl --data-dir /var/lib/etcd-from-backup snapshot restore /opt/backup/etcd-snapshot.db',
      `sed -i 's#path: /var/lib/etcd$#path: /var/lib/etcd-from-backup#' ${M}/etcd.yaml`,
      'sleep 40',
    ].join('\n'),
  },
  {
    title: 'B: --data-dir, mountPath and hostPath all renamed',
    script: [
      SAVE,
      'etcdutl snapshot restore /opt/backup/etcd-snapshot.db --data-dir=/var/lib/etcd-from-backup',
      `sed -i 's#/var/lib/etcd$#/var/lib/etcd-from-backup#' ${M}/etcd.yaml`,
      'sleep 40',
    ].join('\n'),
  },
  {
    title: 'D: the parent directory mounted, --data-dir below it',
    script: [
      SAVE,
      'etcdutl snapshot restore /opt/backup/etcd-snapshot.db --data-dir /var/lib/etcd-from-backup',
      `sed -i -e 's#--data-dir=/var/lib/etcd$#--data-dir=/var/lib/etcd-from-backup#' -e 's#mountPath: /var/lib/etcd$#mountPath: /var/lib#' -e 's#path: /var/lib/etcd$#path: /var/lib#' ${M}/etcd.yaml`,
      'sleep 40',
    ].join('\n'),
  },
  {
    title:
      'E: --name/--initial-cluster/--initial-advertise-peer-urls and a token, flags in another order; apiserver stopped first',
    script: [
      SAVE_FLAGS_FIRST,
      `mv ${M}/kube-apiserver.yaml /root/`,
      'etcdutl snapshot restore /opt/backup/etcd-snapshot.db \\',
      '  --initial-cluster-token restored --initial-advertise-peer-urls https://172.30.1.2:2380 \\',
      '  --initial-cluster controlplane=https://172.30.1.2:2380 --name controlplane --data-dir /var/lib/etcd-from-backup',
      `sed -i 's#path: /var/lib/etcd$#path: /var/lib/etcd-from-backup#' ${M}/etcd.yaml`,
      'sleep 20',
      `mv /root/kube-apiserver.yaml ${M}/`,
      'sleep 40',
    ].join('\n'),
  },
  {
    title: 'F: etcd 3.5 (Kubernetes 1.31) with the deprecated etcdctl snapshot restore',
    kubernetes: '1.31',
    script: [
      `ETCDCTL_API=3 ${SAVE}`,
      'ETCDCTL_API=3 etcdctl snapshot restore /opt/backup/etcd-snapshot.db --data-dir /var/lib/etcd-from-backup',
      `sed -i 's#path: /var/lib/etcd$#path: /var/lib/etcd-from-backup#' ${M}/etcd.yaml`,
      'sleep 40',
    ].join('\n'),
  },
  {
    title: 'F: etcdutl with --bump-revision and --mark-compacted',
    script: [
      SAVE,
      'etcdutl snapshot restore /opt/backup/etcd-snapshot.db --data-dir /var/lib/etcd-from-backup --bump-revision 1000000 --mark-compacted',
      `sed -i 's#path: /var/lib/etcd$#path: /var/lib/etcd-from-backup#' ${M}/etcd.yaml`,
      'sleep 40',
    ].join('\n'),
  },
  {
    title: 'etcd 3.4 (Kubernetes 1.20), manifest edited through a copy outside the folder',
    kubernetes: '1.20',
    script: [
      `ETCDCTL_API=3 ${SAVE}`,
      'ETCDCTL_API=3 etcdctl snapshot restore /opt/backup/etcd-snapshot.db --data-dir /var/lib/etcd-from-backup',
      `cp ${M}/etcd.yaml /root/etcd.yaml.bak`,
      `sed 's#path: /var/lib/etcd$#path: /var/lib/etcd-from-backup#' /root/etcd.yaml.bak > /root/etcd.yaml`,
      `cp /root/etcd.yaml ${M}/etcd.yaml`,
      'sleep 40',
    ].join('\n'),
  },
])
