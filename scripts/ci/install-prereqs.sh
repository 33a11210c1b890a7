#!/usr/bin/env bash
# Installs what ckalab's test suites need on Debian, as root, idempotently:
# Chromium for the browser tests, the Docker engine for the real-cluster
# tests, etcd 3.4 (system), etcd 3.5 and kubectl 1.32/1.36 (unpacked into
# .cache/) for the conformance suites.
set -euo pipefail
cd "$(dirname "$0")/../.."

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v git >/dev/null 2>&1 || need+=(git)
if [ ${#need[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
bash scripts/ci/install-etcd.sh
bash scripts/ci/install-etcd35.sh
bash scripts/ci/install-kubectl.sh
bash scripts/ci/install-docker.sh
