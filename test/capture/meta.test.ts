import { describe, expect, it } from 'vitest';
import { oomLines } from '../../src/capture/meta.js';

// The kernel's report of a memcg OOM kill (format of mm/oom_kill.c, 6.x), as dmesg prints it.
const REL = '/kubepods/burstable/pod3f1c2a4e-5b6d-4e8f-9a0b-1c2d3e4f5a6b';
const DMESG = [
  '[ 1355.304001] python3 invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=985',
  `[ 1355.304839] oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=${REL}/5cc37d,task_memcg=${REL}/5cc37d,task=python3,pid=1809,uid=0`,
  '[ 1355.304907] Memory cgroup out of memory: Killed process 1809 (python3) total-vm:61676kB, anon-rss:48768kB, file-rss:6572kB, shmem-rss:0kB, UID:0 pgtables:152kB oom_score_adj:985',
  '[ 1401.000001] oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/system.slice/backup.service,task_memcg=/system.slice/backup.service,task=rsync,pid=2200,uid=0',
  '[ 1401.000020] Memory cgroup out of memory: Killed process 2200 (rsync) total-vm:1000kB, anon-rss:800kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:12kB oom_score_adj:0',
  '[ 1402.000001] oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/kubepods/burstable/pod3f1c2a4e-5b6d-4e8f-9a0b-1c2d3e4f5a6bX,task_memcg=/x,task=a,pid=1,uid=0',
  // Kernels before 4.19 name the cgroups this way.
  `[ 1500.100000] Task in ${REL}/9f8e7d killed as a result of limit of ${REL}/9f8e7d`,
  '[ 1500.100100] Memory cgroup out of memory: Killed process 3100 (java) total-vm:2000kB, anon-rss:1900kB, file-rss:0kB, shmem-rss:0kB',
].join('\n');

describe('dmesg OOM lines kept in a capture', () => {
  it('keeps the reports about cgroups below the captured root and the kill line after each', () => {
    const lines = DMESG.split('\n');
    expect(oomLines(DMESG, REL)).toEqual([lines[1], lines[2], lines[6], lines[7]]);
  });
  it('keeps every report when the whole hierarchy is captured', () => {
    expect(oomLines(DMESG, '')).toHaveLength(7);
  });
  it('keeps nothing from other cgroups', () => {
    expect(oomLines(DMESG, '/kubepods.slice')).toEqual([]);
  });
});
