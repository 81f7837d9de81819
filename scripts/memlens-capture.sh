#!/bin/sh
# memlens-capture: snapshot the memory files of every cgroup below the Kubernetes (or Docker)
# cgroup root every few seconds, with `cat` (tar of a live cgroupfs stores every file as 0 bytes),
# and pack them in one tarball memlens reads:
#
#   <RFC3339 UTC time>/<root name>/<cgroup path>/memory.*   one folder per snapshot
#   manifest.json                                            host, kernel, cgroup version, root, times
#   meta/crictl-ps.json, meta/crictl-pods.json, meta/kubectl-pods.json, meta/docker-inspect.json,
#   meta/dmesg-oom.txt                                       when those tools are there
#
# POSIX sh; runs under busybox. Needs only cat, mkdir, date, sleep, tar and gzip.
# Usage: memlens-capture.sh [-r ROOT] [-i SECONDS] [-n COUNT | -d DURATION] [-o FILE] [-q]
set -u

FORMAT_VERSION=1
INTERVAL=10
COUNT=
DURATION=
ROOT=
OUT=
QUIET=

usage() {
  cat <<'EOF'
Usage: memlens-capture.sh [-r ROOT] [-i SECONDS] [-n COUNT | -d DURATION] [-o FILE] [-q]

Snapshots the memory files of every cgroup below ROOT every SECONDS and writes one .tar.gz
for `memlens analyze`.

  -r ROOT      cgroup root to capture (default: found automatically: kubepods for v1/v2,
               cgroupfs or systemd driver, else docker)
  -i SECONDS   seconds between snapshots (default 10)
  -n COUNT     number of snapshots (default 1 when neither -n nor -d is given)
  -d DURATION  capture for this long instead: 90s, 15m, 2h
  -o FILE      output tarball (default memlens-capture-<host>-<unix time>.tar.gz)
  -q           quiet: print only errors

Ctrl-C stops early and still writes what was captured.
EOF
}

say() { [ -n "$QUIET" ] || printf '%s\n' "$*" >&2; }
die() { printf 'memlens-capture: %s\n' "$*" >&2; exit 2; }

while getopts 'r:i:n:d:o:qh' opt; do
  case $opt in
    r) ROOT=$OPTARG ;;
    i) INTERVAL=$OPTARG ;;
    n) COUNT=$OPTARG ;;
    d) DURATION=$OPTARG ;;
    o) OUT=$OPTARG ;;
    q) QUIET=1 ;;
    h) usage; exit 0 ;;
    *) usage >&2; exit 2 ;;
  esac
done

is_uint() { case $1 in '' | *[!0-9]*) return 1 ;; *) return 0 ;; esac; }

is_uint "$INTERVAL" && [ "$INTERVAL" -ge 1 ] || die "-i must be a whole number of seconds >= 1, got '$INTERVAL'"
if [ -n "$DURATION" ]; then
  [ -z "$COUNT" ] || die "give -n or -d, not both"
  num=${DURATION%[smhSMH]}
  is_uint "$num" || die "-d must look like 90s, 15m or 2h, got '$DURATION'"
  case $DURATION in
    *m | *M) secs=$((num * 60)) ;;
    *h | *H) secs=$((num * 3600)) ;;
    *) secs=$num ;;
  esac
  COUNT=$((secs / INTERVAL + 1))
fi
[ -n "$COUNT" ] || COUNT=1
is_uint "$COUNT" && [ "$COUNT" -ge 1 ] || die "-n must be a whole number >= 1, got '$COUNT'"

# cgroup version and root.
if [ -f /sys/fs/cgroup/cgroup.controllers ]; then CGV=2; MOUNT=/sys/fs/cgroup; else CGV=1; MOUNT=/sys/fs/cgroup/memory; fi
if [ -z "$ROOT" ]; then
  for cand in "$MOUNT/kubepods.slice" "$MOUNT/kubepods" "$MOUNT/docker" "$MOUNT/system.slice"; do
    if [ -d "$cand" ]; then ROOT=$cand; break; fi
  done
  [ -n "$ROOT" ] || die "no kubepods or docker cgroup under $MOUNT; give the root with -r"
fi
ROOT=${ROOT%/}
[ -d "$ROOT" ] || die "cgroup root $ROOT is not a directory"
# A root given by hand may be on either hierarchy: trust its files over the mount probe.
if [ -f "$ROOT/memory.current" ] || [ -f "$ROOT/cgroup.controllers" ]; then CGV=2; elif [ -f "$ROOT/memory.usage_in_bytes" ]; then CGV=1; fi

HOST=$(cat /proc/sys/kernel/hostname 2>/dev/null || echo unknown)
KERNEL=$(cat /proc/sys/kernel/osrelease 2>/dev/null || echo unknown)
START_EPOCH=$(date -u +%s)
[ -n "$OUT" ] || OUT="memlens-capture-$HOST-$START_EPOCH.tar.gz"

# mktemp, not $$: captures in other PID namespaces sharing /tmp can have the same PID, and one
# finishing would delete the other's staged snapshots.
STAGE=$(mktemp -d "${TMPDIR:-/tmp}/memlens-capture.XXXXXX") && mkdir -p "$STAGE/meta" || die "cannot create a staging folder in ${TMPDIR:-/tmp}"

if [ "$CGV" = 2 ]; then
  FILES='memory.current memory.max memory.high memory.low memory.min memory.stat memory.events memory.events.local memory.peak memory.swap.current memory.swap.max memory.pressure memory.oom.group'
