#!/usr/bin/env bash
# Tries the design of issue 14 where a lab pod runs its own Docker engine and the lab's kind cluster inside
# itself (Docker in a privileged pod), on the kind-node-1.20 fixture's real Kubernetes node, and prints how far
# it gets. Not part of CI: docs/scale.md records its result on the machines ckalab is tested on.
#   usage: nested-probe.sh NODE_CONTAINER KUBECONFIG        (a fixture node started as in test/kubernetes)
# It builds ckalab-k8s/dind:probe (the fixture node image + Debian 12's docker.io, tini), imports it into the
# node's containerd, starts a privileged pod with an emptyDir for /var/lib/docker, and then, step by step:
#   1. dockerd starts in the pod   2. a container runs   3. a privileged container runs (what kind needs)
#   4. kind creates a cluster with the fixture's node image (only with FULL=1: moves ~1 GB twice)
set -uo pipefail
NODE="$1"; export KUBECONFIG="$2"
HERE="$(cd "$(dirname "$0")" && pwd)"
CACHE="${CKALAB_K8S_CACHE:-/work/.cache/i14-k8s}"
BASE="${CKALAB_TEST_NODE_IMAGE:-ckalab-test/node:v1.20.2}"
NS=ckalab-nested-probe
say() { echo "nested-probe: $*"; }
K() { docker exec -i "$NODE" kubectl --kubeconfig /etc/kubernetes/admin.conf "$@"; }

WORK=$(mktemp -d); trap 'rm -rf "$WORK"' EXIT
mkdir -p "$CACHE/debs" "$WORK/ctx/root"
(cd "$CACHE/debs" && apt-get download docker.io tini libdevmapper1.02.1 >/dev/null 2>&1) || { say "apt-get download docker.io failed"; exit 1; }
for d in "$CACHE"/debs/*.deb; do dpkg -x "$d" "$WORK/ctx/root"; done
KIND_BIN=$(bash "$HERE/../ci/install-kind.sh" 2>/dev/null | tail -1)
[ -x "$KIND_BIN" ] && install -m 755 "$KIND_BIN" "$WORK/ctx/root/usr/bin/kind"
# the wrapper the real-cluster suite uses where the bounding set lacks a capability (step 3b)
install -D -m 755 "$HERE/../ci/kind/runc-capfilter" "$WORK/ctx/root/usr/local/bin/runc-capfilter"
# the base is usrmerged (/lib -> usr/lib …): a real /lib in the copied tree would replace the symlink
for d in bin sbin lib lib64; do
  if [ -d "$WORK/ctx/root/$d" ]; then mkdir -p "$WORK/ctx/root/usr/$d"; cp -a "$WORK/ctx/root/$d/." "$WORK/ctx/root/usr/$d/"; rm -rf "${WORK:?}/ctx/root/$d"; fi
done
rm -rf "$WORK/ctx/root/usr/share/doc" "$WORK/ctx/root/usr/share/man" "$WORK/ctx/root/etc/init.d"
printf 'FROM %s\nCOPY root/ /\nENTRYPOINT ["/usr/bin/tini","--","sh","-c","dockerd >/var/log/dockerd.log 2>&1 & exec sleep infinity"]\n' "$BASE" >"$WORK/ctx/Dockerfile"
DOCKER_BUILDKIT=0 docker build -q -t ckalab-k8s/dind:probe "$WORK/ctx" >/dev/null || { say "image build failed"; exit 1; }
say "image ckalab-k8s/dind:probe built; importing into $NODE's containerd"
docker save ckalab-k8s/dind:probe | docker exec -i "$NODE" ctr -n k8s.io images import - >/dev/null || { say "import failed"; exit 1; }
K delete namespace "$NS" --wait >/dev/null 2>&1
K create namespace "$NS" >/dev/null 2>&1
K apply -f - >/dev/null <<YAML
apiVersion: v1
kind: Pod
metadata: {name: dind, namespace: $NS}
spec:
  automountServiceAccountToken: false
  tolerations: [{operator: Exists}]
  containers:
  - name: node
    image: ckalab-k8s/dind:probe
    imagePullPolicy: Never
    securityContext: {privileged: true}
    volumeMounts: [{name: docker, mountPath: /var/lib/docker}, {name: modules, mountPath: /lib/modules, readOnly: true}]
  volumes: [{name: docker, emptyDir: {}}, {name: modules, hostPath: {path: /lib/modules}}]
YAML
K -n "$NS" wait --for=condition=Ready pod/dind --timeout=120s || { K -n "$NS" describe pod dind | tail -20; exit 1; }
say "privileged pod running"
E() { K -n "$NS" exec dind -- sh -c "$1"; }
for _ in $(seq 30); do E 'docker info >/dev/null 2>&1' && break; sleep 1; done
if ! E 'docker info >/dev/null 2>&1'; then say "STEP 1 FAILED: dockerd did not start; its log:"; E 'tail -25 /var/log/dockerd.log'; exit 2; fi
say "step 1: dockerd runs in the pod: $(E "docker info --format '{{.ServerVersion}} storage={{.Driver}} cgroup={{.CgroupDriver}}/{{.CgroupVersion}}'")"
E 'mkdir -p /tmp/bb/bin && cp /bin/busybox /tmp/bb/bin/ && tar -C /tmp/bb -c . | docker import - probe/bb >/dev/null'
if ! out=$(E 'docker run --rm probe/bb /bin/busybox echo plain-ok 2>&1'); then say "STEP 2 FAILED: a container does not run: $out"; exit 3; fi
say "step 2: a container runs in the pod's engine: $out"
if ! out=$(E 'docker run --rm --privileged probe/bb /bin/busybox echo privileged-ok 2>&1'); then
  say "STEP 3 FAILED: a privileged container (as kind starts its nodes) does not run: $out"
  say "step 3b: restarting the pod's dockerd with runc-capfilter as its default runtime"
  E 'pkill dockerd; sleep 3; dockerd --add-runtime capfilter=/usr/local/bin/runc-capfilter --default-runtime capfilter >/var/log/dockerd.log 2>&1 &'
  for _ in $(seq 30); do E 'docker info >/dev/null 2>&1' && break; sleep 1; done
  if ! out=$(E 'docker run --rm --privileged probe/bb /bin/busybox echo privileged-ok 2>&1'); then say "STEP 3b FAILED: $out"; exit 4; fi
fi
say "step 3: a privileged container runs in the pod's engine: $out"
if [ "${FULL:-0}" = 1 ]; then
  IMG=$(docker images --format '{{.Repository}}:{{.Tag}}' 'ckalab-kind/node' | head -1)
  say "step 4: loading $IMG into the pod's engine and running kind create cluster"
  docker save "$IMG" | K -n "$NS" exec -i dind -- docker load >/dev/null
  E "kind create cluster --name nested --image $IMG --wait 4m 2>&1 | tail -15; docker exec nested-control-plane kubectl get pods -n kube-system 2>&1 | head"
fi
say "done"
