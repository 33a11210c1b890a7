#!/usr/bin/env bash
# Makes `docker run --privileged` work for the real kind CLI on this Docker engine, and undoes it.
#   kind-runtime.sh check IMAGE               exit 0 when a privileged container of IMAGE starts now
#   kind-runtime.sh install IMAGE [--owner T] make it start: nothing to do on a normal machine; on a machine whose
#                                             capability bounding set lacks a capability Docker asks for, register
#                                             scripts/ci/kind/runc-capfilter as the engine's default runtime
#   kind-runtime.sh uninstall [--owner T]     undo what install did, once no other owner needs it
#   kind-runtime.sh status                    what is registered, and by whom
#
# The runtime is registered through /etc/docker/daemon.json ("runtimes" + "default-runtime", backed up first)
# and a SIGHUP reload of dockerd: both keys are live-reloadable, so running containers are not touched and no
# restart is needed. It changes the runtime of every container created while it is installed.
#
# Whose engine: this script only changes an engine that ckalab's tests started themselves
# (scripts/ci/install-docker.sh runs dockerd with its output in $CKALAB_DOCKERD_LOG), or any engine when asked
# with CKALAB_KIND_RUNTIME=install. An engine the user configured is never changed otherwise.
#
# Owners (default: the calling process): install records one, uninstall removes it; the engine is restored
# when the last owner is gone (owners that are process ids of dead processes are dropped), so overlapping
# test runs do not pull the runtime from under each other. State: $CKALAB_KIND_CACHE/runtime.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
CACHE="${CKALAB_KIND_CACHE:-/var/cache/ckalab-kind}"
STATE="$CACHE/runtime"
CFG="${CKALAB_DOCKER_DAEMON_JSON:-/etc/docker/daemon.json}"
LOG="${CKALAB_DOCKERD_LOG:-/var/log/ckalab-dockerd.log}"
NAME=kindx-runc
say() { echo "kind-runtime: $*" >&2; }

verb="${1:-}"
shift || true
image="" owner="$PPID"
while [ $# -gt 0 ]; do
  case "$1" in
  --owner) owner="$2"; shift 2 ;;
  --owner=*) owner="${1#--owner=}"; shift ;;
  *) image="$1"; shift ;;
  esac
done

default_runtime() { docker info --format '{{.DefaultRuntime}}' 2>/dev/null || true; }

# One privileged container, as kind starts its nodes; its error text on failure.
privileged_error() {
  local out
  if out=$(docker run --rm --privileged --entrypoint /bin/true "$image" 2>&1); then return 1; fi
  printf '%s' "$out" | tail -n 3
}

dockerd_pid() {
  local pids
  pids=$(pidof dockerd 2>/dev/null || true)
  case "$pids" in
  "" | *" "*) return 1 ;;
  *) echo "$pids" ;;
  esac
}

# The engine was started by scripts/ci/install-docker.sh: its stdout is that script's log.
ours() {
  local pid
  pid=$(dockerd_pid) || return 1
  [ "$(readlink "/proc/$pid/fd/1" 2>/dev/null)" = "$(readlink -f "$LOG")" ]
}

reload() {
  local pid want="$1" i
  pid=$(dockerd_pid) || { say "no single local dockerd process to reload"; return 1; }
  kill -HUP "$pid"
  for i in $(seq 40); do
    [ "$(default_runtime)" = "$want" ] && return 0
    sleep 0.25
  done
  say "dockerd (pid $pid) did not take the new configuration (default runtime: $(default_runtime), wanted $want); its log: $LOG"
  return 1
}

prune_owners() {
  local f
  mkdir -p "$STATE/owners"
  for f in "$STATE/owners"/*; do
    [ -e "$f" ] || continue
    case "${f##*/}" in
    *[!0-9]*) ;;                              # a named owner stays until it uninstalls
    *) kill -0 "${f##*/}" 2>/dev/null || rm -f "$f" ;; # a test run's pid: gone means done
    esac
  done
}

