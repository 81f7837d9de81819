#!/bin/sh
# memlens-capture: snapshot the memory files of every cgroup below the Kubernetes (or Docker)
# cgroup root every few seconds and write one .tar.gz that `memlens analyze` reads.
#
# Files are read, not archived: `tar` of a live cgroupfs stores every file as 0 bytes, because
# cgroupfs reports a size of 0. Each snapshot is copied into a staging folder (with one awk for all
# files when awk is there, else with cat, file by file), packed as its own tar, gzipped and appended
# to the output, then removed: the node's disk holds one snapshot at a time, and a capture killed
# midway keeps every snapshot it finished. The layout (src/capture/spec.ts):
#
#   manifest.json                                 first member: host, kernel, cgroup version, root
#   <RFC3339 UTC time>/<root name>/<cgroup path>/memory.*           one member per snapshot
#   manifest.json, meta/crictl-ps.json, meta/crictl-pods.json,      last member, on a clean stop
#   meta/kubectl-pods.json, meta/docker-inspect.json, meta/dmesg-oom.txt
#
# To unpack it by hand use `tar -xzif` (GNU tar stops after the first member without -i).
#
# POSIX sh; runs under busybox. Needs only cat, mkdir, date, sleep, tar and gzip; uses awk, rm,
# mktemp, wc, crictl, kubectl, docker and dmesg when they are there.
# Usage: memlens-capture.sh [-r ROOT] [-i SECONDS] [-n COUNT | -d DURATION] [-o FILE] [-m CGROUPFS] [-q]
set -u

# Keep these lists equal to V1_FILES and V2_FILES in src/capture/spec.ts (a test checks).
V1_FILES='memory.stat memory.usage_in_bytes memory.limit_in_bytes memory.max_usage_in_bytes memory.failcnt memory.oom_control memory.memsw.usage_in_bytes memory.memsw.limit_in_bytes memory.memsw.max_usage_in_bytes memory.memsw.failcnt memory.kmem.usage_in_bytes memory.soft_limit_in_bytes memory.use_hierarchy'
V2_FILES='memory.current memory.max memory.high memory.low memory.min memory.stat memory.events memory.events.local memory.peak memory.swap.current memory.swap.max memory.swap.events memory.pressure memory.oom.group'
FORMAT_VERSION=1

INTERVAL=10
COUNT=
DURATION=
ROOT=
OUT=
QUIET=
CGFS=${MEMLENS_CGROUP_FS:-}

usage() {
  cat <<'EOF'
Usage: memlens-capture.sh [-r ROOT] [-i SECONDS] [-n COUNT | -d DURATION] [-o FILE] [-m CGROUPFS] [-q]

Snapshots the memory files of every cgroup below ROOT every SECONDS and writes one .tar.gz
for `memlens analyze`.

  -r ROOT      cgroup to capture, with everything below it: an absolute path, or a path below
               the memory hierarchy (kubepods.slice). Default: found automatically: the
               Kubernetes root (kubepods.slice or kubepods, cgroup v1 or v2), else Docker's
               (docker, or system.slice when it holds docker-*.scope)
  -i SECONDS   seconds between snapshots (default 10)
  -n COUNT     number of snapshots (default 1 when neither -n nor -d is given)
  -d DURATION  capture for this long instead of -n: 90s, 15m, 2h (or plain seconds)
  -o FILE      output .tar.gz, or - for stdout (default memlens-capture-<host>-<unix time>.tar.gz)
  -m CGROUPFS  where the cgroup filesystem is mounted (default /sys/fs/cgroup, then
               /host/sys/fs/cgroup, as in a `kubectl debug node/...` pod without chroot)
  -q           quiet: print only errors

Ctrl-C stops early and still writes everything captured so far.
Exit status: 0 written (also after Ctrl-C), 2 usage or write error, 130 stopped before the
first snapshot.

Examples:
  memlens-capture.sh -d 10m -o /var/tmp/node-a.tar.gz
  memlens-capture.sh -r /sys/fs/cgroup/memory/docker -i 5 -n 60 -o docker-host.tar.gz
EOF
}

