crictl ps -a --name etcd
grep -nE 'cert-file|key-file|data-dir|mountPath|path:' /etc/kubernetes/manifests/etcd.yaml
ls /etc/kubernetes/pki/etcd/
sed -i 's#--cert-file=/etc/kubernetes/pki/etcd/server.cert#--cert-file=/etc/kubernetes/pki/etcd/server.crt#' /etc/kubernetes/manifests/etcd.yaml
sed -i 's#--data-dir=/var/lib/etcd-data#--data-dir=/var/lib/etcd#' /etc/kubernetes/manifests/etcd.yaml
sleep 40
kubectl get deploy