installed_by_us() { [ -e "$STATE/daemon.json.orig" ] || [ -e "$STATE/daemon.json.absent" ]; }

# Containers created while the wrapper was the default runtime keep its name: dockerd refuses to start
# them again once the name is gone ("unknown or invalid runtime name"). Names of those containers.
users_of_wrapper() {
  local ids
  ids=$(docker ps -aq 2>/dev/null) || return 0
  [ -n "$ids" ] || return 0
  # shellcheck disable=SC2086
  docker inspect -f '{{.Name}} {{.HostConfig.Runtime}}' $ids 2>/dev/null | awk -v n="$NAME" '$2 == n {sub("^/", "", $1); print $1}'
}

restore() {
  local base='{}' orig_default users
  [ -e "$STATE/daemon.json.orig" ] && base=$(cat "$STATE/daemon.json.orig")
  orig_default=$(printf '%s' "$base" | jq -r '."default-runtime" // "runc"')
  users=$(users_of_wrapper | tr '\n' ' ')
  if [ -n "$users" ]; then
    # new containers get the engine's own runtime again; the wrapper stays known until those are gone
    printf '%s' "$base" | jq --arg n "$NAME" --arg p "$STATE/runc-capfilter" \
      '."default-runtime" //= "runc" | .runtimes = ((.runtimes // {}) + {($n): {"path": $p}})' >"$CFG.ckalab-tmp"
    mv "$CFG.ckalab-tmp" "$CFG"
    reload "$orig_default" || return 1
    say "default runtime back to $orig_default; $NAME stays registered (not default) because these containers were created with it: $users"
    say "once they are removed, run again: bash $0 uninstall"
    return 0
  fi
  # A reload keeps the current default runtime when the key is simply absent: reload once with the original
  # settings plus an explicit default, then put the original file back exactly.
  printf '%s' "$base" | jq '."default-runtime" //= "runc" | .runtimes //= {}' >"$CFG.ckalab-tmp"
  mv "$CFG.ckalab-tmp" "$CFG"
  reload "$orig_default" || return 1
  if [ -e "$STATE/daemon.json.orig" ]; then
    cp -a "$STATE/daemon.json.orig" "$CFG"
  else
    rm -f "$CFG"
  fi
  reload "$orig_default" || return 1
  rm -f "$STATE/daemon.json.orig" "$STATE/daemon.json.absent"
  say "the engine's configuration is back as it was (default runtime: $(default_runtime)); a dockerd restart also brings back its built-in runtime aliases, which a reload cannot"
}

case "$verb" in
check)
  [ -n "$image" ] || { say "usage: $0 check IMAGE"; exit 2; }
  if err=$(privileged_error); then
    say "a privileged container does not start on this engine: $err"
    exit 1
  fi
  say "privileged containers start (default runtime: $(default_runtime))"
  ;;

