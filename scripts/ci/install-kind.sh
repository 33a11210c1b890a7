#!/usr/bin/env bash
# Installs the real kind CLI for the real-cluster suite: Debian trixie's package `kind` (0.27.0, a static
# Go binary), extracted into a cache directory. The machine's own apt sources, lists and package cache are
# not touched: a private source list, lists and cache directory under $CACHE/apt, then `apt-get download`
# and `dpkg -x`. Nothing is installed into the system.
#   usage: install-kind.sh        prints the kind binary's path on stdout; progress and `kind version` on stderr
# Settings: CKALAB_KIND_CACHE (default /var/cache/ckalab-kind), CKALAB_KIND_SUITE (default trixie; sid has
# 0.33), CKALAB_KIND_WANT (a prefix `kind version` must show, default v0.27. for trixie, empty to accept any).
# Idempotent: a cached binary that answers `kind version` with the wanted version is reused (no network).
set -euo pipefail

CACHE="${CKALAB_KIND_CACHE:-/var/cache/ckalab-kind}"
SUITE="${CKALAB_KIND_SUITE:-trixie}"
if [ -z "${CKALAB_KIND_WANT+x}" ]; then
  case "$SUITE" in trixie) WANT=v0.27. ;; *) WANT="" ;; esac
else
  WANT="$CKALAB_KIND_WANT"
fi
BIN="$CACHE/$SUITE/bin/kind"
say() { echo "install-kind: $*" >&2; }

usable() {
  local v
  v=$("$BIN" version 2>/dev/null) || return 1
  case "$v" in "kind $WANT"*) return 0 ;; *) return 1 ;; esac
}

if [ -x "$BIN" ] && usable; then
  say "$("$BIN" version) (cached at $BIN)"
  echo "$BIN"
  exit 0
fi

for tool in apt-get dpkg; do
  command -v "$tool" >/dev/null 2>&1 || {
    say "$tool is missing: this script needs Debian's apt; install kind ${WANT:-0.27} by hand and set CKALAB_TEST_KIND to it"
    exit 1
  }
done

mkdir -p "$CACHE"
exec 9>"$CACHE/.install-kind.lock"
flock -w 600 9 || { say "another install-kind.sh holds $CACHE/.install-kind.lock; retry when it ends"; exit 1; }
if [ -x "$BIN" ] && usable; then # installed by the run we waited for
  echo "$BIN"
  exit 0
fi

# the Debian mirror this machine's apt already uses (deb822 or one-line sources)
MIRROR=$({ cat /etc/apt/sources.list.d/*.sources /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null || true; } |
  grep -oE 'https?://[^[:space:]]+/debian/?([[:space:]]|$)' | head -1 | tr -d '[:space:]' || true)
MIRROR="${CKALAB_KIND_MIRROR:-${MIRROR:-http://deb.debian.org/debian}}"
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
[ -r "$KEYRING" ] || { say "$KEYRING is missing; install debian-archive-keyring (it holds the trixie signing keys)"; exit 1; }

APTDIR="$CACHE/apt/$SUITE"
mkdir -p "$APTDIR/lists/partial" "$APTDIR/cache/archives/partial"
echo "deb [signed-by=$KEYRING] $MIRROR $SUITE main" >"$APTDIR/sources.list"
APT=(apt-get -q
  -o "Dir::Etc::sourcelist=$APTDIR/sources.list" -o Dir::Etc::sourceparts=-
  -o "Dir::State::Lists=$APTDIR/lists" -o "Dir::Cache=$APTDIR/cache"
  -o APT::Get::List-Cleanup=0)

WORK=$(mktemp -d "$CACHE/install-kind.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
say "reading Debian $SUITE's package lists from $MIRROR (private lists in $APTDIR)"
if ! "${APT[@]}" update >"$WORK/update.log" 2>&1; then
  say "apt-get update for $SUITE failed; last lines:"
  tail -n 5 "$WORK/update.log" >&2
  say "check that $MIRROR is reachable (or set CKALAB_KIND_MIRROR), then run: bash $0"
  exit 1
fi
if ! (cd "$WORK" && "${APT[@]}" download kind >"$WORK/download.log" 2>&1); then
  say "apt-get download kind from $SUITE failed; last lines:"
  tail -n 5 "$WORK/download.log" >&2
  say "retry: bash $0"
  exit 1
fi
deb=$(ls "$WORK"/kind_*.deb)
say "extracting $(basename "$deb")"
dpkg -x "$deb" "$WORK/x"
mkdir -p "$(dirname "$BIN")"
install -m 755 "$WORK/x/usr/bin/kind" "$BIN.new"
mv "$BIN.new" "$BIN"
if ! usable; then
  say "the extracted binary says '$("$BIN" version 2>&1 | head -n1)', not kind ${WANT}…; set CKALAB_KIND_SUITE or CKALAB_KIND_WANT"
  exit 1
fi
say "$("$BIN" version) installed at $BIN"
echo "$BIN"
