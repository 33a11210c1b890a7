#!/usr/bin/env bash
set -u
# Whether NOSPACE survives a restart: fill past a 1 MiB quota, stop, start, list alarms.
E=$PWD/.cache/etcd-3.5.16/usr/bin
D=$(mktemp -d)
P1=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
P2=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
EP=http://127.0.0.1:$P1
start() {
  $E/etcd --name n --data-dir $D/etcd --quota-backend-bytes=1048576 --listen-client-urls $EP --advertise-client-urls $EP \
    --listen-peer-urls http://127.0.0.1:$P2 --initial-advertise-peer-urls http://127.0.0.1:$P2 \
    --initial-cluster n=http://127.0.0.1:$P2 >>$D/log 2>&1 &
  PID=$!
  for i in $(seq 1 100); do $E/etcdctl --endpoints $EP endpoint health >/dev/null 2>&1 && return; sleep 0.3; done
}
start
head -c 300000 /dev/zero | tr '\0' a > $D/v
for i in 1 2 3 4 5 6; do echo "put k$i: $($E/etcdctl --endpoints $EP put k$i < $D/v 2>&1 | tail -1)"; done
echo "alarm list before restart: $($E/etcdctl --endpoints $EP alarm list 2>&1)"
kill $PID; wait $PID
start
echo "alarm list after restart: $($E/etcdctl --endpoints $EP alarm list 2>&1)"
echo "put after restart: $($E/etcdctl --endpoints $EP put small x 2>&1 | tail -1)"
kill $PID; wait $PID; rm -rf $D
