# Hand leadership away from the local member, so "the local endpoint" is not the answer.
TLS="--cacert=/etc/kubernetes/pki/etcd/ca.crt --cert=/etc/kubernetes/pki/etcd/healthcheck-client.crt --key=/etc/kubernetes/pki/etcd/healthcheck-client.key"
ALL=$(etcdctl --endpoints=https://127.0.0.1:2379 $TLS member list | awk -F', ' '{print $5}' | paste -sd, -)
TARGET=$(etcdctl --endpoints=https://127.0.0.1:2379 $TLS member list | awk -F', ' 'NR==3 {print $1}')
if ! etcdctl --endpoints=$ALL $TLS move-leader $TARGET >/dev/null 2>&1; then
  # Without move-leader, restarting the local member makes another one the leader.
  mv /etc/kubernetes/manifests/etcd.yaml /root/etcd.yaml.ckalab
  sleep 20
  mv /root/etcd.yaml.ckalab /etc/kubernetes/manifests/etcd.yaml
  sleep 30
fi
etcdctl --endpoints=$ALL $TLS endpoint status
