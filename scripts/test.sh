#!/usr/bin/env bash
# Runs every ckalab test suite. On a fresh Debian machine, run as root, it
# first installs what the suites need (Node packages, Chromium, the Docker
# engine, etcd 3.4 and 3.5, kubectl 1.32 and 1.36 for the conformance suites). In CI (CI=true) a missing
# prerequisite fails the run; nothing is skipped.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s (%s)\n' "$1" "$(date -u +%H:%M:%S)"; }

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  step "system prerequisites"
  bash scripts/ci/install-prereqs.sh
fi

# `npm install`, not `npm ci`: the lock file is written without registry
# addresses, and npm ci then refuses it over other platforms' optional packages.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  step "npm install"
  npm install --no-audit --no-fund
fi

# The real-cluster suite builds its kind node image on the shared kind-node fixture's. It sits
# beside the checkout (../shared); a clone elsewhere finds it at /work/shared.
if [ -z "${CKALAB_KIND_FIXTURE:-}" ]; then
  for dir in "$PWD/../shared/fixtures/kind-node-1.20" /work/shared/fixtures/kind-node-1.20; do
    if [ -d "$dir" ]; then export CKALAB_KIND_FIXTURE="$(cd "$dir" && pwd)"; break; fi
  done
fi

# The two real-cluster suites (Docker, real kind, a real Kubernetes API server) take most of the run's
# time and mostly wait on containers, so they run in a second lane beside the in-process suites; their
# lines are prefixed with [clusters]. Either lane failing fails the run.
clusters_lane() {
  step "real clusters (the real kind CLI on Docker)"
  bash scripts/ci/kind-suite.sh
  step "Kubernetes driver, manifests and ckalab image (a real Kubernetes 1.20 API server on Docker)"
  bash scripts/ci/k8s-suite.sh
}
if [ "${CKALAB_TEST_SERIAL:-0}" = 1 ]; then
  clusters_pid=""
else
  step "starting the real-cluster lane in the background"
  ( set -o pipefail; clusters_lane 2>&1 | sed -u 's/^/[clusters] /' ) &
  clusters_pid=$!
  # A failure in the first lane must not leave the second one running: stop it, its children first
  # (each suite's own exit trap then removes what it started).
  stop_tree() { local c; for c in $(pgrep -P "$1" 2>/dev/null); do stop_tree "$c"; done; kill "$1" 2>/dev/null || true; }
  trap '[ -n "$clusters_pid" ] && stop_tree "$clusters_pid"' EXIT
fi

step "typecheck and the import rules between folders"
npx tsc -p tsconfig.json --noEmit
node scripts/check-deps.mjs

step "lint and format"
npx biome check .

step "unit tests and cross-boundary suites"
npx vitest run --project unit --project suites

step "etcd 3.4, 3.5 and kubectl conformance (real etcd and kubectl against the simulator)"
npx vitest run --project conformance

step "web build"
npx vite build --config web/vite.config.ts --logLevel warn

step "static build (ckalab in the browser alone)"
npm run --silent build:static
# The static suite (test/e2e/static.test.ts) tests this build rather than making its own.
export CKALAB_STATIC_DIR="$PWD/dist/static"

step "browser end to end (Chromium)"
npx vitest run --project e2e

if [ -z "$clusters_pid" ]; then
  clusters_lane
else
  step "waiting for the real-cluster lane"
  pid=$clusters_pid
  clusters_pid=""
  wait "$pid"
fi

step "all suites passed"
