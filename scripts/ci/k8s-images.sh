#!/usr/bin/env bash
# Builds the lab node images of the kubernetes driver's suite on a machine with no registry, each cached by a
# hash of its recipe (files and modes, plus the base images' ids):
#   k8s-images.sh             ckalab-k8s/lab-node:v1.20.2-<hash>   the stand-in (test/kubernetes/images/lab-node):
#                                                                 etcd run by PID 1, no apiserver or kubelet
#   k8s-images.sh kind-node   ckalab-k8s/kind-node:v1.20.2-<hash>  a kind node run as a privileged pod, with a
#                                                                 real control plane (test/kubernetes/images/
#                                                                 kind-node + test/kind/images/node's node files)
# Both stand on the kind-node-1.20 fixture's ckalab-test/node:v1.20.2 (built first when missing, ~2-3 min) and
# its etcd image (Debian's etcd 3.4). Prints the tag on stdout; progress on stderr.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT="$PWD"
WHAT="${1:-lab-node}"
BASE="${CKALAB_TEST_NODE_IMAGE:-ckalab-test/node:v1.20.2}"
ETCD=k8s.gcr.io/etcd:3.4.13-0
say() { echo "k8s-images: $*" >&2; }

case "$WHAT" in
  lab-node) RECIPES=("$ROOT/test/kubernetes/images/lab-node") ;;
  # the kind node's own files come from the real-cluster suite's recipe, under kind/ in the build context
  kind-node) RECIPES=("$ROOT/test/kubernetes/images/kind-node" "$ROOT/test/kind/images/node") ;;
  *) say "unknown image '$WHAT': lab-node or kind-node"; exit 2 ;;
esac

if ! docker image inspect "$BASE" >/dev/null 2>&1 || ! docker image inspect "$ETCD" >/dev/null 2>&1; then
  FIXTURE="${CKALAB_KIND_FIXTURE:-}"
  if [ -z "$FIXTURE" ]; then
    for d in "$ROOT/../shared/fixtures/kind-node-1.20" /work/shared/fixtures/kind-node-1.20; do
      [ -d "$d" ] && FIXTURE="$d" && break
    done
  fi
  [ -n "$FIXTURE" ] && [ -x "$FIXTURE/build-node-image.sh" ] || {
    say "the base image $BASE is missing and the kind-node-1.20 fixture was not found; set CKALAB_KIND_FIXTURE to its folder"
    exit 1
  }
  say "building the base node image $BASE with $FIXTURE/build-node-image.sh --force (about 3 min, once)"
  CKALAB_TEST_NODE_IMAGE="$BASE" "$FIXTURE/build-node-image.sh" --force >&2
fi

hash=$({
  docker image inspect -f '{{.Id}}' "$BASE" "$ETCD"
  for r in "${RECIPES[@]}"; do
    (cd "$r" && find . -type f | LC_ALL=C sort | while read -r f; do
      echo "$f $(stat -c %a "$f")"
      cat "$f"
    done)
  done
} | sha256sum | cut -c1-10)
TAG="ckalab-k8s/$WHAT:v1.20.2-$hash"
if docker image inspect "$TAG" >/dev/null 2>&1; then
  say "$WHAT image $TAG (cached)"
  echo "$TAG"
  exit 0
fi
say "building $WHAT image $TAG"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cp -a "${RECIPES[0]}/." "$WORK/ctx"
[ "${#RECIPES[@]}" = 1 ] || cp -a "${RECIPES[1]}/." "$WORK/ctx/kind"
DOCKER_BUILDKIT=0 docker build --build-arg BASE="$BASE" --build-arg ETCD="$ETCD" --label io.ckalab.recipe="$hash" \
  -t "$TAG" "$WORK/ctx" >"$WORK/log" 2>&1 || { tail -n 15 "$WORK/log" >&2; say "building $TAG failed"; exit 1; }
echo "$TAG"
