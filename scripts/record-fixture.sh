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

mkdir -p "$ROOT/burstable" "$ROOT/besteffort"

case $SCENARIO in
  oom-and-cache | oom-kill | cache-inflation | healthy | tmpfs) ;;
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

# The kubectl stand-in: answers `kubectl get pods -A -o json` with the pods made above.
mkdir -p "$WORK/bin"
printf '{"apiVersion":"v1","kind":"List","items":[%s]}\n' "$PODS_JSON" >"$WORK/pods.json"
cat >"$WORK/bin/kubectl" <<EOF
#!/bin/sh
cat "$WORK/pods.json"
EOF
chmod +x "$WORK/bin/kubectl"

sleep 1
PATH="$WORK/bin:$PATH" sh "$HERE/memlens-capture.sh" -r "$ROOT" -i 1 -n "$SNAPSHOTS" -o "$OUT"
[ -z "${SHM:-}" ] || rm -rf "$SHM"
