# Hand leadership away from the local member, so "the local endpoint" is not the answer.
TLS="--cacert=/etc/kubernetes/pki/etcd/ca.crt --cert=/etc/kubernetes/pki/etcd/healthcheck-client.crt --key=/etc/kubernetes/pki/etcd/healthcheck-client.key"
LOCAL_EP=https://127.0.0.1:2379
ALL=$(etcdctl --endpoints=$LOCAL_EP $TLS member list | awk -F', ' '{print $5}' | paste -sd, -)
TARGET=$(etcdctl --endpoints=$LOCAL_EP $TLS member list | awk -F', ' 'NR==3 {print $1}')
LOCAL=$(etcdctl --endpoints=$LOCAL_EP $TLS endpoint status | awk -F', ' '{print $2}')
# The member that leads now, by the IS LEADER column of endpoint status.
leader() { etcdctl --endpoints=$ALL $TLS --command-timeout=2s endpoint status 2>/dev/null | awk -F', ' '$9 == "true" {print $2}'; }
if ! etcdctl --endpoints=$ALL $TLS move-leader $TARGET >/dev/null 2>&1; then
  # Without move-leader, stopping the local member makes another one the leader. Poll rather than
  # wait a fixed time: an election takes about a second on a real node, and less on the simulator.
  mv /etc/kubernetes/manifests/etcd.yaml /root/etcd.yaml.ckalab
  for _ in $(seq 1 600); do
    L=$(leader)
    [ -n "$L" ] && [ "$L" != "$LOCAL" ] && break
    sleep 0.1
  done
  mv /root/etcd.yaml.ckalab /etc/kubernetes/manifests/etcd.yaml
  for _ in $(seq 1 600); do
    etcdctl --endpoints=$LOCAL_EP $TLS endpoint health >/dev/null 2>&1 && break
    sleep 0.1
  done
fi
etcdctl --endpoints=$ALL $TLS endpoint status
