#!/usr/bin/env bash
# Puts the real etcd 3.5 (etcd, etcdctl, etcdutl from Debian trixie's
# etcd-server and etcd-client 3.5.16) into the project's test cache, for the
# etcd 3.5 conformance suite. Nothing is installed system-wide: the system's
# etcd 3.4 stays, the 3.4 suite uses it. The packages come from a private apt
# source list and are unpacked with dpkg -x, so the machine's own apt
# sources, package database and services are untouched.
#
#   bash scripts/ci/install-etcd35.sh        # into .cache/etcd-3.5.16 (or $CKALAB_ETCD35_DIR)
#
# Idempotent: does nothing when the three binaries are already there.
set -euo pipefail
cd "$(dirname "$0")/../.."

version=3.5.16
dest="${CKALAB_ETCD35_DIR:-$PWD/.cache/etcd-$version}"
bin="$dest/usr/bin"

have_all() {
  for b in etcd etcdctl etcdutl; do [ -x "$bin/$b" ] || return 1; done
  # Taken whole before matching: `| grep -q` under pipefail fails at random
  # when grep exits before etcdctl writes its second line (SIGPIPE).
  local out
  out="$("$bin/etcdctl" version 2>/dev/null)" || return 1
  [[ "$out" == *"etcdctl version: $version"* ]]
}

if have_all; then
  echo "install-etcd35: etcd $version already in $dest"
  exit 0
fi
for tool in apt-get dpkg; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "install-etcd35: $tool not found; unpack Debian trixie's etcd-server and etcd-client $version into $dest by hand" >&2
    exit 1
  fi
done

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/lists/partial" "$work/debs"
echo "deb http://deb.debian.org/debian trixie main" >"$work/sources.list"
apt_opts=(
  -o "Dir::Etc::sourcelist=$work/sources.list"
  -o "Dir::Etc::sourceparts=-"
  -o "Dir::State::Lists=$work/lists"
  -o "Debug::NoLocking=1"
  -o "APT::Sandbox::User=$(id -un)"
)
apt-get "${apt_opts[@]}" -q update >/dev/null
(cd "$work/debs" && apt-get "${apt_opts[@]}" -q download "etcd-server=$version-*" "etcd-client=$version-*" >/dev/null)
mkdir -p "$dest"
for deb in "$work"/debs/*.deb; do dpkg -x "$deb" "$dest"; done

if ! have_all; then
  echo "install-etcd35: unpacked the packages but $bin has no working etcd/etcdctl/etcdutl $version" >&2
  exit 1
fi
echo "install-etcd35: etcd $version unpacked into $dest"
