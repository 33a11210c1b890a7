export ETCDCTL_CACERT=/etc/kubernetes/pki/etcd/ca.crt ETCDCTL_CERT=/etc/kubernetes/pki/etcd/server.crt ETCDCTL_KEY=/etc/kubernetes/pki/etcd/server.key
etcdctl --endpoints=https://127.0.0.1:2379 member list -w table
etcdctl --endpoints=https://127.0.0.1:2379 endpoint status --cluster -w table
mkdir -p /opt/answers
etcdctl --endpoints=https://127.0.0.1:2379 endpoint status | awk -F', ' '{print $3}' > /opt/answers/etcd-version
etcdctl --endpoints=https://127.0.0.1:2379 member list | awk -F', ' '{print $1, $3}' > /opt/answers/members
etcdctl --endpoints=https://127.0.0.1:2379 endpoint status --cluster | awk -F', ' '$9 == "true" {print $1}' > /opt/answers/leader
cat /opt/answers/etcd-version /opt/answers/members /opt/answers/leader
