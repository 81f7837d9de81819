import type { KernelOomKill } from '../../model/metadata.js';

/**
 * Reads the kernel's OOM-kill reports out of a kernel log (`dmesg` output, as memlens-capture
 * saves it in meta/dmesg-oom.txt). They name the cgroup of the killed task, so they survive what
 * the cgroup counters do not: a container cgroup removed after the kill takes its oom_kill count
 * with it. Formats (cAdvisor's oomparser reads the same lines):
 *
 *   [ 722.329490] oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,
 *                 oom_memcg=/kubepods/…,task_memcg=/kubepods/…/<id>,task=python3,pid=9942,uid=0
 *   [ 722.329511] Memory cgroup out of memory: Killed process 9942 (python3) total-vm:61680kB,
 *                 anon-rss:48512kB, file-rss:6532kB, shmem-rss:0kB, UID:0 pgtables:156kB …
 *   (kernels before 4.19) Task in /kubepods/…/<id> killed as a result of limit of /kubepods/…
 *
 * Lines of other kinds are ignored; a report without its "Killed process" line still counts.
 */
export function parseKernelOomLog(text: string): KernelOomKill[] {
  const out: KernelOomKill[] = [];
  let pending: KernelOomKill | undefined;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const uptimeSec = uptimeOf(line);
    const oomKill = OOM_KILL.exec(line);
    if (oomKill) {
      pending = {
        line: i + 1,
        uptimeSec,
        at: Number.NaN,
        constraint: oomKill[1],
        oomCgroup: oomKill[2] || undefined,
        taskCgroup: oomKill[3],
        task: oomKill[4],
        pid: Number(oomKill[5]),
      };
      out.push(pending);
      continue;
    }
    const legacy = LEGACY.exec(line);
    if (legacy) {
      pending = { line: i + 1, uptimeSec, at: Number.NaN, taskCgroup: legacy[1], oomCgroup: legacy[2] };
      out.push(pending);
      continue;
    }
    const killed = KILLED.exec(line);
    if (killed) {
      const pid = Number(killed[2]);
      const sizes = {
        task: killed[3],
        pid,
        totalVmBytes: kb(killed[4]),
        anonRssBytes: kb(killed[5]),
        fileRssBytes: kb(killed[6]),
        shmemRssBytes: kb(killed[7]),
      };
      if (
        pending &&
        (pending.pid === undefined || pending.pid === pid) &&
        pending.anonRssBytes === undefined
      ) {
        Object.assign(pending, sizes);
        if (killed[1] === 'Out of memory') pending.constraint ??= 'CONSTRAINT_NONE';
      } else {
        // A kill without the line that names its cgroup: counted, but it cannot be attributed.
        out.push({
          line: i + 1,
          uptimeSec,
          at: Number.NaN,
          constraint: killed[1] === 'Out of memory' ? 'CONSTRAINT_NONE' : undefined,
          ...sizes,
        });
      }
      pending = undefined;
    }
  }
  return out;
}

/** Gives each kill its wall-clock time from the boot time (unix seconds) when it is known. */
export function placeKills(kills: KernelOomKill[], bootTimeSec: number | undefined): void {
  if (bootTimeSec === undefined || !Number.isFinite(bootTimeSec)) return;
  for (const k of kills)
    if (Number.isFinite(k.uptimeSec)) k.at = Math.round((bootTimeSec + k.uptimeSec) * 1000);
}

const OOM_KILL =
  /oom-kill:constraint=([A-Z_]+),.*?(?:oom_memcg=([^,]*),)?task_memcg=([^,]*),task=([^,]*),pid=(\d+)/;
const LEGACY = /Task in (\S+) killed as a result of limit of (\S+)/;
const KILLED =
  /(Memory cgroup out of memory|Out of memory)?:? ?Killed process (\d+) \(([^)]*)\) total-vm:(\d+)kB, anon-rss:(\d+)kB, file-rss:(\d+)kB, shmem-rss:(\d+)kB/;
const UPTIME = /^[^[]*\[\s*(\d+\.\d+)\]/;

function uptimeOf(line: string): number {
  const m = UPTIME.exec(line);
  return m ? Number(m[1]) : Number.NaN;
}

function kb(s: string): number {
  return Number(s) * 1024;
}
