etcdctl --endpoints=https://127.0.0.1:2379 --cacert=/etc/kubernetes/pki/etcd/ca.crt --cert=/etc/kubernetes/pki/etcd/server.crt --key=/etc/kubernetes/pki/etcd/server.key snapshot save /opt/backup/etcd-snapshot.db
kubectl get deploy
for n in controlplane controlplane2 controlplane3; do ssh $n 'mv /etc/kubernetes/manifests/kube-apiserver.yaml /etc/kubernetes/manifests/etcd.yaml /root/'; done
scp /opt/backup/etcd-snapshot.db controlplane2:/opt/backup/etcd-snapshot.db
scp /opt/backup/etcd-snapshot.db controlplane3:/opt/backup/etcd-snapshot.db
CLUSTER=controlplane=https://172.30.1.2:2380,controlplane2=https://172.30.1.3:2380,controlplane3=https://172.30.1.4:2380
etcdutl snapshot restore /opt/backup/etcd-snapshot.db --data-dir /var/lib/etcd-from-backup --name controlplane --initial-advertise-peer-urls https://172.30.1.2:2380 --initial-cluster $CLUSTER
ssh controlplane2 "etcdutl snapshot restore /opt/backup/etcd-snapshot.db --data-dir /var/lib/etcd-from-backup --name controlplane2 --initial-advertise-peer-urls https://172.30.1.3:2380 --initial-cluster $CLUSTER"
ssh controlplane3 "etcdutl snapshot restore /opt/backup/etcd-snapshot.db --data-dir /var/lib/etcd-from-backup --name controlplane3 --initial-advertise-peer-urls https://172.30.1.4:2380 --initial-cluster $CLUSTER"
for n in controlplane controlplane2 controlplane3; do ssh $n "sed -i 's#path: /var/lib/etcd\$#path: /var/lib/etcd-from-backup#' /root/etcd.yaml && mv /root/etcd.yaml /etc/kubernetes/manifests/"; done
sleep 30
for n in controlplane controlplane2 controlplane3; do ssh $n 'mv /root/kube-apiserver.yaml /etc/kubernetes/manifests/'; done
sleep 40
etcdctl --endpoints=https://127.0.0.1:2379 --cacert=/etc/kubernetes/pki/etcd/ca.crt --cert=/etc/kubernetes/pki/etcd/server.crt --key=/etc/kubernetes/pki/etcd/server.key member list -w table
kubectl get deploy