install)
  [ -n "$image" ] || { say "usage: $0 install IMAGE [--owner TOKEN]"; exit 2; }
  docker image inspect "$image" >/dev/null 2>&1 || { say "image $image is missing; build it first (scripts/ci/kind-images.sh)"; exit 1; }
  mkdir -p "$STATE/owners"
  exec 9>"$STATE/.lock"
  flock -w 120 9 || { say "another kind-runtime.sh holds $STATE/.lock; retry"; exit 1; }
  prune_owners
  if [ "$(default_runtime)" = "$NAME" ]; then
    # registered earlier (by another run, or by a run that died): share it
    installed_by_us && touch "$STATE/owners/$owner"
    if err=$(privileged_error); then say "$NAME is already the default runtime, but a privileged container fails: $err"; exit 1; fi
    say "$NAME is already the default runtime; privileged check ok"
    exit 0
  fi
  if ! err=$(privileged_error); then
    say "privileged containers start with the engine's own runtime ($(default_runtime)): no wrapper needed"
    exit 0
  fi
  say "a privileged container fails here: $err"
  say "capability bounding set: $(awk '/^CapBnd:/{print $2}' /proc/self/status)"
  if ! ours && [ "${CKALAB_KIND_RUNTIME:-}" != install ]; then
    say "this Docker engine was not started by ckalab's tests (scripts/ci/install-docker.sh), so its configuration is left alone."
    say "to let kind start privileged nodes here, either run: CKALAB_KIND_RUNTIME=install bash $0 install $image"
    say "or add to $CFG yourself: {\"runtimes\": {\"$NAME\": {\"path\": \"<copy of $HERE/kind/runc-capfilter>\"}}, \"default-runtime\": \"$NAME\"} and reload dockerd (kill -HUP)"
    exit 1
  fi
  command -v jq >/dev/null 2>&1 || { say "jq is missing (the wrapper and this script need it): apt-get install jq, then retry"; exit 1; }
  # dockerd keeps the path it is given: register a copy that outlives this checkout
  install -m 755 "$HERE/kind/runc-capfilter" "$STATE/runc-capfilter"
  if ! installed_by_us; then
    if [ -e "$CFG" ]; then cp -a "$CFG" "$STATE/daemon.json.orig"; else touch "$STATE/daemon.json.absent"; fi
  fi
  base='{}'
  [ -e "$STATE/daemon.json.orig" ] && base=$(cat "$STATE/daemon.json.orig")
  mkdir -p "$(dirname "$CFG")"
  if ! printf '%s' "$base" | jq --arg n "$NAME" --arg p "$STATE/runc-capfilter" \
    '.runtimes = ((.runtimes // {}) + {($n): {"path": $p}}) | ."default-runtime" = $n' >"$CFG.ckalab-tmp"; then
    rm -f "$CFG.ckalab-tmp"
    say "$CFG is not valid JSON; nothing was changed. Fix it, then retry"
    rm -f "$STATE/daemon.json.orig" "$STATE/daemon.json.absent"
    exit 1
  fi
  mv "$CFG.ckalab-tmp" "$CFG"
  touch "$STATE/owners/$owner"
  if ! reload "$NAME"; then
    say "registering $NAME failed; restoring $CFG"
    restore || true
    rm -f "$STATE/owners/$owner"
    exit 1
  fi
  if err=$(privileged_error); then
    say "$NAME is the default runtime but a privileged container still fails: $err"
    say "restoring $CFG; retry with: bash $0 install $image (the wrapper's log is dockerd's: $LOG)"
    restore || true
    rm -f "$STATE/owners/$owner"
    exit 1
  fi
  say "registered $STATE/runc-capfilter as the default runtime $NAME (reloaded dockerd, no restart); privileged check ok"
  ;;

uninstall)
  mkdir -p "$STATE/owners"
  exec 9>"$STATE/.lock"
  flock -w 120 9 || { say "another kind-runtime.sh holds $STATE/.lock; retry"; exit 1; }
  rm -f "$STATE/owners/$owner"
  prune_owners
  if ! installed_by_us; then
    exit 0 # nothing of ours is registered
  fi
  left=$(ls "$STATE/owners")
  if [ -n "$left" ]; then
    say "$NAME stays registered: still used by $(echo $left)"
    exit 0
  fi
  restore
  ;;

status)
  prune_owners
  echo "default runtime: $(default_runtime); runtimes: $(docker info --format '{{range $k, $v := .Runtimes}}{{$k}} {{end}}' 2>/dev/null)"
  if installed_by_us; then echo "registered by ckalab; owners: $(ls "$STATE/owners" | tr '\n' ' ')"; else echo "nothing registered by ckalab"; fi
  ours && echo "engine: started by scripts/ci/install-docker.sh" || echo "engine: not started by ckalab's tests"
  ;;

*)
  say "usage: $0 check IMAGE | install IMAGE [--owner TOKEN] | uninstall [--owner TOKEN] | status"
  exit 2
  ;;
esac
