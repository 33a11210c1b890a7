#!/usr/bin/env bash
# Runs ckalab's real-cluster suite (vitest project `kind`) with the real kind CLI:
#   1. kind 0.27 from Debian trixie into a cache directory   (scripts/ci/install-kind.sh)
#   2. the kind node and load-balancer images, cached by recipe (scripts/ci/kind-images.sh)
#   3. privileged containers on the Docker engine              (scripts/ci/kind-runtime.sh install; on a
#      machine that needs the runtime wrapper, only for an engine the tests started, and removed again
#      when this script ends, however it ends)
#   4. npx vitest run --project kind [ARGS…]
# In CI (CI=true) a step that cannot be done fails the run; elsewhere a refused engine change skips the suite
# with the reason and the command that allows it.
set -euo pipefail
cd "$(dirname "$0")/../.."
say() { echo "kind-suite: $*" >&2; }
CI_RUN=0
case "${CI:-}" in true | 1) CI_RUN=1 ;; esac

# jq: the runtime wrapper and kind-runtime.sh read and write JSON with it
if ! command -v jq >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q jq >/dev/null 2>&1 ||
    { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q jq >/dev/null; }
fi
CKALAB_TEST_KIND=$(bash scripts/ci/install-kind.sh)
export CKALAB_TEST_KIND
"$CKALAB_TEST_KIND" version # kind's own version line, in the suite's log
CKALAB_TEST_KIND_NODE_IMAGE=$(bash scripts/ci/kind-images.sh)
export CKALAB_TEST_KIND_NODE_IMAGE

trap 'bash scripts/ci/kind-runtime.sh uninstall --owner $$ || say "could not undo the runtime registration; run: bash scripts/ci/kind-runtime.sh uninstall --owner $$"' EXIT
if ! bash scripts/ci/kind-runtime.sh install "$CKALAB_TEST_KIND_NODE_IMAGE" --owner $$; then
  if [ "$CI_RUN" = 1 ]; then
    say "kind's privileged nodes cannot start on this Docker engine (see above); the real-cluster suite cannot run"
    exit 1
  fi
  say "SKIPPED: kind's privileged nodes cannot start on this Docker engine (see above)"
  exit 0
fi
npx vitest run --project kind "$@"
