#!/usr/bin/env bash
# Makes a Docker engine available for ckalab's kind driver tests. Idempotent:
#   1. when `docker info` already answers, does nothing;
#   2. as root on Debian, installs docker.io when dockerd is missing;
#   3. starts dockerd in the background (log: $CKALAB_DOCKERD_LOG, default
#      /var/log/ckalab-dockerd.log) when no daemon answers;
#   4. waits until `docker info` works (up to $CKALAB_DOCKER_WAIT seconds, default 60).
# Exit code 0 means the engine answers; anything else prints what to do.
set -euo pipefail

LOG="${CKALAB_DOCKERD_LOG:-/var/log/ckalab-dockerd.log}"
WAIT="${CKALAB_DOCKER_WAIT:-60}"

engine_up() { docker info >/dev/null 2>&1; }

if command -v docker >/dev/null 2>&1 && engine_up; then
  echo "install-docker: Docker engine already running ($(docker version -f '{{.Server.Version}}' 2>/dev/null))"
  exit 0
fi

if ! command -v dockerd >/dev/null 2>&1; then
  if [ "$(id -u)" != "0" ]; then
    echo "install-docker: no Docker engine (dockerd) and not root; install Docker, or run: sudo bash $0" >&2
    exit 1
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-docker: apt-get not found; install a Docker engine by hand (https://docs.docker.com/engine/install/)" >&2
    exit 1
  fi
  echo "install-docker: installing Debian's docker.io"
  export DEBIAN_FRONTEND=noninteractive
  # A container has no init system to start the packaged service; keep the
  # package scripts from trying (exit 101 = action forbidden), start it below.
  policy=/usr/sbin/policy-rc.d
  created_policy=0
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' >"$policy"
    chmod 755 "$policy"
    created_policy=1
  fi
  cleanup() { if [ "$created_policy" = 1 ]; then rm -f "$policy"; fi; }
  trap cleanup EXIT
  # another apt run (a parallel CI step) may hold the dpkg lock: wait for it
  APT=(apt-get -o DPkg::Lock::Timeout=600 -y -q)
  "${APT[@]}" install docker.io >/dev/null 2>&1 || { "${APT[@]}" update >/dev/null && "${APT[@]}" install docker.io; }
fi

if ! command -v docker >/dev/null 2>&1; then
  echo "install-docker: the docker client is missing after the install; check 'apt-get install docker.io'" >&2
  exit 1
fi

if ! pgrep -x dockerd >/dev/null 2>&1; then
  if [ "$(id -u)" != "0" ]; then
    echo "install-docker: the Docker daemon is not running and starting it needs root; run: sudo bash $0" >&2
    exit 1
  fi
  echo "install-docker: starting dockerd (log: $LOG)"
  mkdir -p "$(dirname "$LOG")"
  # setsid: the daemon outlives this script and the test run that called it
  setsid dockerd >>"$LOG" 2>&1 </dev/null &
fi

for _ in $(seq "$WAIT"); do
  if engine_up; then
    echo "install-docker: Docker engine $(docker version -f '{{.Server.Version}}' 2>/dev/null) is up"
    exit 0
  fi
  sleep 1
done
echo "install-docker: dockerd did not answer within ${WAIT}s; last lines of $LOG:" >&2
tail -n 20 "$LOG" >&2 || true
exit 1
