grep -E 'trusted-ca-file|cert-file|key-file|listen-client-urls' /etc/kubernetes/manifests/etcd.yaml
cat > /etc/profile.d/etcdctl.sh <<'EOF2'
export ETCDCTL_ENDPOINTS=https://127.0.0.1:2379
export ETCDCTL_CACERT=/etc/kubernetes/pki/etcd/ca.crt
export ETCDCTL_CERT=/etc/kubernetes/pki/etcd/server.crt
export ETCDCTL_KEY=/etc/kubernetes/pki/etcd/server.key
EOF2
bash -l
etcdctl member list
etcdctl endpoint health
exit