else
  FILES='memory.stat memory.usage_in_bytes memory.limit_in_bytes memory.max_usage_in_bytes memory.failcnt memory.oom_control memory.memsw.usage_in_bytes memory.memsw.limit_in_bytes memory.memsw.max_usage_in_bytes memory.memsw.failcnt memory.kmem.usage_in_bytes memory.soft_limit_in_bytes memory.use_hierarchy'
fi

# Copies the memory files of cgroup $1 to $SNAP/$2, then recurses into its children.
# Positional parameters are local to each call; the loop list is expanded before any recursion.
snap_dir() {
  mkdir -p "$SNAP/$2" 2>/dev/null || return 0
  for f in $FILES; do
    # A cgroup can vanish mid-copy (container deleted): never leave an empty file behind.
    if [ -r "$1/$f" ] && v=$(cat "$1/$f" 2>/dev/null); then printf '%s\n' "$v" >"$SNAP/$2/$f"; fi
  done
  for d in "$1"/*/; do
    [ -d "$d" ] || continue
    d=${d%/}
    snap_dir "$d" "$2/${d##*/}"
  done
}

TAKEN=0
FIRST=
LAST=
finish() {
  trap '' INT TERM
  END=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  # Kernel log times are seconds since boot; the boot time (unix seconds) places them on the clock.
  BOOT=$(sed -n 's/^btime //p' /proc/stat 2>/dev/null)
  collect_meta
  cat >"$STAGE/manifest.json" <<EOF
{
  "format": "memlens-capture",
  "version": $FORMAT_VERSION,
  "host": "$(json_escape "$HOST")",
  "kernel": "$(json_escape "$KERNEL")",
  "cgroupVersion": $CGV,
  "root": "$(json_escape "$ROOT")",
  "interval": $INTERVAL,
  "snapshots": $TAKEN,
  "start": "${FIRST:-$END}",
  "end": "${LAST:-$END}",
  "bootTime": ${BOOT:-null},
  "tool": "memlens-capture.sh"
}
EOF
  if [ "$TAKEN" -eq 0 ]; then
    rm -rf "$STAGE"
    die "no snapshot was taken; nothing written"
  fi
  if tar -C "$STAGE" -cf - . | gzip -c >"$OUT"; then
    rm -rf "$STAGE"
    SIZE=$(wc -c <"$OUT" 2>/dev/null | tr -d ' ' || echo '?')
    say "wrote $OUT: $TAKEN snapshot(s), $SIZE bytes. Analyze it with: memlens analyze $OUT"
    exit 0
  fi
  die "could not write $OUT (staging left in $STAGE)"
}

json_escape() { printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g' 2>/dev/null || printf '%s' "$1"; }

have() { command -v "$1" >/dev/null 2>&1; }

collect_meta() {
  if have crictl; then
    crictl ps -a -o json >"$STAGE/meta/crictl-ps.json" 2>/dev/null || rm -f "$STAGE/meta/crictl-ps.json"
    crictl pods -o json >"$STAGE/meta/crictl-pods.json" 2>/dev/null || rm -f "$STAGE/meta/crictl-pods.json"
  fi
  if have kubectl && kubectl get pods -A -o json >"$STAGE/meta/kubectl-pods.json" 2>/dev/null; then :; else rm -f "$STAGE/meta/kubectl-pods.json"; fi
  if have docker && ids=$(docker ps -aq 2>/dev/null) && [ -n "$ids" ]; then
    # shellcheck disable=SC2086
    docker inspect $ids >"$STAGE/meta/docker-inspect.json" 2>/dev/null || rm -f "$STAGE/meta/docker-inspect.json"
  fi
  # Kernel OOM reports name the cgroup of the killed task: evidence that survives cgroup removal.
  if have dmesg && log=$(dmesg 2>/dev/null); then
    printf '%s\n' "$log" | while IFS= read -r line; do
      case $line in *oom-kill:* | *"Memory cgroup out of memory"* | *"killed as a result of limit"*) printf '%s\n' "$line" ;; esac
    done >"$STAGE/meta/dmesg-oom.txt"
  fi
}

trap finish INT TERM

say "capturing $ROOT (cgroup v$CGV): $COUNT snapshot(s) every ${INTERVAL}s, about $(((COUNT - 1) * INTERVAL))s; Ctrl-C stops early"
PREFIX=${ROOT##*/}
i=0
while [ "$i" -lt "$COUNT" ]; do
  NOW=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  SNAP="$STAGE/$NOW"
  snap_dir "$ROOT" "$PREFIX"
  TAKEN=$((TAKEN + 1))
  [ -n "$FIRST" ] || FIRST=$NOW
  LAST=$NOW
  if [ "$TAKEN" -eq 1 ] && [ "$COUNT" -gt 1 ] && have wc; then
    one=$(tar -C "$STAGE" -cf - "$NOW" 2>/dev/null | gzip -c | wc -c | tr -d ' ')
    say "first snapshot: $one bytes compressed; expect about $((one * COUNT / 1024)) KiB in all"
  fi
  i=$((i + 1))
  [ "$i" -lt "$COUNT" ] || break
  # Sleep to the next tick of the schedule so slow snapshots do not make the capture drift.
  next=$((START_EPOCH + i * INTERVAL))
  now=$(date -u +%s)
  [ "$next" -le "$now" ] || sleep $((next - now)) &
  wait $! 2>/dev/null
done
finish
