TLS="--endpoints=https://127.0.0.1:2379 --cacert=/etc/kubernetes/pki/etcd/ca.crt --cert=/etc/kubernetes/pki/etcd/server.crt --key=/etc/kubernetes/pki/etcd/server.key"
etcdctl $TLS snapshot save /opt/backup/etcd-snapshot.db
etcdctl $TLS member list | tee /root/members.txt
kubectl get deploy
CLUSTER=$(awk -F', ' '{print $3"="$4}' /root/members.txt | paste -sd, -)
HOSTS=$(awk -F', ' '{print $4}' /root/members.txt | cut -d/ -f3 | cut -d: -f1)
echo "$CLUSTER" $HOSTS
for h in $HOSTS; do ssh $h 'mv /etc/kubernetes/manifests/kube-apiserver.yaml /etc/kubernetes/manifests/etcd.yaml /root/'; done
for m in $(awk -F', ' '{print $3"="$4}' /root/members.txt); do name=${m%%=*}; peer=${m#*=}; h=$(echo $peer | cut -d/ -f3 | cut -d: -f1); [ "$name" = "$(hostname)" ] || scp /opt/backup/etcd-snapshot.db $h:/opt/backup/etcd-snapshot.db; ssh $h "etcdutl snapshot restore /opt/backup/etcd-snapshot.db --data-dir /var/lib/etcd-from-backup --name $name --initial-advertise-peer-urls $peer --initial-cluster $CLUSTER"; done
for h in $HOSTS; do ssh $h "sed -i 's#path: /var/lib/etcd\$#path: /var/lib/etcd-from-backup#' /root/etcd.yaml && mv /root/etcd.yaml /etc/kubernetes/manifests/"; done
until etcdctl $TLS endpoint health; do sleep 2; done
for h in $HOSTS; do ssh $h 'mv /root/kube-apiserver.yaml /etc/kubernetes/manifests/'; done
until kubectl get deploy; do sleep 2; done
etcdctl $TLS member list -w table
