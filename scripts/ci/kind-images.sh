#!/usr/bin/env bash
# Builds the images the real kind CLI needs for ckalab's real-cluster suite on a machine with no registry,
# each cached by a hash of its recipe (the recipe folder's files and modes, plus the base image's id):
#   node  ckalab-kind/node:v1.20.2-<hash>       test/kind/images/node on the kind-node-1.20 fixture's
#                                               ckalab-test/node:v1.20.2 (built first when missing, ~2-3 min)
#   lb    kindest/haproxy:v20230606-42a2262b     kind 0.27's load balancer image for three control planes:
#                                               pulled when a registry answers; otherwise built from
#                                               test/kind/images/lb and Debian 12's haproxy (also tagged
#                                               ckalab-kind/haproxy:<hash>). A pulled (real) image is never
#                                               replaced.
#   usage: kind-images.sh        prints the node image's tag on stdout; progress on stderr
# Settings: CKALAB_KIND_FIXTURE (the kind-node-1.20 fixture folder), CKALAB_TEST_NODE_IMAGE (its base image).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT="$PWD"
RECIPES="$ROOT/test/kind/images"
BASE="${CKALAB_TEST_NODE_IMAGE:-ckalab-test/node:v1.20.2}"
LB_IMAGE=kindest/haproxy:v20230606-42a2262b
say() { echo "kind-images: $*" >&2; }

fail() { # $1 = what failed, $2 = log file
  say "$1; last lines:"
  tail -n 15 "$2" | sed 's/^/  /' >&2
  say "nothing was tagged; fix the cause and retry: bash scripts/ci/kind-images.sh"
  exit 1
}

recipe_hash() { # $1 = recipe folder, $2 = base image id
  {
    echo "$2"
    (cd "$1" && find . -type f | LC_ALL=C sort | while read -r f; do
      echo "$f $(stat -c %a "$f")"
      cat "$f"
    done)
  } | sha256sum | cut -c1-10
}

label_of() { docker image inspect -f '{{index .Config.Labels "io.ckalab.recipe"}}' "$1" 2>/dev/null || true; }

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# --- the fixture's base node image (its own script caches it by name)
if ! docker image inspect "$BASE" >/dev/null 2>&1; then
  FIXTURE="${CKALAB_KIND_FIXTURE:-}"
  if [ -z "$FIXTURE" ]; then
    for d in "$ROOT/../shared/fixtures/kind-node-1.20" /work/shared/fixtures/kind-node-1.20; do
      [ -d "$d" ] && FIXTURE="$d" && break
    done
  fi
  [ -n "$FIXTURE" ] && [ -x "$FIXTURE/build-node-image.sh" ] || {
    say "the base node image $BASE is missing and the kind-node-1.20 fixture was not found; set CKALAB_KIND_FIXTURE to its folder"
    exit 1
  }
  say "building the base node image $BASE with $FIXTURE/build-node-image.sh (about 3 min, once)"
  CKALAB_TEST_NODE_IMAGE="$BASE" "$FIXTURE/build-node-image.sh" >"$WORK/base.log" 2>&1 ||
    fail "building the base node image $BASE failed" "$WORK/base.log"
fi
base_id=$(docker image inspect -f '{{.Id}}' "$BASE")

# --- kind node image
node_hash=$(recipe_hash "$RECIPES/node" "$base_id")
NODE="ckalab-kind/node:v1.20.2-$node_hash"
if docker image inspect "$NODE" >/dev/null 2>&1; then
  say "node image $NODE (cached)"
else
  say "building node image $NODE"
  DOCKER_BUILDKIT=0 docker build --build-arg BASE="$BASE" --label io.ckalab.recipe="$node_hash" \
    -t "$NODE" "$RECIPES/node" >"$WORK/node.log" 2>&1 || fail "building the node image $NODE failed" "$WORK/node.log"
fi

# --- kind's load balancer image
lb_hash=$(recipe_hash "$RECIPES/lb" "$base_id")
have=$(label_of "$LB_IMAGE")
if docker image inspect "$LB_IMAGE" >/dev/null 2>&1 && [ -z "$have" ]; then
  say "load balancer image $LB_IMAGE (kind's own, present)"
elif [ "$have" = "$lb_hash" ]; then
  say "load balancer image $LB_IMAGE = ckalab-kind/haproxy:$lb_hash (cached)"
elif [ -z "$have" ] && timeout 120 docker pull -q "$LB_IMAGE" >"$WORK/pull.log" 2>&1; then
  say "load balancer image $LB_IMAGE pulled"
else
  say "building load balancer image ckalab-kind/haproxy:$lb_hash for $LB_IMAGE (no registry: $(tail -n 1 "$WORK/pull.log" 2>/dev/null | cut -c1-120))"
  mkdir -p "$WORK/lb/root" "$WORK/debs"
  mapfile -t pkgs < <(grep -v '^#' "$RECIPES/lb/packages" | grep .)
  # a fresh machine may have no package lists yet: read them once (as root) and try again
  (cd "$WORK/debs" && apt-get download "${pkgs[@]}") >"$WORK/apt.log" 2>&1 ||
    { [ "$(id -u)" = 0 ] && apt-get update -q >>"$WORK/apt.log" 2>&1 && (cd "$WORK/debs" && apt-get download "${pkgs[@]}") >>"$WORK/apt.log" 2>&1; } ||
    fail "apt-get download ${pkgs[*]} (Debian's haproxy for the load balancer) failed; when apt's lists are missing, run apt-get update first" "$WORK/apt.log"
  for d in "$WORK"/debs/*.deb; do dpkg -x "$d" "$WORK/lb/root"; done
  rm -rf "$WORK/lb/root/etc/init.d" "$WORK/lb/root/lib" "$WORK/lb/root/usr/share/doc" "$WORK/lb/root/usr/share/man"
  # the base is usrmerged (/bin -> usr/bin …): a real directory there would replace the symlink
  for d in bin sbin lib lib64; do
    if [ -e "$WORK/lb/root/$d" ]; then
      echo "unexpected /$d in the packages: ${pkgs[*]}" >"$WORK/apt.log"
      fail "the haproxy packages changed shape" "$WORK/apt.log"
    fi
  done
  cp "$RECIPES/lb/Dockerfile" "$RECIPES/lb/haproxy.cfg" "$RECIPES/lb/entrypoint" "$WORK/lb/"
  DOCKER_BUILDKIT=0 docker build --build-arg BASE="$BASE" --label io.ckalab.recipe="$lb_hash" \
    -t "ckalab-kind/haproxy:$lb_hash" "$WORK/lb" >"$WORK/lb.log" 2>&1 ||
    fail "building the load balancer image failed" "$WORK/lb.log"
  docker tag "ckalab-kind/haproxy:$lb_hash" "$LB_IMAGE"
fi
echo "$NODE"
