#!/usr/bin/env bash
# Builds the ckalab server image from Debian packages with no registry, each layer cached by a hash of its recipe:
#   base  ckalab/debian-node:trixie-<hash>   debootstrap trixie (minbase) + deploy/image/packages (Node.js 20)
#   deps  ckalab/ckalab-deps:<hash>          deploy/image/Dockerfile.deps: the production node_modules (per lock file)
#   app   ckalab/ckalab:<version>-<hash>     deploy/image/Dockerfile: this checkout's compiled server, web app, labs
#   usage: ckalab-image.sh      prints the app image's tag on stdout; progress on stderr. Run as root (debootstrap).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT="$PWD"
say() { echo "ckalab-image: $*" >&2; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

# --- base: Debian trixie with Node.js, from Debian's packages
mapfile -t pkgs < <(grep -v '^#' deploy/image/packages | grep .)
base_hash=$(cat deploy/image/packages | sha256sum | cut -c1-10)
BASE="ckalab/debian-node:trixie-$base_hash"
if docker image inspect "$BASE" >/dev/null 2>&1; then
  say "base image $BASE (cached)"
else
  command -v debootstrap >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
  MIRROR=$({ cat /etc/apt/sources.list /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list 2>/dev/null || true; } |
    grep -oE 'https?://[^[:space:]]+/debian/?([[:space:]]|$)' | head -1 | tr -d '[:space:]' || true)
  [ -n "$MIRROR" ] || { say "no Debian mirror found in the apt sources"; exit 1; }
  say "building base image $BASE: debootstrap trixie with ${pkgs[*]} from $MIRROR (about 2 min, once)"
  R="$WORK/rootfs"
  debootstrap --variant=minbase --include="$(IFS=,; echo "${pkgs[*]}")" trixie "$R" "$MIRROR" >"$WORK/debootstrap.log" 2>&1 ||
    { tail -20 "$WORK/debootstrap.log" >&2; say "debootstrap failed"; exit 1; }
  rm -rf "$R"/usr/share/doc/* "$R"/usr/share/man/* "$R"/usr/share/locale/* "$R"/var/cache/apt/* "$R"/var/lib/apt/lists/*
  (cd "$R" && tar -c .) | docker import -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' - "$BASE" >/dev/null
fi

# --- deps: the production packages, rebuilt when the lock file changes
deps_hash=$({
  docker image inspect -f '{{.Id}}' "$BASE"
  cat deploy/image/Dockerfile.deps package.json package-lock.json
} | sha256sum | cut -c1-10)
DEPS="ckalab/ckalab-deps:$deps_hash"
if docker image inspect "$DEPS" >/dev/null 2>&1; then
  say "packages image $DEPS (cached)"
else
  say "building packages image $DEPS"
  mkdir -p "$WORK/deps"
  cp -a package.json package-lock.json node_modules "$WORK/deps/"
  # production packages only, from the lock file (no registry needed)
  (cd "$WORK/deps" && npm prune --omit=dev --offline --no-audit --no-fund >/dev/null 2>&1) || say "npm prune failed; keeping every package"
  cp deploy/image/Dockerfile.deps "$WORK/deps/Dockerfile"
  rm -f "$WORK/deps/package.json" "$WORK/deps/package-lock.json"
  DOCKER_BUILDKIT=0 docker build -q --build-arg BASE="$BASE" --label io.ckalab.recipe="$deps_hash" -t "$DEPS" "$WORK/deps" >/dev/null
  docker images --format '{{.Repository}}:{{.Tag}}' ckalab/ckalab-deps | grep -vx "$DEPS" | xargs -r docker rmi >/dev/null 2>&1 || true
fi

# --- app: this checkout's sources decide the hash
app_hash=$({
  docker image inspect -f '{{.Id}}' "$DEPS"
  cat deploy/image/Dockerfile scripts/build-server.mjs
  git ls-files -s simulator/src labs web bin 2>/dev/null
  git diff HEAD -- simulator/src labs web bin 2>/dev/null
} | sha256sum | cut -c1-10)
VERSION=$(node -p 'require("./package.json").version')
TAG="ckalab/ckalab:$VERSION-$app_hash"
if docker image inspect "$TAG" >/dev/null 2>&1; then
  say "image $TAG (cached)"
  echo "$TAG"
  exit 0
fi
say "building $TAG"
node scripts/build-server.mjs >&2
npx vite build --config web/vite.config.ts --logLevel warn >&2
A="$WORK/ctx/app"
mkdir -p "$A/simulator" "$A/web"
cp -a package.json bin labs "$A/"
cp -a simulator/dist "$A/simulator/"
cp -a web/dist "$A/web/"
cp deploy/image/Dockerfile "$WORK/ctx/"
DOCKER_BUILDKIT=0 docker build -q --build-arg DEPS="$DEPS" --label io.ckalab.recipe="$app_hash" -t "$TAG" "$WORK/ctx" >/dev/null
say "built $TAG ($(docker image inspect -f '{{.Size}}' "$TAG" | awk '{printf "%d MB", $1/1e6}'))"
# earlier builds of this version are replaced, not kept
docker images --format '{{.Repository}}:{{.Tag}}' ckalab/ckalab | grep -E "^ckalab/ckalab:$VERSION-[0-9a-f]{10}\$" |
  grep -vx "$TAG" | xargs -r docker rmi >/dev/null 2>&1 || true
echo "$TAG"
