#!/usr/bin/env bash
# Fills a small tmpfs under a real etcd 3.5.16 and records what put answers, the log, whether it
# exits, and what a restart with room finds. Mount the tmpfs first, as root:
#   mkdir -p .cache/i12-diskfull && mount -t tmpfs -o size=80m tmpfs .cache/i12-diskfull
set -u
E=$PWD/.cache/etcd-3.5.16/usr/bin
D=$PWD/.cache/i12-diskfull
OUT=$PWD/.scratch/diskfull
rm -rf $OUT; mkdir -p $OUT
rm -rf $D/*
P1=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
P2=$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
EP=http://127.0.0.1:$P1
start() {
  $E/etcd --name i12 --data-dir $D/etcd --listen-client-urls $EP --advertise-client-urls $EP \
    --listen-peer-urls http://127.0.0.1:$P2 --initial-advertise-peer-urls http://127.0.0.1:$P2 \
    --initial-cluster i12=http://127.0.0.1:$P2 >>$OUT/etcd.log 2>&1 &
  echo $! > $OUT/pid
  for i in $(seq 1 50); do $E/etcdctl --endpoints $EP endpoint health >/dev/null 2>&1 && return; sleep 0.2; done
}
start
echo "started pid $(cat $OUT/pid)"; df -k $D | tail -1
head -c 700000 /dev/urandom | base64 -w0 > $OUT/val
for i in $(seq 1 40); do
  out=$($E/etcdctl --endpoints $EP --command-timeout=10s put k$i < $OUT/val 2>&1); rc=$?
  echo "put k$i rc=$rc: $out" >> $OUT/puts.txt
  if [ $rc != 0 ]; then break; fi
done
sleep 2
tail -3 $OUT/puts.txt
df -k $D | tail -1
if kill -0 $(cat $OUT/pid) 2>/dev/null; then echo "etcd still running"; else wait $(cat $OUT/pid); echo "etcd exited rc=$?"; fi
$E/etcdctl --endpoints $EP endpoint health 2>&1 | tail -2
$E/etcdctl --endpoints $EP get k1 --keys-only 2>&1 | head -2
$E/etcdctl --endpoints $EP alarm list 2>&1 | head
grep -v '"level":"info"' $OUT/etcd.log | cut -c1-400 | tail -15
kill $(cat $OUT/pid) 2>/dev/null; sleep 1
echo "=== restart with more space"
mount -o remount,size=300m $D
start
echo "restarted"; 
$E/etcdctl --endpoints $EP get k --prefix --keys-only 2>&1 | grep -c .
$E/etcdctl --endpoints $EP alarm list 2>&1
kill $(cat $OUT/pid); sleep 1
