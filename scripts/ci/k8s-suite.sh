#!/usr/bin/env bash
# Runs the kubernetes driver's suite (vitest project `kubernetes`) against a real Kubernetes 1.20 API server:
#   1. the stand-in lab node image and the kind node lab image, cached by recipe (scripts/ci/k8s-images.sh)
#   2. the ckalab server image from Debian packages, cached by recipe (scripts/ci/ckalab-image.sh)
#   3. npx vitest run --project kubernetes [ARGS…]: its global setup starts the kind-node-1.20 fixture's node on
#      ckalab's own Docker network (ckalab-k8s-net) and removes it at the end
# Unlike the kind suite it needs no privileged containers on the engine. A missing prerequisite (Docker, the
# fixture, an image that does not build) fails the run, in CI and elsewhere.
set -euo pipefail
cd "$(dirname "$0")/../.."
CKALAB_TEST_K8S_LAB_IMAGE=$(bash scripts/ci/k8s-images.sh)
export CKALAB_TEST_K8S_LAB_IMAGE
CKALAB_TEST_K8S_KIND_NODE_IMAGE=$(bash scripts/ci/k8s-images.sh kind-node)
export CKALAB_TEST_K8S_KIND_NODE_IMAGE
bash scripts/ci/ckalab-image.sh >/dev/null
npx vitest run --project kubernetes "$@"