say() { [ -n "$QUIET" ] || printf '%s\n' "$*" >&2; }
die() {
  printf 'memlens-capture: %s\n' "$*" >&2
  exit 2
}
have() { command -v "$1" >/dev/null 2>&1; }
is_uint() { case $1 in '' | *[!0-9]*) return 1 ;; *) return 0 ;; esac }

while getopts 'r:i:n:d:o:m:qh' opt; do
  case $opt in
    r) ROOT=$OPTARG ;;
    i) INTERVAL=$OPTARG ;;
    n) COUNT=$OPTARG ;;
    d) DURATION=$OPTARG ;;
    o) OUT=$OPTARG ;;
    m) CGFS=$OPTARG ;;
    q) QUIET=1 ;;
    h)
      usage
      exit 0
      ;;
    *)
      usage >&2
      exit 2
      ;;
  esac
done
shift $((OPTIND - 1))
[ $# -eq 0 ] || die "unexpected argument '$1' (run with -h for usage)"

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

# --- Where the memory controller is, and which cgroup to capture ---------------------------------

# has_memory FILE: true when a cgroup.controllers file lists the memory controller.
has_memory() {
  line=
  IFS= read -r line <"$1" 2>/dev/null || [ -n "$line" ] || return 1
  case " $line " in *" memory "*) return 0 ;; esac
  return 1
}

# hierarchy BASE: sets MOUNT (the memory controller's root) and CGV for a cgroup filesystem at BASE.
# v2 (unified): BASE itself. v1, and hybrid hosts whose memory controller is still on v1: BASE/memory.
hierarchy() {
  if [ -f "$1/cgroup.controllers" ] && has_memory "$1/cgroup.controllers"; then
    MOUNT=$1 CGV=2
  elif [ -d "$1/memory" ]; then
    MOUNT=$1/memory CGV=1
  elif [ -f "$1/unified/cgroup.controllers" ] && has_memory "$1/unified/cgroup.controllers"; then
    MOUNT=$1/unified CGV=2
  else
    return 1
  fi
}

# find_root: sets ROOT to the Kubernetes root below MOUNT (top level first, then nested up to two
# levels, as with a kubelet in a container), else Docker's. Lists the other candidates in ALSO.
find_root() {
  ROOT= ALSO=
  for cand in "$MOUNT/kubepods.slice" "$MOUNT/kubepods" \
    "$MOUNT"/*/kubepods.slice "$MOUNT"/*/kubepods "$MOUNT"/*/*/kubepods.slice "$MOUNT"/*/*/kubepods; do
    [ -d "$cand" ] || continue
    if [ -z "$ROOT" ]; then ROOT=$cand; else ALSO="$ALSO $cand"; fi
  done
  [ -z "$ROOT" ] || return 0
  if [ -d "$MOUNT/docker" ]; then
    ROOT=$MOUNT/docker
    return 0
  fi
  for cand in "$MOUNT"/system.slice/docker-*.scope; do
    if [ -d "$cand" ]; then
      ROOT=$MOUNT/system.slice
      return 0
    fi
  done
  return 1
}

if [ -n "$CGFS" ]; then BASES=$CGFS; else BASES='/sys/fs/cgroup /host/sys/fs/cgroup'; fi
MOUNT= CGV= SEEN=
for base in $BASES; do
  hierarchy "$base" || continue
  SEEN=$MOUNT
  case $ROOT in
    '') find_root && break ;;
    /*) break ;;
    *)
      if [ -d "$MOUNT/${ROOT#./}" ]; then
        ROOT=$MOUNT/${ROOT#./}
        break
      fi
      ;;
  esac
  MOUNT=
done
if [ -z "$ROOT" ]; then
  [ -n "$SEEN" ] || die "no cgroup memory controller under $BASES; give the cgroup mount with -m or the root with -r"
  die "no kubepods or docker cgroup under $SEEN; give the cgroup to capture with -r"
fi
[ -z "${ALSO:-}" ] || say "memlens-capture: also found$ALSO; capturing the first (choose with -r)"
case $ROOT in /*) ;; *) die "cgroup root '$ROOT' not found under ${SEEN:-$BASES}" ;; esac
while :; do case $ROOT in */) ROOT=${ROOT%/} ;; *) break ;; esac; done
[ -d "$ROOT" ] || die "cgroup root $ROOT is not a directory"
# A root given by hand may be on either hierarchy: its own files say which.
if [ -f "$ROOT/memory.current" ] || [ -f "$ROOT/cgroup.controllers" ]; then
  CGV=2
