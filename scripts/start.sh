#!/usr/bin/env bash
# `npm start`: installs the Node packages on first use, then starts ckalab
# on its embedded default (the simulator when Docker and kind are not usable).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "ckalab: installing Node packages (first start only)…" >&2
  npm ci --no-audit --no-fund >&2
fi
exec node bin/ckalab.mjs start "$@"
