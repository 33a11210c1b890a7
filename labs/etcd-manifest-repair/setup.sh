# Data the learner must not lose, then the "botched change" to etcd.yaml.
set -e
TLS="--endpoints=https://127.0.0.1:2379 --cacert=/etc/kubernetes/pki/etcd/ca.crt --cert=/etc/kubernetes/pki/etcd/healthcheck-client.crt --key=/etc/kubernetes/pki/etcd/healthcheck-client.key"
etcdctl $TLS put /ckalab/cluster-origin etcd-manifest-repair >/dev/null
kubectl create deployment inventory --image=nginx:1.27
kubectl create deployment checkout --image=nginx:1.27 --replicas=2
sed -i -e 's#--cert-file=/etc/kubernetes/pki/etcd/server.crt#--cert-file=/etc/kubernetes/pki/etcd/server.cert#' \
  -e 's#--data-dir=/var/lib/etcd$#--data-dir=/var/lib/etcd-data#' /etc/kubernetes/manifests/etcd.yaml
