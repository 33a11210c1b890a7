# Lab setup for etcd-backup-restore: an older backup exists, then the workload the learner must keep.
set -e
ETCD_TLS="--endpoints=https://127.0.0.1:2379 --cacert=/etc/kubernetes/pki/etcd/ca.crt --cert=/etc/kubernetes/pki/etcd/healthcheck-client.crt --key=/etc/kubernetes/pki/etcd/healthcheck-client.key"
mkdir -p /opt/backup /var/backups/etcd
etcdctl $ETCD_TLS put /ckalab/cluster-origin etcd-backup-restore >/dev/null
etcdctl $ETCD_TLS snapshot save /var/backups/etcd/etcd-nightly.db >/dev/null 2>&1
kubectl create deployment web-frontend --image=nginx:1.27 --replicas=2
