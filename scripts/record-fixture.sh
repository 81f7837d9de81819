#!/bin/sh
# Records a real cgroup v1 capture on this machine for tests and samples.
#
# It builds a Kubernetes-shaped cgroup tree (kubepods/<qos>/pod<uid>/<container id>) below this
# process's own memory cgroup, runs real workloads in it (a leak that the kernel OOM-kills, a
# reader that fills the page cache, tmpfs writes, a steady control), captures it with
# scripts/memlens-capture.sh, and removes everything it created. The memory numbers are the
# kernel's; the names (namespace, pod, container) come from a kubectl stand-in that describes
# the pods this script made, so the capture's metadata path is exercised as on a real node.
#
# Usage: scripts/record-fixture.sh SCENARIO OUT.tar.gz [SNAPSHOTS]
#   SCENARIO: oom-and-cache | oom-kill | cache-inflation | tmpfs | healthy
#             | cache-pinned | anon-leak | file-read-twice | tmpfs-oom | kernel-oom | oom-restart
set -eu

SCENARIO=${1:?scenario}
OUT=$(realpath -m "${2:?output tarball}")
SNAPSHOTS=${3:-30}
HERE=$(cd "$(dirname "$0")" && pwd)

MOUNT=/sys/fs/cgroup/memory
SELF=$(sed -n 's/^[0-9]*:memory:\(.*\)$/\1/p' /proc/self/cgroup)
[ -n "$SELF" ] || { echo "record-fixture: no cgroup v1 memory controller here" >&2; exit 3; }
REC="$MOUNT${SELF%/}/memlens-rec-$$"
ROOT="$REC/kubepods"
WORK=$(mktemp -d /var/tmp/memlens-rec.XXXXXX)
PIDS=""
PODS_JSON=""

cleanup() {
  set +e
  for p in $PIDS; do kill -9 -- "-$p" 2>/dev/null; kill -9 "$p" 2>/dev/null; done
  sleep 0.5
  # Processes still inside (children we did not track) are ours: end them before removing.
  find "$REC" -name cgroup.procs 2>/dev/null | while read -r f; do
    for p in $(cat "$f" 2>/dev/null); do kill -9 "$p" 2>/dev/null; done
  done
  sleep 0.3
  find "$REC" -depth -type d -exec rmdir {} \; 2>/dev/null
  [ -z "${SHM:-}" ] || rm -rf "$SHM"
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

hex() { head -c "$1" /dev/urandom | od -An -tx1 | tr -d ' \n'; }
uuid() { h=$(hex 16); echo "$(echo "$h" | cut -c1-8)-$(echo "$h" | cut -c9-12)-$(echo "$h" | cut -c13-16)-$(echo "$h" | cut -c17-20)-$(echo "$h" | cut -c21-32)"; }

# pod QOS NAMESPACE NAME: creates the pod cgroup and its pause (sandbox) container.
pod() {
  POD_UID=$(uuid)
  case $1 in guaranteed) POD_DIR="$ROOT/pod$POD_UID" ;; *) POD_DIR="$ROOT/$1/pod$POD_UID" ;; esac
  mkdir -p "$POD_DIR"
  POD_QOS=$1 POD_NS=$2 POD_NAME=$3
  POD_CONTAINERS=""
  sandbox=$(hex 32)
  mkdir "$POD_DIR/$sandbox"
  start_in "$POD_DIR/$sandbox" sleep 100000
}

# container NAME LIMIT_MIB COMMAND...: a container cgroup with a limit, running COMMAND.
container() {
  name=$1 limit=$2
  shift 2
  CID=$(hex 32)
  mkdir "$POD_DIR/$CID"
  echo $((limit * 1024 * 1024)) >"$POD_DIR/$CID/memory.limit_in_bytes"
  start_in "$POD_DIR/$CID" "$@"
  entry=$(printf '{"name":"%s","image":"memlens/fixture:%s","resources":{"limits":{"memory":"%sMi"}}}' "$name" "$name" "$limit")
  status=$(printf '{"name":"%s","containerID":"containerd://%s","restartCount":0,"ready":true}' "$name" "$CID")
  POD_CONTAINERS="${POD_CONTAINERS:+$POD_CONTAINERS,}$entry"
  POD_STATUSES="${POD_STATUSES:+$POD_STATUSES,}$status"
}

