#!/usr/bin/env bash
# `npm start`: installs the Node packages on first use, then starts ckalab
# on its embedded default (the simulator when Docker and kind are not usable).
# Options are passed to `ckalab serve` (e.g. npm start -- --port 8080).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "ckalab: installing Node packages (first start only)…" >&2
  npm install --no-audit --no-fund >&2
fi
# Build the browser app when it is missing or older than its sources.
if [ ! -f web/dist/index.html ] || [ -n "$(find web/src web/index.html web/vite.config.ts -newer web/dist/index.html -print -quit 2>/dev/null)" ]; then
  echo "ckalab: building the web app…" >&2
  npx vite build --config web/vite.config.ts --logLevel warn >&2
fi
# Compile the server when it is missing or was built from other sources (a hash of the sources and
# the package lock, kept beside the build): production runs plain JavaScript; `npx ckalab` and the
# tests run the TypeScript through tsx.
node scripts/build-server.mjs --if-stale >&2
exec node simulator/dist/cli/main.js start "$@"
