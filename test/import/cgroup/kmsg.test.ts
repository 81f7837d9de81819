import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parseKernelOomLog, placeKills } from '../../../src/import/cgroup/kmsg.js';
import { parsePath } from '../../../src/model/identity.js';
import { fixturePath, loadFixture } from '../../helpers/fixtures.js';

/** A file of a fixture tarball, as text. */
function fromTar(fixture: Parameters<typeof fixturePath>[0], entry: string): string {
  return execFileSync('tar', ['-xzOf', fixturePath(fixture), entry], { encoding: 'utf8' });
}

describe('parseKernelOomLog', () => {
  it('reads every kill of a real dmesg, with the cgroups and the victim’s sizes', () => {
    const text = fromTar('tmpfsOom', './meta/dmesg-oom.txt');
    const kills = parseKernelOomLog(text);
    expect(kills.length).toBe(text.split('\n').filter((l) => l.includes('oom-kill:')).length);
    for (const k of kills) {
      expect(k.constraint).toBe('CONSTRAINT_MEMCG');
      expect(k.taskCgroup).toMatch(/\/kubepods\//);
      expect(k.uptimeSec).toBeGreaterThan(0);
      expect(k.anonRssBytes).toBeGreaterThanOrEqual(0);
      expect(k.totalVmBytes).toBeGreaterThan(0);
      expect(k.pid).toBeGreaterThan(0);
    }
    // This capture's own kills: the writer and its shell, in the transcoder's cgroup.
    const capture = fromTar('tmpfsOom', './meta/kubectl-pods.json');
    const id = /containerd:\/\/([0-9a-f]{64})/.exec(capture)![1];
    const own = kills.filter((k) => parsePath(k.taskCgroup!).containerId === id);
    expect(own.map((k) => k.task).sort()).toEqual(['head', 'sh']);
  });

  it('places kills on the clock with the boot time, inside the capture window', async () => {
    const ds = await loadFixture('tmpfsOom');
    const manifest = JSON.parse(fromTar('tmpfsOom', './manifest.json'));
    const kills = parseKernelOomLog(fromTar('tmpfsOom', './meta/dmesg-oom.txt'));
    placeKills(kills, manifest.bootTime);
    const last = kills.at(-1)!;
    expect(last.at).toBe(Math.round((manifest.bootTime + last.uptimeSec) * 1000));
    expect(last.at).toBeGreaterThan(Date.parse(manifest.start));
    expect(last.at).toBeLessThan(Date.parse(manifest.end));
    // The importer does the same and keeps them in the metadata.
    expect(ds.metadata?.kernelOoms?.map((k) => k.at)).toEqual(kills.map((k) => k.at));
  });

  it('leaves times unknown without a boot time', () => {
    const kills = parseKernelOomLog(fromTar('oomAndCache', './meta/dmesg-oom.txt'));
    placeKills(kills, undefined);
    expect(kills.length).toBeGreaterThan(0);
    expect(kills.every((k) => Number.isNaN(k.at))).toBe(true);
  });

  it('reads the pre-4.19 format and node-wide kills, and keeps a kill it cannot attribute', () => {
    // The real lines of this machine, rewritten in the older kernels' format and as a global OOM.
    const real = fromTar('kernelOom', './meta/dmesg-oom.txt').trim().split('\n');
    const report = real.findLast((l) => l.includes('oom-kill:'))!;
    const killed = real.findLast((l) => l.includes('Killed process'))!;
    const cgroup = /task_memcg=([^,]*)/.exec(report)![1];
    const legacy = [
      `[ 99.000001] Task in ${cgroup} killed as a result of limit of ${cgroup}`,
      killed.replace('Memory cgroup out of memory: ', ''),
      report.replace('CONSTRAINT_MEMCG', 'CONSTRAINT_NONE').replace(/oom_memcg=[^,]*,/, ''),
      killed.replace('Memory cgroup out of memory', 'Out of memory'),
      killed.replace(/Killed process \d+/, 'Killed process 4242'),
    ].join('\n');
    const [old, global, orphan] = parseKernelOomLog(legacy);
    expect(old.taskCgroup).toBe(cgroup);
    expect(old.oomCgroup).toBe(cgroup);
    expect(old.anonRssBytes).toBeGreaterThan(0);
    expect(global.constraint).toBe('CONSTRAINT_NONE');
    expect(global.oomCgroup).toBeUndefined();
    expect(global.taskCgroup).toBe(cgroup);
    expect(orphan.pid).toBe(4242);
    expect(orphan.taskCgroup).toBeUndefined();
  });
});
