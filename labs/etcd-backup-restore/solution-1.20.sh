grep -E 'trusted-ca-file|cert-file|key-file' /etc/kubernetes/manifests/etcd.yaml
ETCDCTL_API=3 etcdctl --endpoints=https://127.0.0.1:2379 --cacert=/etc/kubernetes/pki/etcd/ca.crt --cert=/etc/kubernetes/pki/etcd/server.crt --key=/etc/kubernetes/pki/etcd/server.key snapshot save /opt/backup/etcd-snapshot.db
ETCDCTL_API=3 etcdctl snapshot status /opt/backup/etcd-snapshot.db -w table
kubectl get deploy
ETCDCTL_API=3 etcdctl snapshot restore /opt/backup/etcd-snapshot.db --data-dir /var/lib/etcd-from-backup
sed -i 's#path: /var/lib/etcd$#path: /var/lib/etcd-from-backup#' /etc/kubernetes/manifests/etcd.yaml
grep -A1 'hostPath:' /etc/kubernetes/manifests/etcd.yaml
sleep 30
kubectl get deploy
