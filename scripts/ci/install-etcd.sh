#!/usr/bin/env bash
# Installs the real etcd 3.4 server and client (Debian's etcd-server and
# etcd-client) plus openssl, for the etcd conformance suite. Idempotent: does
# nothing when etcd, etcdctl and openssl are already on PATH.
#
# Debian's package ships an etcd service that would listen on 127.0.0.1:2379.
# The suite starts its own etcd on free ports, so the packaged service is kept
# from starting (policy-rc.d during the install) and disabled afterwards.
set -euo pipefail

have_all() {
  command -v etcd >/dev/null 2>&1 && command -v etcdctl >/dev/null 2>&1 && command -v openssl >/dev/null 2>&1
}

stop_packaged_service() {
  # systemd may not run here (containers); try it, then make sure no packaged
  # etcd daemon is left running. Only the Debian service's own process is
  # targeted: its pid file or an etcd started from /var/lib/etcd/default.
  if command -v systemctl >/dev/null 2>&1; then
    if [ -d /run/systemd/system ]; then
      systemctl disable --now etcd >/dev/null 2>&1 || true
    else
      # Without a running systemd, disable still removes the boot-time link.
      systemctl disable etcd >/dev/null 2>&1 || true
    fi
  fi
  if command -v update-rc.d >/dev/null 2>&1 && [ -e /etc/init.d/etcd ]; then
    /etc/init.d/etcd stop >/dev/null 2>&1 || true
    update-rc.d etcd disable >/dev/null 2>&1 || true
  fi
  local pids
  pids=$(pgrep -u etcd -x etcd 2>/dev/null || true)
  if [ -n "$pids" ]; then
    # shellcheck disable=SC2086
    kill $pids 2>/dev/null || true
  fi
}

if have_all; then
  echo "install-etcd: etcd $(etcd --version 2>/dev/null | head -n1 | awk '{print $3}') and etcdctl already installed"
  stop_packaged_service
  exit 0
fi

if [ "$(id -u)" != "0" ]; then
  echo "install-etcd: etcd/etcdctl/openssl missing and not root; run as root: sudo bash $0" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-etcd: apt-get not found; install etcd 3.4 (etcd, etcdctl) and openssl by hand" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
# Refuse service starts during the install (exit 101 = action forbidden).
policy=/usr/sbin/policy-rc.d
created_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' >"$policy"
  chmod 755 "$policy"
  created_policy=1
fi
cleanup() { if [ "$created_policy" = 1 ]; then rm -f "$policy"; fi; }
trap cleanup EXIT

apt-get update -q
apt-get install -y -q --no-install-recommends etcd-server etcd-client openssl

stop_packaged_service

if ! have_all; then
  echo "install-etcd: install finished but etcd/etcdctl/openssl are still not on PATH" >&2
  exit 1
fi
echo "install-etcd: installed etcd $(etcd --version | head -n1 | awk '{print $3}')"
