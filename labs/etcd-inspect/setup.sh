# Hand leadership to the third member, so the local member is not the leader.
TLS="--cacert=/etc/kubernetes/pki/etcd/ca.crt --cert=/etc/kubernetes/pki/etcd/healthcheck-client.crt --key=/etc/kubernetes/pki/etcd/healthcheck-client.key"
ALL=$(etcdctl --endpoints=https://127.0.0.1:2379 $TLS member list | awk -F', ' '{print $5}' | paste -sd, -)
TARGET=$(etcdctl --endpoints=https://127.0.0.1:2379 $TLS member list | awk -F', ' 'NR==3 {print $1}')
etcdctl --endpoints=$ALL $TLS move-leader $TARGET
