/**
 * scripts/memlens-capture.sh, run as a user runs it (busybox sh and dash), against fake cgroup
 * filesystems of every layout it must find; the resulting archives must import without warnings
 * and hold exactly the values written. The real-cgroup run is in memlens-capture.real.test.ts.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MANIFEST_KEYS, V1_FILES, V2_FILES } from '../../src/capture/spec.js';
import { buildModel } from '../../src/model/build.js';
import type { FakeCgroupFs } from '../capture/fake-cgroupfs.js';
import { LAYOUTS, makeFakeCgroupFs } from '../capture/fake-cgroupfs.js';
import {
  archiveEntries,
  BUSYBOX,
  importArchive,
  manifestOf,
  minimalPath,
  privateTmp,
  runScript,
  SCRIPT,
  SHELLS,
  scratch,
} from '../capture/run.js';

const script = readFileSync(SCRIPT, 'utf8');
const listIn = (name: string) => new RegExp(`^${name}='([^']*)'`, 'm').exec(script)?.[1].split(' ');

describe('the script and src/capture/spec.ts describe one format', () => {
  it('copies the same files per cgroup version', () => {
    expect(listIn('V1_FILES')).toEqual([...V1_FILES]);
    expect(listIn('V2_FILES')).toEqual([...V2_FILES]);
  });
});

let tmp: { dir: string; cleanup: () => void };
const TMPDIR = privateTmp();
beforeAll(() => {
  tmp = scratch();
});
afterAll(() => {
  tmp.cleanup();
  rmSync(TMPDIR, { recursive: true, force: true });
});

/** Runs without crictl/kubectl/docker on PATH so no metadata of this machine gets in. */
const env = (extra: Record<string, string> = {}) => ({ TMPDIR, PATH: '/usr/bin:/bin', ...extra });

async function importedValues(out: string, fs: FakeCgroupFs) {
  const ds = await importArchive(out);
  const model = buildModel([ds]);
  const byId = new Map(model.entities.map((e) => [e.containerId, e]));
  return {
    ds,
    model,
    containers: fs.containers.map((c) => ({ c, e: byId.get(c.id) })),
  };
}

describe.each(SHELLS)('under $name', (shell) => {
  describe.each(LAYOUTS)('on a %s node', (layout) => {
    it('finds the root by itself, captures every cgroup below it, and the archive imports without warnings', async () => {
      const fs = makeFakeCgroupFs(join(tmp.dir, `${shell.name.replace(' ', '-')}-${layout}`), layout);
      const out = join(tmp.dir, 'out', `${shell.name.replace(' ', '-')}-${layout}.tar.gz`);
      const r = await runScript(shell.argv, ['-m', fs.base, '-n', '2', '-i', '1', '-o', out], { env: env() });
      expect(r.stderr).toContain(
        `capturing ${fs.root} (cgroup v${fs.cgroupVersion}, ${fs.cgroups} cgroups now)`,
      );
      expect(r.code).toBe(0);

      const gz = readFileSync(out);
      const manifest = await manifestOf(gz);
      expect(manifest).toMatchObject({
        format: 'memlens-capture',
        cgroupVersion: fs.cgroupVersion,
        root: fs.root,
        interval: 1,
        snapshots: 2,
        complete: true,
        stopped: 'done',
        tool: 'memlens-capture.sh',
      });
      expect(Object.keys(manifest)).toEqual([...MANIFEST_KEYS]);
      // The first member says what was running, should the capture never finish.
      const first = (await archiveEntries(gz)).find((e) => e.name === 'manifest.json')!;
      expect(JSON.parse(first.data.toString())).toMatchObject({
        root: fs.root,
        snapshots: 0,
        end: null,
        complete: false,
      });

      const { ds, model, containers } = await importedValues(out, fs);
      expect(ds.input.warnings).toEqual([]);
      expect(ds.input.details).toMatchObject({ snapshots: 2, cgroups: fs.cgroups, emptyFiles: 0 });
      // Only memory files of the spec's list were copied; cgroup.procs, memory.numa_stat… were not.
      const names = (await archiveEntries(gz))
        .filter((e) => e.type === 'file')
        .map((e) => e.name.split('/').pop());
      const allowed = new Set<string>([...(fs.cgroupVersion === 1 ? V1_FILES : V2_FILES), 'manifest.json']);
      expect(names.filter((n) => !allowed.has(n!))).toEqual([]);

      for (const { c, e } of containers) {
        expect(e, `container ${c.id}`).toBeDefined();
        expect(e!.role).toBe('container');
        expect(e!.cgroup).toBe(c.cgroup);
        const rows = e!.rowEnd - e!.rowStart;
        expect(rows).toBe(2);
        const col = (n: 'usage' | 'workingSet' | 'limit' | 'shmem' | 'oomKills') =>
          model.columns[n]![e!.rowStart];
        const file = c.activeFile + c.inactiveFile + c.shmem;
        const usage = c.anon + file + (fs.cgroupVersion === 2 ? c.kernel : 0);
        expect(col('usage')).toBe(usage);
        expect(col('workingSet')).toBe(usage - c.inactiveFile);
        expect(col('shmem')).toBe(c.shmem);
        expect(col('oomKills')).toBe(c.oomKills);
        if (c.limit === null) expect(Number.isFinite(col('limit'))).toBe(false);
        else expect(col('limit')).toBe(c.limit);
      }
    });
  });
});

