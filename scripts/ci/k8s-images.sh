#!/usr/bin/env bash
# Builds the stand-in lab node image of the kubernetes driver's suite on a machine with no registry, cached by a
# hash of its recipe (test/kubernetes/images/lab-node: files and modes, plus the base images' ids):
#   ckalab-k8s/lab-node:v1.20.2-<hash>   on the kind-node-1.20 fixture's ckalab-test/node:v1.20.2 (built first
#                                        when missing, ~2-3 min) and its etcd image (Debian's etcd 3.4)
#   usage: k8s-images.sh        prints the tag on stdout; progress on stderr
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT="$PWD"
RECIPE="$ROOT/test/kubernetes/images/lab-node"
BASE="${CKALAB_TEST_NODE_IMAGE:-ckalab-test/node:v1.20.2}"
ETCD=k8s.gcr.io/etcd:3.4.13-0
say() { echo "k8s-images: $*" >&2; }

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
  (cd "$RECIPE" && find . -type f | LC_ALL=C sort | while read -r f; do
    echo "$f $(stat -c %a "$f")"
    cat "$f"
  done)
} | sha256sum | cut -c1-10)
TAG="ckalab-k8s/lab-node:v1.20.2-$hash"
if docker image inspect "$TAG" >/dev/null 2>&1; then
  say "lab node image $TAG (cached)"
else
  say "building lab node image $TAG"
  LOG=$(mktemp)
  DOCKER_BUILDKIT=0 docker build --build-arg BASE="$BASE" --build-arg ETCD="$ETCD" --label io.ckalab.recipe="$hash" \
    -t "$TAG" "$RECIPE" >"$LOG" 2>&1 || { tail -n 15 "$LOG" >&2; say "building $TAG failed"; rm -f "$LOG"; exit 1; }
  rm -f "$LOG"
fi
echo "$TAG"