elif [ -f "$ROOT/memory.usage_in_bytes" ]; then
  CGV=1
else
  die "$ROOT has neither memory.usage_in_bytes (cgroup v1) nor memory.current (v2): not a memory cgroup"
fi
if [ "$CGV" = 2 ]; then FILES=$V2_FILES; else FILES=$V1_FILES; fi
# With PSI off, memory.pressure exists but every read fails; leave it out rather than fail each time.
if [ "$CGV" = 2 ] && [ ! -r /proc/pressure/memory ]; then
  kept=
  for f in $FILES; do [ "$f" = memory.pressure ] || kept="$kept $f"; done
  FILES=${kept# }
fi
# The root's own folder name in the capture; a whole hierarchy is captured without one.
if [ "$ROOT" = "${MOUNT:-}" ]; then PREFIX=; else PREFIX=/${ROOT##*/}; fi

HOST=$(cat /proc/sys/kernel/hostname 2>/dev/null) || HOST=unknown
# Kernel log times are seconds since boot; the boot time (unix seconds) places them on the clock.
BOOT=null
while read -r key value _; do
  if [ "$key" = btime ]; then
    BOOT=$value
    break
  fi
done 2>/dev/null </proc/stat
KERNEL=$(cat /proc/sys/kernel/osrelease 2>/dev/null) || KERNEL=unknown
START_EPOCH=$(date -u +%s) || die "date does not work here"
[ -n "$OUT" ] || OUT="memlens-capture-$HOST-$START_EPOCH.tar.gz"

# --- Small helpers ------------------------------------------------------------------------------

# json_str TEXT: TEXT as a JSON string (escapes \ and "; cgroup paths and host names hold no
# control characters).
json_str() {
  s=$1 out=
  while :; do
    case $s in *[\\\"]*) ;; *) break ;; esac
    pre=${s%%[\\\"]*}
    c=${s#"$pre"}
    rest=${c#?}
    c=${c%"$rest"}
    out=$out$pre\\$c
    s=$rest
  done
  printf '"%s%s"' "$out" "$s"
}

# size_of FILE: its size in bytes, or nothing when no tool here can tell.
size_of() {
  if have wc; then
    n=$(wc -c <"$1" 2>/dev/null) && echo $((n)) && return
  fi
  if have ls; then
    # shellcheck disable=SC2046
    set -- $(ls -ln "$1" 2>/dev/null) && [ $# -ge 5 ] && echo "$5" && return
  fi
  if have stat; then stat -c %s "$1" 2>/dev/null; fi
}

human() {
  if [ -z "$1" ]; then
    echo 'size unknown'
  elif [ "$1" -ge 1048576 ]; then
    echo "$(($1 / 1048576)).$(($1 % 1048576 * 10 / 1048576)) MiB"
  elif [ "$1" -ge 1024 ]; then
    echo "$(($1 / 1024)).$(($1 % 1024 * 10 / 1024)) KiB"
  else
    echo "$1 bytes"
  fi
}

duration() {
  if [ "$1" -ge 3600 ]; then
    echo "$(($1 / 3600))h $(($1 % 3600 / 60))m"
  elif [ "$1" -ge 60 ]; then
    echo "$(($1 / 60))m $(($1 % 60))s"
  else
    echo "$1s"
  fi
}

rmtree() { if have rm; then rm -rf "$@"; else LEFT=1; fi; }
LEFT=

# --- Staging and output ---------------------------------------------------------------------------

# A fresh private folder. mktemp where there is one (PIDs repeat across the PID namespaces of
# containers sharing /tmp); else mkdir, which fails on an existing name, so nobody can plant a link.
if ! { have mktemp && STAGE=$(mktemp -d "${TMPDIR:-/tmp}/memlens-capture.XXXXXX" 2>/dev/null); }; then
  STAGE=${TMPDIR:-/tmp}/memlens-capture.$$.$START_EPOCH
  mkdir -m 700 "$STAGE" 2>/dev/null || die "cannot create the staging folder $STAGE (set TMPDIR to a writable folder)"
fi
if [ "$OUT" != - ]; then
  : >"$OUT" 2>/dev/null || {
    rmtree "$STAGE"
    die "cannot write $OUT"
  }
fi

# emit ENTRY...: appends one gzip member holding a tar of these entries of the staging folder.
# Signals are ignored inside so that Ctrl-C never cuts a member in half; the loop stops after it.
emit() {
  (
    trap '' INT TERM HUP
    { tar -C "$STAGE" -cf - "$@" || : >"$STAGE/.failed"; } |
      if [ "$OUT" = - ]; then gzip -c; else gzip -c >>"$OUT"; fi || : >"$STAGE/.failed"
  )
  if [ -f "$STAGE/.failed" ]; then
    printf 'memlens-capture: %s\n' "could not write to $OUT (disk full?); stopping" >&2
    STOP=failed
  fi
}

write_manifest() {
  {
    printf '{\n  "format": "memlens-capture",\n  "version": %s,\n' "$FORMAT_VERSION"
    printf '  "host": %s,\n  "kernel": %s,\n' "$(json_str "$HOST")" "$(json_str "$KERNEL")"
    printf '  "cgroupVersion": %s,\n  "root": %s,\n  "interval": %s,\n' "$CGV" "$(json_str "$ROOT")" "$INTERVAL"
    printf '  "snapshots": %s,\n  "start": %s,\n' "$TAKEN" "$(json_str "${FIRST:-$1}")"
    if [ "$2" = true ]; then printf '  "end": %s,\n' "$(json_str "${LAST:-$1}")"; else printf '  "end": null,\n'; fi
    printf '  "complete": %s,\n' "$2"
    if [ "$2" = true ]; then printf '  "stopped": %s,\n' "$(json_str "$3")"; else printf '  "stopped": null,\n'; fi
    printf '  "bootTime": %s,\n' "$BOOT"
    printf '  "tool": "memlens-capture.sh"\n}\n'
  } >"$STAGE/manifest.json"
}

# --- One snapshot -------------------------------------------------------------------------------

# list_dirs DIR: appends DIR and every cgroup below it to DIRS, one per line, parents first.
# (The loop list is expanded before the recursive call reuses $d.)
list_dirs() {
  DIRS="$DIRS$1
"
  for d in "$1"/*/; do
    [ -d "$d" ] || continue
    list_dirs "${d%/}"
  done
}

# snapshot: copies the memory files of every cgroup below ROOT into STAGE/NOW. Runs in a subshell
# that ignores Ctrl-C, so a snapshot is always whole (the loop stops after it). One awk reads every
# file of the snapshot: a cat per file costs a fork each, thousands per snapshot on a busy node, and
# spreads one snapshot over seconds. Without awk, or if it fails, each file is copied with cat.
# Files that cannot be read (memsw without swap accounting, a cgroup removed meanwhile) are left
# out, never left empty.
snapshot() {
  (
    trap '' INT TERM HUP
    SNAP=$STAGE/$NOW
    DIRS=
    list_dirs "$ROOT"
    IFS='
'
    set -f
    mapped=
    for d in $DIRS; do mapped="$mapped$SNAP$PREFIX${d#"$ROOT"}
"; done
    # shellcheck disable=SC2086
    mkdir -p $mapped 2>/dev/null
    if [ -z "${MEMLENS_CAPTURE_NO_AWK:-}" ] && have awk &&
      printf '%s' "$DIRS" | SRC=$ROOT DST=$SNAP$PREFIX FILES=$FILES awk '
        BEGIN { src = ENVIRON["SRC"]; dst = ENVIRON["DST"]; n = split(ENVIRON["FILES"], files, " ") }
        {
          for (i = 1; i <= n; i++) {
            from = $0 "/" files[i]
            to = dst substr($0, length(src) + 1) "/" files[i]
            got = 0
            while ((getline line < from) > 0) { print line > to; got = 1 }
            close(from)
            if (got) close(to)
          }
        }' 2>/dev/null; then
      exit 0
    fi
    for d in $DIRS; do
      IFS=' '
      for f in $FILES; do
        [ -r "$d/$f" ] || continue
        to=$SNAP$PREFIX${d#"$ROOT"}/$f
        if v=$(cat "$d/$f" 2>/dev/null) && [ -n "$v" ]; then
          printf '%s\n' "$v" >"$to"
        elif [ -f "$to" ]; then
          rmtree "$to"
        fi
      done
    done
  )
}

# count_cgroups: how many cgroups ROOT has now, for the opening line.
count_cgroups() {
  DIRS=
  list_dirs "$ROOT"
  n=0
  IFS='
'
  set -f
  for d in $DIRS; do n=$((n + 1)); done
  set +f
  IFS=' 	
'
  echo "$n"
}

# --- Metadata that names pods and containers ------------------------------------------------------

# try FILE COMMAND...: runs COMMAND and keeps its output as STAGE/FILE only when it succeeds and
# says something (a failed kubectl must not leave half a JSON document in the capture).
try() {
  f=$1
  shift
  if "$@" >"$STAGE/.try" 2>/dev/null && [ -s "$STAGE/.try" ]; then
    cat "$STAGE/.try" >"$STAGE/$f"
    rmtree "$STAGE/.try"
    return 0
  fi
  rmtree "$STAGE/.try"
  return 1
}

collect_meta() {
  mkdir -p "$STAGE/meta"
  if have crictl; then
    try meta/crictl-ps.json crictl ps -a -o json
    try meta/crictl-pods.json crictl pods -o json
  fi
  if have kubectl; then
    # A node has no kubeconfig of its own, but the kubelet's may read pods (system:node).
    try meta/kubectl-pods.json kubectl get pods -A -o json --request-timeout=20s ||
      for kc in /etc/kubernetes/kubelet.conf /var/lib/kubelet/kubeconfig /etc/kubernetes/kubelet-kubeconfig; do
        [ -r "$kc" ] && try meta/kubectl-pods.json kubectl --kubeconfig "$kc" get pods -A -o json --request-timeout=20s && break
      done
  fi
  if have docker && ids=$(docker ps -aq 2>/dev/null) && [ -n "$ids" ]; then
    # shellcheck disable=SC2086
    try meta/docker-inspect.json docker inspect $ids
  fi
  # Kernel OOM reports name the cgroup of the killed task: evidence that survives the cgroup. Keep
  # the reports about cgroups below ROOT (paths in them are relative to the hierarchy's root; kernels
  # before 4.19 write "Task in <cgroup> killed as a result of limit of <cgroup>") and the "Killed
  # process" line that follows each.
  if [ -n "${MOUNT:-}" ]; then rel=${ROOT#"$MOUNT"}; else rel=$ROOT; fi
  if have dmesg && log=$(dmesg 2>/dev/null); then
    keep=
    printf '%s\n' "$log" | while IFS= read -r line; do
      case $line in
        *"oom_memcg=$rel"[/,]* | *"task_memcg=$rel"[/,]* | *"Task in $rel"[/\ ]*"killed as a result of limit"*)
          printf '%s\n' "$line"
          keep=1
          ;;
        *"Killed process"*)
          [ -z "$keep" ] || printf '%s\n' "$line"
          keep=
          ;;
        *oom-kill:*) keep= ;;
      esac
    done >"$STAGE/.dmesg"
    [ ! -s "$STAGE/.dmesg" ] || cat "$STAGE/.dmesg" >"$STAGE/meta/dmesg-oom.txt"
    rmtree "$STAGE/.dmesg"
  fi
}

# --- The capture ----------------------------------------------------------------------------------

TAKEN=0
FIRST=
LAST=
STOP=
trap 'STOP=interrupted' INT TERM HUP

NOW=$(date -u +%Y-%m-%dT%H:%M:%SZ)
write_manifest "$NOW" false
emit manifest.json

CGROUPS=$(count_cgroups)
if [ "$OUT" = - ]; then DEST='stdout'; else DEST=$OUT; fi
say "memlens-capture: capturing $ROOT (cgroup v$CGV, $CGROUPS cgroups now) into $DEST"
if [ "$COUNT" -gt 1 ]; then
  until=$(date -u -d "@$((START_EPOCH + (COUNT - 1) * INTERVAL))" +%H:%M:%SZ 2>/dev/null) && until=" (until $until)" || until=
  say "  $COUNT snapshots every ${INTERVAL}s: runs about $(duration $(((COUNT - 1) * INTERVAL)))$until. Ctrl-C stops early and keeps what was captured."
fi
[ -t 2 ] && TTY=1 || TTY=

i=0
while [ "$i" -lt "$COUNT" ] && [ -z "$STOP" ]; do
  NOW=$(date -u +%Y-%m-%dT%H:%M:%SZ) || break
  # Two snapshots in one second would share a folder: wait for the next second.
  if [ "$NOW" = "$LAST" ]; then
    sleep 1
    continue
  fi
  t0=$(date -u +%s)
  snapshot
  emit "$NOW"
  rmtree "$STAGE/$NOW"
  [ "$STOP" = failed ] && break
  TAKEN=$((TAKEN + 1))
  [ -n "$FIRST" ] || FIRST=$NOW
  LAST=$NOW
  i=$((i + 1))
  took=$(($(date -u +%s) - t0))
  if [ "$TAKEN" -eq 1 ] && [ "$OUT" != - ]; then
    one=$(size_of "$OUT")
    [ -z "$one" ] || [ "$COUNT" -le 1 ] || say "  first snapshot: $(human "$one") compressed; expect about $(human $((one * COUNT))) in all"
  fi
  if [ "$took" -gt "$INTERVAL" ] && [ "$i" -lt "$COUNT" ] && [ -z "${SLOW:-}" ]; then
    SLOW=1
    say "  a snapshot takes ${took}s, as long as the interval: snapshots will be further apart than ${INTERVAL}s"
  fi
  if [ -n "$TTY" ] && [ -z "$QUIET" ]; then
    printf '\r  snapshot %s/%s at %s' "$i" "$COUNT" "$NOW" >&2
  elif [ $((i % 10)) -eq 0 ] && [ "$i" -lt "$COUNT" ]; then
    say "  snapshot $i/$COUNT at $NOW"
  fi
  [ "$i" -lt "$COUNT" ] && [ -z "$STOP" ] || break
  # Sleep to the next tick of the schedule so slow snapshots do not make the capture drift. The
  # sleep runs in the background so that Ctrl-C interrupts `wait` at once.
  next=$((START_EPOCH + i * INTERVAL))
  now=$(date -u +%s)
  if [ "$next" -gt "$now" ]; then
    sleep $((next - now)) &
    SLEEPER=$!
    wait "$SLEEPER" 2>/dev/null
    kill "$SLEEPER" 2>/dev/null
  fi
done
[ -z "$TTY" ] || [ -n "$QUIET" ] || [ "$TAKEN" -eq 0 ] || printf '\n' >&2

# A second Ctrl-C while metadata is collected ends the capture with the snapshots already written.
trap 'say "memlens-capture: stopped; $OUT holds $TAKEN snapshot(s) without metadata"; exit 130' INT TERM HUP
END_EPOCH=$(date -u +%s)
case $STOP in
  interrupted) stopped=interrupted ;;
  failed) stopped=interrupted ;;
  *) stopped=done ;;
esac
if [ "$TAKEN" -eq 0 ]; then
  rmtree "$STAGE"
  [ "$OUT" = - ] || rmtree "$OUT"
  printf 'memlens-capture: %s\n' "stopped before the first snapshot; nothing written" >&2
  exit 130
fi
collect_meta
write_manifest "$LAST" true "$stopped"
if [ -d "$STAGE/meta" ]; then emit manifest.json meta; else emit manifest.json; fi
rmtree "$STAGE"

SIZE=
[ "$OUT" = - ] || SIZE=$(size_of "$OUT")
if [ "$stopped" = interrupted ]; then how="stopped early after $TAKEN of $COUNT snapshots"; else how="$TAKEN snapshot(s)"; fi
say "memlens-capture: wrote $DEST: $how of $CGROUPS cgroups over $(duration $((END_EPOCH - START_EPOCH))), $(human "$SIZE")."
[ -z "$LEFT" ] || say "  no rm here to clean up: remove $STAGE yourself"
[ "$OUT" = - ] || say "  Analyze it with: memlens analyze $OUT"
[ "$STOP" != failed ] || exit 2
exit 0
