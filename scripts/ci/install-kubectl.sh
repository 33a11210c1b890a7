#!/usr/bin/env bash
# Puts two real kubectl clients into the project's test cache, for the kubectl
# conformance suite: 1.32 from Debian trixie and 1.36 from Debian sid (both the
# `kubectl` package; trixie's `kubernetes-client` is only an empty package
# that depends on it). Nothing is installed system-wide: the packages come
# from a private apt source list and are unpacked with dpkg -x, so the
# machine's own apt sources, package database and services are untouched.
#
#   bash scripts/ci/install-kubectl.sh   # into .cache/kubectl-<suite> (or $CKALAB_KUBECTL_CACHE/kubectl-<suite>)
#
# Idempotent: a suite whose binary already answers `version --client` is left alone.
set -euo pipefail
cd "$(dirname "$0")/../.."

cache="${CKALAB_KUBECTL_CACHE:-$PWD/.cache}"

for tool in apt-get dpkg; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "install-kubectl: $tool not found; unpack Debian trixie's and sid's kubectl packages into $cache/kubectl-trixie and $cache/kubectl-sid by hand" >&2
    exit 1
  fi
done

# Whether $1 is a kubectl whose client version is $2.x. The output is taken
# whole before it is matched: `kubectl version | grep -q` under pipefail fails
# at random when grep exits before kubectl writes its second line (SIGPIPE).
is_kubectl() {
  local out
  [ -x "$1" ] || return 1
  out="$("$1" version --client 2>/dev/null)" || return 1
  [[ "$out" == *"Client Version: v$2."* ]]
}

# suite and the minor version its kubectl package carries
for pair in trixie:1.32 sid:1.36; do
  suite="${pair%%:*}"
  minor="${pair#*:}"
  dest="$cache/kubectl-$suite"
  bin="$dest/usr/bin/kubectl"
  if is_kubectl "$bin" "$minor"; then
    echo "install-kubectl: kubectl $minor already in $dest"
    continue
  fi
  work="$(mktemp -d)"
  mkdir -p "$work/lists/partial" "$work/debs"
  echo "deb http://deb.debian.org/debian $suite main" >"$work/sources.list"
  apt_opts=(
    -o "Dir::Etc::sourcelist=$work/sources.list"
    -o "Dir::Etc::sourceparts=-"
    -o "Dir::State::Lists=$work/lists"
    -o "Debug::NoLocking=1"
    -o "APT::Sandbox::User=$(id -un)"
  )
  apt-get "${apt_opts[@]}" -q update >/dev/null
  # The version is named: a kubectl from another source installed on the
  # machine (e.g. Google's 1:528.x) would otherwise be apt's candidate.
  version="$(apt-cache "${apt_opts[@]}" madison kubectl | awk -v m="$minor" '$3 ~ "^" m "\\." {print $3; exit}')"
  if [ -z "$version" ]; then
    echo "install-kubectl: Debian $suite lists no kubectl $minor.x (apt-cache madison kubectl)" >&2
    exit 1
  fi
  (cd "$work/debs" && apt-get "${apt_opts[@]}" -q download "kubectl=$version" >/dev/null)
  rm -rf "$dest"
  mkdir -p "$dest"
  for deb in "$work"/debs/*.deb; do dpkg -x "$deb" "$dest"; done
  rm -rf "$work"
  if ! is_kubectl "$bin" "$minor"; then
    echo "install-kubectl: unpacked Debian $suite's kubectl but $bin is not a working kubectl $minor" >&2
    exit 1
  fi
  echo "install-kubectl: kubectl $minor unpacked into $dest"
done