describe.skipIf(!BUSYBOX)('with only cat, mkdir, date, sleep, tar and gzip (busybox applets)', () => {
  it('captures, falls back where a tool is missing, and says what it could not do', async () => {
    const fs = makeFakeCgroupFs(join(tmp.dir, 'minimal'), 'v2-systemd');
    const out = join(tmp.dir, 'out', 'minimal.tar.gz');
    const path = minimalPath(['cat', 'mkdir', 'date', 'sleep', 'tar', 'gzip']);
    const tmpdir = privateTmp();
    try {
      const r = await runScript([BUSYBOX!, 'sh'], ['-m', fs.base, '-n', '2', '-i', '1', '-o', out], {
        env: { PATH: path, TMPDIR: tmpdir },
      });
      expect(r.code).toBe(0);
      // No wc, ls or stat: the size cannot be told. No rm: the staging folder stays, and it says so.
      expect(r.stderr).toMatch(
        new RegExp(`2 snapshot\\(s\\) of ${fs.cgroups} cgroups over \\d+s, size unknown\\.`),
      );
      expect(r.stderr).toMatch(/no rm here to clean up: remove .*memlens-capture\.\d+\.\d+ yourself/);
      const ds = await importArchive(out);
      expect(ds.input.warnings).toEqual([]);
      expect(ds.input.details).toMatchObject({ snapshots: 2, cgroups: fs.cgroups });
    } finally {
      rmSync(path, { recursive: true, force: true });
      rmSync(tmpdir, { recursive: true, force: true });
    }
  });

  it('copies files byte for byte the same with awk and with cat', async () => {
    const fs = makeFakeCgroupFs(join(tmp.dir, 'awk-or-cat'), 'v1-cgroupfs');
    const withAwk = join(tmp.dir, 'out', 'awk.tar.gz');
    const withCat = join(tmp.dir, 'out', 'cat.tar.gz');
    const sh = [BUSYBOX!, 'sh'];
    expect((await runScript(sh, ['-m', fs.base, '-o', withAwk], { env: env() })).code).toBe(0);
    expect(
      (await runScript(sh, ['-m', fs.base, '-o', withCat], { env: env({ MEMLENS_CAPTURE_NO_AWK: '1' }) }))
        .code,
    ).toBe(0);
    const files = async (p: string) =>
      (await archiveEntries(readFileSync(p)))
        .filter((e) => e.type === 'file' && e.name !== 'manifest.json')
        .map((e) => [e.name.replace(/^[^/]+\//, ''), e.data.toString('latin1')]);
    const a = await files(withAwk);
    expect(a.length).toBe(fs.cgroups * V1_FILES.length);
    expect(await files(withCat)).toEqual(a);
    // And equal to the files on "disk".
    const stat = a.find(([n]) => n === 'kubepods/memory.stat')![1];
    expect(stat).toBe(readFileSync(join(fs.root, 'memory.stat'), 'latin1'));
  });
});

describe.each(SHELLS)('options under $name', (shell) => {
  const fsFor = (name: string) =>
    makeFakeCgroupFs(join(tmp.dir, `${shell.name.replace(' ', '-')}-opt-${name}`), 'v1-cgroupfs');

  it('-r takes a root below the hierarchy or an absolute path', async () => {
    const fs = fsFor('r');
    const out = join(tmp.dir, 'out', `${shell.name.replace(' ', '-')}-r.tar.gz`);
    const rel = await runScript(shell.argv, ['-m', fs.base, '-r', 'kubepods/burstable', '-o', out], {
      env: env(),
    });
    expect(rel.code).toBe(0);
    expect(await manifestOf(readFileSync(out))).toMatchObject({ root: `${fs.root}/burstable` });
    const abs = await runScript(shell.argv, ['-r', `${fs.root}/`, '-o', out], { env: env() });
    expect(abs.code).toBe(0);
    expect(await manifestOf(readFileSync(out))).toMatchObject({ root: fs.root, cgroupVersion: 1 });
  });

  it('-d DURATION takes one snapshot now and one per interval until it has passed', async () => {
    const fs = fsFor('d');
    const out = join(tmp.dir, 'out', `${shell.name.replace(' ', '-')}-d.tar.gz`);
    const r = await runScript(shell.argv, ['-m', fs.base, '-d', '2s', '-i', '1', '-o', out], { env: env() });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('3 snapshots every 1s: runs about 2s');
    expect(r.stderr).toMatch(/first snapshot: [\d.]+ KiB compressed; expect about [\d.]+ KiB in all/);
    expect(r.stderr).toMatch(
      new RegExp(`wrote .*: 3 snapshot\\(s\\) of ${fs.cgroups} cgroups over [23]s, [\\d.]+ KiB\\.`),
    );
    const ds = await importArchive(out);
    expect(ds.input.details).toMatchObject({ snapshots: 3 });
  });

  it('-o - writes the archive to stdout', async () => {
    const fs = fsFor('stdout');
    const r = await runScript(shell.argv, ['-m', fs.base, '-q', '-o', '-'], { env: env() });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout[0]).toBe(0x1f);
    expect(await manifestOf(r.stdout)).toMatchObject({ snapshots: 1, complete: true });
  });

  it.each([
    [['-i', '0'], "-i must be a whole number of seconds >= 1, got '0'"],
    [['-n', 'x'], "-n must be a whole number >= 1, got 'x'"],
    [['-d', '5x'], "-d must look like 90s, 15m or 2h, got '5x'"],
    [['-n', '2', '-d', '5s'], 'give -n or -d, not both'],
    [['-r', 'nothing-here'], "cgroup root 'nothing-here' not found under"],
    [['extra'], "unexpected argument 'extra'"],
  ])('refuses %j with one line and exit code 2', async (args, message) => {
    const fs = fsFor('bad');
    const r = await runScript(
      shell.argv,
      ['-m', fs.base, ...args, '-o', join(tmp.dir, 'out', 'bad.tar.gz')],
      {
        env: env(),
      },
    );
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([expect.stringContaining(`memlens-capture: ${message}`)]);
  });

  it('says where it looked when there is nothing to capture', async () => {
    const empty = join(tmp.dir, `${shell.name.replace(' ', '-')}-nothing`);
    const r = await runScript(shell.argv, ['-m', empty, '-o', join(tmp.dir, 'out', 'none.tar.gz')], {
      env: env(),
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`no cgroup memory controller under ${empty}; give the cgroup mount with -m`);
    const fs = makeFakeCgroupFs(join(tmp.dir, `${shell.name.replace(' ', '-')}-bare`), 'v2-systemd');
    rmSync(fs.root, { recursive: true });
    const r2 = await runScript(shell.argv, ['-m', fs.base, '-o', join(tmp.dir, 'out', 'none.tar.gz')], {
      env: env(),
    });
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain(
      `no kubepods or docker cgroup under ${fs.base}; give the cgroup to capture with -r`,
    );
  });
});

describe.each(SHELLS)('stopping under $name', (shell) => {
  it('Ctrl-C (SIGINT to the whole process group) stops after the snapshot being taken and writes what it has', async () => {
    const fs = makeFakeCgroupFs(join(tmp.dir, `${shell.name.replace(' ', '-')}-int`), 'v2-cgroupfs');
    const out = join(tmp.dir, 'out', `${shell.name.replace(' ', '-')}-int.tar.gz`);
    const r = await runScript(shell.argv, ['-m', fs.base, '-n', '100', '-i', '1', '-o', out], {
      env: env(),
      group: true,
      onStderr: {
        match: /first snapshot/,
        act: (pid) => setTimeout(() => process.kill(-pid, 'SIGINT'), 1200),
      },
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/stopped early after \d+ of 100 snapshots/);
    const m = await manifestOf(readFileSync(out));
    expect(m).toMatchObject({ complete: true, stopped: 'interrupted' });
    expect(m.snapshots).toBeGreaterThanOrEqual(2);
    expect(m.snapshots).toBeLessThan(10);
    const ds = await importArchive(out);
    // No member was cut in half: the archive reads to its end.
    expect(ds.input.warnings).toEqual([]);
    expect(ds.input.details).toMatchObject({ snapshots: m.snapshots });
  });

  it('SIGTERM to the script alone stops it the same way', async () => {
    const fs = makeFakeCgroupFs(join(tmp.dir, `${shell.name.replace(' ', '-')}-term`), 'v1-systemd');
    const out = join(tmp.dir, 'out', `${shell.name.replace(' ', '-')}-term.tar.gz`);
    const r = await runScript(shell.argv, ['-m', fs.base, '-n', '100', '-i', '1', '-o', out], {
      env: env(),
      onStderr: {
        match: /first snapshot/,
        act: (pid) => setTimeout(() => process.kill(pid, 'SIGTERM'), 1200),
      },
    });
    expect(r.code).toBe(0);
    expect(await manifestOf(readFileSync(out))).toMatchObject({ complete: true, stopped: 'interrupted' });
    expect((await importArchive(out)).input.warnings).toEqual([]);
  });

  it('a capture killed outright keeps every snapshot it finished', async () => {
    const fs = makeFakeCgroupFs(join(tmp.dir, `${shell.name.replace(' ', '-')}-kill`), 'v2-systemd');
    const out = join(tmp.dir, 'out', `${shell.name.replace(' ', '-')}-kill.tar.gz`);
    // Ticks every 2 s: 3 s after the first snapshot the second is written and the third not begun,
    // so the kill lands while it sleeps, as the OOM killer or a lost node would strike.
    const r = await runScript(shell.argv, ['-m', fs.base, '-n', '100', '-i', '2', '-o', out], {
      env: env(),
      group: true,
      onStderr: {
        match: /first snapshot/,
        act: (pid) => setTimeout(() => process.kill(-pid, 'SIGKILL'), 3000),
      },
    });
    expect(r.signal).toBe('SIGKILL');
    const m = await manifestOf(readFileSync(out));
    expect(m).toMatchObject({ complete: false, snapshots: 0, end: null });
    const ds = await importArchive(out);
    expect(ds.input.warnings).toEqual([]);
    expect((ds.input.details as { snapshots: number }).snapshots).toBeGreaterThanOrEqual(2);
  });
});
