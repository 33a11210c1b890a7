set -e
TLS="--endpoints=https://127.0.0.1:2379 --cacert=/etc/kubernetes/pki/etcd/ca.crt --cert=/etc/kubernetes/pki/etcd/healthcheck-client.crt --key=/etc/kubernetes/pki/etcd/healthcheck-client.key"
etcdctl $TLS put /ckalab/cluster-origin etcd-ha-restore >/dev/null
kubectl create deployment payments-api --image=nginx:1.27 --replicas=3
