/**
 * `memlens capture` (the library behind it) and scripts/memlens-capture.sh are one implementation
 * of the capture layout: on the same cgroup tree they must write archives the importer reads into
 * the same frame, with the same files byte for byte.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { capture } from '../../src/capture/capture.js';
import { V2_FILES } from '../../src/capture/spec.js';
import { buildModel } from '../../src/model/build.js';
import type { MemModel } from '../../src/model/model.js';
import { LAYOUTS, makeFakeCgroupFs } from './fake-cgroupfs.js';
import { archiveEntries, importArchive, manifestOf, privateTmp, runScript, SHELLS, scratch } from './run.js';

const tmp = scratch();
const TMPDIR = privateTmp();
afterAll(() => {
  tmp.cleanup();
  rmSync(TMPDIR, { recursive: true, force: true });
});

/**
 * The frame as rows keyed by entity and snapshot number (captures taken at different moments have
 * different times), with every identity field and every column.
 */
function comparableFrame(model: MemModel): Record<string, unknown>[] {
  const times = [...new Set(model.t)].sort((a, b) => a - b);
  const rows: Record<string, unknown>[] = [];
  for (const e of model.entities) {
    for (let r = e.rowStart; r < e.rowEnd; r++) {
      const row: Record<string, unknown> = {
        key: e.key,
        role: e.role,
        cgroup: e.cgroup,
        containerId: e.containerId,
        podUid: e.podUid,
        qos: e.qos,
        driver: e.driver,
        cgroupVersion: e.cgroupVersion,
        snapshot: times.indexOf(model.t[r]),
      };
      for (const [name, col] of Object.entries(model.columns)) row[name] = col![r];
      rows.push(row);
    }
  }
  return rows.sort((a, b) =>
    `${a.key}\u0000${String(a.snapshot).padStart(4)}` < `${b.key}\u0000${String(b.snapshot).padStart(4)}`
      ? -1
      : 1,
  );
}

/** Files of a capture with the snapshot folder replaced by its number, content as text. */
async function files(gz: Buffer): Promise<[string, string][]> {
  const entries = await archiveEntries(gz);
  const folders = [
    ...new Set(entries.map((e) => e.name.split('/')[0]).filter((n) => /^\d{4}-/.test(n))),
  ].sort();
  return entries
    .filter((e) => e.type === 'file' && e.name !== 'manifest.json')
    .map(({ name, data }) => {
      const [first, ...rest] = name.split('/');
      return [`${folders.indexOf(first)}/${rest.join('/')}`, data.toString('latin1')] as [string, string];
    })
    .sort((a, b) => (a[0] < b[0] ? -1 : 1));
}

const env = { TMPDIR, PATH: '/usr/bin:/bin' };
const shell = SHELLS[0];

describe.skipIf(!shell)(`memlens capture and the script (${shell?.name}) on the same tree`, () => {
  it.each(LAYOUTS)('on a %s node: same files, same frame, no warnings', async (layout) => {
    const fs = makeFakeCgroupFs(join(tmp.dir, layout), layout);
    const bySh = join(tmp.dir, 'out', `${layout}-sh.tar.gz`);
    const byNode = join(tmp.dir, 'out', `${layout}-node.tar.gz`);
    const sh = await runScript(shell!.argv, ['-m', fs.base, '-n', '2', '-i', '1', '-o', bySh], { env });
    expect(sh.code, sh.stderr).toBe(0);
    const result = await capture({
      cgroupFs: fs.base,
      count: 2,
      intervalSeconds: 1,
      out: byNode,
      meta: false,
    });
    expect(result).toMatchObject({ snapshots: 2, count: 2, cgroups: fs.cgroups, stopped: 'done' });
    expect(result.root.root).toBe(fs.root);

    const [a, b] = [readFileSync(bySh), readFileSync(byNode)];
    expect(await files(b)).toEqual(await files(a));
    const [ma, mb] = [await manifestOf(a), await manifestOf(b)];
    expect({ ...mb, start: 0, end: 0, tool: 0 }).toEqual({ ...ma, start: 0, end: 0, tool: 0 });
    expect(mb.tool).toBe('memlens capture');

    const [da, db] = [await importArchive(bySh), await importArchive(byNode)];
    expect(da.input.warnings).toEqual([]);
    expect(db.input.warnings).toEqual([]);
    const [fa, fb] = [comparableFrame(buildModel([da])), comparableFrame(buildModel([db]))];
    expect(fb.length).toBe(fs.cgroups * 2);
    expect(fb).toEqual(fa);
  });
});

describe('memlens capture, the library', () => {
  it('stops after the snapshot being taken when aborted, and writes what it has', async () => {
    const fs = makeFakeCgroupFs(join(tmp.dir, 'abort'), 'v2-systemd');
    const out = join(tmp.dir, 'out', 'abort.tar.gz');
    const stop = new AbortController();
    const events: string[] = [];
    const result = await capture({
      cgroupFs: fs.base,
      count: 50,
      intervalSeconds: 1,
      out,
      meta: false,
      signal: stop.signal,
      onEvent: (e) => {
        events.push(e.kind);
        if (e.kind === 'snapshot' && e.index === 2) stop.abort();
      },
    });
    expect(result).toMatchObject({ snapshots: 2, count: 50, stopped: 'interrupted' });
    expect(events.slice(0, 3)).toEqual(['start', 'first', 'snapshot']);
    expect(await manifestOf(readFileSync(out))).toMatchObject({
      snapshots: 2,
      complete: true,
      stopped: 'interrupted',
    });
    expect((await importArchive(out)).input.warnings).toEqual([]);
  });

  it('aborted before the first snapshot, writes nothing', async () => {
    const fs = makeFakeCgroupFs(join(tmp.dir, 'abort-early'), 'v1-cgroupfs');
    const out = join(tmp.dir, 'out', 'abort-early.tar.gz');
    const stop = new AbortController();
    stop.abort();
    const result = await capture({ cgroupFs: fs.base, count: 5, out, meta: false, signal: stop.signal });
    expect(result.snapshots).toBe(0);
    expect(() => readFileSync(out)).toThrow(/ENOENT/);
  });

  it('copies every v2 file the kernel documents, and nothing else', async () => {
    const fs = makeFakeCgroupFs(join(tmp.dir, 'v2-files'), 'v2-cgroupfs');
    const out = join(tmp.dir, 'out', 'v2-files.tar.gz');
    await capture({ cgroupFs: fs.base, out, meta: false });
    const names = new Set(
      (await archiveEntries(readFileSync(out)))
        .filter((e) => e.type === 'file')
        .map((e) => e.name.split('/').pop()),
    );
    names.delete('manifest.json');
    const psi = (() => {
      try {
        readFileSync('/proc/pressure/memory');
        return true;
      } catch {
        return false;
      }
    })();
    expect([...names].sort()).toEqual(V2_FILES.filter((f) => psi || f !== 'memory.pressure').sort());
  });
});