# end_pod: adds the pod to the kubectl stand-in's output.
end_pod() {
  qos=$(echo "$POD_QOS" | sed 's/^./\U&/')
  p=$(printf '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"%s","namespace":"%s","uid":"%s"},"spec":{"nodeName":"fixture-node","containers":[%s]},"status":{"qosClass":"%s","containerStatuses":[%s]}}' \
    "$POD_NAME" "$POD_NS" "$POD_UID" "$POD_CONTAINERS" "$qos" "$POD_STATUSES")
  PODS_JSON="${PODS_JSON:+$PODS_JSON,}$p"
  POD_STATUSES=""
}

# start_in CGROUP COMMAND...: runs COMMAND in CGROUP in its own process group, in the background.
start_in() {
  cg=$1
  shift
  setsid sh -c 'echo $$ >"$0/cgroup.procs" && exec "$@"' "$cg" "$@" </dev/null >/dev/null 2>&1 &
  PIDS="$PIDS $!"
}

PY=$(command -v python3)
# Anonymous memory that grows by STEP MiB every SECONDS until the kernel kills it; restarted after
# 2 s by the shell, which survives (the OOM killer picks the biggest task), as a supervisor would.
leak() { echo "while :; do $PY -c 'import time
a=[]
while True:
    a.append(bytearray(b\"\\x01\")*($1<<20)); time.sleep($2)'; sleep 2; done"; }
# Anonymous memory held steady at MiB.
hold() { echo "$PY -c 'import time
a=bytearray(b\"\\x01\")*($1<<20)
time.sleep(100000)'"; }

# A file of MiB on disk, not in the page cache, so the reader's cgroup is charged when it reads.
cold_file() {
  head -c $(($2 * 1024 * 1024)) /dev/urandom >"$WORK/$1"
  # Dirty pages cannot be dropped: write the file back first, or it stays cached (and charged here).
  sync
  dd if="$WORK/$1" iflag=nocache count=0 status=none
}

# --- Workloads for the analysis-pass fixtures -------------------------------------------------
# One small Python program with several modes, so the shell stays readable.
cat >"$WORK/work.py" <<'PYEOF'
import os, sys, time
mode = sys.argv[1]
MiB = 1 << 20
if mode == "leak":  # leak STEP_MIB SECONDS START_MIB: steady growth of anonymous memory
    step, pause, start = int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
    keep = [bytearray(b"\x01") * (start * MiB)]
    while True:
        time.sleep(pause)
        keep.append(bytearray(b"\x01") * (step * MiB))
elif mode == "sawtooth":  # sawtooth LOW HIGH STEP SECONDS: a heap that grows, then is collected
    low, high, step, pause = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
    base = bytearray(b"\x01") * (low * MiB)
    while True:
        garbage = []
        while low + len(garbage) * step < high:
            garbage.append(bytearray(b"\x01") * (step * MiB))
            time.sleep(pause)
        del garbage  # large blocks are mmap'd: freeing them returns the memory at once
        time.sleep(pause)
elif mode == "files":  # files DIR: small files on tmpfs until the kernel memory they need runs out
    d = sys.argv[2]
    os.makedirs(d, exist_ok=True)
    i = 0
    while True:
        for _ in range(2000):
            os.close(os.open(f"{d}/f{i}", os.O_CREAT | os.O_WRONLY))
            i += 1
        time.sleep(0.2)
PYEOF
work() { echo "$PY $WORK/work.py $*"; }

# container_unlimited NAME COMMAND...: a container cgroup without a memory limit.
container_unlimited() {
  name=$1
  shift
  CID=$(hex 32)
  mkdir "$POD_DIR/$CID"
  start_in "$POD_DIR/$CID" "$@"
  entry=$(printf '{"name":"%s","image":"memlens/fixture:%s","resources":{}}' "$name" "$name")
  status=$(printf '{"name":"%s","containerID":"containerd://%s","restartCount":0,"ready":true}' "$name" "$CID")
  POD_CONTAINERS="${POD_CONTAINERS:+$POD_CONTAINERS,}$entry"
  POD_STATUSES="${POD_STATUSES:+$POD_STATUSES,}$status"
}

# A kubelet stand-in for one container: runs COMMAND in a fresh container cgroup, and when the
# process dies, records why (the cgroup's oom_kill counter), removes the cgroup — its counters go
# with it, as on a real node — and starts a new one after BACKOFF seconds. It keeps
# $WORK/pods.live.json (what `kubectl get pods -o json` would say) up to date.
# mini_kubelet NAME LIMIT_MIB BACKOFF COMMAND...
mini_kubelet() {
  name=$1 limit=$2 backoff=$3
  shift 3
  (
    restarts=0 last=''
    while :; do
      cid=$(hex 32)
      mkdir "$POD_DIR/$cid"
      echo $((limit * 1024 * 1024)) >"$POD_DIR/$cid/memory.limit_in_bytes"
      write_live_pod "$name" "$limit" "$cid" "$restarts" "$last"
      # It ends by being killed: a non-zero status here is the expected outcome, not an error.
      setsid sh -c 'echo $$ >"$0/cgroup.procs" && exec "$@"' "$POD_DIR/$cid" "$@" </dev/null >/dev/null 2>&1 || :
      kills=$(sed -n 's/^oom_kill //p' "$POD_DIR/$cid/memory.oom_control")
      reason=Error
      [ "${kills:-0}" -gt 0 ] && reason=OOMKilled
      last=$(printf '{"terminated":{"reason":"%s","exitCode":137,"containerID":"containerd://%s","finishedAt":"%s"}}' \
        "$reason" "$cid" "$(date -u +%Y-%m-%dT%H:%M:%SZ)")
      rmdir "$POD_DIR/$cid"
      restarts=$((restarts + 1))
      sleep "$backoff"
    done
  ) </dev/null >/dev/null 2>&1 &
  PIDS="$PIDS $!"
}

write_live_pod() {
  qos=$(echo "$POD_QOS" | sed 's/^./\U&/')
  printf '{"apiVersion":"v1","kind":"List","items":[{"apiVersion":"v1","kind":"Pod","metadata":{"name":"%s","namespace":"%s","uid":"%s"},"spec":{"nodeName":"fixture-node","containers":[{"name":"%s","image":"memlens/fixture:%s","resources":{"limits":{"memory":"%sMi"}}}]},"status":{"qosClass":"%s","containerStatuses":[{"name":"%s","containerID":"containerd://%s","restartCount":%s,"ready":true,"lastState":{%s}}]}}]}\n' \
    "$POD_NAME" "$POD_NS" "$POD_UID" "$1" "$1" "$2" "$qos" "$1" "$3" "$4" "$(echo "$5" | sed 's/^{//; s/}$//')" >"$WORK/pods.live.json.tmp"
  mv "$WORK/pods.live.json.tmp" "$WORK/pods.live.json"
}

mkdir -p "$ROOT/burstable" "$ROOT/besteffort"

case $SCENARIO in
  oom-and-cache | oom-kill | cache-inflation | healthy | tmpfs) ;;
  cache-pinned | anon-leak | file-read-twice | tmpfs-oom | kernel-oom | oom-restart) ;;
  *) echo "record-fixture: unknown scenario $SCENARIO" >&2; exit 2 ;;
esac

if [ "$SCENARIO" = oom-and-cache ] || [ "$SCENARIO" = oom-kill ]; then
  pod burstable shop checkout-7d9f
  container api 48 sh -c "$(leak 4 0.5)"
  end_pod
fi
if [ "$SCENARIO" = oom-and-cache ] || [ "$SCENARIO" = cache-inflation ]; then
  cold_file once.bin 96
  cold_file twice.bin 24
  pod burstable batch report-writer-5c8b
  # Reads one file once (inactive file cache) and one twice (promoted to active), holding 16 MiB anon.
  container reader 160 sh -c "sleep 4; cat $WORK/once.bin >/dev/null; sleep 3; cat $WORK/twice.bin >/dev/null; sleep 2; cat $WORK/twice.bin >/dev/null; exec $(hold 16)"
  end_pod
fi
if [ "$SCENARIO" = tmpfs ]; then
  SHM=/dev/shm/memlens-rec-$$
  mkdir -p "$SHM"
  pod burstable media thumbnailer-66c4
  # Writes 8 MiB to tmpfs every 2 s, like an emptyDir {medium: Memory} scratch area.
  container worker 128 sh -c "sleep 3; i=0; while [ \$i -lt 10 ]; do head -c 8388608 /dev/zero >$SHM/f\$i; i=\$((i+1)); sleep 2; done; exec $(hold 8)"
  end_pod
fi
if [ "$SCENARIO" = oom-and-cache ] || [ "$SCENARIO" = healthy ]; then
  pod guaranteed platform config-server-0
  container server 64 sh -c "$(hold 20)"
  end_pod
fi

if [ "$SCENARIO" = cache-pinned ]; then
  # Two containers whose usage sits at a 64 MiB limit. The shipper appends to a log it never
  # reads back (a full cache the kernel recycles: harmless); the indexer re-reads one file bigger
  # than what fits (every pass reads back pages it just lost: thrashing).
  cold_file index.bin 80
  pod burstable logs log-shipper-6f7d
  container shipper 64 sh -c "$(hold 8) & sleep 2; while :; do dd if=/dev/zero of=$WORK/ship.log bs=1M count=8 oflag=append conv=notrunc,fdatasync status=none; [ \$(stat -c %s $WORK/ship.log) -lt 268435456 ] || : >$WORK/ship.log; sleep 0.5; done"
  end_pod
  pod burstable search indexer-0
  container indexer 64 sh -c "$(hold 8) & sleep 2; while :; do cat $WORK/index.bin >/dev/null; sleep 0.5; done"
  end_pod
fi
if [ "$SCENARIO" = anon-leak ]; then
  # The node's allocatable memory, as the kubelet sets it on the kubepods cgroup.
  echo $((1024 * 1024 * 1024)) >"$ROOT/memory.limit_in_bytes"
  pod burstable shop cart-5b6c
  # A steady leak: 2 MiB a second from 16 MiB, far from its 256 MiB limit during the capture.
  container cart 256 $(work leak 2 1 16)
  end_pod
  pod burstable shop recommender-8d2f
  # A garbage-collected heap: grows 4 MiB every 0.25 s from 24 to 72 MiB, then drops back.
  container model 128 $(work sawtooth 24 72 4 0.25)
  end_pod
  pod besteffort ops log-agent-x7k2
  # No limit at all, holding 24 MiB.
  container_unlimited agent sh -c "$(hold 24)"
  end_pod
fi
if [ "$SCENARIO" = file-read-twice ]; then
  cold_file catalog.bin 64
  pod burstable search query-7c5d
  # 16 MiB of heap, then a 64 MiB file read twice: the second read moves it to the active list,
  # where the working set counts it.
  container query 96 sh -c "$(hold 16) & sleep 3; cat $WORK/catalog.bin >/dev/null; sleep 2; cat $WORK/catalog.bin >/dev/null; exec sleep 100000"
  end_pod
fi
if [ "$SCENARIO" = tmpfs-oom ]; then
  SHM=/dev/shm/memlens-rec-$$
  mkdir -p "$SHM"
  pod burstable media transcoder-9f8e
  # Writes 8 MiB to tmpfs every second into a 64 MiB limit: the kernel cannot reclaim tmpfs
  # without swap, so it OOM-kills; the files stay and stay charged.
  container transcoder 64 sh -c "sleep 3; i=0; while [ \$i -lt 12 ]; do head -c 8388608 /dev/zero >$SHM/f\$i; i=\$((i+1)); sleep 1; done; exec sleep 100000"
  end_pod
fi
if [ "$SCENARIO" = kernel-oom ]; then
  SHM=/dev/shm/memlens-rec-$$
  pod burstable ops tmp-cleaner-2b9a
  # Creates empty files on tmpfs: no data pages, only inodes and dentries (kernel memory).
  container cleaner 48 sh -c "sleep 3; $(work files "$SHM") ; exec sleep 100000"
  end_pod
fi
if [ "$SCENARIO" = oom-restart ]; then
  pod burstable shop checkout-7d9f
  # The main process leaks until OOM-killed; the kubelet stand-in restarts it in a new cgroup.
  mini_kubelet api 48 2 $(work leak 4 0.4 8)
fi

# The kubectl stand-in: answers `kubectl get pods -A -o json` with the pods made above.
mkdir -p "$WORK/bin"
printf '{"apiVersion":"v1","kind":"List","items":[%s]}\n' "$PODS_JSON" >"$WORK/pods.json"
cat >"$WORK/bin/kubectl" <<EOF
#!/bin/sh
if [ -f "$WORK/pods.live.json" ]; then cat "$WORK/pods.live.json"; else cat "$WORK/pods.json"; fi
EOF
chmod +x "$WORK/bin/kubectl"

sleep 1
PATH="$WORK/bin:$PATH" sh "$HERE/memlens-capture.sh" -r "$ROOT" -i 1 -n "$SNAPSHOTS" -o "$OUT"
[ -z "${SHM:-}" ] || rm -rf "$SHM"
