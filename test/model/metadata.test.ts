import { describe, expect, it } from 'vitest';
import type { KernelOomKill } from '../../src/model/metadata.js';
import { emptyMetadata, mergeMetadata } from '../../src/model/metadata.js';

const kill = (uptimeSec: number, pid: number, taskCgroup = '/kubepods/pod1/abc'): KernelOomKill => ({
  line: 1,
  uptimeSec,
  at: Number.NaN,
  taskCgroup,
  task: 'python3',
  pid,
});

describe('mergeMetadata', () => {
  it('keeps one kernel-log kill when several snapshots of a node repeat the same log', () => {
    const a = { ...emptyMetadata(), kernelOoms: [kill(641.7, 4480), kill(648.9, 5791)] };
    const b = { ...emptyMetadata(), kernelOoms: [kill(641.7, 4480), kill(648.9, 5791), kill(700.1, 6001)] };
    const merged = mergeMetadata(a, b);
    expect(merged.kernelOoms!.map((k) => k.pid)).toEqual([4480, 5791, 6001]);
  });

  it('keeps kills that differ in time, pid or cgroup', () => {
    const merged = mergeMetadata(
      { ...emptyMetadata(), kernelOoms: [kill(1, 10)] },
      { ...emptyMetadata(), kernelOoms: [kill(2, 10), kill(1, 11), kill(1, 10, '/kubepods/pod1/def')] },
    );
    expect(merged.kernelOoms).toHaveLength(4);
  });
});
