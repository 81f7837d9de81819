import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import { makeFakeCgroupFs } from '../capture/fake-cgroupfs.js';
import { CLI, importArchive, manifestOf, runCliCapture, scratch } from '../capture/run.js';

const tmp = scratch();
afterAll(() => tmp.cleanup());

async function cli(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(['node', 'memlens', 'capture', ...args], {
    stdout: (s) => out.push(s),
    stderr: (s) => err.push(s),
  });
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

describe('memlens capture', () => {
  it('captures the root it finds, says how long and how big, and exits 0', async () => {
    const fs = makeFakeCgroupFs(join(tmp.dir, 'ok'), 'v1-systemd');
    const out = join(tmp.dir, 'out', 'ok.tar.gz');
    const r = await cli(['--cgroup-fs', fs.base, '-n', '2', '-i', '1', '-o', out, '--no-meta']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`capturing ${fs.root} (cgroup v1, ${fs.cgroups} cgroups now) into ${out}`);
    expect(r.stderr).toContain('2 snapshots every 1s: runs about 1s');
    expect(r.stderr).toMatch(/first snapshot: [\d.]+ KiB compressed; expect about [\d.]+ KiB in all/);
    expect(r.stderr).toMatch(
      new RegExp(`wrote .*: 2 snapshot\\(s\\) of ${fs.cgroups} cgroups over [12]s, [\\d.]+ KiB\\.`),
    );
    expect(r.stderr).toContain(`Analyze it with: memlens analyze ${out}`);
    const ds = await importArchive(out);
    expect(ds.input.warnings).toEqual([]);
    expect(ds.input.details).toMatchObject({ snapshots: 2, cgroups: fs.cgroups });
  });

  it('is quiet with -q', async () => {
    const fs = makeFakeCgroupFs(join(tmp.dir, 'quiet'), 'v2-cgroupfs');
    const r = await cli(['-m', fs.base, '-q', '-o', join(tmp.dir, 'out', 'quiet.tar.gz'), '--no-meta']);
    expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it.each([
    [['-i', '0'], "--interval must be a whole number of seconds >= 1, got '0'"],
    [['-n', 'x'], "--count must be a whole number, got 'x'"],
    [['-d', '5x'], "--duration must look like 90s, 15m or 2h, got '5x'"],
    [['-n', '2', '-d', '5s'], 'give --count or --duration, not both'],
    [['-r', 'nothing-here'], "cgroup root 'nothing-here' not found under"],
  ])('refuses %j with one line and exit code 2', async (args, message) => {
    const fs = makeFakeCgroupFs(join(tmp.dir, 'bad'), 'v1-cgroupfs');
    const out = join(tmp.dir, 'out', 'bad.tar.gz');
    rmSync(out, { force: true });
    const r = await cli(['-m', fs.base, ...args, '-o', out]);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')).toEqual([expect.stringContaining(`memlens: ${message}`)]);
    expect(existsSync(out)).toBe(false);
  });

  it('stops on Ctrl-C after the snapshot being taken, writes what it has and exits 0', async () => {
    expect(existsSync(CLI), 'npm test builds dist/ first').toBe(true);
    const fs = makeFakeCgroupFs(join(tmp.dir, 'int'), 'v2-systemd');
    const out = join(tmp.dir, 'out', 'int.tar.gz');
    const r = await runCliCapture(['-m', fs.base, '-n', '100', '-i', '1', '-o', out, '--no-meta'], {
      group: true,
      onStderr: {
        match: /first snapshot/,
        act: (pid) => setTimeout(() => process.kill(-pid, 'SIGINT'), 1200),
      },
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/stopped early after \d+ of 100 snapshots/);
    const m = await manifestOf(readFileSync(out));
    expect(m).toMatchObject({ complete: true, stopped: 'interrupted', tool: 'memlens capture' });
    expect(m.snapshots).toBeGreaterThanOrEqual(2);
    expect((await importArchive(out)).input.warnings).toEqual([]);
  });

  it('writes to stdout with -o -', async () => {
    const fs = makeFakeCgroupFs(join(tmp.dir, 'stdout'), 'docker-v1-cgroupfs');
    const r = await runCliCapture(['-m', fs.base, '-o', '-', '--no-meta']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('into stdout');
    expect(await manifestOf(r.stdout)).toMatchObject({ root: fs.root, snapshots: 1 });
  });
});
