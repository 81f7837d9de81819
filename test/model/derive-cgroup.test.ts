import { describe, expect, it } from 'vitest';
import { buildModel } from '../../src/model/build.js';
import { keyValues, loadFixture, rawCapture } from '../helpers/fixtures.js';

const FIXTURE = 'oomAndCache' as const;
const READER = 'batch/report-writer-5c8b/reader';

describe('v1 derivation on a real capture, to the byte', () => {
  it('matches numbers worked out by hand from one snapshot', async () => {
    const model = buildModel([await loadFixture(FIXTURE)]);
    const e = model.entities.find((x) => x.key === READER)!;
    const t = Date.parse('2026-11-27T19:17:00Z');
    let r = e.rowStart;
    while (model.t[r] !== t) r++;
    const c = model.columns;
    // From the files of snapshot 2026-11-27T19:17:00Z of the reader's cgroup:
    //   memory.usage_in_bytes 140853248, memory.stat total_inactive_file 99614720,
    //   total_active_file 16781312, total_rss 23818240, total_cache 116396032,
    //   memory.limit_in_bytes 167772160, memory.kmem.usage_in_bytes 184320.
    expect(c.usage![r]).toBe(140853248);
    expect(c.workingSet![r]).toBe(140853248 - 99614720); // 41238528
    expect(c.inactiveFile![r]).toBe(99614720);
    expect(c.activeFile![r]).toBe(16781312);
    expect(c.rss![r]).toBe(23818240);
    expect(c.cache![r]).toBe(116396032);
    expect(c.limit![r]).toBe(167772160);
    expect(c.kernel![r]).toBe(184320);
    expect(c.statUsage![r]).toBe(23818240 + 116396032);
  });

  it('matches cAdvisor’s formulas for every cgroup in every snapshot', async () => {
    const model = buildModel([await loadFixture(FIXTURE)]);
    const raw = rawCapture(FIXTURE);
    let checked = 0;
    for (const [snap, cgroups] of raw) {
      const t = Date.parse(snap);
      for (const [dir, files] of cgroups) {
        if (!files.has('memory.usage_in_bytes')) continue;
        const e = model.entities.find((x) => x.cgroups.includes(`/${dir}`));
        expect(e, dir).toBeDefined();
        let r = e!.rowStart;
        while (r < e!.rowEnd && model.t[r] !== t) r++;
        expect(r, `${dir} @ ${snap}`).toBeLessThan(e!.rowEnd);
        const usage = Number(files.get('memory.usage_in_bytes'));
        const stat = keyValues(files.get('memory.stat')!);
        const limit = Number(files.get('memory.limit_in_bytes'));
        const c = model.columns;
        expect(c.usage![r]).toBe(usage);
        expect(c.workingSet![r]).toBe(Math.max(0, usage - stat.total_inactive_file));
        expect(c.rss![r]).toBe(stat.total_rss);
        expect(c.cache![r]).toBe(stat.total_cache);
        expect(c.mappedFile![r]).toBe(stat.total_mapped_file);
        expect(c.shmem![r]).toBe(stat.total_shmem);
        expect(c.limit![r]).toBe(limit >= 2 ** 62 ? Number.POSITIVE_INFINITY : limit);
        expect(c.failcnt![r]).toBe(Number(files.get('memory.failcnt')));
        expect(c.maxUsage![r]).toBe(Number(files.get('memory.max_usage_in_bytes')));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(150);
  });

  it('clamps the working set at zero and skips the subtraction when the key is missing', async () => {
    const { importCapture } = await import('../../src/import/cgroup/capture.js');
    const { memoryTree } = await import('../../src/source/memory.js');
    const ds = await importCapture(
      memoryTree('memory-1764270000.tar', {
        'kubepods/a/memory.usage_in_bytes': '1000\n',
        'kubepods/a/memory.stat': 'total_inactive_file 4096\n',
        'kubepods/b/memory.usage_in_bytes': '1000\n',
        'kubepods/b/memory.stat': 'total_rss 1000\n',
      }),
    );
    const m = buildModel([ds]);
    const ws = (p: string) => m.columns.workingSet![m.entities.find((e) => e.cgroup === p)!.rowStart];
    expect(ws('/kubepods/a')).toBe(0);
    expect(ws('/kubepods/b')).toBe(1000);
  });
});
